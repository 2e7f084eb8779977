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


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    key: str,
    due_at: datetime,
    session: Session | None = None,
    now: datetime | None = None,
    skip_note: str = "",
) -> list[Notification]:
    """Add one row per recipient unless (key, kind, recipient) already has one.

    Call inside the transaction that makes the change. With `skip_note`, the rows are
    written already skipped (the session page says why nothing was sent).
    """
    now = now or timezone.now()
    rows = [
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
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if kind in URGENT and not skip_note:
        _dispatch_on_commit(key=key, kind=kind)
    return rows


def schedule_session(*, session: Session, now: datetime, tell: Iterable[User], kind: str) -> None:
    """A new (or moved-to) session: tell `tell` now, and remind both people before the start.

    One INSERT for every row: this runs inside the booking's locked transaction.
    """
    key = session_key(session)
    rows = [
        Notification(key=key, kind=kind, recipient=person, session=session, due_at=now)
        for person in tell
    ]
    for reminder, before in REMINDERS:
        due = reminder_due(start=session.start, before=before)
        # Booked inside the reminder's window: a reminder sent late is noise.
        late = due <= now
        rows += [
            Notification(
                key=key,
                kind=reminder,
                recipient=person,
                session=session,
                due_at=due,
                state=State.SKIPPED if late else State.PENDING,
                note="Booked after this reminder's moment." if late else "",
                created_at=now,
            )
            for person in (session.candidate, session.interviewer)
        ]
    # After the end: the interviewer's feedback (due, then still missing a day later) and
    # the candidate's review. The sender skips them if the session was not held or the
    # thing asked for is already done.
    rows += [
        Notification(
            key=key,
            kind=Kind.FEEDBACK_DUE,
            recipient=session.interviewer,
            session=session,
            due_at=session.end,
        ),
        Notification(
            key=key,
            kind=Kind.FEEDBACK_OVERDUE,
            recipient=session.interviewer,
            session=session,
            # Feedback is due 24 hours after the end (SPEC §7): the second nudge comes then.
            due_at=feedback_due_at(session_end=session.end),
        ),
        Notification(
            key=key,
            kind=Kind.RATE_INTERVIEWER,
            recipient=session.candidate,
            session=session,
            due_at=session.end,
        ),
    ]
    for row in rows:
        row.created_at = now
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
