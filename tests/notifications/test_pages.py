"""The session page lists every email about the session, to both people, with its state."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from interviews.booking import book_session, cancel_session
from interviews.models import Session
from notifications.dispatch import dispatch_due
from tests.factories import approved_interviewer, candidate_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


def _emails(user: User, session: Session) -> list[str]:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    section = page[page.index('id="emails"') :]
    rows = re.findall(r"<tr id=\"email-\d+\">(.*?)</tr>", section, flags=re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>|\s+", " ", row)).split()) for row in rows]


@time_machine.travel(NOW, tick=False)
def test_it_lists_each_email_with_whom_it_goes_to_and_its_state() -> None:
    interviewer = approved_interviewer()
    candidate = candidate_user()
    session = book_session(candidate=candidate, interviewer_id=interviewer.pk, start=START)

    before = _emails(candidate, session)
    dispatch_due(now=NOW)
    after = _emails(candidate, session)

    assert len(before) == 9
    assert any(row.startswith("Booking confirmation You Due") for row in before)
    assert any(row.startswith("Booking confirmation You Sent") for row in after)
    assert any(row.startswith(f"Booking confirmation {interviewer.name} Sent") for row in after)
    # London is on GMT in March: the reminder's due time as the candidate reads it.
    assert "Reminder 24 hours before You Due Wed 4 Mar, 10:00 GMT" in " ".join(after)


@time_machine.travel(NOW, tick=False)
def test_it_says_why_the_reminders_of_a_cancelled_session_are_not_sent() -> None:
    interviewer = approved_interviewer()
    candidate = candidate_user()
    session = book_session(candidate=candidate, interviewer_id=interviewer.pk, start=START)
    cancel_session(session=session, by=interviewer, now=NOW + timedelta(minutes=5))

    rows = _emails(interviewer, session)

    assert any(row.startswith("Cancellation " + candidate.name + " Due") for row in rows)
    reminders = [row for row in rows if row.startswith("Reminder")]
    assert len(reminders) == 4
    assert all(row.endswith("Not sent: The session was cancelled.") for row in reminders)
