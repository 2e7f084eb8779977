"""Reads of the outbox for the pages."""

from __future__ import annotations

from django.db.models import QuerySet

from interviews.models import Session
from notifications.models import Notification


def notifications_for_session(*, session: Session) -> QuerySet[Notification]:
    """Every email about the session, to either person, in the order they are due."""
    return (
        Notification.objects.filter(session=session)
        .select_related("recipient")
        .order_by("due_at", "kind", "recipient__email")
    )
