"""Making and remaking study plans (SPEC §8): the pure `plan_items` rule on hand-made
catalogues, then the services on the database (feedback, reviews, the reveal, the sweeps)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from accounts.profiles import CandidateData, ProfileData, save_profile
from interviews.booking import book_session
from interviews.feedback import (
    feedback_visible_to_candidate,
    save_feedback_draft,
    submit_feedback,
    submit_review,
)
from interviews.models import Feedback, Question, Review, Session, SessionStatus
from interviews.rubrics import get_current_rubric, rubric_criteria
from studyplans.models import (
    AppliedFeedback,
    ItemKind,
    ItemStatus,
    PlanItem,
    Resource,
    StudyPlan,
)
from studyplans.planning import (
    HOURS_PER_WEEK,
    OPEN_PER_AREA,
    PLAN_WEEKS,
    PRACTICE_GOAL,
    TARGET_AREAS,
    CatalogueEntry,
    Item,
    apply_feedback,
    apply_revealed_feedback,
    apply_session,
    load_self_assessments,
    plan_items,
    practice_done,
    practice_reason,
    refresh_plan,
    refresh_practice_plans,
    revealed_feedback,
    seed_plans,
    set_item_status,
    weakness_for,
)
from studyplans.selectors import weakest_areas_for
from studyplans.weakness import AreaWeakness
from tests.factories import (
    CandidateProfileFactory,
    SessionFactory,
    UserFactory,
    approved_interviewer,
    complete_feedback_data,
    review_body,
    skill_areas,
)

# --- The pure rule ----------------------------------------------------------------------------

MONDAY = date(2026, 3, 2)
W0, W1, W2, W3 = (MONDAY + timedelta(weeks=n) for n in range(4))
AREA_NAMES = {"a": "Area A", "b": "Area B", "c": "Area C", "d": "Area D"}
PHASE_NAMES = {"going-deep": "Going Deep"}


def entry(resource_id: int, hours: float, *areas: str, title: str = "") -> CatalogueEntry:
    return CatalogueEntry(
        resource_id=resource_id,
        title=title or f"Resource {resource_id:02d}",
        hours=hours,
        skill_areas=areas,
    )


def weak(area: str, value: float) -> AreaWeakness:
    return AreaWeakness(
        skill_area=area, value=value, source="scores", interviews=1, phases=("going-deep",)
    )


def reason(area: str, value: float) -> str:
    # "Area A" mid-sentence: the capital A stays (as the acronym in "API design" does).
    return f"Going Deep, area {area.upper()}: {value:.1f} average over your last interview"


# a, b, c are the three weakest; d is measured but not among them. Each area's two
# shortest come to 21 hours, past the four weeks the plan fills: nothing more is added.
WEAKNESS = [weak("a", 1.5), weak("b", 2.0), weak("c", 2.5), weak("d", 3.0)]
CATALOGUE = [
    entry(1, 10.0, "a"),
    entry(2, 4.0, "a"),
    entry(3, 5.0, "a"),
    entry(4, 3.0, "b"),
    entry(5, 4.0, "b"),
    entry(6, 2.0, "c"),
    entry(7, 3.0, "c"),
    entry(8, 6.0, "c"),
    entry(9, 1.0, "d"),
]


def plan(
    *,
    weakness: Sequence[AreaWeakness] = WEAKNESS,
    catalogue: Sequence[CatalogueEntry] = CATALOGUE,
    existing: Sequence[Item] = (),
    done: int = PRACTICE_GOAL,
    this_week: date = MONDAY,
    has_upcoming: bool = False,
) -> list[Item]:
    return plan_items(
        weakness=weakness,
        catalogue=catalogue,
        existing=existing,
        practice_done=done,
        has_upcoming=has_upcoming,
        this_week=this_week,
        area_names=AREA_NAMES,
        phase_names=PHASE_NAMES,
    )


def existing_item(
    item_id: int,
    resource_id: int,
    area: str,
    status: str,
    *,
    hours: float = 1.0,
    week: date = W0,
    position: int = 1,
    reason: str = "An old reason",
) -> Item:
    return Item(
        kind=ItemKind.RESOURCE,
        status=status,
        week_start=week,
        position=position,
        reason=reason,
        resource_id=resource_id,
        skill_area=area,
        hours=hours,
        item_id=item_id,
    )


def practice_item(item_id: int, status: str, *, reason: str = "An old reason") -> Item:
    return Item(
        kind=ItemKind.PRACTICE,
        status=status,
        week_start=MONDAY - timedelta(weeks=2),
        position=0,
        reason=reason,
        item_id=item_id,
    )


def resources(items: Sequence[Item], area: str | None = None) -> list[int]:
    return [
        item.resource_id
        for item in items
        if item.resource_id is not None and (area is None or item.skill_area == area)
    ]


def with_ids(items: Sequence[Item], first: int = 100) -> list[Item]:
    """As `refresh_plan` stores them: every new item gets its row's id."""
    return [
        item if item.item_id is not None else replace(item, item_id=first + index)
        for index, item in enumerate(items)
    ]


def test_the_constants_are_the_ones_these_examples_are_worked_for() -> None:
    assert (TARGET_AREAS, OPEN_PER_AREA, HOURS_PER_WEEK, PLAN_WEEKS, PRACTICE_GOAL) == (
        3,
        2,
        5.0,
        4,
        2,
    )


def test_it_picks_the_shortest_resources_for_each_of_the_three_weakest_areas() -> None:
    items = plan()

    assert {area: resources(items, area) for area in "abcd"} == {
        "a": [2, 3],  # not the 10-hour book
        "b": [4, 5],
        "c": [6, 7],
        "d": [],  # the fourth weakest gets nothing
    }
    assert all(item.status == ItemStatus.TODO and item.item_id is None for item in items)
    assert {item.reason for item in items if item.skill_area == "a"} == {reason("a", 1.5)}
    assert {item.reason for item in items if item.skill_area == "c"} == {reason("c", 2.5)}


