"""Matching candidates with interviewers (SPEC §5): pure scoring, then one selector.

The score is a weighted sum of parts, each a value in [0, 1] with a sentence the
candidate reads ("expertise: concurrency, caching · 3 sessions this week · ..."), so the
ranking is never a black box. The part functions are pure and take plain values; the
selector `find_matches` reads the database in bulk, in a number of queries that does not
grow with bookings or interviewers.

Eligibility rules, read literally from the spec:
- approved, active interviewers only, never the candidate themselves;
- strictly more senior than the candidate's target level (a senior target gets staff and
  principal interviewers; a staff target gets principals only);
- under their weekly capacity: non-cancelled sessions are counted per ISO week (Monday
  00:00 to Monday 00:00 in the interviewer's zone), and slots in a full week are dropped;
- with at least one free slot in the window once the candidate's own booked time is
  removed.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Expression,
    ExpressionWrapper,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

from accounts.expertise import contains_lookup
from accounts.models import InterviewerLevel, InterviewerProfile, User, VettingStatus
from accounts.ratings import MAX_STARS, average_sentence, bayesian_expression, bayesian_rating
from config import lookups  # noqa: F401  # registers `__any_of`
from interviews.availability import (
    DATE_MARGIN,
    busy_by_person,
    date_changes,
    sessions_holding_time,
    weekly_rules,
)
from interviews.capacity import week_key
from interviews.models import HOLDS_TIME, Session
from interviews.slots import Availability, ExtraWindow, Slot, WeeklyRule, generate_slots
from interviews.waking_hours import WakingHours, is_inside_waking_hours, waking_hours_of
from studyplans.selectors import weakest_areas_for

# Candidate target levels and interviewer levels on one ladder.
LEVEL_RANK = {"junior": 0, "mid": 1, "senior": 2, "staff": 3, "principal": 4}

# Why these weights: what the candidate asked to practise matters most, so expertise
# leads. Time-zone fit is next, because slots at 03:00 local are offered but rarely taken.
# Seniority and rating shape the quality of the practice; load spreads sessions over
# interviewers so nobody burns out; novelty only nudges between otherwise equal people.
# They sum to 1, so a score reads as a share of a perfect match.
WEIGHTS = {
    "expertise": 0.35,
    "time_zone": 0.20,
    "seniority": 0.15,
    "rating": 0.15,
    "load": 0.10,
    "novelty": 0.05,
}
# The order the parts are shown in: what was asked for first, the nudges last.
PART_ORDER = ("expertise", "seniority", "load", "rating", "time_zone", "novelty")

# A weakest area (from past feedback) counts twice a chosen focus area: practising what
# went worst is what moves a candidate's result.
WEAKEST_AREA_WEIGHT = 2.0

# One level above the target is the realistic bar of a real loop; two or more levels
# above still helps, a little less per level (a principal grading a mid is calibrated
# for a different interview).
SENIORITY_BY_GAP = {1: 1.0, 2: 0.75, 3: 0.5, 4: 0.25}

# A search covers two weeks unless asked otherwise, and at most four: the page and the API
# both read these.
DEFAULT_SEARCH_DAYS = 14
MAX_SEARCH_DAYS = 28

# A card offers this many slots inside the candidate's waking hours, and as many outside
# them behind a disclosure, so night slots never crowd out day ones.
NEXT_SLOTS = 5
BATCH_GROWTH = 4


@dataclass(frozen=True)
class Part:
    part: str
    value: float  # in [0, 1]; the score adds WEIGHTS[part] * value
    text: str

    @property
    def weight(self) -> float:
        return WEIGHTS[self.part]


@dataclass(frozen=True)
class Match:
    interviewer: User
    score: float
    explanation: list[Part]
    # Inside the candidate's waking hours first, each part in time order (`next_slots`).
    next_slots: list[Slot] = field(default_factory=list)


# Pure parts -------------------------------------------------------------------------


def expertise_value(
    *, focus_overlap: int, focus_count: int, weak_overlap: int, weak_count: int
) -> float:
    wanted = focus_count + WEAKEST_AREA_WEIGHT * weak_count
    if wanted == 0:
        return 0.0
    return (focus_overlap + WEAKEST_AREA_WEIGHT * weak_overlap) / wanted


def expertise_part(
    *, expertise: Sequence[str], focus: Sequence[str], weakest_areas: Sequence[str]
) -> Part:
    """Overlap with what the candidate chose and with what went worst for them before."""
    have = set(expertise)
    focus_hits = [slug for slug in focus if slug in have]
    weak_hits = [slug for slug in weakest_areas if slug in have]
    value = expertise_value(
        focus_overlap=len(focus_hits),
        focus_count=len(focus),
        weak_overlap=len(weak_hits),
        weak_count=len(weakest_areas),
    )
    shown = list(dict.fromkeys([*weak_hits, *focus_hits]))  # weakest first, no repeats
    if shown:
        text = f"expertise: {', '.join(shown)}"
    elif focus or weakest_areas:
        text = "expertise: none of your focus areas"
    else:
        text = "expertise: pick focus areas to compare"
    return Part("expertise", value, text)


def seniority_value(*, target_level: str, interviewer_level: str) -> float:
    gap = LEVEL_RANK[interviewer_level] - LEVEL_RANK[target_level]
    return SENIORITY_BY_GAP.get(gap, 0.0)


def seniority_part(*, target_level: str, interviewer_level: str) -> Part:
    gap = LEVEL_RANK[interviewer_level] - LEVEL_RANK[target_level]
    steps = {1: "one level", 2: "two levels", 3: "three levels", 4: "four levels"}
    text = (
        f"{interviewer_level}: {steps.get(gap, f'{gap} levels')} above your {target_level} target"
    )
    return Part(
        "seniority",
        seniority_value(target_level=target_level, interviewer_level=interviewer_level),
        text,
    )


def rating_value(*, count: int, mean: float | None) -> float:
    return bayesian_rating(count=count, mean=mean) / MAX_STARS


def rating_part(*, count: int, mean: float | None) -> Part:
    return Part(
        "rating", rating_value(count=count, mean=mean), average_sentence(count=count, mean=mean)
    )


def load_value(*, sessions_this_week: int, weekly_capacity: int) -> float:
    if weekly_capacity <= 0:
        return 0.0
    return max(0.0, 1.0 - sessions_this_week / weekly_capacity)


def load_part(*, sessions_this_week: int, weekly_capacity: int) -> Part:
    if sessions_this_week == 0:
        text = "no sessions this week"
    else:
        text = f"{sessions_this_week} session{'' if sessions_this_week == 1 else 's'} this week"
    return Part(
        "load",
        load_value(sessions_this_week=sessions_this_week, weekly_capacity=weekly_capacity),
        text,
    )


def novelty_value(*, sessions_together: int) -> float:
    return 1.0 if sessions_together == 0 else 0.0


def novelty_part(*, sessions_together: int) -> Part:
    if sessions_together == 0:
        text = "new to you"
    else:
        plural = "" if sessions_together == 1 else "s"
        text = f"{sessions_together} session{plural} together before"
    return Part("novelty", novelty_value(sessions_together=sessions_together), text)


def time_zone_part(*, slots: Sequence[Slot], hours: WakingHours) -> Part:
    """Share of the interviewer's offered slots inside the candidate's waking hours."""
    inside = sum(1 for slot in slots if is_inside_waking_hours(slot, hours))
    value = inside / len(slots) if slots else 0.0
    plural = "" if inside == 1 else "s"
    text = f"{inside} slot{plural} inside your {hours.words}"
    return Part("time_zone", value, text)


def next_slots(slots: Sequence[Slot], hours: WakingHours) -> list[Slot]:
    """The first NEXT_SLOTS inside the waking hours, then the first NEXT_SLOTS outside."""
    inside = [slot for slot in slots if is_inside_waking_hours(slot, hours)]
    outside = [slot for slot in slots if not is_inside_waking_hours(slot, hours)]
    return inside[:NEXT_SLOTS] + outside[:NEXT_SLOTS]


def total_score(parts: Iterable[Part]) -> float:
    return sum(part.weight * part.value for part in parts)


@dataclass(frozen=True)
class Facts:
    """What scoring needs to know about one interviewer, as plain values."""

    interviewer_id: int
    level: str
    expertise: Sequence[str]
    sessions_this_week: int
    weekly_capacity: int
    review_count: int
    review_mean: float | None
    sessions_together: int


def explain(
    facts: Facts,
    *,
    target_level: str,
    focus: Sequence[str],
    weakest_areas: Sequence[str],
    slots: Sequence[Slot],
    hours: WakingHours,
) -> list[Part]:
    """Every part of one interviewer's score, in the order the candidate reads them."""
    parts = {
        "expertise": expertise_part(
            expertise=facts.expertise, focus=focus, weakest_areas=weakest_areas
        ),
        "seniority": seniority_part(target_level=target_level, interviewer_level=facts.level),
        "load": load_part(
            sessions_this_week=facts.sessions_this_week, weekly_capacity=facts.weekly_capacity
        ),
        "rating": rating_part(count=facts.review_count, mean=facts.review_mean),
        "time_zone": time_zone_part(slots=slots, hours=hours),
        "novelty": novelty_part(sessions_together=facts.sessions_together),
    }
    return [parts[name] for name in PART_ORDER]


