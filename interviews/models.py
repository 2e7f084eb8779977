from __future__ import annotations

import uuid
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone

from accounts.models import SkillArea
from config import timefmt
from interviews.whiteboard import new_whiteboard_url

DEFAULT_SESSION_MINUTES = 60
MIN_SESSION_MINUTES = 45
MAX_SESSION_MINUTES = 90


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeeklyWindow(models.Model):
    """A recurring window in the interviewer's own zone: Tuesdays 13:00 to 18:00 local.

    Stored as wall-clock times, so the window stays 13:00 to 18:00 on both sides of a
    daylight-saving change; slots are computed from it in `interviews.slots`.
    """

    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_windows"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="weekly_window_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weekly_window_weekday_range"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_weekday_display()} "
            f"{timefmt.clock(self.start_time)}-{timefmt.clock(self.end_time)}"
        )


class DateWindowKind(models.TextChoices):
    EXTRA = "extra", "Extra window"
    BLACKOUT = "blackout", "Blackout"


class DateWindow(models.Model):
    """A one-off change on one local date: an extra window, or a blackout of the whole day."""

    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="date_windows"
    )
    kind = models.CharField(max_length=10, choices=DateWindowKind.choices)
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=DateWindowKind.EXTRA,
                        start_time__isnull=False,
                        end_time__gt=F("start_time"),
                    )
                    | Q(
                        kind=DateWindowKind.BLACKOUT,
                        start_time__isnull=True,
                        end_time__isnull=True,
                    )
                ),
                name="date_window_shape",
            ),
        ]
        indexes = [models.Index(fields=["interviewer", "date"])]

    def __str__(self) -> str:
        if self.kind == DateWindowKind.BLACKOUT:
            return f"Blackout {self.date}"
        return f"Extra {self.date} {self.start_time}-{self.end_time}"


class Question(models.Model):
    """A system design prompt from our bank; the interviewer sees the hints, never the candidate."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    prompt = models.TextField()
    hints = models.TextField(help_text="For the interviewer: what to probe, where candidates slip.")
    skill_areas = models.ManyToManyField(SkillArea, related_name="questions")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


class NoShowParty(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    INTERVIEWER = "interviewer", "Interviewer"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


# Every state but cancelled holds its time: two sessions of one person never overlap.
HOLDS_TIME = ~Q(status=SessionStatus.CANCELLED)

# The states of a session that took place (or will), as far as the app knows: feedback,
# reviews and practice counts are for these. Not a no-show, not a cancel.
TOOK_PLACE = (SessionStatus.SCHEDULED, SessionStatus.COMPLETED)


class Session(models.Model):
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_given"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_taken"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    meeting_url = models.URLField(max_length=300)
    # Made once per session; a moved session gets a fresh room (the old row keeps its own).
    whiteboard_url = models.URLField(max_length=200, unique=True, default=new_whiteboard_url)
    # RFC 5545: UID stays, SEQUENCE goes up with every change the calendar must pick up.
    ics_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0)
    rescheduled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rescheduled_to"
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late_cancel = models.BooleanField(default=False)
    no_show_party = models.CharField(
        max_length=12, choices=NoShowParty.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(interviewer=F("candidate")), name="session_not_with_yourself"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="session_status_valid"
            ),
            ExclusionConstraint(
                name="session_interviewer_no_overlap",
                expressions=[
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                    ("interviewer", RangeOperators.EQUAL),
                ],
                condition=HOLDS_TIME,
            ),
            ExclusionConstraint(
                name="session_candidate_no_overlap",
                expressions=[
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                    ("candidate", RangeOperators.EQUAL),
                ],
                condition=HOLDS_TIME,
            ),
        ]
        indexes = [
            models.Index(fields=["interviewer", "start"]),
            models.Index(fields=["candidate", "start"]),
            # Matching reads, for a page of interviewers, the sessions holding time near a
            # window: `end` past the window's start picks out each person's few recent and
            # upcoming ones from years of history, which `start` alone cannot.
            models.Index(
                fields=["interviewer", "end"], condition=HOLDS_TIME, name="session_interviewer_end"
            ),
            models.Index(
                fields=["candidate", "end"], condition=HOLDS_TIME, name="session_candidate_end"
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} {timefmt.short_zoned(self.start, 'UTC')}"

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


class IdempotencyKey(models.Model):
    """A booking request's `Idempotency-Key`: the same key and body give the same answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"Idempotency key {self.key}"