def test_it_lays_the_items_out_round_robin_at_about_five_hours_a_week() -> None:
    # Weakest first, one per area per round; an item sits in the week it starts in and
    # what it overruns is carried: a2 4 h | b4 +3 = 7, week 1 holds 2 | c6 +2 = 4 |
    # a3 +5 = 9, week 2 holds 4 | b5 +4 = 8, week 3 holds 3 | c7 +3 = 6.
    items = plan()

    assert [(i.resource_id, i.week_start, i.position) for i in items] == [
        (2, W0, 1),
        (4, W0, 2),
        (6, W1, 3),
        (3, W1, 4),
        (5, W2, 5),
        (7, W3, 6),
    ]


def test_it_pushes_the_next_item_back_by_the_weeks_a_long_book_takes() -> None:
    # a1, b1, c1 take 3.5 h of this week; the 14-hour book starting there ends 2.5 h into
    # the fourth week (17.5 h), where b3 starts and fills it (5.5 h): c2 starts in the fifth.
    catalogue = [entry(1, 1.0, "a"), entry(2, 14.0, "a"), entry(3, 1.0, "b")]
    catalogue += [entry(4, 3.0, "b"), entry(5, 1.5, "c"), entry(6, 2.0, "c")]

    items = plan(weakness=WEAKNESS[:3], catalogue=catalogue)

    assert [(i.resource_id, i.week_start) for i in items] == [
        (1, W0),
        (3, W0),
        (5, W0),
        (2, W0),
        (4, W3),
        (6, W3 + timedelta(weeks=1)),
    ]


def test_it_adds_more_round_robin_until_about_four_weeks_are_planned() -> None:
    # a's are 1 h, b's 2 h, c's 3 h. The two each make 12 h; one more round makes 18 h,
    # then a (19) and b (21): past 20 hours, so c gets no fourth.
    catalogue = [entry(n, 1.0, "a") for n in range(1, 6)]
    catalogue += [entry(n, 2.0, "b") for n in range(6, 11)]
    catalogue += [entry(n, 3.0, "c") for n in range(11, 16)]

    items = plan(weakness=WEAKNESS[:3], catalogue=catalogue)

    assert {area: resources(items, area) for area in "abc"} == {
        "a": [1, 2, 3, 4],
        "b": [6, 7, 8, 9],
        "c": [11, 12, 13],
    }
    assert sum(item.hours for item in items) == 21.0
    assert [(i.resource_id, i.week_start) for i in items] == [
        (1, W0),
        (6, W0),
        (11, W0),  # 6 h
        (2, W1),
        (7, W1),
        (12, W1),  # 7 h
        (3, W2),
        (8, W2),  # 5 h
        (13, W3),
        (4, W3),
        (9, W3),
    ]


def test_it_counts_the_open_items_already_there_towards_the_four_weeks() -> None:
    catalogue = [entry(n, 1.0, "a") for n in range(1, 6)]
    reading = existing_item(50, 60, "d", ItemStatus.DOING, hours=18.0)

    # 18 h in progress and a's two make 20: nothing more.
    with_reading = plan(weakness=[weak("a", 1.0)], catalogue=catalogue, existing=[reading])
    assert sorted(resources(with_reading)) == [1, 2, 60]
    # Without it a takes the catalogue's five, and stops there.
    assert resources(plan(weakness=[weak("a", 1.0)], catalogue=catalogue)) == [1, 2, 3, 4, 5]


def test_it_breaks_ties_between_resources_of_equal_length_by_title() -> None:
    catalogue = [
        entry(1, 10.0, "a", title="Zookeeper"),
        entry(2, 10.0, "a", title="Actors"),
        entry(3, 10.0, "a", title="Locks"),
    ]

    assert resources(plan(weakness=[weak("a", 1.0)], catalogue=catalogue)) == [2, 3]


def test_it_gives_a_resource_covering_two_weak_areas_to_the_weaker_one_only() -> None:
    catalogue = [entry(1, 5.0, "b", "a"), entry(2, 6.0, "a"), entry(3, 7.0, "a")]
    catalogue += [entry(4, 5.0, "b"), entry(5, 6.0, "b")]

    items = plan(weakness=[weak("a", 1.0), weak("b", 2.0)], catalogue=catalogue)

    assert resources(items, "a") == [1, 2]
    assert resources(items, "b") == [4, 5]


@pytest.mark.parametrize(
    ("status", "new_for_a"),
    [
        # Still open: it counts towards a's two, so one more is added.
        (ItemStatus.TODO, [3]),
        (ItemStatus.DOING, [3]),
        # Done or skipped: two more are added, and never this resource again.
        (ItemStatus.DONE, [3, 1]),
        (ItemStatus.SKIPPED, [3, 1]),
    ],
)
def test_it_never_adds_a_resource_already_in_the_plan_whatever_its_status(
    status: str, new_for_a: list[int]
) -> None:
    held = existing_item(50, 2, "a", status, hours=4.0)

    items = plan(existing=[held])

    assert resources(items).count(2) == 1
    assert [i.resource_id for i in items if i.skill_area == "a" and i.item_id is None] == new_for_a


