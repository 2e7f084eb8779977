"""Choosing the question for a booking from the bank (SPEC §6).

The rule: never a question this candidate has had before (in any session, whatever its
state, so a cancelled booking does not hand the same prompt back for the retry), and among
the rest the one covering most of the candidate's weakest areas; ties go to the question
used least overall (spreading the bank), then to the lowest id, so the choice is
deterministic. When the candidate has had every active question, there is none: the
session is booked without one and the interviewer brings their own (the session page says
so), because refusing the booking would punish the most diligent candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from interviews.models import Question, Session


def weakest_areas_for(*, candidate: User) -> list[str]:
    """The candidate's weakest skill areas, as slugs.

    Until interview feedback exists (issue 4) the candidate's own focus areas stand in for
    the weakest ones; feedback-based weakness scores replace this function's body later.
    """
    if not candidate.is_candidate:
        return []
    return list(candidate.candidate_profile.focus_areas.values_list("slug", flat=True))


def pick_question(*, candidate: User, weakest_areas: Sequence[str]) -> Question | None:
    """The best unseen active question for these areas (one query), or None."""
    had = Session.objects.filter(candidate=candidate, question__isnull=False).values("question_id")
    # A subquery, not a second join: joining sessions beside skill areas would multiply the
    # rows by every session ever booked. The count walks the question_id index.
    used = (
        Session.objects.filter(question=OuterRef("pk"))
        .order_by()
        .values("question")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Question.objects.filter(is_active=True)
        .exclude(pk__in=had)
        .annotate(
            overlap=Count("skill_areas", filter=Q(skill_areas__slug__in=list(weakest_areas))),
            used=Coalesce(Subquery(used), 0),
        )
        .order_by("-overlap", "used", "pk")
        .first()
    )
