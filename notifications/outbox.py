"""Writing the outbox: `notify` and the session's schedule (SPEC §9).

Other apps call these inside their own transaction, so a notification exists exactly when
the change that causes it commits: a rolled-back booking leaves no row, hence no email.

"24 hours before" is 24 elapsed hours before the start (UTC arithmetic), not "the same
wall-clock time the day before": across a daylight-saving change the reminder still comes
a full day ahead, and its text gives the start in the reader's own zone. So a New York
session at 10:00 on the Sunday clocks go forward is reminded at 09:00 local on Saturday.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews.feedback import feedback_due_at
from interviews.models import Session
from notifications.models import Kind, Notification, State

logger = logging.getLogger(__name__)

REMINDERS: tuple[tuple[str, timedelta], ...] = (
    (Kind.REMINDER_24H, timedelta(hours=24)),
    (Kind.REMINDER_1H, timedelta(hours=1)),
)
# People wait for these: a task sent on commit delivers them in seconds; the minute beat
# is the safety net.
URGENT = frozenset({Kind.BOOKING_CONFIRMED, Kind.SESSION_CANCELLED, Kind.SESSION_MOVED})


def session_key(session: Session) -> str:
    return f"session:{session.pk}"


def reminder_due(*, start: datetime, before: timedelta) -> datetime:
    """When a reminder `before` the start is due: elapsed time, see the module's docstring.

    In UTC: subtracting from a zoned datetime would move the wall clock instead, an hour
    off across a daylight-saving change.
    """
    return start.astimezone(UTC) - before


def _rows(
    *,
    kind: str,
    recipients: Iterable[User],
    key: str,
    due_at: datetime,
    session: Session | None,
    now: datetime,
    skip_note: str = "",
) -> list[Notification]:
    """Unsaved rows, one per recipient; with `skip_note`, written already skipped (the
    session page says why nothing was sent)."""
    return [
        Notification(
            key=key,
            kind=kind,
            recipient=person,
            session=session,
            due_at=due_at,
            state=State.SKIPPED if skip_note else State.PENDING,
            note=skip_note,
            created_at=now,
        )
        for person in recipients
    ]


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    key: str,
    due_at: datetime,
    session: Session | None = None,
    now: datetime | None = None,
) -> None:
    """Add one row per recipient unless (key, kind, recipient) already has one.

    Call inside the transaction that makes the change.
    """
    rows = _rows(
        kind=kind,
        recipients=recipients,
        key=key,
        due_at=due_at,
        session=session,
        now=now or timezone.now(),
    )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if kind in URGENT:
        _dispatch_on_commit(key=key, kind=kind)


def schedule_session(*, session: Session, now: datetime, tell: Iterable[User], kind: str) -> None:
    """A new (or moved-to) session: tell `tell` now, remind both people before the start,
    and after the end ask the interviewer for feedback (due, then still missing a day
    later) and the candidate for a review. The sender skips those if the session was not
    held or the thing asked for is already done.

    One INSERT for every row: this runs inside the booking's locked transaction.
    """
    both = (session.candidate, session.interviewer)
    key = session_key(session)
    rows_of = partial(_rows, key=key, session=session, now=now)
    rows = rows_of(kind=kind, recipients=tell, due_at=now)
    for reminder, before in REMINDERS:
        due = reminder_due(start=session.start, before=before)
        # Booked inside the reminder's window: a reminder sent late is noise.
        note = "Booked after this reminder's moment." if due <= now else ""
        rows += rows_of(kind=reminder, recipients=both, due_at=due, skip_note=note)
    interviewer, candidate = [session.interviewer], [session.candidate]
    rows += rows_of(kind=Kind.FEEDBACK_DUE, recipients=interviewer, due_at=session.end)
    # Feedback is due 24 hours after the end (SPEC §7): the second nudge comes then.
    overdue = feedback_due_at(session_end=session.end)
    rows += rows_of(kind=Kind.FEEDBACK_OVERDUE, recipients=interviewer, due_at=overdue)
    rows += rows_of(kind=Kind.RATE_INTERVIEWER, recipients=candidate, due_at=session.end)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    _dispatch_on_commit(key=key, kind=kind)


def feedback_available(*, session: Session, visible_at: datetime, now: datetime) -> None:
    """The candidate is told when the reveal opens: at `visible_at`, or sooner if a later
    call (the review that reveals it at once) brings it forward. Never twice."""
    notify(
        kind=Kind.FEEDBACK_AVAILABLE,
        recipients=[session.candidate],
        key=session_key(session),
        due_at=visible_at,
        session=session,
        now=now,
    )
    Notification.objects.filter(
        key=session_key(session),
        kind=Kind.FEEDBACK_AVAILABLE,
        recipient=session.candidate,
        state=State.PENDING,
        due_at__gt=visible_at,
    ).update(due_at=visible_at)


def void_pending(*, session: Session, note: str) -> int:
    """A cancelled or moved session: what is still due about it is never sent (the
    cancellation or move itself excepted)."""
    return (
        Notification.objects.filter(session=session, state=State.PENDING)
        .exclude(kind__in=[Kind.SESSION_CANCELLED, Kind.SESSION_MOVED])
        .update(state=State.VOID, note=note)
    )


def _dispatch_on_commit(*, key: str, kind: str) -> None:
    def send() -> None:
        # Imported here: the tasks import the dispatcher, which renders sessions' emails.
        from notifications.tasks import dispatch_key

        try:
            dispatch_key.delay(key, kind)
        except Exception:
            # The broker is down: the minute beat sends it instead, once.
            logger.warning("Could not queue %s for %s", kind, key, exc_info=True)

    transaction.on_commit(send)