def test_it_keeps_touched_items_whatever_their_area_and_drops_untouched_ones() -> None:
    existing = [
        existing_item(11, 9, "d", ItemStatus.DONE, week=W0 - timedelta(weeks=1)),
        existing_item(12, 20, "d", ItemStatus.DOING, hours=3.0),
        existing_item(13, 21, "d", ItemStatus.SKIPPED),
        existing_item(14, 22, "d", ItemStatus.TODO),  # d is no longer among the weakest
        existing_item(15, 23, "a", ItemStatus.TODO, position=2),
        existing_item(16, 24, "a", ItemStatus.DONE, week=W0 - timedelta(weeks=1)),
    ]

    items = plan(existing=existing)
    by_id = {item.item_id: item for item in items if item.item_id is not None}

    assert sorted(by_id) == [11, 12, 13, 15, 16]
    # Done and skipped items keep their week, position and reason as they were, even in
    # an area the plan still aims at.
    assert by_id[11] == existing[0]
    assert by_id[13] == existing[2]
    assert by_id[16] == existing[5]
    # Open items are laid out again; one of a weak area gets today's reason.
    assert by_id[15].reason == reason("a", 1.5)
    assert (by_id[12].status, by_id[12].reason) == (ItemStatus.DOING, "An old reason")
    # a keeps its open item and gets one more, the shortest not in the plan; with the 3 h
    # in progress that makes 20 h, so nothing more.
    assert [r for r in resources(items, "a") if r != 24] == [23, 2]


def test_it_asks_for_no_practice_interview_while_one_is_booked() -> None:
    open_practice = Item(
        kind=ItemKind.PRACTICE,
        status=ItemStatus.TODO,
        week_start=MONDAY,
        position=0,
        reason=practice_reason(0),
        item_id=31,
    )

    items = plan(done=0, has_upcoming=True, existing=[open_practice])

    assert [item for item in items if item.kind == ItemKind.PRACTICE] == []
    assert [i.kind for i in plan(done=0, has_upcoming=False)].count(ItemKind.PRACTICE) == 1


def test_it_keeps_what_is_being_read_this_week_whatever_its_area() -> None:
    # c is the third weakest and d no longer weak: still first, in this week.
    existing = [
        existing_item(41, 5, "c", ItemStatus.DOING, hours=2.0, position=7),
        existing_item(42, 9, "d", ItemStatus.DOING, hours=2.0, position=8),
    ]

    items = plan(existing=existing)

    open_study = [i for i in items if i.kind == ItemKind.RESOURCE and i.status != "done"]
    assert [(i.item_id, i.week_start) for i in open_study[:2]] == [(41, W0), (42, W0)]
    assert [i.position for i in open_study[:2]] == [1, 2]


def test_it_puts_the_item_in_progress_first_in_its_area() -> None:
    existing = [
        existing_item(21, 2, "a", ItemStatus.TODO, hours=4.0, position=1),
        existing_item(22, 3, "a", ItemStatus.DOING, hours=5.0, position=2),
    ]

    items = plan(weakness=[weak("a", 1.0)], catalogue=(), existing=existing)

    assert [(i.item_id, i.position) for i in items] == [(22, 1), (21, 2)]


def test_it_can_pick_a_resource_the_remake_drops_for_another_weak_area() -> None:
    # Resource 2 (1 h, areas a and d) was planned for d, which is no longer weak; it is
    # dropped, so it is no longer in the plan and is a's shortest resource.
    catalogue = [entry(1, 10.0, "a"), entry(2, 1.0, "a", "d"), entry(3, 12.0, "a")]

    items = plan(
        weakness=[weak("a", 1.0), weak("b", 1.5), weak("c", 2.0), weak("d", 3.5)],
        catalogue=catalogue,
        existing=[existing_item(40, 2, "d", ItemStatus.TODO)],
    )

    assert 40 not in {item.item_id for item in items}
    assert resources(items, "a") == [2, 1, 3]


def test_it_gives_the_same_items_when_run_again_on_its_own_output() -> None:
    existing = [
        existing_item(11, 9, "d", ItemStatus.DONE, week=W0 - timedelta(weeks=1)),
        existing_item(12, 20, "d", ItemStatus.DOING, hours=3.0),
        existing_item(13, 21, "b", ItemStatus.SKIPPED),
        existing_item(14, 1, "a", ItemStatus.DOING, hours=10.0, position=5),
    ]
    first = with_ids(plan(existing=existing, done=0))

    again = plan(existing=first, done=0)

    assert again == first
    assert again == plan(existing=again, done=0)


def test_it_puts_the_practice_interview_first_in_this_week_while_under_the_goal() -> None:
    items = plan(done=0, this_week=W1)

    assert items[0] == Item(
        kind=ItemKind.PRACTICE,
        status=ItemStatus.TODO,
        week_start=W1,
        position=0,
        reason=(
            "0 practice interviews in the last 30 days; "
            "the goal is at least 2 a month to turn reading into practice"
        ),
    )
    assert [i.kind for i in items[1:]] == [ItemKind.RESOURCE] * 6


@pytest.mark.parametrize(
    ("done", "text"),
    [
        (0, "0 practice interviews in the last 30 days"),
        (1, "1 practice interview in the last 30 days"),
        (2, "2 practice interviews in the last 30 days"),
    ],
)
def test_it_counts_the_practice_interviews_in_the_reason(done: int, text: str) -> None:
    assert practice_reason(done) == (
        f"{text}; the goal is at least 2 a month to turn reading into practice"
    )


def test_it_moves_the_open_practice_item_to_this_week_with_todays_count() -> None:
    items = plan(existing=[practice_item(30, ItemStatus.TODO)], done=1)

    practice = [item for item in items if item.kind == ItemKind.PRACTICE]
    assert practice == [
        replace(practice_item(30, ItemStatus.TODO), week_start=MONDAY, reason=practice_reason(1))
    ]


@pytest.mark.parametrize(
    ("status", "done", "kept", "added"),
    [
        (ItemStatus.TODO, PRACTICE_GOAL, False, False),  # goal met: the open one goes
        (ItemStatus.TODO, PRACTICE_GOAL + 1, False, False),
        (ItemStatus.DONE, PRACTICE_GOAL, True, False),  # done stays done
        (ItemStatus.DOING, PRACTICE_GOAL, True, False),  # touched: the candidate's call
        (ItemStatus.DONE, 1, True, True),  # under the goal again: a new one beside it
        (ItemStatus.SKIPPED, 0, True, True),
    ],
)
def test_it_adds_or_drops_the_practice_item_with_the_practice_count(
    status: str, done: int, kept: bool, added: bool
) -> None:
    items = plan(existing=[practice_item(30, status)], done=done)

    practice = [item for item in items if item.kind == ItemKind.PRACTICE]
    assert any(item.item_id == 30 for item in practice) is kept
    assert any(item.item_id is None for item in practice) is added
    assert len(practice) == kept + added


