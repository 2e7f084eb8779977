"""Sending what is due, exactly once per row (SPEC §9).

Each row is claimed in its own transaction with `SELECT ... FOR UPDATE SKIP LOCKED`, sent
while the lock is held, and marked sent before the commit releases it. So two dispatchers
(two beats, the beat and a task sent on commit, a redelivered task) never take the same
row: the second skips it while it is locked and finds it sent afterwards. A worker that
dies mid-send rolls its transaction back and the row is due again: it is never lost. The
one window left, a mail server that took the message just before the worker died, resends
under the same Message-ID. SQLite has no row locks; its transactions take the database's
write lock at BEGIN (settings: IMMEDIATE), which serialises dispatchers the same way.

"Due" is decided with the application's clock (`now` passed in), never the database's.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import InterviewerProfile
from interviews.models import Feedback, FeedbackStatus, Review, Session, SessionStatus
from notifications.emails import build_message
from notifications.models import Kind, Notification, State
from notifications.selectors import opted_out

logger = logging.getLogger(__name__)

TIME_BUDGET = timedelta(seconds=50)
# After the 1st, 2nd, ... failed try; the last failure marks the row failed for staff.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
REMINDER_KINDS = frozenset({Kind.REMINDER_24H, Kind.REMINDER_1H})
# A nudge about a past session that could not go out for two days is news no more.
STALE_AFTER = timedelta(days=2)
HELD_UP = "Its moment passed while sending was held up."
# A Monday-morning digest that could not go out by noon waits for next Monday's.
DIGEST_STALE_AFTER = timedelta(hours=4)


def dispatch_due(
    *, now: datetime | None = None, key: str | None = None, kind: str | None = None
) -> int:
    """Send due rows (only those of `key` and `kind` when given); returns how many were sent.

    Runs until nothing is due or `TIME_BUDGET` is spent, so one run of the minute beat
    drains a backlog of thousands and still ends before the next run starts (which would
    only skip the rows this one holds anyway).
    """
    sent = 0
    deadline = time.monotonic() + TIME_BUDGET.total_seconds()
    while time.monotonic() < deadline:
        outcome = _send_one(now=now or timezone.now(), key=key, kind=kind)
        if outcome is None:
            break
        sent += outcome
    return sent


def _send_one(*, now: datetime, key: str | None, kind: str | None) -> bool | None:
    """One row: True sent, False skipped or failed, None when nothing is due."""
    with transaction.atomic():
        due = Notification.objects.filter(state=State.PENDING, due_at__lte=now).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )
        if key is not None:
            due = due.filter(key=key, kind=kind)
        # Lock the next row alone (the partial index on (due_at, id) finds it at once),
        # then read what the email needs: locking through the joins would make the
        # database join and sort every due row to hand over one.
        claimed = (
            due.select_for_update(skip_locked=True)
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if claimed is None:
            return None
        row = (
            Notification.objects.select_related(
                "recipient", "session__candidate", "session__interviewer"
            )
            .annotate(opted_out=opted_out())
            .get(pk=claimed)
        )
        reason = why_not(row, now=now)
        if reason:
            row.state, row.note = State.SKIPPED, reason
            row.save(update_fields=["state", "note"])
            return False
        row.attempts += 1
        try:
            build_message(row).send()
        except Exception as error:  # the mail server refused or timed out: retry later
            logger.warning("Sending notification %s failed", row.pk, exc_info=True)
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.state = State.FAILED
            else:
                row.next_attempt_at = now + BACKOFF[row.attempts - 1]
            row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            return False
        row.state, row.sent_at = State.SENT, now
        if row.kind == Kind.ACCOUNT:
            # The rendered mail holds one-time links (a password reset): not kept once sent.
            row.payload = {}
        row.save(update_fields=["state", "sent_at", "attempts", "payload"])
        return True


def why_not(row: Notification, *, now: datetime) -> str:
    """The sender's last look: a reason to skip the row, or ""."""
    if getattr(row, "opted_out", False):
        return "Turned off in the email settings."
    if row.kind == Kind.VETTING_DECISION:
        return _vetting_why_not(row)
    if row.kind == Kind.WEEKLY_DIGEST and now - row.due_at > DIGEST_STALE_AFTER:
        return HELD_UP
    session = row.session
    if session is None or row.kind in (Kind.SESSION_CANCELLED, Kind.SESSION_MOVED):
        return ""
    if session.status == SessionStatus.CANCELLED:
        moved = Session.objects.filter(rescheduled_from=session).exists()
        return "The session was moved." if moved else "The session was cancelled."
    if row.kind in REMINDER_KINDS:
        if now >= session.start:
            return "The session had started."
        if now - row.due_at > (session.start - row.due_at) / 2:
            # Sending was held up (a backlog, the beat down): half the notice is gone, and
            # the next reminder, or the session itself, is close.
            return HELD_UP
        return ""
    if row.kind == Kind.BOOKING_CONFIRMED:
        return ""
    # After the session: feedback, review and report nudges.
    if now - row.due_at > STALE_AFTER:
        return HELD_UP
    if session.status == SessionStatus.NO_SHOW:
        return "The session did not take place."
    feedback_kinds = (Kind.FEEDBACK_DUE, Kind.FEEDBACK_OVERDUE)
    submitted = Feedback.objects.filter(session=session, status=FeedbackStatus.SUBMITTED)
    if row.kind in feedback_kinds and submitted.exists():
        return "The feedback was already submitted."
    if row.kind == Kind.RATE_INTERVIEWER and Review.objects.filter(session=session).exists():
        return "The review was already given."
    return ""


def _vetting_why_not(row: Notification) -> str:
    # The key names the decision (its time); staff may have changed their mind since.
    profile = InterviewerProfile.objects.filter(user=row.recipient).first()
    if profile is None or profile.decided_at is None:
        return "The interviewer profile is gone."
    if row.payload.get("decided_at") != profile.decided_at.isoformat():
        return "A later decision replaced this one."
    return ""


def retry_now(*, ids: list[int], now: datetime | None = None) -> int:
    """Staff put failed rows back in the queue (admin action)."""
    return Notification.objects.filter(pk__in=ids, state=State.FAILED).update(
        state=State.PENDING, next_attempt_at=now or timezone.now(), attempts=0
    )