# --- Feedback (SPEC §4, §7) ---------------------------------------------------------------


class Phase(models.TextChoices):
    """The rubric's phases: the four of the interview, and communication across all of them."""

    FUNCTIONAL_SPEC = "functional-spec", "Functional Spec"
    TECHNICAL_SPEC = "technical-spec", "Technical Spec"
    GOING_DEEP = "going-deep", "Going Deep"
    EXTRA_MILE = "extra-mile", "Extra Mile: launch"
    COMMUNICATION = "communication", "Communication"


class FollowUp(models.Model):
    """A prompt the interviewer can ask in one phase of a question; never shown to candidates."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follow_ups")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["question", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="follow_up_phase"),
            models.CheckConstraint(condition=~Q(text=""), name="follow_up_text_written"),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.text[:60]}"


class RubricVersion(models.Model):
    """One version of the rubric. A draft (no `published_at`) is edited by staff in the admin;
    publishing freezes it. The current rubric is the published version with the highest number.
    """

    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True, help_text="What changed from the previous version.")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="rubric_version_number_min"),
        ]

    def __str__(self) -> str:
        state = "published" if self.published_at else "draft"
        return f"Rubric version {self.number} ({state})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Criterion(models.Model):
    """What the interviewer scores 1 to 4, with our own words for what each score looks like."""

    rubric = models.ForeignKey(RubricVersion, on_delete=models.CASCADE, related_name="criteria")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    skill_area = models.ForeignKey(SkillArea, on_delete=models.PROTECT, related_name="criteria")
    text = models.CharField(max_length=120)
    level_1 = models.CharField("1: not shown", max_length=240)
    level_2 = models.CharField("2: partly, with heavy prodding", max_length=240)
    level_3 = models.CharField("3: solid, light prompting", max_length=240)
    level_4 = models.CharField("4: strong, unprompted", max_length=240)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rubric", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="criterion_phase"),
            models.CheckConstraint(
                condition=~Q(text="")
                & ~Q(level_1="")
                & ~Q(level_2="")
                & ~Q(level_3="")
                & ~Q(level_4=""),
                name="criterion_text_and_levels_written",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.text}"

    @property
    def levels(self) -> dict[int, str]:
        return {1: self.level_1, 2: self.level_2, 3: self.level_3, 4: self.level_4}


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Recommendation(models.TextChoices):
    STRONG_NO_HIRE = "strong-no-hire", "Strong no hire"
    NO_HIRE = "no-hire", "No hire"
    HIRE = "hire", "Hire"
    STRONG_HIRE = "strong-hire", "Strong hire"


class LevelShown(models.TextChoices):
    MID = "mid", "Mid"
    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff"


class Prodding(models.TextChoices):
    NONE = "none", "None"
    SOME = "some", "Some"
    A_LOT = "a-lot", "A lot"


MIN_SCORE, MAX_SCORE = 1, 4
MIN_RATING, MAX_RATING = 1, 5


class Feedback(models.Model):
    """The interviewer's rubric for one session: a draft while written, then locked forever.

    The database holds the lock too: triggers (migration 0003) refuse any change to a
    submitted row and to the scores and notes under it.
    """

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="feedback")
    # Pinned at the first save: a new version published mid-draft does not move it.
    rubric = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="feedback")
    status = models.CharField(
        max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.DRAFT
    )
    recommendation = models.CharField(
        max_length=20, choices=Recommendation.choices, blank=True, default=""
    )
    level = models.CharField(max_length=10, choices=LevelShown.choices, blank=True, default="")
    strengths = models.TextField(blank=True, default="")
    improvements = models.TextField(blank=True, default="")
    # Raised on every save; a save that names an older revision came from a stale tab.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FeedbackStatus.values), name="feedback_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(recommendation="") | Q(recommendation__in=Recommendation.values),
                name="feedback_recommendation_valid",
            ),
            models.CheckConstraint(
                condition=Q(level="") | Q(level__in=LevelShown.values), name="feedback_level_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=FeedbackStatus.DRAFT, submitted_at__isnull=True)
                    | (
                        Q(status=FeedbackStatus.SUBMITTED, submitted_at__isnull=False)
                        & ~Q(recommendation="")
                        & ~Q(level="")
                    )
                ),
                name="feedback_submitted_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback on session {self.session_id} ({self.status})"

    @property
    def is_submitted(self) -> bool:
        return self.status == FeedbackStatus.SUBMITTED


class CriterionScore(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "criterion"], name="criterion_score_once_per_feedback"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE),
                name="criterion_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class PhaseNote(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="phase_notes")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    prodding = models.CharField(max_length=10, choices=Prodding.choices, blank=True, default="")
    notes = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "phase"], name="phase_note_once_per_phase"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="phase_note_phase"),
            models.CheckConstraint(
                condition=Q(prodding="") | Q(prodding__in=Prodding.values),
                name="phase_note_prodding_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase}: {self.prodding or 'prodding not set'}"


# The self-assessment field of each phase, by phase slug.
SELF_ASSESSMENT_FIELDS: dict[str, str] = {
    Phase.FUNCTIONAL_SPEC: "self_functional_spec",
    Phase.TECHNICAL_SPEC: "self_technical_spec",
    Phase.GOING_DEEP: "self_going_deep",
    Phase.EXTRA_MILE: "self_extra_mile",
    Phase.COMMUNICATION: "self_communication",
}


def _self_score(phase: str) -> models.PositiveSmallIntegerField:
    # Empty when the review came after the feedback was revealed: a self-assessment made
    # after reading the scores would measure nothing (SPEC §7).
    return models.PositiveSmallIntegerField(f"self-assessment, {phase}", null=True, blank=True)


class Review(models.Model):
    """The candidate's side: the interviewer's rating and their own score per phase, once.

    The self-assessment is all five phases or none (a review sent after the reveal).
    """

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="review")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, default="")
    would_practise_again = models.BooleanField()
    # The candidate's consent to show the comment, without their name, on the interviewer's
    # public profile. Off unless they tick it: a comment is written for the interviewer.
    share_comment = models.BooleanField(default=False)
    self_functional_spec = _self_score("Functional Spec")
    self_technical_spec = _self_score("Technical Spec")
    self_going_deep = _self_score("Going Deep")
    self_extra_mile = _self_score("Extra Mile")
    self_communication = _self_score("Communication")
    created_at = models.DateTimeField(default=timezone.now)

    SELF_FIELDS: ClassVar[dict[str, str]] = SELF_ASSESSMENT_FIELDS

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=MIN_RATING, rating__lte=MAX_RATING),
                name="review_rating_range",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": MIN_SCORE, f"{field}__lte": MAX_SCORE}),
                    name=f"review_{field}_range",
                )
                for field in SELF_ASSESSMENT_FIELDS.values()
            ),
            models.CheckConstraint(
                condition=Q(
                    **{f"{field}__isnull": False for field in SELF_ASSESSMENT_FIELDS.values()}
                )
                | Q(**{f"{field}__isnull": True for field in SELF_ASSESSMENT_FIELDS.values()}),
                name="review_self_assessment_all_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of session {self.session_id}: {self.rating}/5"

    @property
    def self_assessment(self) -> dict[str, int]:
        """Phase slug to score; empty when the candidate gave none."""
        scores = {str(phase): getattr(self, field) for phase, field in self.SELF_FIELDS.items()}
        return {phase: score for phase, score in scores.items() if score is not None}