# --- On the database ----------------------------------------------------------------------

# Monday 2 March 2026, 10:00 to 11:00 UTC (London is on GMT: local = UTC).
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
REVEAL = timedelta(hours=72)
CONCURRENCY_REASON = "Going Deep, concurrency: {value} average over your last {over}"


def make_candidate(*focus: str, zone: str = "Europe/London", at: datetime | None = None) -> User:
    """A candidate with these focus areas and a plan made `at` (default: a day before START)."""
    user = CandidateProfileFactory.create(
        focus_areas=list(focus), study_plan=False, user__time_zone=zone
    ).user
    refresh_plan(candidate=user, now=at or START - timedelta(days=1))
    return user


def held(candidate: User, start: datetime = START, **kwargs: Any) -> Session:
    """A session of the candidate's, booked a week before it starts, last changed at its end."""
    kwargs.setdefault("created_at", start - timedelta(days=7))
    kwargs.setdefault("updated_at", start + timedelta(hours=1))
    return SessionFactory.create(
        candidate=candidate, start=start, end=start + timedelta(hours=1), **kwargs
    )


def feedback_body(
    scores: Mapping[tuple[str, str], int] | None = None,
    *,
    default: int = 3,
    prodding: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Every criterion `default` with some prodding, but for these (phase, area) scores."""
    data = complete_feedback_data(score=default, prodding="some")
    for criterion in rubric_criteria(get_current_rubric()):
        key = (criterion.phase, criterion.skill_area.slug)
        if scores and key in scores:
            data["scores"][str(criterion.pk)] = scores[key]
    for phase, value in (prodding or {}).items():
        data["phases"][phase]["prodding"] = value
    return data


def weak_in_concurrency(score: int, **others: int) -> dict[str, Any]:
    """Concurrency `score` and the other Going Deep criteria 4, all with a lot of prodding;
    the rest 3 with some."""
    scores = {
        ("going-deep", area): others.get(area, 4)
        for area in ("scalability", "api-design", "reliability")
    }
    scores["going-deep", "concurrency"] = score
    return feedback_body(scores, prodding={"going-deep": "a-lot"})


def feedback_on(session: Session, data: Mapping[str, Any], at: datetime | None = None) -> Feedback:
    return submit_feedback(
        session=session, by=session.interviewer, data=data, now=at or session.end
    )


def review_of(session: Session, at: datetime | None = None, **self_scores: int) -> Review:
    body = review_body(self_score=3)
    for phase, score in self_scores.items():
        body["self_assessment"][phase.replace("_", "-")] = score
    return submit_review(session=session, by=session.candidate, data=body, now=at or session.end)


def plan_of(candidate: User) -> StudyPlan:
    return StudyPlan.objects.get(candidate=candidate)


def rows(candidate: User) -> list[tuple[Any, ...]]:
    """Everything about the plan's items that a remake could change."""
    return list(
        PlanItem.objects.filter(plan__candidate=candidate)
        .order_by("pk")
        .values_list(
            "pk",
            "kind",
            "resource_id",
            "skill_area__slug",
            "status",
            "week_start",
            "position",
            "reason",
        )
    )


def items_for(candidate: User, area: str) -> list[PlanItem]:
    return list(PlanItem.objects.filter(plan__candidate=candidate, skill_area__slug=area))


def shortest(area: str, count: int = OPEN_PER_AREA) -> set[int]:
    found = Resource.objects.filter(is_active=True, skill_areas__slug=area).order_by(
        "hours", "title"
    )
    return set(found.values_list("pk", flat=True)[:count])


@pytest.mark.django_db
def test_it_aims_the_plan_at_the_area_revealed_feedback_shows_weak() -> None:
    candidate = make_candidate("concurrency")
    first, second = held(candidate), held(candidate, START + timedelta(days=7))

    feedback = feedback_on(first, weak_in_concurrency(2))
    review_of(first)
    assert apply_feedback(feedback_id=feedback.pk, now=first.end + timedelta(hours=1))
    # One interview: 2 with a lot of prodding is 1.5.
    picked = items_for(candidate, "concurrency")
    assert {item.reason for item in picked} == {
        CONCURRENCY_REASON.format(value="1.5", over="interview") + ", a lot of prodding"
    }

    feedback = feedback_on(second, weak_in_concurrency(1))
    review_of(second)
    assert apply_feedback(feedback_id=feedback.pk, now=second.end + timedelta(hours=1))

    # Latest 1 - 0.5, never below 1: 1.0; the one before 1.5.
    # (1.0 * 1 + 1.5 * 0.5) / (1 + 0.5) = 1.75 / 1.5 = 1.1666.. -> 1.17, shown "1.2".
    plan = plan_of(candidate)
    assert plan.weakness[0] == {
        "skill_area": "concurrency",
        "value": 1.17,
        "source": "scores",
        "interviews": 2,
        "phases": ["going-deep"],
        "prodded": 2,
    }
    # Then everything scored 3, in the areas' own order; Going Deep's 4s less a half after.
    assert plan.weakest_areas == ["concurrency", "requirements", "estimation"]
    again = items_for(candidate, "concurrency")
    assert [item.pk for item in again] == [item.pk for item in picked]  # the same items
    # The weakest area chooses first: its two shortest resources are among them.
    assert shortest("concurrency") <= {item.resource_id for item in again}
    assert {item.reason for item in again} == {
        CONCURRENCY_REASON.format(value="1.2", over="2 interviews") + ", a lot of prodding"
    }
    assert {item.reason for item in items_for(candidate, "requirements")} == {
        "Functional Spec, requirements: 3.0 average over your last 2 interviews"
    }
    # Two practice interviews in the last 30 days: the goal is met.
    assert not PlanItem.objects.filter(plan=plan, kind=ItemKind.PRACTICE).exists()


@pytest.mark.django_db
def test_it_keeps_hidden_feedback_out_of_the_plan_until_the_72_hours_pass() -> None:
    candidate = make_candidate("caching")
    feedback = feedback_on(held(candidate), weak_in_concurrency(2))  # no review
    hidden = END + REVEAL - timedelta(seconds=1)

    refresh_plan(candidate=candidate, now=hidden)
    assert plan_of(candidate).weakest_areas == ["caching"]
    assert apply_feedback(feedback_id=feedback.pk, now=hidden) is False
    assert not AppliedFeedback.objects.exists()

    assert apply_feedback(feedback_id=feedback.pk, now=END + REVEAL) is True
    assert plan_of(candidate).weakest_areas == ["concurrency", "caching", "requirements"]
    assert AppliedFeedback.objects.get().feedback_id == feedback.pk


@pytest.mark.django_db
def test_it_applies_a_draft_or_a_missing_feedback_never() -> None:
    candidate = make_candidate("caching")
    session = held(candidate)
    draft = save_feedback_draft(
        session=session,
        by=session.interviewer,
        data=weak_in_concurrency(1),
        revision=0,
        now=END,
    )
    review_of(session)  # the candidate's side is in; the interviewer's is not

    assert apply_feedback(feedback_id=draft.pk, now=END + REVEAL * 2) is False
    assert plan_of(candidate).weakest_areas == ["caching"]
    assert apply_feedback(feedback_id=draft.pk + 1000, now=END) is False
    assert not AppliedFeedback.objects.exists()


@pytest.mark.django_db
def test_it_ranks_from_the_latest_six_revealed_feedbacks_only() -> None:
    candidate = make_candidate("caching")
    oldest = held(candidate, START - timedelta(days=7))
    feedback_on(oldest, weak_in_concurrency(1))
    for week in range(6):
        feedback_on(held(candidate, START + timedelta(weeks=week)), weak_in_concurrency(4))
    now = START + timedelta(weeks=6) + REVEAL

    refresh_plan(candidate=candidate, now=now)

    # The oldest feedback's 1 no longer counts: 4 with a lot of prodding, six times, is 3.5.
    concurrency = next(
        AreaWeakness.from_json(entry)
        for entry in plan_of(candidate).weakness
        if entry["skill_area"] == "concurrency"
    )
    assert (concurrency.value, concurrency.interviews, concurrency.prodded) == (3.5, 6, 6)


@pytest.mark.django_db
def test_it_applies_a_feedback_once_and_changes_nothing_the_second_time() -> None:
    candidate = make_candidate("caching")
    session = held(candidate)
    feedback = feedback_on(session, weak_in_concurrency(2))
    review_of(session)
    assert apply_feedback(feedback_id=feedback.pk, now=END + timedelta(hours=1)) is True
    plan = plan_of(candidate)
    set_item_status(
        item=items_for(candidate, "concurrency")[0], status=ItemStatus.DOING, now=END + REVEAL
    )
    before = rows(candidate)

    # A week later a remake would move every open item to that week: it must not run.
    assert apply_feedback(feedback_id=feedback.pk, now=END + timedelta(days=8)) is False

    assert rows(candidate) == before
    again = plan_of(candidate)
    assert again.weakness == plan.weakness
    assert (again.updated_at, again.starts_on) == (plan.updated_at, plan.starts_on)
    assert AppliedFeedback.objects.filter(feedback=feedback).count() == 1


@pytest.mark.django_db
def test_it_remakes_the_plan_from_the_self_assessment_of_a_review_without_feedback() -> None:
    candidate = make_candidate("caching")
    caching = [item.pk for item in items_for(candidate, "caching")]
    review_of(held(candidate, START - timedelta(days=7)), going_deep=4)
    session = held(candidate)
    review_of(session, going_deep=1)  # 3 for the other four phases, both times

    assert apply_session(session_id=session.pk, now=END + timedelta(hours=1)) is True

    # Going Deep: latest 1, the one before 4: (1 * 1 + 4 * 0.5) / 1.5 = 2.0 for its areas,
    # in the areas' own order. api-design is in Technical Spec (3) too: (3 + 2) / 2 = 2.5,
    # before caching's 2.5 from the focus areas, which is no longer among the three.
    plan = plan_of(candidate)
    assert plan.weakest_areas == ["scalability", "concurrency", "reliability"]
    assert plan.weakness[3:5] == [
        {
            "skill_area": "api-design",
            "value": 2.5,
            "source": "self-assessment",
            "interviews": 2,
            "phases": ["technical-spec", "going-deep"],
            "prodded": 0,
        },
        {
            "skill_area": "caching",
            "value": 2.5,
            "source": "focus",
            "interviews": 0,
            "phases": [],
            "prodded": 0,
        },
    ]
    assert {item.reason for item in items_for(candidate, "concurrency")} == {
        "Going Deep, concurrency: you scored yourself 2.0; no interviewer has scored it yet"
    }
    assert not PlanItem.objects.filter(pk__in=caching).exists()
    assert not AppliedFeedback.objects.exists()


@pytest.mark.django_db
def test_it_remakes_nothing_for_a_session_without_a_review_or_a_visible_feedback() -> None:
    candidate = make_candidate("caching")
    quiet = held(candidate)
    hidden = held(candidate, START + timedelta(days=1))
    feedback_on(hidden, weak_in_concurrency(1))
    before = rows(candidate)

    assert apply_session(session_id=quiet.pk, now=END + timedelta(days=2)) is False
    assert apply_session(session_id=hidden.pk, now=END + timedelta(days=2)) is False
    assert apply_session(session_id=10_000, now=END) is False
    assert rows(candidate) == before


@pytest.mark.django_db
def test_it_applies_the_feedback_a_review_reveals_through_the_session() -> None:
    candidate = make_candidate("caching")
    session = held(candidate)
    feedback = feedback_on(session, weak_in_concurrency(2))
    review_of(session, going_deep=4)

    assert apply_session(session_id=session.pk, now=END + timedelta(hours=1)) is True
    # Scored by the interviewer: the candidate's own 4 for Going Deep does not count.
    assert plan_of(candidate).weakness[0]["source"] == "scores"
    assert AppliedFeedback.objects.get().feedback_id == feedback.pk
    # Sent again (a retried task): applied already, so nothing more.
    assert apply_session(session_id=session.pk, now=END + timedelta(hours=2)) is False


@pytest.mark.django_db
def test_the_sweep_applies_feedback_at_the_72_hour_reveal_and_only_once() -> None:
    candidate = make_candidate("caching")
    session = held(candidate)
    feedback = feedback_on(session, weak_in_concurrency(2))
    drafted = held(make_candidate("caching"))
    save_feedback_draft(
        session=drafted, by=drafted.interviewer, data={"strengths": "Clear."}, revision=0, now=END
    )

    assert apply_revealed_feedback(now=END + REVEAL - timedelta(seconds=1)) == 0
    assert plan_of(candidate).weakest_areas == ["caching"]

    assert apply_revealed_feedback(now=END + REVEAL) == 1
    assert plan_of(candidate).weakest_areas[0] == "concurrency"
    assert list(AppliedFeedback.objects.values_list("feedback_id", flat=True)) == [feedback.pk]

    assert apply_revealed_feedback(now=END + REVEAL + timedelta(minutes=5)) == 0
    assert AppliedFeedback.objects.count() == 1


@pytest.mark.django_db
def test_it_seeds_plans_for_the_demo_candidates_with_their_revealed_feedback() -> None:
    def demo(name: str) -> User:
        return CandidateProfileFactory.create(
            user__email=f"{name}@demo.test", focus_areas=["caching"], study_plan=False
        ).user

    scored, fresh = demo("scored"), demo("fresh")
    elsewhere = CandidateProfileFactory.create(focus_areas=["caching"], study_plan=False).user
    feedback = feedback_on(held(scored), weak_in_concurrency(2))

    assert seed_plans(emails_ending="@demo.test", now=END + REVEAL) == 2

    assert plan_of(scored).weakest_areas[0] == "concurrency"
    assert AppliedFeedback.objects.get().feedback_id == feedback.pk
    assert plan_of(fresh).weakest_areas == ["caching"]
    assert not StudyPlan.objects.filter(candidate=elsewhere).exists()


@pytest.mark.django_db
def test_it_keeps_what_the_candidate_did_and_drops_what_they_did_not() -> None:
    candidate = make_candidate("caching", "concurrency", at=START)
    read, *unread = items_for(candidate, "caching")
    set_item_status(item=read, status=ItemStatus.DONE, now=START + timedelta(days=1))
    concurrency = {item.pk for item in items_for(candidate, "concurrency")}
    assert unread and concurrency

    candidate.candidate_profile.focus_areas.set(skill_areas("concurrency"))
    refresh_plan(candidate=candidate, now=START + timedelta(days=8))

    kept = PlanItem.objects.get(pk=read.pk)
    assert (kept.status, kept.week_start, kept.reason) == (
        ItemStatus.DONE,
        read.week_start,
        read.reason,
    )
    assert not PlanItem.objects.filter(pk__in=[item.pk for item in unread]).exists()
    # The open items stay, laid out from the week of the remake.
    assert concurrency <= {item.pk for item in items_for(candidate, "concurrency")}
    assert {
        item.week_start for item in items_for(candidate, "concurrency") if item.position == 1
    } == {MONDAY + timedelta(weeks=1)}
    assert plan_of(candidate).starts_on == MONDAY + timedelta(weeks=1)


@pytest.mark.django_db
def test_it_remakes_the_same_plan_from_the_same_data() -> None:
    candidate = make_candidate("caching", "real-time", at=START)
    before = rows(candidate)

    refresh_plan(candidate=candidate, now=START + timedelta(hours=3))

    assert rows(candidate) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "monday"),
    [("Pacific/Auckland", date(2026, 3, 2)), ("Europe/London", date(2026, 2, 23))],
)
def test_it_starts_the_plan_on_the_candidates_own_monday(zone: str, monday: date) -> None:
    # Sunday 1 March 20:00 UTC is already Monday 09:00 in Auckland (NZDT, UTC+13).
    candidate = make_candidate("caching", zone=zone, at=datetime(2026, 3, 1, 20, tzinfo=UTC))

    assert plan_of(candidate).starts_on == monday
    assert set(
        PlanItem.objects.filter(plan__candidate=candidate, position=1).values_list(
            "week_start", flat=True
        )
    ) == {monday}


