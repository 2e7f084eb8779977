"""A session's notifications: confirmation, reminders and the nudges after it (SPEC §9).

"24 hours before" is 24 elapsed hours before the start (UTC arithmetic), not "the same
wall-clock time the day before": across a daylight-saving change the reminder still comes
a full day ahead, and its text gives the start in the reader's own zone. So a New York
session at 10:00 on the Sunday clocks go forward is reminded at 09:00 local on Saturday.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import partial

from accounts.models import User
from interviews.feedback import feedback_due_at
from interviews.models import Session
from notifications.models import Kind, Notification, State
from notifications.outbox import notify, rows, save

REMINDERS: tuple[tuple[str, timedelta], ...] = (
    (Kind.REMINDER_24H, timedelta(hours=24)),
    (Kind.REMINDER_1H, timedelta(hours=1)),
)


def session_key(session: Session) -> str:
    return f"session:{session.pk}"


def reminder_due(*, start: datetime, before: timedelta) -> datetime:
    """When a reminder `before` the start is due: elapsed time, see the module's docstring.

    In UTC: subtracting from a zoned datetime would move the wall clock instead, an hour
    off across a daylight-saving change.
    """
    return start.astimezone(UTC) - before


def schedule_session(*, session: Session, now: datetime, tell: Iterable[User], kind: str) -> None:
    """A new (or moved-to) session: tell `tell` now, remind both people before the start,
    and after the end ask the interviewer for feedback (due, then still missing a day
    later) and the candidate for a review. The sender skips those if the session was not
    held or the thing asked for is already done.

    One INSERT for every row: this runs inside the booking's locked transaction.
    """
    both = (session.candidate, session.interviewer)
    rows_of = partial(rows, key=session_key(session), session=session, now=now)
    new_rows = rows_of(kind=kind, recipients=tell, due_at=now)
    for reminder, before in REMINDERS:
        due = reminder_due(start=session.start, before=before)
        # Booked inside the reminder's window: a reminder sent late is noise.
        note = "Booked after this reminder's moment." if due <= now else ""
        new_rows += rows_of(kind=reminder, recipients=both, due_at=due, skip_note=note)
    interviewer, candidate = [session.interviewer], [session.candidate]
    new_rows += rows_of(kind=Kind.FEEDBACK_DUE, recipients=interviewer, due_at=session.end)
    # Feedback is due 24 hours after the end (SPEC §7): the second nudge comes then.
    overdue = feedback_due_at(session_end=session.end)
    new_rows += rows_of(kind=Kind.FEEDBACK_OVERDUE, recipients=interviewer, due_at=overdue)
    new_rows += rows_of(kind=Kind.RATE_INTERVIEWER, recipients=candidate, due_at=session.end)
    save(new_rows)


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
