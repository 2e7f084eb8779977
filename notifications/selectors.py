"""Reads of the outbox for the pages."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from interviews.models import Session
from notifications.models import OPTIONAL, Kind, Notification, OptOut, State

REMINDER_WORDS = ((Kind.REMINDER_24H, "24 hours"), (Kind.REMINDER_1H, "1 hour"))


def opted_out() -> Exists:
    """Annotation: the row's recipient turned its kind off. Read with the row rather than
    in a query of its own, and at send time, so turning a kind off also stops what is
    already queued."""
    return Exists(
        OptOut.objects.filter(user=OuterRef("recipient"), kind=OuterRef("kind")).filter(
            kind__in=OPTIONAL
        )
    )


def notifications_for_session(*, session: Session) -> QuerySet[Notification]:
    """Every email about the session, to either person, in the order they are due."""
    return (
        Notification.objects.filter(session=session)
        .annotate(opted_out=opted_out())
        .select_related("recipient")
        .order_by("due_at", "kind", "recipient__email")
    )


def reminders_coming(*, session: Session, user: User) -> list[str]:
    """ "24 hours", "1 hour": the reminders this person will really get, so a page or an
    email promises nothing skipped at booking (its moment had passed) or turned off."""
    coming = (
        Notification.objects.filter(session=session, recipient=user, state=State.PENDING)
        .annotate(turned_off=opted_out())
        .filter(turned_off=False)
    )
    kinds = set(coming.values_list("kind", flat=True))
    return [words for kind, words in REMINDER_WORDS if kind in kinds]