@pytest.mark.django_db
def test_it_marks_an_item_with_the_time_of_the_change_only_when_it_changes() -> None:
    candidate = make_candidate("caching")
    item = items_for(candidate, "caching")[0]

    set_item_status(item=item, status=ItemStatus.DOING, now=START)
    set_item_status(item=item, status=ItemStatus.DOING, now=END)

    item.refresh_from_db()
    assert (item.status, item.status_changed_at) == (ItemStatus.DOING, START)
    with pytest.raises(ValueError, match="Unknown plan item status"):
        set_item_status(item=item, status="finished", now=END)


# --- Practice interviews --------------------------------------------------------------------

NOW = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)


def practice_items(candidate: User) -> list[PlanItem]:
    return list(PlanItem.objects.filter(plan__candidate=candidate, kind=ItemKind.PRACTICE))


@pytest.mark.django_db
def test_the_hourly_sweep_drops_the_practice_item_of_a_candidate_who_just_booked() -> None:
    booked = make_candidate("caching", at=NOW - timedelta(days=1))
    assert len(practice_items(booked)) == 1
    SessionFactory.create(
        candidate=booked,
        start=NOW + timedelta(days=3),
        end=NOW + timedelta(days=3, hours=1),
        created_at=NOW - timedelta(minutes=20),
        updated_at=NOW - timedelta(minutes=20),
    )

    assert refresh_practice_plans(now=NOW) == 1

    assert practice_items(booked) == []


