from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone

from accounts.models import SkillArea

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
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


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
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} {self.start:%Y-%m-%d %H:%M} UTC"

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
