"""How weak a candidate is in each skill area (SPEC §8): one pure function, `rank_areas`.

Everything that needs "the weakest areas" (the study plan, the question picked at booking,
matching's "your weak areas") reads the ranking this module makes; `studyplans.planning`
stores it on the plan when the plan is (re)made.

The value of an area is on the rubric's own scale, 1 (not shown) to 4 (strong, unprompted):
lower is weaker. It comes from the first of three sources that has something to say:

1. **Interviewer scores**, from the feedback the candidate can already see (blind reveal:
   counting hidden feedback would leak it through the plan's numbers). Only the latest
   `MAX_INTERVIEWS` count. In each interview the area's score is the mean of its criteria,
   each lowered by `A_LOT_OF_PRODDING_PENALTY` (never below 1) when the interviewer recorded
   "a lot" of prodding in that criterion's phase ("some" prodding is normal and costs
   nothing, SPEC §2). The interviews are then averaged with weights halving with each
   newer interview (`RECENCY_DECAY`): the latest counts 1, the one before 0.5, then 0.25.

       value = sum(w_k * s_k) / sum(w_k),   w_k = RECENCY_DECAY ** k,
       k = 0 for the latest interview that scored the area, 1 for the one before, ...

   Worked example: concurrency scored 2 in the latest interview with a lot of prodding in
   Going Deep (2 - 0.5 = 1.5) and 2 in the one before with some prodding (2):
   (1.5 * 1 + 2 * 0.5) / (1 + 0.5) = 1.67, shown as "1.7".
2. **Self-assessment**, for areas no interviewer has scored yet: the candidate's own score
   for each phase (reviews, recency-weighted the same way) applies to the areas that the
   current rubric scores in that phase; an area in two phases takes their mean.
3. **Focus areas** the candidate chose, for areas still without a value: `FOCUS_VALUE`,
   the middle of the scale, so that a measured weakness below it comes first and a
   measured strength above it does not hide a wish to practise.

Areas with none of the three are unknown and left out. Ties break by source (scores, then
self-assessment, then focus), then by the skill areas' own order, so the ranking is
deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

MAX_INTERVIEWS = 6
RECENCY_DECAY = 0.5
A_LOT_OF_PRODDING_PENALTY = 0.5
FOCUS_VALUE = 2.5
MIN_VALUE = 1.0
WEAKEST_COUNT = 3

Source = Literal["scores", "self-assessment", "focus"]
SOURCE_ORDER: dict[str, int] = {"scores": 0, "self-assessment": 1, "focus": 2}


@dataclass(frozen=True)
class CriterionResult:
    skill_area: str
    phase: str
    score: int
    prodding: str  # "none", "some", "a-lot", or "" when the interviewer left it unset


@dataclass(frozen=True)
class InterviewScores:
    """One revealed feedback: when its session ended and every criterion's score."""

    ended_at: datetime
    results: tuple[CriterionResult, ...]


@dataclass(frozen=True)
class SelfAssessment:
    ended_at: datetime
    phases: Mapping[str, int]  # phase slug -> the candidate's own 1..4


