"""Booking's week (`week_bounds`) and matching's (`week_key`) are the same week."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from interviews.capacity import week_bounds, week_key

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]


@pytest.mark.parametrize("zone", ZONES)
def test_it_names_the_same_week_both_ways_across_a_year(zone: str) -> None:
    tz = ZoneInfo(zone)
    chooser = random.Random(zone)
    year = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(500):
        moment = year + timedelta(minutes=chooser.randrange(366 * 24 * 60))
        start, end = week_bounds(moment, zone)

        assert start <= moment < end
        assert start.astimezone(tz).weekday() == 0 and start.astimezone(tz).hour == 0
        assert week_key(start, tz) == week_key(moment, tz)
        assert week_key(end - timedelta(microseconds=1), tz) == week_key(moment, tz)
        assert week_key(end, tz) != week_key(moment, tz)


def test_it_ends_a_week_with_a_clock_change_an_hour_short_or_long() -> None:
    # London springs forward on Sunday 29 March 2026 (167 hours) and falls back on 25 October.
    # (Aware datetimes in one zone subtract as wall clocks: compare them in UTC.)
    start, end = week_bounds(datetime(2026, 3, 27, 12, tzinfo=UTC), "Europe/London")
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=167)
    start, end = week_bounds(datetime(2026, 10, 21, 12, tzinfo=UTC), "Europe/London")
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=169)
