"""Bookable slots from an interviewer's availability: a pure function, no database.

Rules (SPEC §6):
- Windows are wall-clock times in the interviewer's zone, so 13:00 to 18:00 stays 13:00
  to 18:00 local on both sides of a daylight-saving change (the UTC times move instead).
- Slots start on a 30-minute grid of local time and last the session length; a slot must
  end inside its window. A window ending at 23:59 (`END_OF_DAY`) runs to midnight, since
  a time of day cannot say 24:00: 21:00 to 23:59 holds a 23:00 to 24:00 slot.
- A local time that does not exist (the hour skipped when clocks go forward) is never
  offered.
- A local time that happens twice (the hour repeated when clocks go back) is offered once,
  at its first occurrence (`fold=0`, the earlier UTC instant, still on summer time).
- A slot needs `lead` time from now (2 hours) and starts within `horizon` (4 weeks).
- Slots overlapping a busy interval (a booked session) are left out.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

GRID = timedelta(minutes=30)
LEAD_TIME = timedelta(hours=2)
HORIZON = timedelta(weeks=4)
DEFAULT_LENGTH = timedelta(minutes=60)
END_OF_DAY = time(23, 59)
# Slots are found by walking local wall-clock time, but ranges are UTC: a range ending in
# the repeated hour of an autumn change holds slots whose wall-clock time is later than its
# end's. No zone's offset has moved by more than 2 hours in one change, so 3 is enough.
SCAN_MARGIN = timedelta(hours=3)


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC


@dataclass(frozen=True)
class WeeklyRule:
    weekday: int  # Monday is 0, as date.weekday()
    start: time
    end: time


@dataclass(frozen=True)
class ExtraWindow:
    date: date
    start: time
    end: time


@dataclass(frozen=True)
class Availability:
    """Everything slot generation needs about one interviewer."""

    time_zone: str
    weekly: Sequence[WeeklyRule] = ()
    extra: Sequence[ExtraWindow] = ()
    blackouts: frozenset[date] = frozenset()
    busy: Sequence[tuple[datetime, datetime]] = ()  # aware intervals, any order


def generate_slots(
    availability: Availability,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    length: timedelta = DEFAULT_LENGTH,
    lead: timedelta = LEAD_TIME,
    horizon: timedelta = HORIZON,
) -> list[Slot]:
    """The free slots starting in [start, end), sorted, each `length` long."""
    earliest = max(start, now + lead)
    latest = min(end, now + horizon)
    if earliest >= latest:
        return []
    tz = ZoneInfo(availability.time_zone)
    busy = _merged(availability.busy)
    # Only the local times that can start a slot in [earliest, latest) are converted (a
    # booking checks a one-minute range): the range in wall-clock terms, with a margin.
    scan = (
        earliest.astimezone(tz).replace(tzinfo=None) - SCAN_MARGIN,
        latest.astimezone(tz).replace(tzinfo=None) + SCAN_MARGIN,
    )
    found: set[Slot] = set()
    for day, window_start, window_end in _local_windows(availability, tz, earliest, latest):
        for slot in _slots_in_window(day, window_start, window_end, tz, length, scan):
            if earliest <= slot.start < latest and not _overlaps(slot, busy):
                found.add(slot)
    return sorted(found)


def _local_windows(
    availability: Availability, tz: ZoneInfo, earliest: datetime, latest: datetime
) -> Iterable[tuple[date, time, time]]:
    # One day either side: a local date's windows can start before `earliest` in UTC terms
    # and still hold slots after it, or the other way round.
    first = earliest.astimezone(tz).date() - timedelta(days=1)
    last = latest.astimezone(tz).date() + timedelta(days=1)
    by_weekday: dict[int, list[WeeklyRule]] = {}
    for rule in availability.weekly:
        by_weekday.setdefault(rule.weekday, []).append(rule)
    extra_by_date: dict[date, list[ExtraWindow]] = {}
    for window in availability.extra:
        extra_by_date.setdefault(window.date, []).append(window)
    day = first
    while day <= last:
        if day not in availability.blackouts:
            for rule in by_weekday.get(day.weekday(), ()):
                yield day, rule.start, rule.end
            for window in extra_by_date.get(day, ()):
                yield day, window.start, window.end
        day += timedelta(days=1)


def _slots_in_window(
    day: date,
    window_start: time,
    window_end: time,
    tz: ZoneInfo,
    length: timedelta,
    scan: tuple[datetime, datetime],
) -> Iterable[Slot]:
    local = datetime.combine(day, time(0)) + _round_up_to_grid(window_start)
    if window_end >= END_OF_DAY:
        window_end_local = datetime.combine(day + timedelta(days=1), time(0))
    else:
        window_end_local = datetime.combine(day, window_end)
    scan_from, scan_to = scan
    if local < scan_from:
        local += -(-(scan_from - local) // GRID) * GRID  # the first grid time in the scan
    last_start = min(window_end_local, scan_to)
    while local < last_start:
        start_utc = _to_utc(local, tz)
        if start_utc is not None:
            end_utc = start_utc + length
            # Wall-clock end, read back in the zone, must be inside the window.
            if end_utc.astimezone(tz).replace(tzinfo=None) > window_end_local:
                break
            yield Slot(start_utc, end_utc)
        local += GRID


def _round_up_to_grid(moment: time) -> timedelta:
    """How long after midnight the first grid time at or after `moment` is (up to 24 hours)."""
    since_midnight = timedelta(
        hours=moment.hour,
        minutes=moment.minute,
        seconds=moment.second,
        microseconds=moment.microsecond,
    )
    return -(-since_midnight // GRID) * GRID


def _to_utc(local: datetime, tz: ZoneInfo) -> datetime | None:
    """The UTC instant of a naive local time, or None when the zone skips that time."""
    aware = local.replace(tzinfo=tz, fold=0)
    as_utc = aware.astimezone(UTC)
    if as_utc.astimezone(tz).replace(tzinfo=None) != local:
        return None  # in the gap of a spring-forward change
    return as_utc


def _merged(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for begin, finish in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


def _overlaps(slot: Slot, busy: list[tuple[datetime, datetime]]) -> bool:
    # The last busy interval starting before the slot ends is the only one that can overlap,
    # since merged intervals are disjoint and sorted.
    index = bisect.bisect_left(busy, (slot.end,)) - 1
    return index >= 0 and busy[index][1] > slot.start
