"""Writing the outbox: `notify`, the one way any app asks for an email (SPEC §9).

Call it inside the transaction that makes the change, so a notification exists exactly
when the change that causes it commits: a rolled-back booking leaves no row, hence no
email. The session's own schedule (reminders and nudges) is in `notifications.sessions`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import Kind, Notification, State

logger = logging.getLogger(__name__)

# People wait for these: a task sent on commit delivers them in seconds; the minute beat
# is the safety net.
URGENT = frozenset(
    {
        Kind.BOOKING_CONFIRMED,
        Kind.SESSION_CANCELLED,
        Kind.SESSION_MOVED,
        Kind.VETTING_DECISION,
        Kind.ACCOUNT,
    }
)


def rows(
    *,
    kind: str,
    recipients: Iterable[User | None],
    key: str,
    due_at: datetime,
    now: datetime,
    session: Any = None,
    skip_note: str = "",
    address: str = "",
    payload: Mapping[str, Any] | None = None,
) -> list[Notification]:
    """Unsaved rows, one per recipient; with `skip_note`, written already skipped (the
    session page says why nothing was sent)."""
    return [
        Notification(
            key=key,
            kind=kind,
            recipient=person,
            address=address,
            session=session,
            due_at=due_at,
            payload=dict(payload or {}),
            state=State.SKIPPED if skip_note else State.PENDING,
            note=skip_note,
            created_at=now,
        )
        for person in recipients
    ]


def notify(
    *,
    kind: str,
    recipients: Iterable[User | None],
    key: str,
    due_at: datetime | None = None,
    session: Any = None,
    now: datetime | None = None,
    address: str = "",
    payload: Mapping[str, Any] | None = None,
) -> None:
    """Add one row per recipient unless (key, kind, recipient) already has one; due now
    unless `due_at` says later. Call inside the transaction that makes the change."""
    now = now or timezone.now()
    save(
        rows(
            kind=kind,
            recipients=recipients,
            key=key,
            due_at=due_at or now,
            now=now,
            session=session,
            address=address,
            payload=payload,
        )
    )


def save(new_rows: list[Notification]) -> None:
    """One INSERT for all of them; the urgent kinds are dispatched once the caller commits."""
    Notification.objects.bulk_create(new_rows, ignore_conflicts=True)
    for key, kind in sorted({(row.key, row.kind) for row in new_rows if row.kind in URGENT}):
        dispatch_on_commit(key=key, kind=kind)


def dispatch_on_commit(*, key: str, kind: str) -> None:
    def send() -> None:
        # Imported here: the tasks import the dispatcher, which renders every kind's email.
        from notifications.tasks import dispatch_key

        try:
            dispatch_key.delay(key, kind)
        except Exception:
            # The broker is down: the minute beat sends it instead, once.
            logger.warning("Could not queue %s for %s", kind, key, exc_info=True)

    transaction.on_commit(send)