def rank_key(
    *, score: float, first_slot: datetime, interviewer_id: int
) -> tuple[float, datetime, int]:
    """Best score first; ties go to the earliest next slot, then to the lower id."""
    return (-score, first_slot, interviewer_id)


# Selector ---------------------------------------------------------------------------

# Busy time further than this from the window cannot overlap any of its slots (a slot is
# at most MAX_SESSION_MINUTES long).
BUSY_MARGIN = timedelta(days=1)

# Interviewers read in the first page of the ranking; the visit usually stops well inside
# (about 150 at 10,000 interviewers and at 100,000 alike). A later page is read only when
# the bound is still open at the end of one, each BATCH_GROWTH times larger than the last.
FIRST_PAGE = 200
# No page larger: its ids travel as one list, and SQLite takes at most 32,766 parameters.
LAST_PAGE = 10_000
# Added to the database's bound so that float rounding there can never put it below the
# exact score computed here.
BOUND_SLACK = 1e-9


@dataclass
class _Row:
    """One eligible interviewer: what the bulk reads know about them, and their cheap parts."""

    interviewer_id: int
    time_zone: str
    level: str
    weekly_capacity: int
    focus_overlap: int
    weak_overlap: int
    weekly: tuple[WeeklyRule, ...]  # sorted, so equal patterns share their slots
    week_counts: Counter[tuple[int, int]]
    busy: list[tuple[datetime, datetime]]
    extra: list[ExtraWindow]
    blackouts: frozenset[date]
    sessions_together: int
    review_count: int
    review_stars: int
    this_week: int = 0  # sessions in the ISO week of `now`, in their zone
    cheap: float = 0.0  # every weighted part but the time-zone one


