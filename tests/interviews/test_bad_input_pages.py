"""Input that once answered 500 on the pages (issue 10, finding 2): now the form with the error.

NUL bytes only fail on PostgreSQL (SQLite stores them), so run these there too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from interviews.booking import book_session
from interviews.models import Session
from tests.interviews.test_booking import NOW, TOMORROW_10, approved_interviewer, candidate_user

pytestmark = pytest.mark.django_db

NUL = "before\x00after"
HUGE = "1" * 5_000
SUPERSCRIPT_TWO = "²"
LATE = "9999-12-31T23:00:00Z"
EARLY = "0001-01-01T00:00:00+01:00"


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Finding an interviewer and booking ------------------------------------------------------


@pytest.fixture
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"start": "9999-12-31", "end": "9999-12-31"}, ["start", "end"]),
        ({"start": "2026-03-22", "end": "9999-12-31"}, ["end"]),
        ({"start": "9999-12-31"}, ["start", "end"]),
        ({"start": "0001-01-01", "end": "2026-03-28"}, ["start"]),
    ],
)
def test_it_shows_find_form_errors_for_dates_at_the_edges(
    params: dict[str, str], fields: list[str]
) -> None:
    response = _as(candidate_user()).get("/find/", params)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == fields


def _book_url(**query: Any) -> str:
    return "/sessions/new/?" + urlencode(query)


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({"start": LATE}, "Start"),
        ({"start": EARLY}, "Start"),
        ({"start": "9999-12-31T23:59:59+00:00"}, "Start"),
        ({"start": TOMORROW_10.isoformat(), "length": SUPERSCRIPT_TWO}, "Length in minutes"),
        ({"start": TOMORROW_10.isoformat(), "length": HUGE}, "Length in minutes"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_names_what_is_wrong_with_a_booking_link(
    method: str, query: dict[str, str], label: str
) -> None:
    interviewer = approved_interviewer()

    response = getattr(_as(candidate_user()), method)(
        _book_url(interviewer=interviewer.pk, **query)
    )

    assert response.status_code == 400
    assert f"{label}:" in response.context["error"]
    assert "Confirm booking</button>" not in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize("interviewer", [SUPERSCRIPT_TWO, HUGE])
def test_it_answers_404_for_a_booking_link_without_a_real_interviewer(interviewer: str) -> None:
    response = _as(candidate_user()).get(
        _book_url(interviewer=interviewer, start=TOMORROW_10.isoformat())
    )

    assert response.status_code == 404


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize("start", [LATE, EARLY])
def test_it_refuses_to_reschedule_to_the_edges_of_time(start: str) -> None:
    interviewer, candidate = approved_interviewer(), candidate_user()
    booked = book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )

    response = _as(candidate).post(f"/sessions/{booked.pk}/reschedule/", {"start": start})

    assert response.status_code == 404
    assert Session.objects.get().start == TOMORROW_10
