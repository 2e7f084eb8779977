from __future__ import annotations

from datetime import time
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.timezones import validate_time_zone
from config import timefmt

MAX_YEARS_EXPERIENCE = 60
MIN_INTERVIEWER_YEARS = 5
MAX_WEEKLY_CAPACITY = 20


class SkillArea(models.Model):
    """One of the twelve areas of SPEC §3. The slugs are part of the API."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: logs in by email; holds a candidate profile, an interviewer one, or both."""

    email = models.EmailField(max_length=254, unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    years_experience = models.PositiveSmallIntegerField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_YEARS_EXPERIENCE)],
    )
    # The hours, in their own zone, whose slots they are offered first (SPEC §1); the
    # rest of the day is still bookable, behind a "show times outside" disclosure.
    waking_hours_start = models.TimeField(default=time(8, 0))
    waking_hours_end = models.TimeField(
        default=time(22, 0), help_text="23:59 means midnight, the end of the day."
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            # Emails are compared case-insensitively everywhere; the database agrees.
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(years_experience__lte=MAX_YEARS_EXPERIENCE),
                name="user_years_experience_range",
            ),
            models.CheckConstraint(
                condition=models.Q(waking_hours_start__lt=models.F("waking_hours_end")),
                name="user_waking_hours_start_before_end",
                violation_error_message="End your waking hours after they start.",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._password_changed = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if getattr(self, "_password_changed", False):
            # Whoever changed it (the person, a reset link, staff in the admin after a
            # leak, `manage.py changepassword`), API tokens issued under the old password
            # stop working now. Here, because every one of those paths ends in this save.
            self._password_changed = False
            from accounts.tokens import revoke_token  # tokens imports this module

            revoke_token(user=self)

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def is_candidate(self) -> bool:
        return hasattr(self, "candidate_profile")

    @property
    def is_interviewer(self) -> bool:
        return hasattr(self, "interviewer_profile")


class CandidateLevel(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid"
    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff"


class CandidateProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="candidate_profile")
    target_level = models.CharField(max_length=10, choices=CandidateLevel.choices)
    focus_areas = models.ManyToManyField(SkillArea, related_name="+", blank=True)
    goal = models.CharField(max_length=140, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_level__in=CandidateLevel.values),
                name="candidate_target_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Candidate {self.user}"


class InterviewerLevel(models.TextChoices):
    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff"
    PRINCIPAL = "principal", "Principal"


class VettingStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class InterviewerProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="interviewer_profile")
    level = models.CharField(max_length=10, choices=InterviewerLevel.choices)
    expertise = models.ManyToManyField(SkillArea, related_name="+", blank=True)
    bio = models.TextField(max_length=2000)
    weekly_capacity = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKLY_CAPACITY)]
    )
    meeting_url = models.URLField(blank=True)
    status = models.CharField(
        max_length=10, choices=VettingStatus.choices, default=VettingStatus.PENDING
    )
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Candidates' reviews, summed as they arrive (interviews.feedback.submit_review, in the
    # review's own transaction; reviews never change). Matching ranks 10,000 interviewers
    # by a bound that includes the rating: a column costs nothing there, a per-row
    # aggregate over reviews would.
    review_count = models.PositiveIntegerField(default=0, editable=False)
    review_stars = models.PositiveIntegerField(default=0, editable=False)
    # The expertise slugs as ",caching,concurrency,", kept in step with `expertise` by
    # accounts.expertise: matching counts overlaps in the scan that ranks, with no join.
    expertise_slugs = models.CharField(max_length=1000, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_stars__gte=models.F("review_count"))
                & models.Q(review_stars__lte=5 * models.F("review_count")),
                name="interviewer_review_stars_match_count",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=InterviewerLevel.values),
                name="interviewer_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    weekly_capacity__gte=1, weekly_capacity__lte=MAX_WEEKLY_CAPACITY
                ),
                name="interviewer_weekly_capacity_range",
            ),
            # The interviewer always learns why they were turned down.
            models.CheckConstraint(
                condition=~models.Q(status=VettingStatus.REJECTED) | ~models.Q(decision_reason=""),
                name="interviewer_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Interviewer {self.user}"

    @property
    def is_approved(self) -> bool:
        return self.status == VettingStatus.APPROVED


class VettingDecision(models.Model):
    """One staff decision on an interviewer profile, kept after the next one replaces it.

    The profile holds only the decision that stands; a profile comes back to the queue when
    its level or expertise changes, and whoever reviews it then needs to know what was
    decided before, by whom and why.
    """

    profile = models.ForeignKey(
        InterviewerProfile, on_delete=models.CASCADE, related_name="decisions"
    )
    # Kept when the staff account goes: the decision still happened.
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=VettingStatus.choices)
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            # A decision approves or rejects; "pending" is where a profile waits, not a verdict.
            models.CheckConstraint(
                condition=models.Q(status__in=[VettingStatus.APPROVED, VettingStatus.REJECTED]),
                name="vetting_decision_is_a_verdict",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=VettingStatus.REJECTED) | ~models.Q(reason=""),
                name="vetting_decision_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["profile", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.profile.user}, {timefmt.full(self.decided_at)}"
