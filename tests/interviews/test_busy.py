"""Busy as either role: booking's plain SQL and availability's Python give the same answer.

One account may interview and practise, so a person is busy during every session they are
in, in either role, unless it was cancelled. Booking checks that in one SQL statement for
speed (`booking._facts`); the slot lists and matching use `availability.busy_by_person`.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from accounts.models import CandidateProfile, User
from interviews import booking
from interviews.availability import busy_by_person, sessions_holding_time
from interviews.models import Session, SessionStatus
from tests.factories import NOW, approved_interviewer, candidate_user

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def _people() -> list[User]:
    both = approved_interviewer()
    CandidateProfile.objects.create(user=both, target_level="senior")  # practises too
    return [approved_interviewer(), both, candidate_user(), candidate_user()]


def _random_sessions(people: list[User], chooser: random.Random) -> None:
    """Sessions between random pairs at random hours of two days, none overlapping for a
    person (the database refuses that), some cancelled."""
    taken: dict[int, set[int]] = {person.pk: set() for person in people}
    interviewers = [person for person in people if person.is_interviewer]
    for _ in range(40):
        giver = chooser.choice(interviewers)
        taker = chooser.choice([person for person in people if person.pk != giver.pk])
        hour = chooser.randrange(48)
        if hour in taken[giver.pk] or hour in taken[taker.pk]:
            continue
        cancelled = chooser.random() < 0.25
        if not cancelled:
            taken[giver.pk].add(hour)
            taken[taker.pk].add(hour)
        start = NOW + timedelta(days=1) + hour * HOUR
        Session.objects.create(
            interviewer=giver,
            candidate=taker,
            start=start,
            end=start + HOUR,
            status=SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
            meeting_url="https://meet.example.test/room",
        )


def test_it_finds_the_same_people_busy_in_booking_sql_as_in_python() -> None:
    chooser = random.Random(7)
    people = _people()
    _random_sessions(people, chooser)
    interviewers = [person for person in people if person.is_interviewer]
    busy_seen = 0
    for _ in range(200):
        interviewer = chooser.choice(interviewers)
        candidate = chooser.choice([person for person in people if person.pk != interviewer.pk])
        start = NOW + timedelta(days=1, minutes=15 * chooser.randrange(4 * 48))
        end = start + HOUR
        facts = booking._facts(
            candidate=candidate, interviewer=interviewer, start=start, end=end, now=NOW
        )
        ids = [candidate.pk, interviewer.pk]
        busy = busy_by_person(sessions_holding_time(user_ids=ids, since=start, until=end), ids)
        python = (bool(busy.get(candidate.pk)), bool(busy.get(interviewer.pk)))

        assert (facts.candidate_busy, facts.interviewer_busy) == python
        busy_seen += any(python)
    assert 20 < busy_seen < 180  # both answers were exercised
