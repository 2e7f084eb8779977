from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    BOOKING_CONFIRMED = "booking-confirmed", "Booking confirmation"
    REMINDER_24H = "reminder-24h", "Reminder 24 hours before"
    REMINDER_1H = "reminder-1h", "Reminder 1 hour before"
    SESSION_CANCELLED = "session-cancelled", "Cancellation"
    SESSION_MOVED = "session-moved", "Reschedule"
    FEEDBACK_DUE = "feedback-due", "Feedback due"
    FEEDBACK_OVERDUE = "feedback-overdue", "Feedback still missing after 24 hours"
    RATE_INTERVIEWER = "rate-interviewer", "Rate your interviewer"
    FEEDBACK_AVAILABLE = "feedback-available", "Feedback available"


class State(models.TextChoices):
    PENDING = "pending", "Due"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"
    VOID = "void", "Void"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One email to one person, due at one moment: the outbox row (SPEC §9).

    The row, not a broker ETA, is the schedule. `key` names what the notification is about
    ("session:12"); one row per (key, kind, recipient), so however often a change is
    replayed, a task redelivered or two dispatchers run, there is one email to send.
    """

    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    session = models.ForeignKey(
        "interviews.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # Why a row was skipped or voided, in words the session page shows.
    note = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "kind", "recipient"], name="notification_once_per_key"
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="notification_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=State.SENT) | Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
        ]
        indexes = [
            # The dispatcher's scan: due rows only, oldest first.
            models.Index(fields=["due_at"], condition=Q(state="pending"), name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_id} ({self.state})"
