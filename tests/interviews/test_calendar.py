"""The ICS file of a session (RFC 5545), parsed back with `icalendar`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar, Component

from accounts.models import User
from interviews.booking import book_session, cancel_session, reschedule_session
from interviews.calendar import session_ics
from interviews.models import Session
from tests.factories import NOW, TOMORROW_10, approved_interviewer, candidate_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked() -> Session:
    return book_session(
        candidate=candidate_user(zone="America/New_York"),
        interviewer_id=approved_interviewer(zone="Europe/London").pk,
        start=TOMORROW_10,
        now=NOW,
    )


def _parse(session: Session, viewer: User) -> tuple[Calendar, Component]:
    raw = session_ics(session, viewer=viewer)
    calendar = Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_it_describes_the_session_in_utc(booked: Session) -> None:
    raw = session_ics(booked, viewer=booked.candidate).decode()
    calendar, event = _parse(booked, booked.candidate)

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["METHOD"] == "PUBLISH"
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == TOMORROW_10
    assert event.decoded("DTEND") == TOMORROW_10 + timedelta(hours=1)
    assert event.decoded("DTSTART").tzinfo is not None
    assert "DTSTART:20260303T100000Z" in raw
    assert "DTEND:20260303T110000Z" in raw
    assert event.decoded("SEQUENCE") == 0
    assert str(event["UID"]) == f"{booked.ics_uid}@mockloop"
    assert booked.meeting_url in str(event["LOCATION"])
    assert booked.interviewer.name in str(event["SUMMARY"])


def test_it_has_no_floating_times(booked: Session) -> None:
    _, event = _parse(booked, booked.interviewer)

    for name in ("DTSTART", "DTEND", "DTSTAMP"):
        value = event.decoded(name)
        assert isinstance(value, datetime)
        assert value.utcoffset() == timedelta(0), name


def test_it_gives_the_same_file_twice(booked: Session) -> None:
    assert session_ics(booked, viewer=booked.candidate) == session_ics(
        booked, viewer=booked.candidate
    )


def test_it_cancels_with_a_raised_sequence(booked: Session) -> None:
    cancelled = cancel_session(session=booked, by=booked.interviewer, now=NOW)

    calendar, event = _parse(cancelled, booked.candidate)

    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event.decoded("SEQUENCE") == 1
    assert str(event["UID"]) == f"{booked.ics_uid}@mockloop"
    assert event.get("ORGANIZER")


def test_it_keeps_the_uid_and_raises_the_sequence_across_reschedules(booked: Session) -> None:
    _, original = _parse(booked, booked.candidate)

    moved = reschedule_session(
        session=booked, by=booked.candidate, start=TOMORROW_10 + timedelta(days=1), now=NOW
    )
    _, first_move = _parse(moved, booked.candidate)
    again = reschedule_session(
        session=moved, by=booked.interviewer, start=TOMORROW_10 + timedelta(days=2), now=NOW
    )
    calendar, second_move = _parse(again, booked.candidate)

    assert original["UID"] == first_move["UID"] == second_move["UID"]
    assert (
        original.decoded("SEQUENCE")
        < first_move.decoded("SEQUENCE")
        < second_move.decoded("SEQUENCE")
    )
    assert second_move.decoded("DTSTART") == datetime(2026, 3, 5, 10, tzinfo=UTC)
    assert calendar["METHOD"] == "PUBLISH"


def test_it_gives_the_replaced_session_its_own_cancelled_uid(booked: Session) -> None:
    moved = reschedule_session(
        session=booked, by=booked.candidate, start=TOMORROW_10 + timedelta(days=1), now=NOW
    )
    booked.refresh_from_db()

    calendar, old = _parse(booked, booked.candidate)
    _, new = _parse(moved, booked.candidate)

    # Importing the old file must not cancel the moved event.
    assert old["UID"] != new["UID"]
    assert calendar["METHOD"] == "CANCEL"
