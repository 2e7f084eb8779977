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
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import chain
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from accounts.models import InterviewerLevel, InterviewerProfile, User, VettingStatus
from config import timefmt
from interviews.availability import DATE_MARGIN, date_changes
from interviews.models import HOLDS_TIME, Session, WeeklyWindow
from interviews.slots import Availability, ExtraWindow, Slot, WeeklyRule, generate_slots
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

# Bayesian average: every interviewer starts as if they had PRIOR_WEIGHT reviews of
# PRIOR_MEAN stars, so one 5-star review moves them a little, twenty move them a lot.
PRIOR_MEAN = 4.0
PRIOR_WEIGHT = 5
MAX_STARS = 5.0

# One level above the target is the realistic bar of a real loop; two or more levels
# above still helps, a little less per level (a principal grading a mid is calibrated
# for a different interview).
SENIORITY_BY_GAP = {1: 1.0, 2: 0.75, 3: 0.5, 4: 0.25}

# The candidate's waking hours for the time-zone part.
DAY_STARTS = time(8, 0)
DAY_ENDS = time(22, 0)

NEXT_SLOTS = 5
FIRST_BATCH = 50
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


def bayesian_rating(*, count: int, mean: float | None) -> float:
    total = (mean or 0.0) * count
    return (PRIOR_WEIGHT * PRIOR_MEAN + total) / (PRIOR_WEIGHT + count)


def rating_value(*, count: int, mean: float | None) -> float:
    return bayesian_rating(count=count, mean=mean) / MAX_STARS


def rating_part(*, count: int, mean: float | None) -> Part:
    if count == 0 or mean is None:
        text = "no reviews yet"
    else:
        text = f"{mean:.1f}★ from {count} review{'' if count == 1 else 's'}"
    return Part("rating", rating_value(count=count, mean=mean), text)


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


def is_inside_day(slot: Slot, tz: ZoneInfo) -> bool:
    """The slot starts and ends within 08:00 to 22:00 of one local day, read with DST rules."""
    start = slot.start.astimezone(tz)
    end = slot.end.astimezone(tz)
    if start.time() < DAY_STARTS:
        return False
    # A slot ending at midnight or later ends after 22:00.
    return end.date() == start.date() and end.time() <= DAY_ENDS


def time_zone_part(*, slots: Sequence[Slot], time_zone: str) -> Part:
    """Share of the interviewer's offered slots inside the candidate's waking hours."""
    tz = ZoneInfo(time_zone)
    inside = sum(1 for slot in slots if is_inside_day(slot, tz))
    value = inside / len(slots) if slots else 0.0
    plural = "" if inside == 1 else "s"
    hours = f"{timefmt.clock(DAY_STARTS)} to {timefmt.clock(DAY_ENDS)}"
    text = f"{inside} slot{plural} inside your {hours}"
    return Part("time_zone", value, text)


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
    time_zone: str,
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
        "time_zone": time_zone_part(slots=slots, time_zone=time_zone),
        "novelty": novelty_part(sessions_together=facts.sessions_together),
    }
    return [parts[name] for name in PART_ORDER]


def rank_key(
    *, score: float, first_slot: datetime, interviewer_id: int
) -> tuple[float, datetime, int]:
    """Best score first; ties go to the earliest next slot, then to the lower id."""
    return (-score, first_slot, interviewer_id)


# Selector ---------------------------------------------------------------------------

# Interviewers read in the first page of the ranking; the visit usually stops well inside.
FIRST_PAGE = 1000
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
    weekly: str  # their weekly windows as one string, see `_weekly_signature`
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
    together: dict[int, int] = field(default_factory=dict)


