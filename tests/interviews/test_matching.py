"""Matching (SPEC §5): the pure score parts, then the selector against the database."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accounts.models import InterviewerProfile, User, VettingStatus
from accounts.ratings import bayesian_rating
from interviews import matching
from interviews.matching import (
    WEIGHTS,
    Facts,
    Part,
    expertise_part,
    explain,
    find_matches,
    load_part,
    novelty_part,
    rank_key,
    rating_part,
    seniority_part,
    time_zone_part,
    total_score,
)
from interviews.models import Session, SessionStatus, WeeklyWindow
from interviews.slots import Slot
from interviews.waking_hours import WakingHours
from tests.factories import CandidateProfileFactory, InterviewerProfileFactory, UserFactory

# A Monday. Europe/London moves to summer time on Sunday 28 March 2027.
NOW = datetime(2027, 3, 22, 6, 0, tzinfo=UTC)
WINDOW_END = NOW + timedelta(days=14)
LONDON = ZoneInfo("Europe/London")


def slot_at(start: datetime, minutes: int = 60) -> Slot:
    return Slot(start, start + timedelta(minutes=minutes))


# Pure parts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expertise", "focus", "weakest", "value", "text"),
    [
        (
            ["caching", "concurrency"],
            ["concurrency", "caching"],
            [],
            1.0,
            "expertise: concurrency, caching",
        ),
        (["caching", "scalability"], ["concurrency", "caching"], [], 0.5, "expertise: caching"),
        (
            ["scalability"],
            ["concurrency", "caching"],
            [],
            0.0,
            "expertise: none of your focus areas",
        ),
        # A weakest area weighs twice a focus area: 2 of (1 + 2) wanted.
        (["real-time"], ["caching"], ["real-time"], 2 / 3, "expertise: real-time"),
        (["caching"], [], [], 0.0, "expertise: pick focus areas to compare"),
    ],
)
def test_it_scores_expertise_overlap(
    expertise: list[str], focus: list[str], weakest: list[str], value: float, text: str
) -> None:
    part = expertise_part(expertise=expertise, focus=focus, weakest_areas=weakest)
    assert part.value == pytest.approx(value)
    assert part.text == text


@pytest.mark.parametrize(
    ("target", "level", "value", "text"),
    [
        ("senior", "staff", 1.0, "staff: one level above your senior target"),
        ("senior", "principal", 0.75, "principal: two levels above your senior target"),
        ("mid", "principal", 0.5, "principal: three levels above your mid target"),
        ("junior", "principal", 0.25, "principal: four levels above your junior target"),
    ],
)
def test_it_prefers_one_level_above_the_target(
    target: str, level: str, value: float, text: str
) -> None:
    part = seniority_part(target_level=target, interviewer_level=level)
    assert (part.value, part.text) == (pytest.approx(value), text)


def test_it_does_not_let_one_five_star_review_beat_twenty_good_ones() -> None:
    one_perfect = rating_part(count=1, mean=5.0)
    many_good = rating_part(count=20, mean=4.7)
    assert many_good.value > one_perfect.value
    assert bayesian_rating(count=1, mean=5.0) == pytest.approx((5 * 4.0 + 5.0) / 6)


@pytest.mark.parametrize(
    ("count", "mean", "text"),
    [
        (0, None, "no reviews yet"),
        (1, 5.0, "5.0★ from 1 review"),
        (12, 4.83, "4.8★ from 12 reviews"),
    ],
)
def test_it_says_how_the_rating_was_earned(count: int, mean: float | None, text: str) -> None:
    assert rating_part(count=count, mean=mean).text == text


def test_it_gives_no_reviews_the_prior() -> None:
    assert rating_part(count=0, mean=None).value == pytest.approx(4.0 / 5.0)


@pytest.mark.parametrize(
    ("sessions", "capacity", "value", "text"),
    [
        (0, 3, 1.0, "no sessions this week"),
        (1, 4, 0.75, "1 session this week"),
        (3, 6, 0.5, "3 sessions this week"),
    ],
)
def test_it_prefers_interviewers_with_fewer_sessions_this_week(
    sessions: int, capacity: int, value: float, text: str
) -> None:
    part = load_part(sessions_this_week=sessions, weekly_capacity=capacity)
    assert (part.value, part.text) == (pytest.approx(value), text)


@pytest.mark.parametrize(
    ("together", "value", "text"),
    [
        (0, 1.0, "new to you"),
        (1, 0.0, "1 session together before"),
        (2, 0.0, "2 sessions together before"),
    ],
)
def test_it_prefers_interviewers_not_met_before(together: int, value: float, text: str) -> None:
    part = novelty_part(sessions_together=together)
    assert (part.value, part.text) == (value, text)


def test_it_counts_slots_inside_the_candidates_day_across_a_dst_change() -> None:
    # 07:30 UTC is 07:30 in London on Friday (winter time) but 08:30 on Monday (summer).
    friday = slot_at(datetime(2027, 3, 26, 7, 30, tzinfo=UTC))
    monday = slot_at(datetime(2027, 3, 29, 7, 30, tzinfo=UTC))
    # 21:00 UTC on Monday is 22:00 to 23:00 local: it ends after 22:00.
    late = slot_at(datetime(2027, 3, 29, 21, 0, tzinfo=UTC))
    # 20:00 UTC on Friday is 20:00 to 21:00 local.
    evening = slot_at(datetime(2027, 3, 26, 20, 0, tzinfo=UTC))
    # 23:30 to 00:30 local crosses midnight, so it ends after 22:00 too.
    overnight = slot_at(datetime(2027, 3, 29, 22, 30, tzinfo=UTC))
    slots = [friday, monday, late, evening, overnight]
    part = time_zone_part(slots=slots, hours=WakingHours(LONDON))
    assert part.value == pytest.approx(2 / 5)
    assert part.text == "2 slots inside your 08:00 to 22:00"


def test_it_counts_slots_inside_the_candidates_own_waking_hours() -> None:
    # 06:00 and 22:30 London, outside 08:00 to 22:00 but inside 06:00 to 23:59 (midnight).
    early = slot_at(datetime(2027, 3, 23, 6, 0, tzinfo=UTC))
    late = slot_at(datetime(2027, 3, 23, 22, 30, tzinfo=UTC), minutes=90)
    hours = WakingHours(LONDON, starts=time(6), ends=time(23, 59))
    part = time_zone_part(slots=[early, late], hours=hours)
    assert (part.value, part.text) == (1.0, "2 slots inside your 06:00 to 24:00")
    assert time_zone_part(slots=[early, late], hours=WakingHours(LONDON)).value == 0.0


def test_it_counts_no_slots_as_no_fit() -> None:
    part = time_zone_part(slots=[], hours=WakingHours(ZoneInfo("Asia/Kolkata")))
    assert (part.value, part.text) == (0.0, "0 slots inside your 08:00 to 22:00")


def test_it_weighs_parts_into_a_total_that_a_perfect_match_makes_one() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    parts = [Part(name, 1.0, "") for name in WEIGHTS]
    assert total_score(parts) == pytest.approx(1.0)
    halves = [Part("expertise", 0.5, ""), Part("load", 1.0, "")]
    assert total_score(halves) == pytest.approx(0.5 * WEIGHTS["expertise"] + WEIGHTS["load"])


def test_it_explains_every_part_in_reading_order() -> None:
    facts = Facts(
        interviewer_id=7,
        level="staff",
        expertise=["caching", "concurrency", "scalability"],
        sessions_this_week=3,
        weekly_capacity=6,
        review_count=0,
        review_mean=None,
        sessions_together=0,
    )
    parts = explain(
        facts,
        target_level="senior",
        focus=["concurrency", "caching"],
        weakest_areas=[],
        slots=[slot_at(datetime(2027, 3, 23, 14, 0, tzinfo=UTC))],
        hours=WakingHours(LONDON),
    )
    assert [part.part for part in parts] == list(matching.PART_ORDER)
    assert " · ".join(part.text for part in parts) == (
        "expertise: concurrency, caching · staff: one level above your senior target"
        " · 3 sessions this week · no reviews yet · 1 slot inside your 08:00 to 22:00"
        " · new to you"
    )


def test_it_breaks_ties_by_earliest_slot_then_by_id() -> None:
    early = datetime(2027, 3, 23, 9, 0, tzinfo=UTC)
    late = early + timedelta(hours=1)
    keys = [
        rank_key(score=0.8, first_slot=late, interviewer_id=1),
        rank_key(score=0.8, first_slot=early, interviewer_id=9),
        rank_key(score=0.8, first_slot=early, interviewer_id=3),
        rank_key(score=0.9, first_slot=late, interviewer_id=5),
    ]
    expected = [5, 3, 9, 1]
    for seed in range(5):
        shuffled = keys[:]
        random.Random(seed).shuffle(shuffled)
        assert [key[2] for key in sorted(shuffled)] == expected


# Selector ---------------------------------------------------------------------------

MakeInterviewer = Callable[..., User]


@pytest.fixture
def candidate(db: None) -> User:
    profile = CandidateProfileFactory(
        user__time_zone="Europe/London",
        target_level="senior",
        focus_areas=["caching", "concurrency"],
    )
    return User.objects.get(pk=profile.user.pk)


def create_interviewer(
    *,
    level: str = "staff",
    status: str = VettingStatus.APPROVED,
    expertise: tuple[str, ...] = ("caching", "concurrency"),
    time_zone: str = "Europe/London",
    capacity: int = 3,
    windows: tuple[tuple[int, time, time], ...] = ((1, time(13), time(15)),),
    user: User | None = None,
) -> User:
    """An interviewer with weekly windows; by default approved, staff, Tuesdays 13 to 15."""
    extra: dict[str, Any] = {}
    if status == VettingStatus.REJECTED:
        extra["decision_reason"] = "Not enough system design experience yet."
    profile = InterviewerProfileFactory(
        user=user or UserFactory(time_zone=time_zone),
        level=level,
        status=status,
        expertise=list(expertise),
        weekly_capacity=capacity,
        **extra,
    )
    for weekday, begins, ends in windows:
        WeeklyWindow.objects.create(
            interviewer=profile.user, weekday=weekday, start_time=begins, end_time=ends
        )
    return profile.user


@pytest.fixture
def make_interviewer(db: None) -> MakeInterviewer:
    return create_interviewer


def book(interviewer: User, candidate: User, start: datetime, **extra: Any) -> Session:
    return Session.objects.create(
        interviewer=interviewer,
        candidate=candidate,
        start=start,
        end=start + timedelta(hours=1),
        meeting_url="https://meet.example.test/room",
        **extra,
    )


def matched_ids(candidate: User, **kwargs: Any) -> list[int]:
    found = find_matches(candidate=candidate, start=NOW, end=WINDOW_END, now=NOW, **kwargs)
    return [match.interviewer.pk for match in found]


@pytest.mark.parametrize(
    "reason",
    ["pending", "rejected", "not_more_senior", "no_windows", "at_capacity", "inactive"],
)
def test_it_leaves_out_interviewers_who_cannot_be_booked(
    candidate: User, make_interviewer: MakeInterviewer, reason: str
) -> None:
    eligible = make_interviewer()
    options: dict[str, dict[str, Any]] = {
        "pending": {"status": VettingStatus.PENDING},
        "rejected": {"status": VettingStatus.REJECTED},
        "not_more_senior": {"level": "senior"},
        "no_windows": {"windows": ()},
        "at_capacity": {"capacity": 1},
        "inactive": {},
    }
    excluded = make_interviewer(**options[reason])
    if reason == "at_capacity":
        other = UserFactory()
        # One session in each ISO week the window touches (Mondays, London time).
        for week in range(3):
            book(excluded, other, datetime(2027, 3, 22, 10, tzinfo=UTC) + timedelta(weeks=week))
    if reason == "inactive":
        User.objects.filter(pk=excluded.pk).update(is_active=False)
    assert matched_ids(candidate) == [eligible.pk]


def test_it_never_matches_candidates_with_themselves(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    make_interviewer(user=candidate, level="principal")
    other = make_interviewer()
    assert matched_ids(candidate) == [other.pk]


def test_it_matches_only_strictly_more_senior_interviewers(
    make_interviewer: MakeInterviewer,
) -> None:
    staff_target = CandidateProfileFactory(target_level="staff").user
    make_interviewer(level="staff")
    principal = make_interviewer(level="principal")
    assert matched_ids(staff_target) == [principal.pk]


def test_it_removes_the_candidates_own_booked_time_from_the_slots(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    interviewer = make_interviewer()
    # Tuesday 23 March, 13:00 to 14:00 London (GMT), with someone else.
    taken = datetime(2027, 3, 23, 13, 0, tzinfo=UTC)
    book(UserFactory(), candidate, taken)
    [match] = find_matches(candidate=candidate, start=NOW, end=WINDOW_END, now=NOW)
    assert match.interviewer == interviewer
    starts = [slot.start for slot in match.next_slots]
    assert taken not in starts
    assert taken + timedelta(minutes=30) not in starts  # overlaps 13:30 to 14:30 as well
    assert starts[0] == taken + timedelta(hours=1)


def test_it_drops_slots_in_weeks_already_at_capacity(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    interviewer = make_interviewer(capacity=1)
    book(interviewer, UserFactory(), datetime(2027, 3, 24, 10, tzinfo=UTC))  # this week
    [match] = find_matches(candidate=candidate, start=NOW, end=WINDOW_END, now=NOW)
    # Next week starts Monday 29 March, 00:00 London time.
    assert all(slot.start >= datetime(2027, 3, 28, 23, tzinfo=UTC) for slot in match.next_slots)
    assert "1 session this week" in [part.text for part in match.explanation]


def test_it_ignores_cancelled_sessions_for_capacity(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    interviewer = make_interviewer(capacity=1)
    book(
        interviewer,
        UserFactory(),
        datetime(2027, 3, 23, 13, tzinfo=UTC),
        status=SessionStatus.CANCELLED,
    )
    [match] = find_matches(candidate=candidate, start=NOW, end=WINDOW_END, now=NOW)
    assert match.next_slots[0].start == datetime(2027, 3, 23, 13, tzinfo=UTC)


def test_it_ranks_by_score_and_explains_it(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    partial = make_interviewer(expertise=("caching", "scalability"))
    full = make_interviewer(expertise=("caching", "concurrency"))
    met_before = make_interviewer(expertise=("caching", "concurrency"))
    book(met_before, candidate, NOW - timedelta(days=30), status=SessionStatus.COMPLETED)
    matches = find_matches(candidate=candidate, start=NOW, end=WINDOW_END, now=NOW)
    assert [match.interviewer.pk for match in matches] == [full.pk, met_before.pk, partial.pk]
    texts = [[part.text for part in match.explanation] for match in matches]
    assert texts[0][0] == "expertise: caching, concurrency"
    assert texts[1][-1] == "1 session together before"
    assert texts[2][0] == "expertise: caching"
    for match in matches:
        assert match.score == pytest.approx(total_score(match.explanation))


def test_it_lets_the_focus_argument_override_the_profile(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    caching = make_interviewer(expertise=("caching", "concurrency"))
    real_time = make_interviewer(expertise=("real-time",))
    assert matched_ids(candidate) == [caching.pk, real_time.pk]
    assert matched_ids(candidate, focus=["real-time"]) == [real_time.pk, caching.pk]


def test_it_breaks_equal_scores_by_the_earliest_slot_then_the_id(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    wednesday = make_interviewer(windows=((2, time(13), time(15)),))
    tuesday_first = make_interviewer()
    tuesday_second = make_interviewer()
    assert matched_ids(candidate) == [tuesday_first.pk, tuesday_second.pk, wednesday.pk]
    # With one place, Wednesday is visited first (same bound, lower id) but must lose.
    assert matched_ids(candidate, limit=1) == [tuesday_first.pk]


def test_it_stops_at_the_limit_with_the_best_ones(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    weaker = [make_interviewer(expertise=("scalability",)) for _ in range(3)]
    stronger = [make_interviewer() for _ in range(2)]
    assert matched_ids(candidate, limit=2) == [user.pk for user in stronger]
    assert len(matched_ids(candidate, limit=4)) == 4
    assert weaker


def test_it_never_offers_an_excluded_interviewer(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    cancelled = make_interviewer()
    other = make_interviewer(expertise=("scalability",))
    assert matched_ids(candidate) == [cancelled.pk, other.pk]
    assert matched_ids(candidate, excluding=[cancelled.pk]) == [other.pk]


def test_it_offers_the_slots_inside_the_waking_hours_first(
    make_interviewer: MakeInterviewer,
) -> None:
    # New York is 4 hours behind London in the week of 22 March 2027 (the US changed
    # clocks on 14 March, the UK changes on 28 March): 02:00 to 07:00 London is
    # 22:00 to 03:00 New York, 13:00 to 16:00 London is 09:00 to 12:00.
    candidate = CandidateProfileFactory(
        user__time_zone="America/New_York", target_level="senior", focus_areas=["caching"]
    ).user
    make_interviewer(windows=((1, time(2), time(7)), (1, time(13), time(16))))
    [match] = find_matches(candidate=candidate, start=NOW, end=WINDOW_END, now=NOW)
    new_york = ZoneInfo("America/New_York")
    local = [slot.start.astimezone(new_york).time() for slot in match.next_slots]
    # The five first daytime slots, then five of the night ones.
    assert local == [
        time(9),
        time(9, 30),
        time(10),
        time(10, 30),
        time(11),
        time(22),
        time(22, 30),
        time(23),
        time(23, 30),
        time(0),
    ]


def test_it_shows_the_first_five_slots(candidate: User, make_interviewer: MakeInterviewer) -> None:
    make_interviewer(windows=((1, time(9), time(17)),))
    [match] = find_matches(candidate=candidate, start=NOW, end=WINDOW_END, now=NOW)
    assert len(match.next_slots) == matching.NEXT_SLOTS
    assert match.next_slots[0].start.astimezone(LONDON).time() == time(9)


@pytest.mark.parametrize("bookings", [0, 10, 200])
def test_it_costs_the_same_queries_whatever_the_bookings(
    candidate: User,
    make_interviewer: MakeInterviewer,
    django_assert_num_queries: Any,
    bookings: int,
) -> None:
    matched = [make_interviewer(capacity=20) for _ in range(3)]
    busy_interviewer = make_interviewer(status=VettingStatus.PENDING)
    busy_candidate = UserFactory()
    start = NOW + timedelta(hours=3)
    for number in range(bookings):
        # A few with the matched interviewers, the rest between other people; one hour
        # apart so nobody overlaps.
        giver = matched[number % 3] if number < 6 else busy_interviewer
        book(giver, busy_candidate, start + timedelta(hours=number))
    fresh = User.objects.get(pk=candidate.pk)  # its profile is read inside, as in a request
    # profile, its focus areas, its plan's weakest areas, its own sessions (booked time and
    # pair history), the ranked interviewers, their people, weekly windows, sessions and
    # one-off windows, the matched users and their expertise.
    with django_assert_num_queries(11):
        matches = find_matches(candidate=fresh, start=NOW, end=WINDOW_END, now=NOW)
    assert len(matches) == 3


def test_it_reads_past_the_first_page_when_the_bound_is_still_open(
    candidate: User, make_interviewer: MakeInterviewer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # All five tie on their bound and are read in id order, two a page; the earliest
    # slots (Monday, then Tuesday) belong to the last two, on the last page.
    friday_first = [
        make_interviewer(windows=((weekday, time(13), time(15)),)).pk for weekday in (4, 3, 2, 1, 0)
    ]
    monkeypatch.setattr(matching, "FIRST_PAGE", 2)
    assert matched_ids(candidate, limit=3) == friday_first[::-1][:3]


def _reviewed(user: User, *, count: int, stars: int) -> User:
    InterviewerProfile.objects.filter(user=user).update(review_count=count, review_stars=stars)
    return user


def test_it_ranks_by_the_bayesian_rating_and_explains_it(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    unreviewed = make_interviewer()
    one_five_star = _reviewed(make_interviewer(), count=1, stars=5)
    many_good = _reviewed(make_interviewer(), count=20, stars=96)  # 4.8 on average
    poorly = _reviewed(make_interviewer(), count=10, stars=25)

    matches = find_matches(candidate=candidate, start=NOW, end=WINDOW_END, now=NOW)

    assert [match.interviewer.pk for match in matches] == [
        many_good.pk,
        one_five_star.pk,
        unreviewed.pk,
        poorly.pk,
    ]
    rating_texts = [
        next(part.text for part in match.explanation if part.part == "rating") for match in matches
    ]
    assert rating_texts == [
        "4.8★ from 20 reviews",
        "5.0★ from 1 review",
        "no reviews yet",
        "2.5★ from 10 reviews",
    ]
    for match in matches:
        assert match.score == pytest.approx(total_score(match.explanation))


def test_it_keeps_the_bound_exact_when_the_rating_outweighs_seniority(
    candidate: User, make_interviewer: MakeInterviewer
) -> None:
    # Staff fits a senior target better than principal (0.0375 of score), but the
    # principal's 4.95 against 3.0 Bayesian stars is worth more (0.0586). With the prior
    # (4.0) in the database's bound instead of the real rating, the principal's bound
    # (0.2325 plus the shared parts) would fall below the staff interviewer's score (0.24
    # plus the same) and the search would stop before reaching them.
    staff = _reviewed(make_interviewer(level="staff"), count=10, stars=25)
    principal = _reviewed(make_interviewer(level="principal"), count=100, stars=500)

    assert matched_ids(candidate) == [principal.pk, staff.pk]
    assert matched_ids(candidate, limit=1) == [principal.pk]


def test_it_reads_pages_no_larger_than_the_last_size(
    candidate: User, make_interviewer: MakeInterviewer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages of 1, then 4 capped to 2: all five are still visited, in the same order.
    friday_first = [
        make_interviewer(windows=((weekday, time(13), time(15)),)).pk for weekday in (4, 3, 2, 1, 0)
    ]
    monkeypatch.setattr(matching, "FIRST_PAGE", 1)
    monkeypatch.setattr(matching, "LAST_PAGE", 2)
    sizes: list[int] = []
    read_nearby = matching._read_nearby

    def counting(ids: Any, **kwargs: Any) -> Any:
        sizes.append(len(ids))
        return read_nearby(ids, **kwargs)

    monkeypatch.setattr(matching, "_read_nearby", counting)
    assert matched_ids(candidate, limit=5) == friday_first[::-1]
    assert sizes == [1, 2, 2]
