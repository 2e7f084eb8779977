"""Every date and time the site shows people, on pages, in emails and in messages, comes
from here, so that they all read alike:

- full:        "Tuesday 3 December 2026, 14:00 EST (America/New_York)"
- full_range:  "Tuesday 3 December 2026, 14:00 to 15:00 EST (America/New_York)"
- short:       "Tue 3 Dec, 14:00"; short_zoned adds the abbreviation: "Tue 3 Dec, 14:00 EST"
- short_range: "Tue 3 Dec, 14:00 to 15:00 EST"
- clock:       "14:00"; clock_zoned: "14:00 EST"
- day:         "Tue 3 Dec"; long_date: "3 December 2026"; month: "December 2026"
- iso:         "2026-12-03T19:00:00+00:00", for machines (datetime attributes, URLs)

Short forms name the year only when it is not the current one where the reader is: a past
session from last year must not read as this year's. Names are English whatever the
locale, like the rest of the site's words. A moment is always turned into the reader's
zone first; `time_zone` is an IANA name or a zone (None: the zone active for the request,
which the middleware sets to the signed-in person's).
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

from django.utils import timezone

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

Zone = str | tzinfo | None


def _zone(time_zone: Zone) -> tzinfo:
    if time_zone is None:
        return timezone.get_current_timezone()
    return ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone


def _zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", zone))


def _local(moment: datetime, time_zone: Zone) -> datetime:
    return moment.astimezone(_zone(time_zone))


def _clock(moment: datetime | time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _abbreviation(local: datetime) -> str:
    return local.tzname() or ""


def _long_day(local: date) -> str:
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}"


def _short_day(local: date, *, this_year: int | None) -> str:
    text = f"{DAYS[local.weekday()][:3]} {local.day} {MONTHS[local.month - 1][:3]}"
    return text if local.year == this_year else f"{text} {local.year}"


def _this_year(zone: tzinfo) -> int:
    return timezone.now().astimezone(zone).year


def full(moment: datetime, time_zone: Zone = None) -> str:
    local = _local(moment, time_zone)
    return (
        f"{_long_day(local)} {local.year}, {_clock(local)} {_abbreviation(local)} "
        f"({_zone_name(_zone(time_zone))})"
    )


def full_range(start: datetime, end: datetime, time_zone: Zone = None) -> str:
    """The end's day only when it falls on another local day; both abbreviations when a
    clock change falls between start and end (01:30 EDT to 01:30 EST)."""
    first, last = _local(start, time_zone), _local(end, time_zone)
    begins = f"{_long_day(first)} {first.year}, {_clock(first)}"
    if _abbreviation(first) != _abbreviation(last):
        begins += f" {_abbreviation(first)}"
    ends = _clock(last) if last.date() == first.date() else f"{_long_day(last)}, {_clock(last)}"
    return f"{begins} to {ends} {_abbreviation(last)} ({_zone_name(_zone(time_zone))})"


def short(moment: datetime, time_zone: Zone = None) -> str:
    local = _local(moment, time_zone)
    return f"{_short_day(local, this_year=_this_year(_zone(time_zone)))}, {_clock(local)}"


def short_zoned(moment: datetime, time_zone: Zone = None) -> str:
    return f"{short(moment, time_zone)} {_abbreviation(_local(moment, time_zone))}"


def short_range(start: datetime, end: datetime, time_zone: Zone = None) -> str:
    first, last = _local(start, time_zone), _local(end, time_zone)
    begins = short(start, time_zone)
    if _abbreviation(first) != _abbreviation(last):
        begins += f" {_abbreviation(first)}"
    ends = _clock(last) if last.date() == first.date() else short(end, time_zone)
    return f"{begins} to {ends} {_abbreviation(last)}"


def clock(value: datetime | time, time_zone: Zone = None) -> str:
    """A moment's local time; a wall-clock `time` (an availability window) as it is."""
    return _clock(_local(value, time_zone) if isinstance(value, datetime) else value)


def clock_zoned(moment: datetime, time_zone: Zone = None) -> str:
    """ "14:00 EST": a moment whose day is plain from what surrounds it."""
    local = _local(moment, time_zone)
    return f"{_clock(local)} {_abbreviation(local)}"


def day(value: datetime | date, time_zone: Zone = None) -> str:
    local = _local(value, time_zone).date() if isinstance(value, datetime) else value
    return _short_day(local, this_year=_this_year(_zone(time_zone)))


def long_date(value: datetime | date, time_zone: Zone = None) -> str:
    local = _local(value, time_zone).date() if isinstance(value, datetime) else value
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def long_day(value: datetime | date, time_zone: Zone = None) -> str:
    """ "Tuesday 3 December 2026": a day heading."""
    local = _local(value, time_zone).date() if isinstance(value, datetime) else value
    return f"{_long_day(local)} {local.year}"


def month(value: datetime | date, time_zone: Zone = None) -> str:
    """ "December 2026": when something happened, no closer than that (a shared comment)."""
    local = _local(value, time_zone).date() if isinstance(value, datetime) else value
    return f"{MONTHS[local.month - 1]} {local.year}"


def iso(value: datetime | date, time_zone: Zone = None) -> str:
    """A moment with the reader's offset ("2026-12-03T14:00:00-05:00"); a day as it is."""
    return (_local(value, time_zone) if isinstance(value, datetime) else value).isoformat()


def iso_utc(moment: datetime) -> str:
    """ "2026-12-03T19:00:00Z": a moment in a URL, where "+00:00" would need escaping."""
    return (
        moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    )
