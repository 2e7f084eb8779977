"""Booking races against the real PostgreSQL, through the whole HTTP stack.

Django's live server answers each request in its own thread (ThreadedWSGIServer), each
with its own database connection, so these requests really do run at the same time: a
barrier releases them together.
"""

from __future__ import annotations

import importlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta
from http.client import HTTPConnection
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer
from rest_framework.authtoken.models import Token

from accounts.models import User, VettingStatus
from interviews.models import Session, SessionStatus, WeeklyWindow
from tests.factories import CandidateProfileFactory, InterviewerProfileFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 20


@pytest.fixture(autouse=True)
def _seeded_rows() -> None:
    # Transactional tests end by emptying every table, migration-seeded rows included;
    # put the skill areas and the question bank back the way their migrations do.
    importlib.import_module("accounts.migrations.0002_skill_areas").add_skill_areas(
        django_apps, None
    )
    importlib.import_module("interviews.migrations.0002_questions").add_questions(django_apps, None)


def _interviewer() -> User:
    user = InterviewerProfileFactory.create(
        status=VettingStatus.APPROVED, weekly_capacity=20, user__time_zone="UTC"
    ).user
    WeeklyWindow.objects.bulk_create(
        WeeklyWindow(interviewer=user, weekday=day, start_time=time(0), end_time=time(23, 59))
        for day in range(7)
    )
    return user


def _candidate() -> tuple[User, str]:
    user = CandidateProfileFactory.create(user__time_zone="UTC").user
    return user, Token.objects.create(user=user).key


def _slot(days: int = 2) -> datetime:
    """A start on the grid, far enough ahead for the lead time, whenever the test runs."""
    today = timezone.now().astimezone(UTC).date()
    return datetime.combine(today + timedelta(days=days), time(12), tzinfo=UTC)


def _request(
    server: LiveServer,
    token: str,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    host, port = server.url.removeprefix("http://").split(":")
    connection = HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=json.dumps(body or {}),
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                **(headers or {}),
            },
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def _all_at_once(
    calls: list[tuple[str, str, dict[str, Any]]],
    server: LiveServer,
    headers: dict[str, str] | None = None,
) -> list[tuple[int, dict[str, Any]]]:
    barrier = threading.Barrier(len(calls))

    def run(call: tuple[str, str, dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        token, path, body = call
        barrier.wait(timeout=30)
        return _request(server, token, path, body, headers)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _assert_conflict(body: dict[str, Any]) -> None:
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == "slot_unavailable"
    assert body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)


def test_it_books_a_contested_slot_exactly_once(live_server: LiveServer) -> None:
    interviewer = _interviewer()
    tokens = [_candidate()[1] for _ in range(CLIENTS)]
    body = {"interviewer": interviewer.pk, "start": _slot().isoformat()}

    results = _all_at_once([(token, "/api/v1/sessions/", body) for token in tokens], live_server)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * (CLIENTS - 1), results
    for status, answer in results:
        if status == 409:
            _assert_conflict(answer)
    assert Session.objects.count() == 1


def test_it_lets_a_candidate_hold_only_one_of_two_overlapping_bookings(
    live_server: LiveServer,
) -> None:
    _, token = _candidate()
    first, second = _interviewer(), _interviewer()
    start = _slot()
    calls = [
        (token, "/api/v1/sessions/", {"interviewer": first.pk, "start": start.isoformat()}),
        (
            token,
            "/api/v1/sessions/",
            {"interviewer": second.pk, "start": (start + timedelta(minutes=30)).isoformat()},
        ),
    ]

    results = _all_at_once(calls, live_server)

    assert sorted(status for status, _ in results) == [201, 409], results
    _assert_conflict(next(body for status, body in results if status == 409))
    assert Session.objects.count() == 1


def test_it_answers_concurrent_uses_of_one_idempotency_key_with_one_booking(
    live_server: LiveServer,
) -> None:
    interviewer = _interviewer()
    user, token = _candidate()
    body = {"interviewer": interviewer.pk, "start": _slot().isoformat()}
    calls = [(token, "/api/v1/sessions/", body)] * 8

    results = _all_at_once(calls, live_server, headers={"Idempotency-Key": "one-key"})

    assert {status for status, _ in results} == {201}, results
    assert len({answer["id"] for _, answer in results}) == 1
    assert Session.objects.filter(candidate=user).count() == 1


def test_it_rebooks_a_slot_after_a_cancel(live_server: LiveServer) -> None:
    interviewer = _interviewer()
    _, first_token = _candidate()
    _, second_token = _candidate()
    body = {"interviewer": interviewer.pk, "start": _slot().isoformat()}

    status, booked = _request(live_server, first_token, "/api/v1/sessions/", body)
    assert status == 201
    taken, _ = _request(live_server, second_token, "/api/v1/sessions/", body)
    cancelled, _ = _request(live_server, first_token, f"/api/v1/sessions/{booked['id']}/cancel/")
    rebooked, answer = _request(live_server, second_token, "/api/v1/sessions/", body)

    assert (taken, cancelled, rebooked) == (409, 200, 201)
    assert Session.objects.filter(status=SessionStatus.SCHEDULED).get().pk == answer["id"]