@pytest.mark.django_db
def test_the_hourly_sweep_follows_sessions_entering_and_leaving_the_30_days() -> None:
    before = NOW - timedelta(hours=2)
    # Two sessions, the older one leaving the 30 days an hour ago: 2 then, 1 now.
    leaving = make_candidate("caching", at=before)
    held(leaving, NOW - timedelta(days=30, hours=2))
    held(leaving, NOW - timedelta(days=10))
    # One session 5 days ago and one that ended an hour ago: 1 then, 2 now.
    second = make_candidate("caching", at=before)
    held(second, NOW - timedelta(days=5))
    held(second, NOW - timedelta(hours=2))
    # Nothing near either edge: not remade.
    quiet = make_candidate("caching", at=before)
    held(quiet, NOW - timedelta(days=10))
    for candidate in (leaving, second, quiet):
        refresh_plan(candidate=candidate, now=before)
    assert practice_items(leaving) == []
    assert len(practice_items(second)) == 1

    assert refresh_practice_plans(now=NOW) == 2

    assert [item.reason for item in practice_items(leaving)] == [practice_reason(1)]
    assert practice_items(second) == []
    assert plan_of(quiet).updated_at == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "ended", "counted"),
    [
        (SessionStatus.COMPLETED, timedelta(days=1), True),
        (SessionStatus.SCHEDULED, timedelta(days=1), True),  # ended, not marked yet
        (SessionStatus.COMPLETED, timedelta(0), True),  # ending right now
        (SessionStatus.COMPLETED, timedelta(days=30) - timedelta(seconds=1), True),
        (SessionStatus.COMPLETED, timedelta(days=30), False),  # 30 days ago: out
        (SessionStatus.CANCELLED, timedelta(days=1), False),
        (SessionStatus.NO_SHOW, timedelta(days=1), False),
        (SessionStatus.SCHEDULED, -timedelta(minutes=30), False),  # under way
        (SessionStatus.SCHEDULED, -timedelta(days=2), False),  # booked ahead
    ],
)
def test_it_counts_the_practice_interviews_held_in_the_last_30_days(
    status: str, ended: timedelta, counted: bool
) -> None:
    candidate = make_candidate("caching")
    held(candidate, NOW - ended - timedelta(hours=1), status=status)
    held(make_candidate("caching"), NOW - timedelta(days=1))  # someone else's

    assert practice_done(candidate=candidate, now=NOW) == int(counted)


