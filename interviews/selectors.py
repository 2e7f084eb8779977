"""Reading sessions: every session a user asks for comes through `get_session_for_user`."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from interviews.models import Session, SessionStatus


def sessions_of(*, user: User) -> QuerySet[Session]:
    """Sessions where the user is either side, with what a page or the API shows of them."""
    return (
        Session.objects.filter(Q(interviewer=user) | Q(candidate=user))
        .select_related("interviewer", "candidate", "question", "feedback", "review")
        .prefetch_related("question__skill_areas", "question__follow_ups")
    )


def get_session_for_user(*, user: User, session_id: int) -> Session:
    """One of the user's sessions; anyone else's, or none, is a 404 (no existence leak)."""
    session = sessions_of(user=user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def upcoming_sessions(*, user: User, now: datetime) -> QuerySet[Session]:
    """Scheduled sessions not yet over, soonest first."""
    return (
        sessions_of(user=user)
        .filter(status=SessionStatus.SCHEDULED, end__gt=now)
        .order_by("start", "pk")
    )


def past_sessions(*, user: User, now: datetime) -> QuerySet[Session]:
    """Everything else: ended, cancelled, completed or missed, latest first."""
    return (
        sessions_of(user=user)
        .exclude(status=SessionStatus.SCHEDULED, end__gt=now)
        .order_by("-start", "-pk")
    )


def late_cancel_count(*, user: User) -> int:
    return Session.objects.filter(cancelled_by=user, late_cancel=True).count()


def upcoming_bookings_count(*, candidate: User, now: datetime) -> int:
    """The candidate's sessions that count towards the upcoming limit (as `_facts` counts)."""
    return Session.objects.filter(
        candidate=candidate, status=SessionStatus.SCHEDULED, end__gt=now
    ).count()
