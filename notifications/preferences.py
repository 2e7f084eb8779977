"""Who wants which optional email, and the signed one-click unsubscribe links (SPEC §9)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from notifications.models import OPTIONAL, Kind, OptOut

SALT = "notifications.unsubscribe"
# What each optional kind is, in the words of the preferences page, and who gets it.
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    Kind.REMINDER_24H: ("A reminder 24 hours before each session", "both"),
    Kind.REMINDER_1H: ("A reminder 1 hour before each session", "both"),
    Kind.FEEDBACK_DUE: ("Feedback due, when a session you ran ends", "interviewer"),
    Kind.FEEDBACK_OVERDUE: ("Feedback still missing, a day after the session", "interviewer"),
    Kind.RATE_INTERVIEWER: ("Rate your interviewer, when a session ends", "candidate"),
    Kind.FEEDBACK_AVAILABLE: ("Your feedback report is ready", "candidate"),
    Kind.WEEKLY_DIGEST: ("Your study plan for the week, Mondays at 08:00", "candidate"),
}


def always_sent_labels(user: User) -> list[str]:
    """What no setting turns off, as the settings page lists it."""
    labels = ["Booking confirmations, cancellations and moves (with the calendar file)"]
    if user.is_interviewer:
        labels.append("Decisions on your interviewer application")
    return [*labels, "Account email: verifying your address, resetting your password"]


def kinds_for(user: User) -> list[str]:
    """The optional kinds this person can receive, in the page's order."""
    roles = {"both"}
    if user.is_candidate:
        roles.add("candidate")
    if user.is_interviewer:
        roles.add("interviewer")
    return [kind for kind in OPTIONAL if DESCRIPTIONS[kind][1] in roles]


def opted_out(user: User) -> set[str]:
    return set(OptOut.objects.filter(user=user).values_list("kind", flat=True))


def set_opted_out(*, user: User, kinds: Iterable[str]) -> set[str]:
    """Replace the person's opt-outs with `kinds` (optional kinds only, checked by callers)."""
    wanted = set(kinds)
    with transaction.atomic():
        OptOut.objects.filter(user=user).exclude(kind__in=wanted).delete()
        OptOut.objects.bulk_create(
            [OptOut(user=user, kind=kind) for kind in sorted(wanted)], ignore_conflicts=True
        )
    return wanted


def opt_out(*, user_id: int, kind: str) -> None:
    OptOut.objects.bulk_create([OptOut(user_id=user_id, kind=kind)], ignore_conflicts=True)


def unsubscribe_path(*, user_id: int, kind: str) -> str:
    """A link that turns one kind off for one person without signing in: mail clients post
    to it (RFC 8058) and people click it from any device. Signed, so nobody can forge it
    for someone else; it never expires, as an unsubscribe link must keep working."""
    token = signing.dumps([user_id, kind], salt=SALT, compress=True)
    return reverse("unsubscribe", args=[token])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or kind not in OPTIONAL:
        return None
    return user_id, kind
