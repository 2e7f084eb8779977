"""Sending what is due, exactly once per row (SPEC §9).

Due rows are read a page at a time; each is then claimed in its own transaction with
`SELECT ... FOR UPDATE SKIP LOCKED` (and only while it is still pending and due), sent
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

from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import InterviewerProfile
from interviews.models import Feedback, FeedbackStatus, Review, Session, SessionStatus
from notifications.emails import build_message
from notifications.models import Kind, Notification, State
from notifications.selectors import opted_out

logger = logging.getLogger(__name__)

TIME_BUDGET = timedelta(seconds=50)
# Rows read at a time. Each is still claimed, sent and committed on its own; what a page
# read may miss in its fraction of a second (a kind turned off, a session cancelled
# without voiding its rows) is at worst one email that was already due.
PAGE = 50
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
    mailer = _Mailer()
    try:
        while time.monotonic() < deadline:
            moment = now or timezone.now()
            page = _due_page(now=moment, key=key, kind=kind)
            outcomes = [
                _send_one(row, now=moment, mailer=mailer)
                for row in page
                if time.monotonic() < deadline
            ]
            sent += outcomes.count(True)
            if len(page) < PAGE or outcomes.count(None) == len(outcomes):
                # All done, or every row of the page is another dispatcher's to send.
                break
    finally:
        mailer.close()
    return sent


def _due(*, now: datetime, key: str | None, kind: str | None) -> QuerySet[Notification]:
    due = Notification.objects.filter(state=State.PENDING, due_at__lte=now).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    return due if key is None else due.filter(key=key, kind=kind)


def _due_page(*, now: datetime, key: str | None, kind: str | None) -> list[Notification]:
    """The next due rows with what their emails need, in one query and without locks: each
    is claimed on its own before it is sent. Reading them one by one instead would build
    and run this join for every email, the larger part of the dispatcher's time."""
    rows = (
        _due(now=now, key=key, kind=kind)
        .select_related("recipient", "session__candidate", "session__interviewer")
        .annotate(opted_out=opted_out())
        .order_by("due_at", "pk")
    )
    return list(rows[:PAGE])


class _Mailer:
    """One connection to the mail server for a whole run (over SMTP: one connect, STARTTLS
    and login, not one per email), opened by the first send. A failed send closes it, so
    the next row starts on a fresh connection."""

    def __init__(self) -> None:
        self._backend: BaseEmailBackend | None = None

    def send(self, message: EmailMessage) -> None:
        if self._backend is None:
            backend = mailers.default
            backend.open()
            self._backend = backend
        try:
            self._backend.send_messages([message])
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        backend, self._backend = self._backend, None
        if backend is None:
            return
        try:
            backend.close()
        except Exception:  # the server hung up first: nothing is left to close
            logger.warning("Closing the mail connection failed", exc_info=True)


def _send_one(row: Notification, *, now: datetime, mailer: _Mailer) -> bool | None:
    """One row: True sent, False skipped or failed, None when another dispatcher has it
    (or sent it since the page was read)."""
    with transaction.atomic():
        # The claim: lock this row unless another dispatcher holds it, then check under
        # the lock that it is still due (another may have sent it since the page was
        # read). A lookup by primary key keeps the locking query as cheap as it gets.
        locked = (
            Notification.objects.filter(pk=row.pk)
            .select_for_update(skip_locked=True)
            .values_list("state", "due_at", "next_attempt_at", "attempts")
            .order_by()
            .first()
        )
        if locked is None or not _still_due(*locked[:3], now=now):
            return None
        row.attempts = locked[3]
        reason = why_not(row, now=now)
        if reason:
            row.state, row.note = State.SKIPPED, reason
            row.save(update_fields=["state", "note"])
            return False
        row.attempts += 1
        try:
            mailer.send(build_message(row))
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


def _still_due(
    state: str, due_at: datetime, next_attempt_at: datetime | None, *, now: datetime
) -> bool:
    """`_due`'s rule for one row already read (under its lock)."""
    waiting = next_attempt_at is None or next_attempt_at <= now
    return state == State.PENDING and due_at <= now and waiting


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
