"""Waking hours: the one rule for "inside", and slots grouped for a page (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from interviews.slots import Slot
from interviews.waking_hours import WakingHours, choices, is_inside_waking_hours, waking_first

NEW_YORK = ZoneInfo("America/New_York")


def slot_at(start: datetime, minutes: int = 60) -> Slot:
    return Slot(start, start + timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("start", "inside"),
    [
        # New York moves to summer time on Sunday 14 March 2027: 12:30 UTC is 07:30 on
        # Saturday (EST, too early) and 08:30 on Monday (EDT, inside).
        (datetime(2027, 3, 13, 12, 30, tzinfo=UTC), False),
        (datetime(2027, 3, 15, 12, 30, tzinfo=UTC), True),
        # 21:00 to 22:00 EDT ends on the dot: inside; 21:30 to 22:30 is not.
        (datetime(2027, 3, 16, 1, 0, tzinfo=UTC), True),
        (datetime(2027, 3, 16, 1, 30, tzinfo=UTC), False),
        # 02:00 EDT, the night the issue was filed about.
        (datetime(2027, 3, 16, 6, 0, tzinfo=UTC), False),
        # Autumn: 7 November 2027 goes back to EST; 13:00 UTC is 08:00 EST, inside.
        (datetime(2027, 11, 7, 13, 0, tzinfo=UTC), True),
        (datetime(2027, 11, 6, 11, 0, tzinfo=UTC), False),  # 07:00 EDT the day before
    ],
)
def test_it_reads_the_default_hours_in_local_time_across_dst(start: datetime, inside: bool) -> None:
    assert is_inside_waking_hours(slot_at(start), WakingHours(NEW_YORK)) is inside


def test_it_reads_a_persons_own_hours_with_23_59_as_midnight() -> None:
    night_owl = WakingHours(NEW_YORK, starts=time(11), ends=time(23, 59))
    # 23:00 to 24:00 EDT on 15 March.
    assert is_inside_waking_hours(slot_at(datetime(2027, 3, 16, 3, 0, tzinfo=UTC)), night_owl)
    # 23:30 to 00:30 crosses midnight.
    assert not is_inside_waking_hours(slot_at(datetime(2027, 3, 16, 3, 30, tzinfo=UTC)), night_owl)
    # 10:00 EDT is before 11:00.
    assert not is_inside_waking_hours(slot_at(datetime(2027, 3, 15, 14, 0, tzinfo=UTC)), night_owl)
    assert night_owl.label == "11:00\N{EN DASH}24:00"


def test_it_puts_waking_slots_first_each_part_in_time_order() -> None:
    night = slot_at(datetime(2027, 3, 16, 6, 0, tzinfo=UTC))  # Tue 02:00 EDT
    later_night = slot_at(datetime(2027, 3, 17, 6, 0, tzinfo=UTC))  # Wed 02:00
    day = slot_at(datetime(2027, 3, 16, 14, 0, tzinfo=UTC))  # Tue 10:00
    later_day = slot_at(datetime(2027, 3, 17, 14, 0, tzinfo=UTC))  # Wed 10:00
    ordered = waking_first([later_night, later_day, night, day], WakingHours(NEW_YORK))
    assert ordered == [day, later_day, night, later_night]


@time_machine.travel(datetime(2027, 3, 10, tzinfo=UTC))  # the same year: no year in headings
def test_it_groups_choices_by_the_viewers_local_day_and_caps_each_part() -> None:
    # Tuesday 16 March 02:00, 02:30, 03:00 EDT at night; Tuesday 10:00 and Wednesday 10:00.
    nights = [
        slot_at(datetime(2027, 3, 16, 6, 0, tzinfo=UTC) + timedelta(minutes=30 * n))
        for n in range(3)
    ]
    days = [
        slot_at(datetime(2027, 3, 16, 14, 0, tzinfo=UTC)),
        slot_at(datetime(2027, 3, 17, 14, 0, tzinfo=UTC)),
    ]
    offer = choices(
        [*nights, *days],
        WakingHours(NEW_YORK),
        url_for=lambda slot: f"/book/{slot.start:%H%M}",
        limit=2,
    )
    assert [(day.heading, [item.label for item in day.items]) for day in offer.inside] == [
        ("Tue 16 Mar", ["10:00\N{EN DASH}11:00"]),
        ("Wed 17 Mar", ["10:00\N{EN DASH}11:00"]),
    ]
    assert [(day.heading, [item.label for item in day.items]) for day in offer.outside] == [
        ("Tue 16 Mar", ["02:00\N{EN DASH}03:00", "02:30\N{EN DASH}03:30"]),
    ]
    assert offer.inside[0].items[0].url == "/book/1400"
    assert not offer.is_empty
    assert choices([], WakingHours(NEW_YORK)).is_empty
