"""An interviewer's windows read two ways give one answer: booking's single statement
(`availability._windows_around`, for speed inside the locked transaction) and the readers
the slot lists and matching use (`weekly_rules`, `date_changes`)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from interviews.availability import _windows_around, date_changes, weekly_rules
from interviews.models import DateWindow, DateWindowKind, WeeklyWindow
from tests.factories import InterviewerProfileFactory

pytestmark = pytest.mark.django_db


def test_it_reads_the_same_windows_for_booking_as_for_the_slot_lists() -> None:
    chooser = random.Random(3)
    interviewer = InterviewerProfileFactory(status="approved").user
    other = InterviewerProfileFactory(status="approved").user  # never read for the first
    for person in (interviewer, other):
        for weekday in chooser.sample(range(7), 4):
            begins = chooser.randrange(6, 14)
            WeeklyWindow.objects.create(
                interviewer=person,
                weekday=weekday,
                start_time=time(begins),
                end_time=time(begins + chooser.randrange(1, 6)),
            )
    first = date(2026, 3, 1)
    for offset in chooser.sample(range(30), 12):
        day = first + timedelta(days=offset)
        if chooser.random() < 0.5:
            DateWindow.objects.create(
                interviewer=interviewer, kind=DateWindowKind.BLACKOUT, date=day
            )
        else:
            DateWindow.objects.create(
                interviewer=interviewer,
                kind=DateWindowKind.EXTRA,
                date=day,
                start_time=time(18),
                end_time=time(21),
            )

    seen_dated = 0
    for offset in range(30):
        moment = datetime.combine(first + timedelta(days=offset), time(12), tzinfo=UTC)
        weekly, extra, blackouts = _windows_around(interviewer_id=interviewer.pk, moment=moment)
        # Both read the local dates within DATE_MARGIN of the moment.
        more, closed = date_changes(start=moment, end=moment, interviewer_ids=[interviewer.pk])

        assert (
            tuple(sorted(weekly, key=lambda rule: (rule.weekday, rule.start)))
            == (weekly_rules([interviewer.pk])[interviewer.pk])
        )
        assert set(extra) == set(more.get(interviewer.pk, []))
        assert blackouts == frozenset(closed.get(interviewer.pk, set()))
        seen_dated += bool(extra or blackouts)
    assert seen_dated > 10  # the one-off windows were really compared
