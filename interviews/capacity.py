"""An interviewer's week, the unit of their weekly capacity (SPEC §6).

A week runs from Monday 00:00 to the next Monday 00:00 in the interviewer's own zone: the
ISO week of the local date. Booking counts the sessions between `week_bounds`; matching
and the dashboard count them by `week_key` in bulk. Both name the same week, as a test
holds across the daylight-saving changes.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def week_bounds(moment: datetime, time_zone: str) -> tuple[datetime, datetime]:
    """The local Monday 00:00 to the next Monday 00:00 around `moment`, as aware datetimes."""
    tz = ZoneInfo(time_zone)
    local_day = moment.astimezone(tz).date()
    monday = local_day - timedelta(days=local_day.weekday())
    start = datetime.combine(monday, time.min, tzinfo=tz)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=tz)
    return start, end


def week_key(moment: datetime, tz: ZoneInfo) -> tuple[int, int]:
    """The (ISO year, ISO week) of `moment`'s local date: the week `week_bounds` spans."""
    year, week, _ = moment.astimezone(tz).isocalendar()
    return (year, week)
