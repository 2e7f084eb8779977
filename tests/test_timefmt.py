"""One helper writes every date and time people read (config.timefmt): its formats, across
clock changes, and a check that no other formatter is left in the apps or the templates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import engines
from django.utils import timezone

from config import timefmt

NEW_YORK = "America/New_York"
ROOT = Path(__file__).resolve().parents[1]
# 3 December 2026, 19:00 UTC is 14:00 in New York (EST, UTC-5).
MOMENT = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _in_2026() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 1, tzinfo=UTC), tick=False):
        yield


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("full", "Thursday 3 December 2026, 14:00 EST (America/New_York)"),
        ("short", "Thu 3 Dec, 14:00"),
        ("short_zoned", "Thu 3 Dec, 14:00 EST"),
        ("clock", "14:00"),
        ("clock_zoned", "14:00 EST"),
        ("day", "Thu 3 Dec"),
        ("long_day", "Thursday 3 December 2026"),
        ("long_date", "3 December 2026"),
        ("month", "December 2026"),
        ("iso", "2026-12-03T14:00:00-05:00"),
    ],
)
def test_it_writes_each_named_format_in_the_readers_zone(name: str, expected: str) -> None:
    assert getattr(timefmt, name)(MOMENT, NEW_YORK) == expected


def test_it_writes_the_same_moment_in_another_zone_with_that_zone_named() -> None:
    assert timefmt.full(MOMENT, "Asia/Kolkata") == (
        "Friday 4 December 2026, 00:30 IST (Asia/Kolkata)"
    )


def test_it_names_daylight_time_and_standard_time_either_side_of_the_change() -> None:
    # New York springs forward at 02:00 on Sunday 8 March 2026.
    before = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)
    after = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)

    assert timefmt.full(before, NEW_YORK) == "Sunday 8 March 2026, 01:30 EST (America/New_York)"
    assert timefmt.full(after, NEW_YORK) == "Sunday 8 March 2026, 03:30 EDT (America/New_York)"


def test_it_names_both_abbreviations_for_a_session_across_the_fall_back() -> None:
    # 1 November 2026: 01:30 EDT, then an hour later 01:30 again, in EST.
    start = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    end = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)

    assert timefmt.full_range(start, end, NEW_YORK) == (
        "Sunday 1 November 2026, 01:30 EDT to 01:30 EST (America/New_York)"
    )
    assert timefmt.short_range(start, end, NEW_YORK) == "Sun 1 Nov, 01:30 EDT to 01:30 EST"


def test_it_names_the_end_day_of_a_range_past_local_midnight() -> None:
    start = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # 23:00 in New York on the 30th

    assert timefmt.full_range(start, start.replace(hour=5), NEW_YORK) == (
        "Monday 30 November 2026, 23:00 to Tuesday 1 December, 00:00 EST (America/New_York)"
    )
    assert timefmt.full_range(MOMENT, MOMENT.replace(hour=20), NEW_YORK) == (
        "Thursday 3 December 2026, 14:00 to 15:00 EST (America/New_York)"
    )


def test_it_names_the_year_in_short_forms_only_when_it_is_not_this_year() -> None:
    last_year = datetime(2025, 12, 3, 19, 0, tzinfo=UTC)

    assert timefmt.short(last_year, NEW_YORK) == "Wed 3 Dec 2025, 14:00"
    assert timefmt.day(date(2027, 1, 4), NEW_YORK) == "Mon 4 Jan 2027"
    assert timefmt.day(date(2026, 1, 5), NEW_YORK) == "Mon 5 Jan"


def test_it_writes_a_wall_clock_time_as_it_is() -> None:
    assert timefmt.clock(time(9, 5)) == "09:05"


def test_it_writes_a_moment_for_a_url_in_utc() -> None:
    assert timefmt.iso_utc(MOMENT.astimezone(ZoneInfo(NEW_YORK))) == "2026-12-03T19:00:00Z"


def test_its_filters_use_the_zone_active_for_the_request() -> None:
    template = engines["django"].from_string(
        "{{ start|full_range:end }} · {{ start|short }} · {{ start|iso }} · {{ nothing|full }}."
    )

    with timezone.override(ZoneInfo(NEW_YORK)):
        text = template.render({"start": MOMENT, "end": MOMENT.replace(hour=20), "nothing": None})

    assert text == (
        "Thursday 3 December 2026, 14:00 to 15:00 EST (America/New_York) · Thu 3 Dec, 14:00"
        " · 2026-12-03T14:00:00-05:00 · ."
    )


# Formats for machines, not people: what an <input type="time"> and the API's time fields
# must parse.
MACHINE_FORMATS = {
    "interviews/availability_views.py": 'forms.TimeInput(format="%H:%M"',
    "interviews/availability_api.py": 'super().__init__(format="%H:%M"',
    "interviews/interviewer_api.py": '"month": f"{item.created_at.astimezone(UTC):%Y-%m}"',
}
PYTHON_FORMATTERS = re.compile(r"strftime|dateformat|date_format|time_format|\{[^{}]*:%[-A-Za-z]")
TEMPLATE_FORMATTERS = re.compile(r"\|\s*(date|time)\b")


def _sources(pattern: str) -> list[Path]:
    return [
        path
        for app in ("accounts", "config", "interviews", "notifications", "studyplans")
        for path in (ROOT / app).rglob(pattern)
        if "migrations" not in path.parts
    ]


def test_it_leaves_no_other_date_formatter_in_the_code() -> None:
    found = []
    for path in _sources("*.py"):
        name = str(path.relative_to(ROOT))
        if name == "config/timefmt.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if PYTHON_FORMATTERS.search(line) and MACHINE_FORMATS.get(name, "\0") not in line:
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_it_leaves_no_date_or_time_filter_in_the_templates() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*")
        if path.is_file()
        for match in TEMPLATE_FORMATTERS.finditer(path.read_text())
    ]
    assert found == []