@dataclass(frozen=True, order=True)
class _Found:
    key: tuple[float, datetime, int]
    row: _Row = field(compare=False)
    slots: list[Slot] = field(compare=False)


@dataclass
class _Nearby:
    """Sessions and one-off windows around the window, by user id, read in bulk."""

    starts_given: dict[int, list[datetime]] = field(default_factory=dict)
    busy: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    extra: dict[int, list[ExtraWindow]] = field(default_factory=dict)
    blackouts: dict[int, set[date]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Around:
    """The time range whose sessions matter for a search, and the search window itself.

    The session range reaches a week beyond both ends, so that "this week" and the
    window's first and last weeks are counted whole in any zone.
    """

    start: datetime
    end: datetime
    since: datetime
    until: datetime

    @classmethod
    def of(cls, *, start: datetime, end: datetime, now: datetime) -> _Around:
        since = min(now, start) - timedelta(days=7) - DATE_MARGIN
        until = max(now, end) + timedelta(days=7) + DATE_MARGIN
        return cls(start=start, end=end, since=since, until=until)


def find_matches(
    *,
    candidate: User,
    start: datetime,
    end: datetime,
    now: datetime,
    focus: list[str] | None = None,
    limit: int = 20,
    excluding: Collection[int] = (),
) -> list[Match]:
    """The best `limit` interviewers for the candidate in [start, end), best first.

    `excluding` names interviewers never to offer, such as one who just cancelled.

    Built for 100,000 interviewers and a million past sessions, in a number of queries
    that never grows with bookings or interviewers: 11 (one fewer when `focus` is given,
    one more when the candidate's profile is not loaded yet, and five more for each
    further page in the rare search that must visit over FIRST_PAGE interviewers, see
    `_ranked_rows`):
    - Slot generation is the costly step (about half a millisecond an interviewer), and
      only the time-zone part needs slots. So this is a branch and bound: the database
      computes for every eligible interviewer an upper bound of the score (their real
      expertise and seniority parts; the most the load, novelty and time-zone parts can
      add) and hands them over best bound first, a page at a time. Each is then scored
      exactly; once `limit` matches are found and the next bound is below the `limit`-th
      score, nobody later can enter the list, so the visit stops and the rest are never
      fetched. A bound equal to that score still goes on: the tie-break (earliest next
      slot) needs its slots.
    - For each page of the ranking, the sessions and one-off windows of its interviewers
      around the window are read in one query each, one row per session or window:
      capacity, load and busy time. Never everyone's: that grows with the service.
    - The candidate's own sessions are one query: their booked time and pair history.
    - Many interviewers share a zone and a weekly pattern and have no session or
      one-off window of their own in the window: their free slots are identical, so
      they are generated once and shared.
    The result depends only on the data: ties break by score, then the earliest next
    slot, then the interviewer's id, and the visit order is fixed by bound and id.
    """
    profile = candidate.candidate_profile
    target_level = profile.target_level
    if focus is None:
        focus = list(profile.focus_areas.values_list("slug", flat=True))
    weakest_areas = weakest_areas_for(candidate=candidate, now=now, measured_only=True)
    if limit <= 0 or start >= end:
        return []

    around = _Around.of(start=start, end=end, now=now)
    also_busy, together = _read_own_sessions(candidate=candidate, around=around)
    hours = waking_hours_of(candidate)
    generator = _SlotGenerator(start=start, end=end, now=now, also_busy=also_busy, hours=hours)
    focus_count, weak_count = len(focus), len(weakest_areas)
    # A heap of the best `limit` so far with the worst on top, as plain tuples so that
    # comparing them stays in C: (score, -first slot, -id, row, slots), smaller is worse.
    best: list[tuple[float, float, int, _Row, list[Slot]]] = []
    cheap_memo: dict[tuple[str, int, int, int, int, int, int, int], float] = {}
    for row, bound in _ranked_rows(
        candidate=candidate,
        target_level=target_level,
        focus=focus,
        weakest_areas=weakest_areas,
        around=around,
        together=together,
        excluding=excluding,
    ):
        full = len(best) >= limit
        if full and bound < best[0][0]:
            break
        if row.week_counts and _full_all_window(row, start=start, end=end):
            continue
        row.this_week = this_week = _sessions_this_week(row, now=now)
        memo_key = (
            row.level,
            row.focus_overlap,
            row.weak_overlap,
            this_week,
            row.weekly_capacity,
            row.sessions_together,
            row.review_count,
            row.review_stars,
        )
        cheap = cheap_memo.get(memo_key)
        if cheap is None:
            cheap = cheap_memo[memo_key] = _cheap_score(
                row, target_level=target_level, focus_count=focus_count, weak_count=weak_count
            )
        row.cheap = cheap
        if full and cheap + WEIGHTS["time_zone"] + BOUND_SLACK < best[0][0]:
            continue  # its own bound, tighter than the database's, cannot make the list
        slots, inside = generator.slots_for(row)
        if not slots:
            continue
        score = cheap + WEIGHTS["time_zone"] * (inside / len(slots))
        entry = (score, -slots[0].start.timestamp(), -row.interviewer_id, row, slots)
        if not full:
            heapq.heappush(best, entry)
        elif entry[:3] > best[0][:3]:
            heapq.heapreplace(best, entry)

    ranked = sorted(
        (
            _Found(
                rank_key(score=score, first_slot=slots[0].start, interviewer_id=row.interviewer_id),
                row,
                slots,
            )
            for score, _, _, row, slots in best
        )
    )
    return _build_matches(
        ranked,
        target_level=target_level,
        focus=focus,
        weakest_areas=weakest_areas,
        hours=hours,
        now=now,
    )


def _read_own_sessions(
    *, candidate: User, around: _Around
) -> tuple[list[tuple[datetime, datetime]], dict[int, int]]:
    """The candidate's booked time near the window and sessions per interviewer: 1 query.

    Busy either way: an interviewer can also practise as a candidate.
    """
    busy: list[tuple[datetime, datetime]] = []
    together: Counter[int] = Counter()
    as_interviewer = Q(interviewer=candidate, start__lt=around.until, end__gt=around.since)
    for interviewer_id, candidate_id, begins, ends in Session.objects.filter(
        HOLDS_TIME, Q(candidate=candidate) | as_interviewer
    ).values_list("interviewer_id", "candidate_id", "start", "end"):
        if candidate_id == candidate.pk:
            together[interviewer_id] += 1
        if begins < around.until and ends > around.since:
            busy.append((begins, ends))
    return busy, dict(together)


def _read_nearby(ids: Sequence[int], *, around: _Around) -> _Nearby:
    """Sessions and one-off windows of these interviewers near the window: 2 queries.

    One row per session or window, so the count of queries never grows with bookings.
    """
    rows = sessions_holding_time(user_ids=ids, since=around.since, until=around.until)
    nearby = _Nearby(busy=dict(busy_by_person(rows, ids)))
    for interviewer_id, _, begins, _ in rows:
        nearby.starts_given.setdefault(interviewer_id, []).append(begins)
    nearby.extra, nearby.blackouts = date_changes(
        start=around.start, end=around.end, interviewer_ids=ids
    )
    return nearby


def _ranked_rows(
    *,
    candidate: User,
    target_level: str,
    focus: Sequence[str],
    weakest_areas: Sequence[str],
    around: _Around,
    together: dict[int, int],
    excluding: Collection[int] = (),
) -> Iterator[tuple[_Row, float]]:
    """Eligible interviewers best bound first, with what scoring needs: 5 queries a page.

    Each page is the ranking query for its rows, then their people (zone, weekly windows),
    sessions and one-off windows; the first page holds FIRST_PAGE rows, each next one
    BATCH_GROWTH times more up to LAST_PAGE, and a page is only read if the visit gets
    there.
    """
    found = _ranked_query(
        target_level=target_level,
        focus=focus,
        weakest_areas=weakest_areas,
        excluding=[candidate.pk, *excluding],
    )
    offset, size = 0, FIRST_PAGE
    while True:
        page = [_Ranked(*values) for values in found[offset : offset + size]]
        if not page:
            return
        ids = [ranked.interviewer_id for ranked in page]
        people = _people(ids)
        nearby = _read_nearby(list(people), around=around)
        for ranked in page:
            if ranked.interviewer_id in people:  # an inactive account is never offered
                zone, weekly = people[ranked.interviewer_id]
                yield _row(ranked, zone, weekly, nearby=nearby, together=together), ranked.bound
        if len(page) < size:
            return
        offset, size = offset + size, min(size * BATCH_GROWTH, LAST_PAGE)


@dataclass(frozen=True)
class _Ranked:
    """One row of the ranking query."""

    interviewer_id: int
    level: str
    weekly_capacity: int
    review_count: int
    review_stars: int
    focus_overlap: int
    weak_overlap: int
    bound: float


def _double(value: float) -> Cast:
    # A bare float is sent as a NUMERIC literal, and NUMERIC arithmetic over every
    # interviewer is several times slower than double precision.
    return Cast(Value(value), FloatField())


def _ranked_query(
    *,
    target_level: str,
    focus: Sequence[str],
    weakest_areas: Sequence[str],
    excluding: Collection[int] = (),
) -> QuerySet[InterviewerProfile, tuple[Any, ...]]:
    """Approved, strictly more senior interviewers, best bound first: rows for `_Ranked`.

    The bound is every part at its best except expertise, seniority and rating, which
    the database knows exactly. It reads the profile table alone, one row per
    interviewer with nothing joined, so that the one pass over every interviewer stays
    cheap; the people of a page are read after (`_people`).
    """
    levels = [
        level for level in InterviewerLevel.values if LEVEL_RANK[level] > LEVEL_RANK[target_level]
    ]
    wanted = len(focus) + WEAKEST_AREA_WEIGHT * len(weakest_areas)
    per_hit = WEIGHTS["expertise"] / wanted if wanted else 0.0
    seniority = Case(
        *(
            When(
                level=level,
                then=_double(
                    WEIGHTS["seniority"]
                    * seniority_value(target_level=target_level, interviewer_level=level)
                ),
            )
            for level in levels
        ),
        default=_double(0.0),
        output_field=FloatField(),
    )
    # The rating part as `rating_value` computes it, from the profile's running totals.
    rating = bayesian_expression() * _double(WEIGHTS["rating"] / MAX_STARS)
    best_rest = WEIGHTS["load"] + WEIGHTS["novelty"] + WEIGHTS["time_zone"] + BOUND_SLACK
    hits = Cast("focus_overlap", FloatField()) + _double(WEAKEST_AREA_WEIGHT) * Cast(
        "weak_overlap", FloatField()
    )
    return (
        InterviewerProfile.objects.filter(status=VettingStatus.APPROVED, level__in=levels)
        .exclude(user_id__in=list(excluding))
        .annotate(focus_overlap=_overlap(focus), weak_overlap=_overlap(weakest_areas))
        .annotate(
            bound=ExpressionWrapper(
                hits * _double(per_hit) + seniority + rating + _double(best_rest),
                output_field=FloatField(),
            )
        )
        .order_by("-bound", "user_id")
        .values_list(
            "user_id",
            "level",
            "weekly_capacity",
            "review_count",
            "review_stars",
            "focus_overlap",
            "weak_overlap",
            "bound",
        )
    )


def _people(ids: Sequence[int]) -> dict[int, tuple[str, tuple[WeeklyRule, ...]]]:
    """Zone and weekly windows of the active ones among `ids`: 2 queries."""
    weekly = weekly_rules(ids)
    return {
        pk: (zone, weekly[pk])
        for pk, zone in User.objects.filter(pk__any_of=ids, is_active=True).values_list(
            "pk", "time_zone"
        )
    }


def _row(
    ranked: _Ranked,
    zone: str,
    weekly: tuple[WeeklyRule, ...],
    *,
    nearby: _Nearby,
    together: dict[int, int],
) -> _Row:
    pk = ranked.interviewer_id
    starts = nearby.starts_given.get(pk)
    return _Row(
        interviewer_id=pk,
        time_zone=zone,
        level=ranked.level,
        weekly_capacity=ranked.weekly_capacity,
        focus_overlap=ranked.focus_overlap,
        weak_overlap=ranked.weak_overlap,
        weekly=weekly,
        week_counts=_week_counts(starts, zone) if starts else _NO_SESSIONS,
        busy=nearby.busy.get(pk, []),
        extra=nearby.extra.get(pk, []),
        blackouts=frozenset(nearby.blackouts.get(pk, ())),
        sessions_together=together.get(pk, 0),
        review_count=ranked.review_count,
        review_stars=ranked.review_stars,
    )


_NO_SESSIONS: Counter[tuple[int, int]] = Counter()  # shared, never written to


def _week_counts(starts: Iterable[datetime], time_zone: str) -> Counter[tuple[int, int]]:
    tz = ZoneInfo(time_zone)
    return Counter(week_key(moment, tz) for moment in starts)


def _overlap(slugs: Sequence[str]) -> Expression:
    """How many of `slugs` the interviewer's expertise holds, read from the profile's row.

    `expertise_slugs` (accounts.expertise) keeps the slugs in the row the ranking scans,
    so this costs a few string tests per interviewer and no subquery.
    """
    if not slugs:
        return Value(0, output_field=IntegerField())
    return sum(
        (
            Case(
                When(
                    expertise_slugs__contains=contains_lookup(slug),
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for slug in dict.fromkeys(slugs)
        ),
        start=Value(0, output_field=IntegerField()),
    )


class _SlotGenerator:
    """Free slots under capacity per interviewer, each distinct availability generated once."""

    def __init__(
        self,
        *,
        start: datetime,
        end: datetime,
        now: datetime,
        also_busy: Sequence[tuple[datetime, datetime]],
        hours: WakingHours,
    ) -> None:
        self.start, self.end, self.now = start, end, now
        self.also_busy = list(also_busy)
        self.hours = hours
        self.memo: dict[Hashable, tuple[list[Slot], int]] = {}
        self.inside: dict[Slot, bool] = {}

    def slots_for(self, row: _Row) -> tuple[list[Slot], int]:
        """The row's free slots and how many are inside the candidate's waking hours."""
        # Sessions are read from a week before the window for the capacity counts; only
        # those near the window can take a slot, and leaving the rest out of the key lets
        # everyone whose history lies in the past share one generation.
        busy = tuple(
            sorted(
                (begins, ends)
                for begins, ends in row.busy
                if ends > self.start - BUSY_MARGIN and begins < self.end + BUSY_MARGIN
            )
        )
        key: Hashable = (row.time_zone, row.weekly)
        if busy or row.extra or row.blackouts:
            key = (row.time_zone, row.weekly, busy, tuple(row.extra), row.blackouts)
        if key not in self.memo:
            availability = Availability(
                time_zone=row.time_zone,
                weekly=list(row.weekly),
                extra=row.extra,
                blackouts=row.blackouts,
                busy=[*busy, *self.also_busy],
            )
            slots = generate_slots(availability, start=self.start, end=self.end, now=self.now)
            self.memo[key] = (slots, self._inside(slots))
        slots, inside = self.memo[key]
        full = _full_weeks(row)
        if full:  # rare: only then is each slot's week worth working out
            tz = ZoneInfo(row.time_zone)
            slots = [slot for slot in slots if week_key(slot.start, tz) not in full]
            inside = self._inside(slots)
        return slots, inside

    def _inside(self, slots: Sequence[Slot]) -> int:
        # Interviewers' slots mostly start on the same hours: each is placed in the
        # candidate's day once.
        count = 0
        for slot in slots:
            inside = self.inside.get(slot)
            if inside is None:
                inside = self.inside[slot] = is_inside_waking_hours(slot, self.hours)
            count += inside
        return count


def _window_weeks(row: _Row, *, start: datetime, end: datetime) -> set[tuple[int, int]]:
    tz = ZoneInfo(row.time_zone)
    weeks = set()
    day = start
    while day < end:
        weeks.add(week_key(day, tz))
        day += timedelta(days=1)
    weeks.add(week_key(end - timedelta(microseconds=1), tz))
    return weeks


def _full_weeks(row: _Row) -> set[tuple[int, int]]:
    """The weeks (`week_key`) in which the interviewer is already at capacity."""
    return {week for week, count in row.week_counts.items() if count >= row.weekly_capacity}


def _full_all_window(row: _Row, *, start: datetime, end: datetime) -> bool:
    """At capacity in every week the window touches, so no slot could be offered."""
    full = _full_weeks(row)
    return bool(full) and _window_weeks(row, start=start, end=end) <= full


def _sessions_this_week(row: _Row, *, now: datetime) -> int:
    return row.week_counts[week_key(now, ZoneInfo(row.time_zone))] if row.week_counts else 0


def _mean_stars(row: _Row) -> float | None:
    return row.review_stars / row.review_count if row.review_count else None


def _cheap_score(row: _Row, *, target_level: str, focus_count: int, weak_count: int) -> float:
    """Every weighted part but the time-zone one, from plain numbers: no strings built."""
    return (
        WEIGHTS["expertise"]
        * expertise_value(
            focus_overlap=row.focus_overlap,
            focus_count=focus_count,
            weak_overlap=row.weak_overlap,
            weak_count=weak_count,
        )
        + WEIGHTS["seniority"]
        * seniority_value(target_level=target_level, interviewer_level=row.level)
        + WEIGHTS["rating"] * rating_value(count=row.review_count, mean=_mean_stars(row))
        + WEIGHTS["load"]
        * load_value(sessions_this_week=row.this_week, weekly_capacity=row.weekly_capacity)
        + WEIGHTS["novelty"] * novelty_value(sessions_together=row.sessions_together)
    )


def _build_matches(
    best: Sequence[_Found],
    *,
    target_level: str,
    focus: Sequence[str],
    weakest_areas: Sequence[str],
    hours: WakingHours,
    now: datetime,
) -> list[Match]:
    """The final matches with their full explanation: 2 queries, the users and their expertise."""
    ids = [item.row.interviewer_id for item in best]
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=ids)
        .select_related("interviewer_profile")
        .prefetch_related("interviewer_profile__expertise")
    }
    matches = []
    for item in best:
        row, slots, score = item.row, item.slots, -item.key[0]
        user = users[row.interviewer_id]
        # SkillArea's default ordering puts these in catalogue order.
        expertise = [area.slug for area in user.interviewer_profile.expertise.all()]
        facts = Facts(
            interviewer_id=row.interviewer_id,
            level=row.level,
            expertise=expertise,
            sessions_this_week=_sessions_this_week(row, now=now),
            weekly_capacity=row.weekly_capacity,
            review_count=row.review_count,
            review_mean=_mean_stars(row),
            sessions_together=row.sessions_together,
        )
        explanation = explain(
            facts,
            target_level=target_level,
            focus=focus,
            weakest_areas=weakest_areas,
            slots=slots,
            hours=hours,
        )
        matches.append(
            Match(
                interviewer=user,
                score=score,
                explanation=explanation,
                next_slots=next_slots(slots, hours),
            )
        )
    return matches
