"""Choosing the question for a booking from the bank (SPEC §6).

The rule: never a question this candidate has had before (in any session, whatever its
state, so a cancelled booking does not hand the same prompt back for the retry), and among
the rest the one covering most of the candidate's weakest areas. Ties are broken by a fixed
hash of (candidate, question): deterministic for one candidate, different from one candidate
to the next, so the bank is spread without counting every session ever booked (a count that
would grow with the product and sit inside the booking's locked transaction).
When the candidate has had every active question, there is none: the
session is booked without one and the interviewer brings their own (the session page says
so), because refusing the booking would punish the most diligent candidates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.db.models import Count, Q

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
    unseen = (
        Question.objects.filter(is_active=True)
        .exclude(pk__in=had)
        .annotate(overlap=Count("skill_areas", filter=Q(skill_areas__slug__in=list(weakest_areas))))
    )
    # The bank is a few dozen rows: rank them here rather than in SQL.
    return min(
        unseen,
        key=lambda question: (-question.overlap, _spread(candidate.pk, question.pk)),
        default=None,
    )


def _spread(candidate_id: int, question_id: int) -> bytes:
    # A stable, well-mixed order of the bank per candidate (not Python's salted hash()).
    return hashlib.blake2b(f"{candidate_id}:{question_id}".encode(), digest_size=8).digest()