@pytest.mark.django_db
def test_it_counts_several_sessions_together() -> None:
    candidate = make_candidate("caching")
    for days in (1, 8, 15, 40):
        held(candidate, NOW - timedelta(days=days))
    held(candidate, NOW - timedelta(days=3), status=SessionStatus.CANCELLED)

    assert practice_done(candidate=candidate, now=NOW) == 3


# --- Sign-up, the stored ranking and booking -------------------------------------------------


@pytest.mark.django_db
def test_signing_up_as_a_candidate_makes_a_plan_from_the_focus_areas() -> None:
    user = UserFactory.create()

    with time_machine.travel(START, tick=False):
        save_profile(
            user=user,
            data=ProfileData(
                display_name="Ada",
                time_zone="Europe/London",
                years_experience=3,
                candidate=CandidateData(
                    target_level="senior", focus_areas=skill_areas("operability", "real-time")
                ),
            ),
        )

    plan = plan_of(user)
    assert plan.weakness == [
        {
            "skill_area": area,
            "value": 2.5,
            "source": "focus",
            "interviews": 0,
            "phases": [],
            "prodded": 0,
        }
        for area in ("real-time", "operability")  # the areas' own order
    ]
    assert (plan.starts_on, plan.created_at) == (MONDAY, START)
    assert shortest("real-time") <= {item.resource_id for item in items_for(user, "real-time")}
    assert {item.reason for item in items_for(user, "operability")} == {
        "Operability: one of your focus areas, not scored in an interview yet"
    }
    assert [item.reason for item in practice_items(user)] == [practice_reason(0)]


@pytest.mark.django_db
def test_it_reads_the_weakest_areas_from_the_stored_ranking_in_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    candidate = make_candidate("caching", "concurrency")
    StudyPlan.objects.filter(candidate=candidate).update(
        weakness=[
            AreaWeakness(skill_area=area, value=1.0, source="scores").as_json()
            for area in ("real-time", "operability", "estimation", "caching")
        ]
    )
    fresh = User.objects.select_related("candidate_profile").get(pk=candidate.pk)

    with django_assert_num_queries(1):
        found = weakest_areas_for(candidate=fresh)

    # The stored ranking, not one computed again from the focus areas.
    assert found == ["real-time", "operability", "estimation"]


