"""Input that once reached the database or `int()` and answered 500 (issue 10, finding 2).

Each case is a 400 in the one error shape of SPEC §10 naming the field, and leaves what was
saved as it was. NUL bytes only fail on PostgreSQL (SQLite stores them), so run these there
too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import User
from interviews.booking import book_session
from interviews.models import Session
from tests.api import api_error
from tests.interviews.test_booking import NOW, TOMORROW_10, approved_interviewer, candidate_user

pytestmark = pytest.mark.django_db

NUL = "before\x00after"
HUGE = "1" * 5_000  # more digits than int() reads
SUPERSCRIPT_TWO = "²"  # a digit to str.isdigit(), no number to int()
LATE = "9999-12-31T23:00:00Z"
EARLY = "0001-01-01T00:00:00+01:00"  # moved to UTC, it falls before year 1


@pytest.fixture
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Dates at the edges ---------------------------------------------------------------------


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": LATE}, "from"),
        ({"from": EARLY}, "from"),
        ({"from": "2027-03-01T00:00:00Z", "to": LATE}, "to"),
        ({"to": EARLY}, "to"),
    ],
)
@pytest.mark.parametrize("endpoint", ["slots", "matches"])
def test_it_refuses_a_window_at_the_edges_of_time(
    endpoint: str, query: dict[str, str], field: str
) -> None:
    interviewer = approved_interviewer()
    url = (
        f"/api/v1/interviewers/{interviewer.pk}/slots/"
        if endpoint == "slots"
        else "/api/v1/matches/"
    )

    response = _as(candidate_user()).get(url, query)

    error = api_error(response, 400)
    assert error["code"] == "invalid"
    assert field in error["fields"]


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize("start", [LATE, EARLY, "9999-12-31T23:59:59"])
def test_it_refuses_to_book_at_the_edges_of_time(start: str) -> None:
    interviewer = approved_interviewer()

    response = _as(candidate_user()).post(
        "/api/v1/sessions/", {"interviewer": interviewer.pk, "start": start}
    )

    assert "start" in api_error(response, 400)["fields"]
    assert not Session.objects.exists()


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize("start", [LATE, EARLY])
def test_it_refuses_to_reschedule_to_the_edges_of_time(start: str) -> None:
    interviewer, candidate = approved_interviewer(), candidate_user()
    booked = book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )

    response = _as(candidate).post(f"/api/v1/sessions/{booked.pk}/reschedule/", {"start": start})

    assert "start" in api_error(response, 400)["fields"]
    assert Session.objects.get().start == TOMORROW_10
