"""The weakness ranking (SPEC §8) as a pure function: worked examples with hand-computed numbers.

No database: the phases, areas and rubric mapping are written out here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from studyplans.weakness import (
    FOCUS_VALUE,
    MAX_INTERVIEWS,
    AreaWeakness,
    CriterionResult,
    InterviewScores,
    SelfAssessment,
    rank_areas,
    reason_for,
    weakest,
)

PHASE_ORDER = ("functional-spec", "technical-spec", "going-deep", "extra-mile", "communication")
PHASE_NAMES = {
    "functional-spec": "Functional Spec",
    "technical-spec": "Technical Spec",
    "going-deep": "Going Deep",
    "extra-mile": "Extra Mile: launch",
    "communication": "Communication",
}
AREA_ORDER = (
    "requirements",
    "estimation",
    "high-level-design",
    "api-design",
    "data-modeling",
    "scalability",
    "caching",
    "concurrency",
    "real-time",
    "reliability",
    "operability",
    "communication",
)
AREA_NAMES = {
    "requirements": "Requirements",
    "api-design": "API design",
    "scalability": "Scalability",
    "caching": "Caching",
    "concurrency": "Concurrency",
    "real-time": "Real-time",
}
# As rubric version 1 scores them (api-design in two phases; caching and real-time in none).
PHASE_AREAS = {
    "functional-spec": ["requirements", "estimation"],
    "technical-spec": ["high-level-design", "data-modeling", "api-design"],
    "going-deep": ["scalability", "api-design", "reliability", "concurrency"],
    "extra-mile": ["operability"],
    "communication": ["communication"],
}

DAY_1 = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def at(days_later: int) -> datetime:
    return DAY_1 + timedelta(days=days_later)


def result(
    area: str, score: int, prodding: str = "some", phase: str = "going-deep"
) -> CriterionResult:
    return CriterionResult(skill_area=area, phase=phase, score=score, prodding=prodding)


def interview(days_later: int, *results: CriterionResult) -> InterviewScores:
    return InterviewScores(ended_at=at(days_later), results=results)


def rank(
    *,
    interviews: Sequence[InterviewScores] = (),
    self_assessments: Sequence[SelfAssessment] = (),
    focus: Sequence[str] = (),
    phase_areas: Mapping[str, Sequence[str]] = PHASE_AREAS,
    area_order: Sequence[str] = AREA_ORDER,
) -> list[AreaWeakness]:
    return rank_areas(
        interviews=interviews,
        self_assessments=self_assessments,
        phase_areas=phase_areas,
        focus_areas=focus,
        area_order=area_order,
        phase_order=PHASE_ORDER,
    )


def by_area(ranking: Sequence[AreaWeakness]) -> dict[str, AreaWeakness]:
    return {weakness.skill_area: weakness for weakness in ranking}


def reason(weakness: AreaWeakness) -> str:
    return reason_for(weakness, area_names=AREA_NAMES, phase_names=PHASE_NAMES)


# --- Interviewer scores -----------------------------------------------------------------------


def test_it_computes_the_worked_example_of_the_docstring() -> None:
    # Latest: 2 with a lot of prodding (1.5); the one before: 2 with some (2).
    # (1.5 * 1 + 2 * 0.5) / 1.5 = 2.5 / 1.5 = 1.666.. -> 1.67
    ranking = rank(
        interviews=[
            interview(0, result("concurrency", 2, "some")),
            interview(7, result("concurrency", 2, "a-lot")),
        ]
    )

    assert ranking == [
        AreaWeakness(
            skill_area="concurrency",
            value=1.67,
            source="scores",
            interviews=2,
            phases=("going-deep",),
            prodded=1,
        )
    ]
    assert reason(ranking[0]) == (
        "Going Deep, concurrency: 1.7 average over your last 2 interviews, "
        "a lot of prodding in 1 of them"
    )


def test_it_halves_the_weight_with_each_older_interview_whatever_the_order_given() -> None:
    # Newest first 1, 2, 4 with weights 1, 0.5, 0.25: (1 + 1 + 1) / 1.75 = 1.714.. -> 1.71.
    # The interviews arrive oldest first: the order comes from `ended_at`, not the list.
    ranking = rank(
        interviews=[
            interview(0, result("scalability", 4)),
            interview(7, result("scalability", 2)),
            interview(14, result("scalability", 1)),
        ]
    )

    assert ranking[0].value == 1.71
    assert ranking[0].interviews == 3


def test_it_takes_the_mean_of_an_areas_criteria_within_one_interview() -> None:
    # Latest: api-design 2 (technical spec) and 4 (going deep): mean 3. The one before: 1.
    # (3 * 1 + 1 * 0.5) / 1.5 = 2.333.. -> 2.33 (weighting each criterion would give 2.4).
    ranking = rank(
        interviews=[
            interview(0, result("api-design", 1, phase="technical-spec")),
            interview(
                7,
                result("api-design", 4, phase="going-deep"),
                result("api-design", 2, phase="technical-spec"),
            ),
        ]
    )

    assert ranking[0].value == 2.33
    assert ranking[0].interviews == 2
    # The phases come in interview order, not in the order the results were listed.
    assert ranking[0].phases == ("technical-spec", "going-deep")


@pytest.mark.parametrize(("prodding", "value"), [("", 3.0), ("none", 3.0), ("some", 3.0)])
def test_it_charges_nothing_for_some_or_no_prodding(prodding: str, value: float) -> None:
    ranking = rank(interviews=[interview(0, result("concurrency", 3, prodding))])

    assert ranking[0].value == value
    assert ranking[0].prodded == 0


@pytest.mark.parametrize(("score", "value"), [(4, 3.5), (3, 2.5), (2, 1.5), (1, 1.0)])
def test_it_lowers_a_score_by_half_for_a_lot_of_prodding_never_below_1(
    score: int, value: float
) -> None:
    ranking = rank(interviews=[interview(0, result("concurrency", score, "a-lot"))])

    assert ranking[0].value == value
    assert ranking[0].prodded == 1


def test_it_applies_the_prodding_of_each_criterions_own_phase() -> None:
    # Technical spec 3 with some prodding, going deep 3 with a lot: (3 + 2.5) / 2 = 2.75.
    ranking = rank(
        interviews=[
            interview(
                0,
                result("api-design", 3, "some", phase="technical-spec"),
                result("api-design", 3, "a-lot", phase="going-deep"),
            )
        ]
    )

    assert ranking[0].value == 2.75
    assert ranking[0].prodded == 1


def test_it_counts_only_the_latest_interviews() -> None:
    oldest = interview(0, result("concurrency", 1), result("reliability", 1))
    newer = [interview(day, result("concurrency", 4)) for day in range(1, MAX_INTERVIEWS + 1)]

    ranking = rank(interviews=[oldest, *newer])

    # The oldest interview's 1 is gone, and reliability, scored only there, with it.
    assert ranking == [
        AreaWeakness(
            skill_area="concurrency",
            value=4.0,
            source="scores",
            interviews=MAX_INTERVIEWS,
            phases=("going-deep",),
        )
    ]


def test_it_counts_an_interview_for_an_area_only_when_it_scored_it() -> None:
    # Concurrency was not scored in the latest interview: its own latest (2) weighs 1.
    # (2 * 1 + 4 * 0.5) / 1.5 = 2.67
    ranking = rank(
        interviews=[
            interview(0, result("concurrency", 4)),
            interview(7, result("concurrency", 2)),
            interview(14, result("scalability", 3)),
        ]
    )

    assert by_area(ranking)["concurrency"].value == 2.67
    assert by_area(ranking)["concurrency"].interviews == 2


# --- Self-assessment and focus areas ----------------------------------------------------------


def own(days_later: int, **phases: int) -> SelfAssessment:
    return SelfAssessment(
        ended_at=at(days_later),
        phases={slug.replace("_", "-"): score for slug, score in phases.items()},
    )


def test_it_fills_only_unscored_areas_from_the_self_assessment_through_the_rubric() -> None:
    ranking = rank(
        interviews=[interview(0, result("concurrency", 3))],
        self_assessments=[own(0, going_deep=1, functional_spec=4)],
    )
    found = by_area(ranking)

    assert found["concurrency"] == AreaWeakness(
        skill_area="concurrency",
        value=3.0,
        source="scores",
        interviews=1,
        phases=("going-deep",),
    )
    assert found["scalability"] == AreaWeakness(
        skill_area="scalability",
        value=1.0,
        source="self-assessment",
        interviews=1,
        phases=("going-deep",),
    )
    assert (found["requirements"].value, found["requirements"].source) == (4.0, "self-assessment")
    # Phases the candidate did not assess say nothing about their areas.
    assert "operability" not in found and "high-level-design" not in found


def test_it_gives_an_area_in_two_phases_the_mean_of_their_self_scores() -> None:
    ranking = rank(self_assessments=[own(0, technical_spec=2, going_deep=1)])

    api = by_area(ranking)["api-design"]
    assert api.value == 1.5
    assert api.phases == ("technical-spec", "going-deep")


def test_it_weighs_self_assessments_by_recency_too() -> None:
    # Newest 1, then 4: (1 + 2) / 1.5 = 2.0.
    ranking = rank(self_assessments=[own(0, going_deep=4), own(7, going_deep=1)])

    assert by_area(ranking)["concurrency"].value == 2.0
    assert by_area(ranking)["concurrency"].interviews == 2


def test_it_counts_only_the_latest_self_assessments() -> None:
    oldest = own(0, going_deep=1)
    newer = [own(day, going_deep=4) for day in range(1, MAX_INTERVIEWS + 1)]

    concurrency = by_area(rank(self_assessments=[oldest, *newer]))["concurrency"]

    assert (concurrency.value, concurrency.interviews) == (4.0, MAX_INTERVIEWS)


def test_it_gives_a_focus_area_the_middle_value_only_when_nothing_else_is_known() -> None:
    ranking = rank(
        interviews=[interview(0, result("concurrency", 4))],
        self_assessments=[own(0, technical_spec=3)],
        focus=["caching", "concurrency", "data-modeling"],
    )
    found = by_area(ranking)

    assert found["caching"] == AreaWeakness(skill_area="caching", value=FOCUS_VALUE, source="focus")
    assert (found["concurrency"].value, found["concurrency"].source) == (4.0, "scores")
    assert (found["data-modeling"].value, found["data-modeling"].source) == (
        3.0,
        "self-assessment",
    )


def test_it_leaves_out_areas_nothing_is_known_about() -> None:
    assert rank() == []
    ranking = rank(interviews=[interview(0, result("concurrency", 2))], focus=["caching"])

    assert [w.skill_area for w in ranking] == ["concurrency", "caching"]


def test_it_measures_a_weakness_below_the_focus_value_and_a_strength_above_it() -> None:
    ranking = rank(
        interviews=[interview(0, result("concurrency", 2), result("scalability", 4))],
        focus=["caching"],
    )

    assert [w.skill_area for w in ranking] == ["concurrency", "caching", "scalability"]


# --- Order --------------------------------------------------------------------------------------


def test_it_breaks_ties_by_source_then_by_the_areas_own_order() -> None:
    ranking = rank(
        interviews=[
            interview(
                0,
                # 3 with a lot of prodding: 2.5, the focus value.
                result("reliability", 3, "a-lot"),
                result("concurrency", 2),
                result("scalability", 2),
            )
        ],
        # api-design: (2 + 3) / 2 = 2.5 from the candidate's own scores.
        self_assessments=[own(0, technical_spec=2, going_deep=3)],
        focus=["caching"],
        # area_order puts scalability before concurrency: the order is not the slugs'.
        area_order=("scalability", "caching", "concurrency", "api-design", "reliability"),
        phase_areas={"technical-spec": ["api-design"], "going-deep": ["api-design"]},
    )

    assert [(w.skill_area, w.value, w.source) for w in ranking] == [
        ("scalability", 2.0, "scores"),
        ("concurrency", 2.0, "scores"),
        ("reliability", 2.5, "scores"),
        ("api-design", 2.5, "self-assessment"),
        ("caching", 2.5, "focus"),
    ]


def test_it_puts_areas_missing_from_the_order_last_among_equals_by_slug() -> None:
    ranking = rank(focus=["zeta", "alpha", "caching"], area_order=("caching",))

    assert [w.skill_area for w in ranking] == ["caching", "alpha", "zeta"]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, []), (1, ["a"]), (3, ["a", "b", "c"]), (5, ["a", "b", "c"])],
)
def test_it_takes_the_first_three_as_the_weakest(count: int, expected: list[str]) -> None:
    ranking = [
        AreaWeakness(skill_area=slug, value=1.0 + index, source="scores")
        for index, slug in enumerate("abcde"[:count])
    ]

    assert weakest(ranking) == expected


def test_it_takes_another_count_of_weakest_when_asked() -> None:
    ranking = rank(focus=["caching", "concurrency", "real-time", "operability"])

    assert weakest(ranking, 4) == ["caching", "concurrency", "real-time", "operability"]
    assert weakest(ranking, 1) == ["caching"]


# --- Reasons ------------------------------------------------------------------------------------


def scored(
    value: float, *, interviews: int, prodded: int, phases: tuple[str, ...] = ("going-deep",)
) -> AreaWeakness:
    return AreaWeakness(
        skill_area="concurrency",
        value=value,
        source="scores",
        interviews=interviews,
        phases=phases,
        prodded=prodded,
    )


@pytest.mark.parametrize(
    ("weakness", "text"),
    [
        (
            scored(1.67, interviews=2, prodded=2),
            "Going Deep, concurrency: 1.7 average over your last 2 interviews, a lot of prodding",
        ),
        (
            scored(1.67, interviews=2, prodded=1),
            "Going Deep, concurrency: 1.7 average over your last 2 interviews, "
            "a lot of prodding in 1 of them",
        ),
        (
            scored(2.0, interviews=2, prodded=0),
            "Going Deep, concurrency: 2.0 average over your last 2 interviews",
        ),
        (
            scored(2.0, interviews=1, prodded=0),
            "Going Deep, concurrency: 2.0 average over your last interview",
        ),
        (
            scored(1.5, interviews=1, prodded=1),
            "Going Deep, concurrency: 1.5 average over your last interview, a lot of prodding",
        ),
        (
            scored(2.33, interviews=3, prodded=0, phases=("technical-spec", "going-deep")),
            "Technical Spec, Going Deep, concurrency: 2.3 average over your last 3 interviews",
        ),
        (
            AreaWeakness(
                skill_area="scalability",
                value=1.5,
                source="self-assessment",
                interviews=2,
                phases=("going-deep",),
            ),
            "Going Deep, scalability: you scored yourself 1.5; no interviewer has scored it yet",
        ),
        (
            AreaWeakness(skill_area="caching", value=FOCUS_VALUE, source="focus"),
            "Caching: one of your focus areas, not scored in an interview yet",
        ),
        (
            AreaWeakness(skill_area="real-time", value=FOCUS_VALUE, source="focus"),
            "Real-time: one of your focus areas, not scored in an interview yet",
        ),
        (
            # A slug without a name (a new area) is shown as the slug.
            AreaWeakness(skill_area="queues", value=FOCUS_VALUE, source="focus"),
            "Queues: one of your focus areas, not scored in an interview yet",
        ),
    ],
)
def test_it_explains_the_reason_in_the_candidates_own_numbers(
    weakness: AreaWeakness, text: str
) -> None:
    assert reason(weakness) == text


@pytest.mark.parametrize(
    ("weakness", "text"),
    [
        (
            AreaWeakness(skill_area="api-design", value=FOCUS_VALUE, source="focus"),
            "API design: one of your focus areas, not scored in an interview yet",
        ),
        (
            AreaWeakness(
                skill_area="api-design",
                value=2.5,
                source="scores",
                interviews=1,
                phases=("technical-spec",),
            ),
            "Technical Spec, API design: 2.5 average over your last interview",
        ),
    ],
)
def test_it_keeps_an_acronym_in_an_area_name(weakness: AreaWeakness, text: str) -> None:
    assert reason(weakness) == text


# --- Stored form --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weakness",
    [
        AreaWeakness(
            skill_area="api-design",
            value=2.33,
            source="scores",
            interviews=3,
            phases=("technical-spec", "going-deep"),
            prodded=1,
        ),
        AreaWeakness(
            skill_area="scalability",
            value=1.5,
            source="self-assessment",
            interviews=2,
            phases=("going-deep",),
        ),
        AreaWeakness(skill_area="caching", value=FOCUS_VALUE, source="focus"),
    ],
)
def test_it_round_trips_through_json(weakness: AreaWeakness) -> None:
    stored = json.loads(json.dumps(weakness.as_json()))

    assert AreaWeakness.from_json(stored) == weakness


def test_it_reads_a_stored_entry_without_the_optional_fields() -> None:
    weakness = AreaWeakness.from_json({"skill_area": "caching", "value": 2, "source": "focus"})

    assert weakness == AreaWeakness(skill_area="caching", value=2.0, source="focus")
    assert isinstance(weakness.value, float)