@pytest.mark.django_db
def test_it_costs_a_second_query_to_learn_a_plain_user_is_a_candidate(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    candidate = make_candidate("caching")
    fresh = User.objects.get(pk=candidate.pk)

    with django_assert_num_queries(2):
        assert weakest_areas_for(candidate=fresh) == ["caching"]


@pytest.mark.django_db
def test_it_leaves_out_the_areas_known_only_as_focus_areas_when_asked() -> None:
    candidate = make_candidate("caching", "concurrency")
    session = held(candidate)
    feedback = feedback_on(session, weak_in_concurrency(2))
    review_of(session)
    apply_feedback(feedback_id=feedback.pk, now=END + timedelta(hours=1))

    # Concurrency 1.5 from the scores; caching 2.5 only as a focus area (no rubric
    # criterion scores it); then the areas scored 3, in their own order.
    assert weakest_areas_for(candidate=candidate) == ["concurrency", "caching", "requirements"]
    assert weakest_areas_for(candidate=candidate, measured_only=True) == [
        "concurrency",
        "requirements",
        "estimation",
    ]


@pytest.mark.django_db
def test_it_ranks_on_the_spot_for_a_candidate_without_a_plan_and_not_for_others() -> None:
    candidate = CandidateProfileFactory.create(focus_areas=["real-time"], study_plan=False).user

    assert weakest_areas_for(candidate=candidate, now=START) == ["real-time"]
    assert weakest_areas_for(candidate=candidate, now=START, measured_only=True) == []
    assert weakest_areas_for(candidate=UserFactory.create(), now=START) == []
    assert not StudyPlan.objects.filter(candidate=candidate).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("history", ["feedback", "review"])
def test_it_ranks_a_candidate_without_a_plan_by_their_feedback_or_review(history: str) -> None:
    candidate = make_candidate("caching", "concurrency")
    session = held(candidate)
    if history == "feedback":
        feedback_on(session, weak_in_concurrency(2))
    review_of(session, going_deep=1)
    StudyPlan.objects.filter(candidate=candidate).delete()
    later = END + timedelta(hours=1)

    found = weakest_areas_for(candidate=candidate, now=later)

    assert found == [entry.skill_area for entry in weakness_for(candidate=candidate, now=later)][:3]
    # Measured areas first, not the focus areas alone.
    assert found[0] != "caching"
    assert weakest_areas_for(candidate=candidate, now=later, measured_only=True)


@pytest.mark.django_db
def test_it_ranks_a_candidate_with_no_plan_and_no_history_in_three_queries(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    candidate = CandidateProfileFactory.create(
        focus_areas=["real-time", "caching"], study_plan=False
    ).user
    held(candidate, status=SessionStatus.CANCELLED)  # a session alone is no history
    fresh = User.objects.select_related("candidate_profile").get(pk=candidate.pk)

    # The plan, the areas with the focus ones marked, whether any feedback or review exists.
    with django_assert_num_queries(3):
        found = weakest_areas_for(candidate=fresh, now=START)

    assert found == ["caching", "real-time"]  # the areas' own order breaks the tie


def bank(**questions: Sequence[str]) -> dict[str, int]:
    """Replace the seeded question bank with these, each covering its skill areas."""
    Question.objects.all().delete()
    made = {}
    for slug, areas in questions.items():
        question = Question.objects.create(
            slug=slug, title=slug.title(), prompt="Design it.", hints="Probe it."
        )
        question.skill_areas.set(skill_areas(*areas))
        made[slug] = question.pk
    return made


@pytest.mark.django_db
def test_booking_picks_the_question_aimed_at_the_plans_weakest_areas() -> None:
    questions = bank(
        deep=["concurrency", "scalability"],
        feed=["real-time", "caching"],
        launch=["operability", "communication"],
    )
    interviewer = approved_interviewer()
    candidate = make_candidate("real-time", at=START - timedelta(days=2))
    session = held(candidate)

    early = book_session(
        candidate=candidate,
        interviewer_id=interviewer.pk,
        start=START + timedelta(days=3),
        now=START - timedelta(days=2),
    )
    # Only the focus area is known: the real-time question.
    assert early.question_id == questions["feed"]

    # Going Deep weak all over: concurrency 1.0, scalability and reliability 1.5, all
    # below the focus area's 2.5.
    feedback = feedback_on(session, weak_in_concurrency(1, scalability=2, reliability=2))
    review_of(session)
    apply_feedback(feedback_id=feedback.pk, now=END + timedelta(hours=1))
    assert plan_of(candidate).weakest_areas == ["concurrency", "scalability", "reliability"]

    later = book_session(
        candidate=candidate,
        interviewer_id=interviewer.pk,
        start=START + timedelta(days=4),
        now=END + timedelta(hours=1),
    )
    assert later.question_id == questions["deep"]


@pytest.mark.django_db
@pytest.mark.parametrize("reviewed", [True, False])
@pytest.mark.parametrize("hours_since_submit", [1, 71, 72, 73])
def test_the_reveal_filter_agrees_with_the_reveal_rule(
    reviewed: bool, hours_since_submit: int
) -> None:
    candidate = make_candidate("caching")
    session = held(candidate, START)
    if reviewed:
        submit_review(session=session, by=candidate, data=review_body(), now=session.end)
    feedback = submit_feedback(
        session=session, by=session.interviewer, data=feedback_body(), now=session.end
    )
    now = session.end + timedelta(hours=hours_since_submit)

    by_filter = Feedback.objects.filter(revealed_feedback(now=now), pk=feedback.pk).exists()

    assert by_filter == feedback_visible_to_candidate(
        feedback_submitted_at=feedback.submitted_at, review_submitted=reviewed, now=now
    )


@pytest.mark.django_db
def test_it_reads_no_self_assessment_from_a_review_sent_after_the_reveal() -> None:
    candidate = CandidateProfileFactory.create(study_plan=False).user
    held = SessionFactory.create(
        candidate=candidate,
        start=datetime(2026, 3, 2, 10, tzinfo=UTC),
        end=datetime(2026, 3, 2, 11, tzinfo=UTC),
    )
    Review.objects.create(session=held, rating=4, would_practise_again=True)

    assert load_self_assessments(candidate=candidate) == []
