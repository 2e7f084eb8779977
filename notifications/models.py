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
    WEEKLY_DIGEST = "weekly-digest", "Weekly study plan digest"
    VETTING_DECISION = "vetting-decision", "Interviewer vetting decision"
    ACCOUNT = "account", "Account email (verification, password reset)"


# Never optional: what changes a booking or an account is sent whatever the preferences
# say (SPEC §9: "except confirmations and cancellations").
ALWAYS_SENT = frozenset(
    {
        Kind.BOOKING_CONFIRMED,
        Kind.SESSION_CANCELLED,
        Kind.SESSION_MOVED,
        Kind.VETTING_DECISION,
        Kind.ACCOUNT,
    }
)
OPTIONAL = tuple(kind for kind in Kind if kind not in ALWAYS_SENT)


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
    # Empty only for account mail to an address no account has (a password reset asked
    # for an unknown email); `address` then says where it goes.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Where to send when not the recipient's own address (an email change being verified).
    address = models.EmailField(blank=True)
    session = models.ForeignKey(
        "interviews.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    due_at = models.DateTimeField()
    # What the email needs that no other row holds: account mail is rendered by allauth
    # when asked for and kept here until sent (then cleared: it holds one-time links).
    payload = models.JSONField(default=dict, blank=True)
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
            # The dispatcher's scan: due rows only, in its order (due_at, then id), so a
            # page of 50 is read off the index even when thousands share one due time.
            models.Index(
                fields=["due_at", "id"], condition=Q(state="pending"), name="notification_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_address} ({self.state})"

    @property
    def to_address(self) -> str:
        if self.address:
            return self.address
        return self.recipient.email if self.recipient else ""


class OptOut(models.Model):
    """A person does not want one optional kind of email (never one of `ALWAYS_SENT`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=30, choices=[(k.value, k.label) for k in OPTIONAL])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="opt_out_once_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in OPTIONAL]), name="opt_out_kind_optional"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} opted out of {self.kind}"
