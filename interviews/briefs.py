"""The candidate's brief for their interviewer: what they aim for and where they are weak.

The interviewer rates the level demonstrated and picks what to probe; without the
candidate's target level, goal and focus areas they would judge blind. Shown to the
session's interviewer only (the session page and the feedback form check that first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accounts.models import CandidateProfile, User
from studyplans.selectors import area_names, weakest_areas_for


@dataclass(frozen=True)
class CandidateBrief:
    target_level: str
    goal: str
    focus: list[str]
    # From the study plan's ranking, measured areas only: the focus areas are listed above,
    # and an area the candidate merely chose is no evidence of weakness.
    weakest: list[str]


def candidate_brief(*, candidate: User, now: datetime) -> CandidateBrief | None:
    """None for a candidate without a candidate profile (it was deleted since booking)."""
    profile = (
        CandidateProfile.objects.filter(user=candidate).prefetch_related("focus_areas").first()
    )
    if profile is None:
        return None
    weakest = weakest_areas_for(candidate=candidate, now=now, measured_only=True)
    names = area_names() if weakest else {}
    return CandidateBrief(
        target_level=profile.get_target_level_display(),
        goal=profile.goal,
        focus=[area.name for area in profile.focus_areas.all()],
        weakest=[names.get(slug, slug) for slug in weakest],
    )