def find_matches(
    *,
    candidate: User,
    start: datetime,
    end: datetime,
    now: datetime,
    focus: list[str] | None = None,
    limit: int = 20,
) -> list[Match]:
    """The best `limit` interviewers for the candidate in [start, end), best first.

    Built for 10,000 interviewers in under 100 ms, in a number of queries that never
    grows with bookings or interviewers: 7 (6 when `focus` is given, one more when the
    candidate's profile is not loaded yet, and one more in the rare search that must
    visit over 1,000 interviewers, see `_ranked_rows`):
    - Slot generation is the costly step (about half a millisecond an interviewer), and
      only the time-zone part needs slots. So this is a branch and bound: the database
      computes for every eligible interviewer an upper bound of the score (their real
      expertise and seniority parts; the most the load, novelty and time-zone parts can
      add) and hands them over best bound first, with their weekly windows folded into
      one string. Each is then scored exactly; once `limit` matches are found and the
      next bound is below the `limit`-th score, nobody later can enter the list, so the
      visit stops and the rest are never fetched. A bound equal to that score still goes
      on: the tie-break (earliest next slot) needs its slots.
    - The sessions and one-off windows around the window are read in one query each,
      one row per session or window, for everyone: capacity, load, busy time, and the
      candidate's own booked time. Pair history is one grouped query.
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

    nearby = _read_nearby(candidate=candidate, start=start, end=end, now=now)
    also_busy = nearby.busy.get(candidate.pk, [])
    generator = _SlotGenerator(
        start=start, end=end, now=now, also_busy=also_busy, candidate_zone=candidate.time_zone
    )
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
        nearby=nearby,
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
        candidate_zone=candidate.time_zone,
        now=now,
    )


def _read_nearby(*, candidate: User, start: datetime, end: datetime, now: datetime) -> _Nearby:
    """Sessions and one-off windows near the window, and the pair history: 3 queries.

    One row per session or window, so the count of queries never grows with bookings.
    The session range reaches a week beyond both ends, so that "this week" and the
    window's first and last weeks are counted whole in any zone.
    """
    nearby = _Nearby()
    since = min(now, start) - timedelta(days=7) - DATE_MARGIN
    until = max(now, end) + timedelta(days=7) + DATE_MARGIN
    for interviewer_id, candidate_id, begins, ends in Session.objects.filter(
        HOLDS_TIME, start__lt=until, end__gt=since
    ).values_list("interviewer_id", "candidate_id", "start", "end"):
        nearby.starts_given.setdefault(interviewer_id, []).append(begins)
        # Busy either way: an interviewer can also practise as a candidate.
        for user_id in {interviewer_id, candidate_id}:
            nearby.busy.setdefault(user_id, []).append((begins, ends))
    nearby.extra, nearby.blackouts = date_changes(start=start, end=end)
    nearby.together = dict(
        Session.objects.filter(HOLDS_TIME, candidate=candidate)
        .order_by()
        .values("interviewer_id")
        .annotate(together=Count("pk"))
        .values_list("interviewer_id", "together")
    )
    return nearby


def _ranked_rows(
    *,
    candidate: User,
    target_level: str,
    focus: Sequence[str],
    weakest_areas: Sequence[str],
    nearby: _Nearby,
) -> Iterator[tuple[_Row, float]]:
    """Approved, strictly more senior interviewers but the candidate, best bound first: 1 query.

    The bound is every part at its best except expertise and seniority, which the
    database knows exactly.
    """
    levels = [
        level for level in InterviewerLevel.values if LEVEL_RANK[level] > LEVEL_RANK[target_level]
    ]
    wanted = len(focus) + WEAKEST_AREA_WEIGHT * len(weakest_areas)
    per_hit = WEIGHTS["expertise"] / wanted if wanted else 0.0
    seniority = Case(
        *(
            When(
                interviewer_profile__level=level,
                then=Value(
                    WEIGHTS["seniority"]
                    * seniority_value(target_level=target_level, interviewer_level=level)
                ),
            )
            for level in levels
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )
    # The rating part exactly as `rating_value` computes it, from the profile's running
    # totals: (prior stars + stars) / (prior weight + count), out of 5.
    rating = (
        (Value(PRIOR_WEIGHT * PRIOR_MEAN) + Cast("interviewer_profile__review_stars", FloatField()))
        / (Value(float(PRIOR_WEIGHT)) + Cast("interviewer_profile__review_count", FloatField()))
        * Value(WEIGHTS["rating"] / MAX_STARS)
    )
    best_rest = WEIGHTS["load"] + WEIGHTS["novelty"] + WEIGHTS["time_zone"] + BOUND_SLACK
    found = (
        User.objects.filter(
            interviewer_profile__status=VettingStatus.APPROVED,
            interviewer_profile__level__in=levels,
            is_active=True,
        )
        .exclude(pk=candidate.pk)
        .annotate(
            focus_overlap=_overlap(focus),
            weak_overlap=_overlap(weakest_areas),
            weekly=_weekly_signature(),
        )
        .annotate(
            bound=ExpressionWrapper(
                (F("focus_overlap") + Value(WEAKEST_AREA_WEIGHT) * F("weak_overlap"))
                * Value(per_hit)
                + seniority
                + rating
                + Value(best_rest),
                output_field=FloatField(),
            )
        )
        .order_by("-bound", "pk")
        .values_list(
            "pk",
            "time_zone",
            "interviewer_profile__level",
            "interviewer_profile__weekly_capacity",
            "interviewer_profile__review_count",
            "interviewer_profile__review_stars",
            "focus_overlap",
            "weak_overlap",
            "weekly",
            "bound",
        )
    )
    # Two pages: the databases compute the weekly-window strings only for the rows a LIMIT
    # returns, which halves the query's time; the rest is asked for only if the visit
    # goes past the first page, so a search costs one query more in that case alone.
    first = list(found[:FIRST_PAGE])
    rest = found[FIRST_PAGE:] if len(first) == FIRST_PAGE else []
    for (
        pk,
        zone,
        level,
        capacity,
        review_count,
        review_stars,
        focus_hits,
        weak_hits,
        weekly,
        bound,
    ) in chain(first, rest):
        starts = nearby.starts_given.get(pk)
        row = _Row(
            interviewer_id=pk,
            time_zone=zone,
            level=level,
            weekly_capacity=capacity,
            focus_overlap=focus_hits,
            weak_overlap=weak_hits,
            weekly=weekly or "",
            week_counts=_week_counts(starts, zone) if starts else _NO_SESSIONS,
            busy=nearby.busy.get(pk, []),
            extra=nearby.extra.get(pk, []),
            blackouts=frozenset(nearby.blackouts.get(pk, ())),
            sessions_together=nearby.together.get(pk, 0),
            review_count=review_count,
            review_stars=review_stars,
        )
        yield row, bound


_NO_SESSIONS: Counter[tuple[int, int]] = Counter()  # shared, never written to


def _week_counts(starts: Iterable[datetime], time_zone: str) -> Counter[tuple[int, int]]:
    tz = ZoneInfo(time_zone)
    return Counter(_iso_week(moment, tz) for moment in starts)


def _overlap(slugs: Sequence[str]) -> Coalesce | Value:
    """How many of `slugs` the interviewer's expertise holds."""
    if not slugs:
        return Value(0, output_field=IntegerField())
    through = InterviewerProfile.expertise.through
    counted = (
        through.objects.filter(
            interviewerprofile_id=OuterRef("interviewer_profile__pk"),
            skillarea__slug__in=list(slugs),
        )
        .order_by()
        .values("interviewerprofile_id")
        .annotate(hits=Count("pk"))
        .values("hits")  # type: ignore[misc]  # django-stubs cannot see the annotation
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class _SlotGenerator:
    """Free slots under capacity per interviewer, each distinct availability generated once."""

    def __init__(
        self,
        *,
        start: datetime,
        end: datetime,
        now: datetime,
        also_busy: Sequence[tuple[datetime, datetime]],
        candidate_zone: str,
    ) -> None:
        self.start, self.end, self.now = start, end, now
        self.also_busy = list(also_busy)
        self.candidate_zone = ZoneInfo(candidate_zone)
        self.weekly: dict[str, list[WeeklyRule]] = {}
        self.memo: dict[Hashable, tuple[list[Slot], int]] = {}

    def slots_for(self, row: _Row) -> tuple[list[Slot], int]:
        """The row's free slots and how many are inside the candidate's 08:00 to 22:00."""
        key: Hashable = (row.time_zone, row.weekly)
        if row.busy or row.extra or row.blackouts:
            key = (
                row.time_zone,
                row.weekly,
                tuple(sorted(row.busy)),
                tuple(row.extra),
                row.blackouts,
            )
        if key not in self.memo:
            availability = Availability(
                time_zone=row.time_zone,
                weekly=self._weekly(row.weekly),
                extra=row.extra,
                blackouts=row.blackouts,
                busy=[*row.busy, *self.also_busy],
            )
            slots = generate_slots(availability, start=self.start, end=self.end, now=self.now)
            self.memo[key] = (slots, self._inside(slots))
        slots, inside = self.memo[key]
        if row.week_counts:
            tz = ZoneInfo(row.time_zone)
            slots = [
                slot
                for slot in slots
                if row.week_counts[_iso_week(slot.start, tz)] < row.weekly_capacity
            ]
            inside = self._inside(slots)
        return slots, inside

    def _inside(self, slots: Sequence[Slot]) -> int:
        return sum(1 for slot in slots if is_inside_day(slot, self.candidate_zone))

    def _weekly(self, signature: str) -> list[WeeklyRule]:
        if signature not in self.weekly:
            self.weekly[signature] = _parse_weekly(signature)
        return self.weekly[signature]


# Weekly windows travel from the database as one string per interviewer, such as
# "1 13:00:00 18:00:00;3 09:00:00 12:00:00": parsing short strings for the few visited is
# far cheaper than building 30,000 rows, and equal strings mean equal weekly patterns.
RULE_SEPARATOR = ";"


def _weekly_signature() -> Subquery:
    rule = Concat(
        Cast("weekday", CharField()),
        Value(" "),
        Cast("start_time", CharField()),
        Value(" "),
        Cast("end_time", CharField()),
        output_field=CharField(),
    )
    # Equal patterns give equal strings only in a fixed order; SQLite before 3.44 cannot
    # order inside an aggregate, and there rows come in index order, which can only cost
    # a missed share of generated slots, never a wrong slot.
    ordered = connection.features.supports_aggregate_order_by_clause
    folded = (
        WeeklyWindow.objects.filter(interviewer_id=OuterRef("pk"))
        .order_by()
        .values("interviewer_id")
        .annotate(
            rules=StringAgg(
                rule,
                Value(RULE_SEPARATOR),
                order_by=("weekday", "start_time", "end_time") if ordered else None,
            )
        )
        .values("rules")
    )
    return Subquery(folded, output_field=CharField())


def _parse_weekly(signature: str) -> list[WeeklyRule]:
    rules = []
    for text in filter(None, signature.split(RULE_SEPARATOR)):
        weekday, begins, ends = text.split(" ")
        rules.append(WeeklyRule(int(weekday), time.fromisoformat(begins), time.fromisoformat(ends)))
    return rules


def _iso_week(moment: datetime, tz: ZoneInfo) -> tuple[int, int]:
    year, week, _ = moment.astimezone(tz).isocalendar()
    return (year, week)


def _window_weeks(row: _Row, *, start: datetime, end: datetime) -> set[tuple[int, int]]:
    tz = ZoneInfo(row.time_zone)
    weeks = set()
    day = start
    while day < end:
        weeks.add(_iso_week(day, tz))
        day += timedelta(days=1)
    weeks.add(_iso_week(end - timedelta(microseconds=1), tz))
    return weeks


def _full_all_window(row: _Row, *, start: datetime, end: datetime) -> bool:
    """At capacity in every week the window touches, so no slot could be offered."""
    if not row.week_counts:
        return False
    return all(
        row.week_counts[week] >= row.weekly_capacity
        for week in _window_weeks(row, start=start, end=end)
    )


def _sessions_this_week(row: _Row, *, now: datetime) -> int:
    return row.week_counts[_iso_week(now, ZoneInfo(row.time_zone))] if row.week_counts else 0


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
    candidate_zone: str,
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
            time_zone=candidate_zone,
        )
        matches.append(
            Match(
                interviewer=user,
                score=score,
                explanation=explanation,
                next_slots=slots[:NEXT_SLOTS],
            )
        )
    return matches