@dataclass(frozen=True)
class AreaWeakness:
    skill_area: str
    value: float  # 1..4, lower is weaker
    source: Source
    interviews: int = 0  # how many interviews (or self-assessments) the value rests on
    phases: tuple[str, ...] = ()  # the phases the area was scored in, interview order
    prodded: int = 0  # of those interviews, how many recorded a lot of prodding for it

    def as_json(self) -> dict[str, Any]:
        return {
            "skill_area": self.skill_area,
            "value": self.value,
            "source": self.source,
            "interviews": self.interviews,
            "phases": list(self.phases),
            "prodded": self.prodded,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AreaWeakness:
        return cls(
            skill_area=str(data["skill_area"]),
            value=float(data["value"]),
            source=data["source"],
            interviews=int(data.get("interviews", 0)),
            phases=tuple(data.get("phases", ())),
            prodded=int(data.get("prodded", 0)),
        )


def recency_weighted(values_newest_first: Sequence[float]) -> float:
    weights = [RECENCY_DECAY**k for k in range(len(values_newest_first))]
    total = sum(w * v for w, v in zip(weights, values_newest_first, strict=True))
    return total / sum(weights)


def _adjusted(result: CriterionResult) -> float:
    if result.prodding == "a-lot":
        return max(MIN_VALUE, result.score - A_LOT_OF_PRODDING_PENALTY)
    return float(result.score)


def _from_scores(
    interviews: Sequence[InterviewScores], phase_order: Sequence[str]
) -> dict[str, AreaWeakness]:
    newest_first = sorted(interviews, key=lambda i: i.ended_at, reverse=True)[:MAX_INTERVIEWS]
    per_area: dict[str, list[float]] = {}
    prodded: dict[str, int] = {}
    phases: dict[str, set[str]] = {}
    for interview in newest_first:
        scores: dict[str, list[float]] = {}
        for result in interview.results:
            scores.setdefault(result.skill_area, []).append(_adjusted(result))
            phases.setdefault(result.skill_area, set()).add(result.phase)
        prodded_here = {r.skill_area for r in interview.results if r.prodding == "a-lot"}
        for area, values in scores.items():
            per_area.setdefault(area, []).append(sum(values) / len(values))
            prodded[area] = prodded.get(area, 0) + (area in prodded_here)
    order = {slug: index for index, slug in enumerate(phase_order)}
    return {
        area: AreaWeakness(
            skill_area=area,
            value=round(recency_weighted(values), 2),
            source="scores",
            interviews=len(values),
            phases=tuple(sorted(phases[area], key=lambda p: order.get(p, len(order)))),
            prodded=prodded[area],
        )
        for area, values in per_area.items()
    }


def _from_self_assessment(
    assessments: Sequence[SelfAssessment],
    phase_areas: Mapping[str, Sequence[str]],
    phase_order: Sequence[str],
) -> dict[str, AreaWeakness]:
    newest_first = sorted(assessments, key=lambda a: a.ended_at, reverse=True)[:MAX_INTERVIEWS]
    if not newest_first:
        return {}
    by_phase: dict[str, float] = {}
    for phase in phase_order:
        given = [float(a.phases[phase]) for a in newest_first if phase in a.phases]
        if given:
            by_phase[phase] = recency_weighted(given)
    area_phases: dict[str, list[str]] = {}
    for phase in phase_order:
        if phase not in by_phase:
            continue
        for area in phase_areas.get(phase, ()):
            if phase not in area_phases.setdefault(area, []):
                area_phases[area].append(phase)
    return {
        area: AreaWeakness(
            skill_area=area,
            value=round(sum(by_phase[p] for p in found) / len(found), 2),
            source="self-assessment",
            interviews=len(newest_first),
            phases=tuple(found),
        )
        for area, found in area_phases.items()
    }


def rank_areas(
    *,
    interviews: Sequence[InterviewScores],
    self_assessments: Sequence[SelfAssessment],
    phase_areas: Mapping[str, Sequence[str]],
    focus_areas: Sequence[str],
    area_order: Sequence[str],
    phase_order: Sequence[str],
) -> list[AreaWeakness]:
    """Every area with something known about it, weakest first (see the module's docstring).

    `phase_areas` maps each phase to the skill areas the current rubric scores in it;
    `area_order` is the skill areas' own order, for ties; `phase_order` the interview order.
    """
    found = _from_scores(interviews, phase_order)
    for area, weakness in _from_self_assessment(self_assessments, phase_areas, phase_order).items():
        found.setdefault(area, weakness)
    for area in focus_areas:
        found.setdefault(area, AreaWeakness(skill_area=area, value=FOCUS_VALUE, source="focus"))
    position = {slug: index for index, slug in enumerate(area_order)}
    return sorted(
        found.values(),
        key=lambda w: (
            w.value,
            SOURCE_ORDER[w.source],
            position.get(w.skill_area, len(position)),
            w.skill_area,
        ),
    )


def weakest(ranking: Sequence[AreaWeakness], count: int = WEAKEST_COUNT) -> list[str]:
    return [weakness.skill_area for weakness in ranking[:count]]


def _in_sentence(name: str) -> str:
    """ "Concurrency" reads "concurrency" mid-sentence; "API design" keeps its acronym."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def reason_for(
    weakness: AreaWeakness, *, area_names: Mapping[str, str], phase_names: Mapping[str, str]
) -> str:
    """Why the plan aims at this area, in the candidate's own numbers."""
    area = _in_sentence(area_names.get(weakness.skill_area, weakness.skill_area))
    phases = ", ".join(phase_names.get(p, p) for p in weakness.phases)
    if weakness.source == "scores":
        count = weakness.interviews
        text = (
            f"{phases}, {area}: {weakness.value:.1f} average over your last "
            f"{'interview' if count == 1 else f'{count} interviews'}"
        )
        if weakness.prodded == count:
            text += ", a lot of prodding"
        elif weakness.prodded:
            text += f", a lot of prodding in {weakness.prodded} of them"
        return text
    if weakness.source == "self-assessment":
        return (
            f"{phases}, {area}: you scored yourself {weakness.value:.1f}; "
            "no interviewer has scored it yet"
        )
    return f"{area[:1].upper()}{area[1:]}: one of your focus areas, not scored in an interview yet"
