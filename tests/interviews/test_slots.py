"""Slot generation as a pure function: the grid, lead time, horizon and daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from interviews.slots import (
    END_OF_DAY,
    Availability,
    ExtraWindow,
    Slot,
    WeeklyRule,
    generate_slots,
)

EVERY_DAY = range(7)


def _daily(start: time, end: time) -> list[WeeklyRule]:
    return [WeeklyRule(weekday, start, end) for weekday in EVERY_DAY]


def _at(zone: str, day: date, clock: str, fold: int = 0) -> datetime:
    """A local wall-clock time as a UTC instant."""
    local = datetime.combine(day, time.fromisoformat(clock)).replace(
        tzinfo=ZoneInfo(zone), fold=fold
    )
    return local.astimezone(UTC)


def _slots_on(
    availability: Availability,
    day: date,
    *,
    length: int = 60,
    now: datetime | None = None,
) -> list[Slot]:
    """Every slot starting on one local date, with `now` far enough back not to matter."""
    tz = ZoneInfo(availability.time_zone)
    start = datetime.combine(day, time(0)).replace(tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0)).replace(tzinfo=tz).astimezone(UTC)
    return generate_slots(
        availability,
        start=start,
        end=end,
        now=now or start - timedelta(days=3),
        length=timedelta(minutes=length),
    )


def _local_clocks(slots: list[Slot], zone: str) -> list[str]:
    return [f"{slot.start.astimezone(ZoneInfo(zone)):%H:%M}" for slot in slots]


AFTERNOON = ["13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00"]

# (zone, the Sunday the clocks change, hours the UTC offset moves by that day)
CHANGES = [
    pytest.param("Europe/London", date(2027, 3, 28), 1, id="london-spring-forward"),
    pytest.param("Europe/London", date(2027, 10, 31), -1, id="london-fall-back"),
    pytest.param("America/New_York", date(2027, 3, 14), 1, id="new-york-spring-forward"),
    pytest.param("America/New_York", date(2027, 11, 7), -1, id="new-york-fall-back"),
    pytest.param("Australia/Sydney", date(2027, 10, 3), 1, id="sydney-spring-forward"),
    pytest.param("Australia/Sydney", date(2027, 4, 4), -1, id="sydney-fall-back"),
]


@pytest.mark.parametrize(("zone", "change", "offset_moves"), CHANGES)
def test_it_keeps_a_window_on_local_wall_clock_across_a_change(
    zone: str, change: date, offset_moves: int
) -> None:
    availability = Availability(time_zone=zone, weekly=_daily(time(13), time(18)))
    before = _slots_on(availability, change - timedelta(days=1))
    after = _slots_on(availability, change + timedelta(days=1))

    assert _local_clocks(before, zone) == AFTERNOON
    assert _local_clocks(after, zone) == AFTERNOON
    # The UTC instants move instead: one hour earlier once the offset grows.
    shift = (after[0].start - timedelta(days=2)) - before[0].start
    assert shift == timedelta(hours=-offset_moves)
    assert all(slot.end - slot.start == timedelta(minutes=60) for slot in before + after)


@pytest.mark.parametrize(
    ("zone", "change", "skipped"),
    [
        pytest.param("Europe/London", date(2027, 3, 28), ["01:00", "01:30"], id="london"),
        pytest.param("America/New_York", date(2027, 3, 14), ["02:00", "02:30"], id="new-york"),
        pytest.param("Australia/Sydney", date(2027, 10, 3), ["02:00", "02:30"], id="sydney"),
    ],
)
def test_it_never_offers_a_local_time_that_does_not_exist(
    zone: str, change: date, skipped: list[str]
) -> None:
    availability = Availability(time_zone=zone, weekly=_daily(time(0), time(6)))

    slots = _slots_on(availability, change)

    clocks = _local_clocks(slots, zone)
    assert not set(skipped) & set(clocks)
    assert clocks[0] == "00:00"
    assert "03:00" in clocks
    # Every offered start reads back as the grid time it was generated from.
    for slot in slots:
        local = slot.start.astimezone(ZoneInfo(zone))
        assert local.minute in (0, 30)
        assert _at(zone, change, f"{local:%H:%M}") == slot.start
    assert len({slot.start for slot in slots}) == len(slots)


@pytest.mark.parametrize(
    ("zone", "change", "repeated", "first_utc"),
    [
        pytest.param(
            "Europe/London",
            date(2027, 10, 31),
            ["01:00", "01:30"],
            [datetime(2027, 10, 31, 0, 0, tzinfo=UTC), datetime(2027, 10, 31, 0, 30, tzinfo=UTC)],
            id="london",
        ),
        pytest.param(
            "America/New_York",
            date(2027, 11, 7),
            ["01:00", "01:30"],
            [datetime(2027, 11, 7, 5, 0, tzinfo=UTC), datetime(2027, 11, 7, 5, 30, tzinfo=UTC)],
            id="new-york",
        ),
        pytest.param(
            "Australia/Sydney",
            date(2027, 4, 4),
            ["02:00", "02:30"],
            [datetime(2027, 4, 3, 15, 0, tzinfo=UTC), datetime(2027, 4, 3, 15, 30, tzinfo=UTC)],
            id="sydney",
        ),
    ],
)
def test_it_offers_a_repeated_local_time_once_at_its_first_occurrence(
    zone: str, change: date, repeated: list[str], first_utc: list[datetime]
) -> None:
    availability = Availability(time_zone=zone, weekly=_daily(time(0), time(6)))

    slots = _slots_on(availability, change)

    clocks = _local_clocks(slots, zone)
    for clock, instant in zip(repeated, first_utc, strict=True):
        assert clocks.count(clock) == 1
        [slot] = [slot for slot in slots if slot.start == instant]
        assert slot.start.astimezone(ZoneInfo(zone)).fold == 0
        # The second occurrence, an hour later in UTC, is not a slot start.
        assert all(other.start != instant + timedelta(hours=1) for other in slots)


def test_it_keeps_sessions_an_hour_long_across_the_repeated_hour() -> None:
    availability = Availability(time_zone="Europe/London", weekly=_daily(time(0), time(3)))

    slots = _slots_on(availability, date(2027, 10, 31))

    assert [(slot.start.hour, slot.start.minute) for slot in slots] == [
        (23, 0),  # 00:00 BST
        (23, 30),
        (0, 0),  # 01:00 BST, the first 01:00
        (0, 30),
        (2, 0),  # 02:00 GMT: the window's end is read on the wall clock, 3 real hours later
    ]
    assert all(slot.end - slot.start == timedelta(hours=1) for slot in slots)


TUESDAY = date(2027, 6, 1)  # British Summer Time, UTC+1


@pytest.mark.parametrize(
    ("now_local", "first_offered"),
    [("10:00", "12:00"), ("10:01", "12:30"), ("10:30", "12:30"), ("09:59", "12:00")],
)
def test_it_needs_two_hours_of_lead_time(now_local: str, first_offered: str) -> None:
    availability = Availability(time_zone="Europe/London", weekly=_daily(time(9), time(18)))
    now = _at("Europe/London", TUESDAY, now_local)

    slots = _slots_on(availability, TUESDAY, now=now)

    assert _local_clocks(slots, "Europe/London")[0] == first_offered
    assert slots[0].start - now >= timedelta(hours=2)


def test_it_offers_nothing_past_the_four_week_horizon() -> None:
    availability = Availability(time_zone="Europe/London", weekly=_daily(time(10), time(12)))
    now = _at("Europe/London", TUESDAY, "10:00")

    slots = generate_slots(availability, start=now, end=now + timedelta(weeks=8), now=now)

    horizon = now + timedelta(weeks=4)
    assert slots[-1].start == _at("Europe/London", TUESDAY + timedelta(days=27), "11:00")
    assert all(slot.start < horizon for slot in slots)
    # 10:00 on the last day is exactly four weeks out: the horizon is exclusive.
    assert horizon not in {slot.start for slot in slots}


def test_it_only_returns_slots_starting_inside_the_asked_range() -> None:
    availability = Availability(time_zone="UTC", weekly=_daily(time(9), time(17)))
    start = datetime(2027, 6, 1, 11, 0, tzinfo=UTC)
    end = datetime(2027, 6, 1, 13, 0, tzinfo=UTC)

    slots = generate_slots(availability, start=start, end=end, now=start - timedelta(days=1))

    assert [slot.start.hour for slot in slots] == [11, 11, 12, 12]
    assert slots == sorted(slots)


def test_it_removes_a_blacked_out_day_and_adds_extra_windows() -> None:
    wednesday = TUESDAY + timedelta(days=1)
    saturday = TUESDAY + timedelta(days=4)
    availability = Availability(
        time_zone="Europe/London",
        weekly=[WeeklyRule(1, time(13), time(15)), WeeklyRule(2, time(13), time(15))],
        extra=[
            ExtraWindow(saturday, time(10), time(11, 30)),
            ExtraWindow(wednesday, time(9), time(10)),
        ],
        blackouts=frozenset({wednesday}),
    )

    assert _local_clocks(_slots_on(availability, TUESDAY), "Europe/London") == [
        "13:00",
        "13:30",
        "14:00",
    ]
    # A blackout removes the whole day: its weekly and its extra windows.
    assert _slots_on(availability, wednesday) == []
    assert _local_clocks(_slots_on(availability, saturday), "Europe/London") == [
        "10:00",
        "10:30",
    ]


def test_it_offers_a_slot_once_when_windows_overlap() -> None:
    availability = Availability(
        time_zone="Europe/London",
        weekly=[WeeklyRule(1, time(13), time(15))],
        extra=[ExtraWindow(TUESDAY, time(14), time(16))],
    )

    clocks = _local_clocks(_slots_on(availability, TUESDAY), "Europe/London")

    assert clocks == ["13:00", "13:30", "14:00", "14:30", "15:00"]


def test_it_leaves_out_slots_overlapping_a_busy_interval() -> None:
    busy = (_at("Europe/London", TUESDAY, "14:00"), _at("Europe/London", TUESDAY, "15:00"))
    availability = Availability(
        time_zone="Europe/London", weekly=[WeeklyRule(1, time(13), time(18))], busy=[busy]
    )

    clocks = _local_clocks(_slots_on(availability, TUESDAY), "Europe/London")

    # 13:00 ends as the session starts and 15:00 starts as it ends: both stay free.
    assert clocks == ["13:00", "15:00", "15:30", "16:00", "16:30", "17:00"]


def test_it_merges_busy_intervals_in_any_order() -> None:
    busy = [
        (_at("Europe/London", TUESDAY, "15:00"), _at("Europe/London", TUESDAY, "16:00")),
        (_at("Europe/London", TUESDAY, "13:00"), _at("Europe/London", TUESDAY, "14:00")),
        (_at("Europe/London", TUESDAY, "13:30"), _at("Europe/London", TUESDAY, "15:00")),
    ]
    availability = Availability(
        time_zone="Europe/London", weekly=[WeeklyRule(1, time(13), time(18))], busy=busy
    )

    clocks = _local_clocks(_slots_on(availability, TUESDAY), "Europe/London")

    assert clocks == ["16:00", "16:30", "17:00"]


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (45, ["13:00", "13:30", "14:00"]),
        (60, ["13:00", "13:30", "14:00"]),
        (90, ["13:00", "13:30"]),
    ],
)
def test_it_fits_sessions_of_each_length_inside_the_window(
    minutes: int, expected: list[str]
) -> None:
    availability = Availability(
        time_zone="Europe/London", weekly=[WeeklyRule(1, time(13), time(15))]
    )

    slots = _slots_on(availability, TUESDAY, length=minutes)

    assert _local_clocks(slots, "Europe/London") == expected
    assert all(slot.end - slot.start == timedelta(minutes=minutes) for slot in slots)
    assert all(slot.end <= _at("Europe/London", TUESDAY, "15:00") for slot in slots)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (time(13, 10), time(15), ["13:30", "14:00"]),
        (time(13, 0, 1), time(15), ["13:30", "14:00"]),
        (time(13), time(14, 50), ["13:00", "13:30"]),
        (time(13, 30), time(14, 29), []),
    ],
)
def test_it_rounds_windows_off_the_grid_inwards(
    start: time, end: time, expected: list[str]
) -> None:
    availability = Availability(time_zone="Europe/London", weekly=[WeeklyRule(1, start, end)])

    assert _local_clocks(_slots_on(availability, TUESDAY), "Europe/London") == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (time(21), ["21:00", "21:30", "22:00", "22:30", "23:00"]),
        (time(23), ["23:00"]),
        (time(23, 45), []),
    ],
)
def test_it_runs_a_window_ending_at_23_59_to_midnight(start: time, expected: list[str]) -> None:
    availability = Availability(
        time_zone="Europe/London", weekly=[WeeklyRule(1, start, time(23, 59))]
    )

    slots = _slots_on(availability, TUESDAY)

    assert _local_clocks(slots, "Europe/London") == expected
    if slots:
        assert slots[-1].end == _at("Europe/London", TUESDAY + timedelta(days=1), "00:00")


@pytest.mark.parametrize(
    ("zone", "change_day"),
    [
        ("Europe/London", date(2027, 3, 28)),
        ("Europe/London", date(2027, 10, 31)),
        ("America/New_York", date(2027, 3, 14)),
        ("America/New_York", date(2027, 11, 7)),
        ("Australia/Lord_Howe", date(2027, 4, 4)),  # a half-hour change
        ("Australia/Lord_Howe", date(2027, 10, 3)),
    ],
)
def test_it_finds_the_same_slots_in_a_narrow_range_as_in_a_wide_one(
    zone: str, change_day: date
) -> None:
    # A booking checks one start at a time; the list shows days at once. Both must agree
    # minute for minute around a daylight-saving change, whatever the session length.
    availability = Availability(
        time_zone=zone,
        weekly=[
            *_daily(time(0), time(3)),
            *_daily(time(9, 30), time(12)),
            *_daily(time(21), END_OF_DAY),
        ],
    )
    begin = datetime.combine(change_day - timedelta(days=1), time(0), tzinfo=UTC)
    now = begin - timedelta(days=1)
    for length in (timedelta(minutes=45), timedelta(minutes=90)):
        wide = generate_slots(
            availability, start=begin, end=begin + timedelta(days=3), now=now, length=length
        )
        assert len(wide) > 20
        for step in range(3 * 24 * 4):  # every quarter hour, on and off the grid
            moment = begin + timedelta(minutes=15 * step)
            narrow = generate_slots(
                availability,
                start=moment,
                end=moment + timedelta(minutes=1),
                now=now,
                length=length,
            )
            # A range ending at `moment`: its end may fall in the repeated hour.
            before = generate_slots(availability, start=begin, end=moment, now=now, length=length)
            assert narrow == [
                slot for slot in wide if moment <= slot.start < moment + timedelta(minutes=1)
            ]
            assert before == [slot for slot in wide if slot.start < moment]
