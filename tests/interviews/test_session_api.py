"""The session endpoints of SPEC §10: booking with Idempotency-Key, reading, changing, ICS."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from icalendar import Calendar
from pytest_django import DjangoAssertNumQueries
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from interviews.booking import book_session
from interviews.feedback import save_feedback_draft, submit_review
from interviews.models import IdempotencyKey, Session, SessionStatus
from studyplans.models import StudyPlan
from tests.api import api_error
from tests.factories import (
    NOW,
    TOMORROW_10,
    UserFactory,
    approved_interviewer,
    candidate_user,
    review_body,
    submitted_feedback,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]

SESSIONS_URL = "/api/v1/sessions/"
SESSION_KEYS = {
    "id",
    "interviewer",
    "candidate",
    "start",
    "end",
    "status",
    "meeting_url",
    "feedback_status",
    "review_status",
}


@pytest.fixture
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def interviewer() -> User:
    return approved_interviewer()


@pytest.fixture
def candidate() -> User:
    return candidate_user()


@pytest.fixture
def booked(interviewer: User, candidate: User) -> Session:
    return book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )


def _as(client: APIClient, user: User) -> APIClient:
    client.force_authenticate(user)
    return client


def _book_body(interviewer: User, **extra: Any) -> dict[str, Any]:
    return {"interviewer": interviewer.pk, "start": TOMORROW_10.isoformat(), **extra}


# --- POST /api/v1/sessions/ ---------------------------------------------------------------


def test_it_books_and_answers_with_the_session(
    api_client: APIClient, interviewer: User, candidate: User
) -> None:
    response = _as(api_client, candidate).post(SESSIONS_URL, _book_body(interviewer))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= SESSION_KEYS
    assert "question" not in body  # the candidate never sees it
    assert body["interviewer"] == {"id": interviewer.pk, "name": interviewer.name}
    assert body["candidate"] == {"id": candidate.pk, "name": candidate.name}
    assert body["start"] == "2026-03-03T10:00:00+00:00"
    assert body["end"] == "2026-03-03T11:00:00+00:00"
    assert body["status"] == "scheduled"
    assert body["feedback_status"] == body["review_status"] == "none"
    assert body["rescheduled_from"] is None
    assert Session.objects.get().pk == body["id"]


def test_it_accepts_a_start_in_any_offset(
    api_client: APIClient, interviewer: User, candidate: User
) -> None:
    response = _as(api_client, candidate).post(
        SESSIONS_URL, {"interviewer": interviewer.pk, "start": "2026-03-03T05:00:00-05:00"}
    )

    assert response.status_code == 201
    assert Session.objects.get().start == TOMORROW_10


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"start": "2026-03-03T10:15:00Z"}, 409, "slot_unavailable"),
        ({"start": "2026-03-02T10:00:00Z"}, 400, "lead_time"),
        ({"length": 120}, 400, "invalid"),
        ({"start": "tomorrow"}, 400, "invalid"),
    ],
)
def test_it_refuses_bookings_against_the_rules_in_the_error_shape(
    api_client: APIClient,
    interviewer: User,
    candidate: User,
    body: dict[str, Any],
    status: int,
    code: str,
) -> None:
    response = _as(api_client, candidate).post(SESSIONS_URL, _book_body(interviewer, **body))

    assert api_error(response, status)["code"] == code
    assert not Session.objects.exists()


@pytest.mark.parametrize("who", ["nobody", "a candidate"])
def test_it_refuses_an_unknown_interviewer(
    api_client: APIClient, candidate: User, who: str
) -> None:
    interviewer_id = 999999 if who == "nobody" else candidate_user().pk

    response = _as(api_client, candidate).post(
        SESSIONS_URL, {"interviewer": interviewer_id, "start": TOMORROW_10.isoformat()}
    )

    error = api_error(response, 400)
    assert error["code"] == "unknown_interviewer"
    assert error["fields"]["interviewer"] == ["No interviewer has this id."]
    assert not Session.objects.exists()


def test_it_answers_a_lost_slot_with_409(
    api_client: APIClient, booked: Session, interviewer: User
) -> None:
    response = _as(api_client, candidate_user()).post(SESSIONS_URL, _book_body(interviewer))

    error = api_error(response, 409)
    assert error["code"] == "slot_unavailable"
    assert error["message"] == "This slot was just taken."


def test_it_requires_sign_in(api_client: APIClient) -> None:
    assert api_error(api_client.get(SESSIONS_URL), 401)


# --- Idempotency-Key --------------------------------------------------------------------------


def test_it_answers_the_same_key_and_body_the_same_way_once(
    api_client: APIClient, interviewer: User, candidate: User
) -> None:
    client = _as(api_client, candidate)
    first = client.post(SESSIONS_URL, _book_body(interviewer), HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(SESSIONS_URL, _book_body(interviewer), HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Session.objects.count() == 1
    assert IdempotencyKey.objects.get().response_status == 201


def test_it_refuses_the_same_key_with_another_body(
    api_client: APIClient, interviewer: User, candidate: User
) -> None:
    client = _as(api_client, candidate)
    client.post(SESSIONS_URL, _book_body(interviewer), HTTP_IDEMPOTENCY_KEY="k-1")

    response = client.post(
        SESSIONS_URL,
        {"interviewer": interviewer.pk, "start": (TOMORROW_10 + timedelta(days=1)).isoformat()},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert api_error(response, 422)["code"] == "idempotency_key_reused"
    assert Session.objects.count() == 1


def test_it_replays_a_refusal_even_once_the_slot_is_free_again(
    api_client: APIClient, booked: Session, interviewer: User
) -> None:
    client = _as(api_client, candidate_user())
    first = client.post(SESSIONS_URL, _book_body(interviewer), HTTP_IDEMPOTENCY_KEY="k-2")
    Session.objects.filter(pk=booked.pk).update(status=SessionStatus.CANCELLED)
    second = client.post(SESSIONS_URL, _book_body(interviewer), HTTP_IDEMPOTENCY_KEY="k-2")

    assert api_error(first, 409)["code"] == "slot_unavailable"
    assert second.json() == first.json()
    assert second.status_code == 409


def test_it_keeps_keys_per_user(api_client: APIClient, interviewer: User) -> None:
    for hours in (0, 2):
        response = _as(api_client, candidate_user()).post(
            SESSIONS_URL,
            {
                "interviewer": interviewer.pk,
                "start": (TOMORROW_10 + timedelta(hours=hours)).isoformat(),
            },
            HTTP_IDEMPOTENCY_KEY="same",
        )
        assert response.status_code == 201

    assert Session.objects.count() == 2


def test_it_refuses_an_overlong_key(
    api_client: APIClient, interviewer: User, candidate: User
) -> None:
    response = _as(api_client, candidate).post(
        SESSIONS_URL, _book_body(interviewer), HTTP_IDEMPOTENCY_KEY="k" * 201
    )

    assert "Idempotency-Key" in api_error(response, 400)["fields"]


# --- Reading ---------------------------------------------------------------------------------


def test_it_lists_the_users_sessions_in_a_fixed_number_of_queries(
    api_client: APIClient,
    interviewer: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for hours in range(0, 10, 2):
        book_session(
            candidate=candidate_user(),
            interviewer_id=interviewer.pk,
            start=TOMORROW_10 + timedelta(hours=hours - 2),
            now=NOW,
        )
    book_session(
        candidate=candidate_user(),
        interviewer_id=approved_interviewer().pk,
        start=TOMORROW_10,
        now=NOW,
    )
    client = _as(api_client, interviewer)

    with django_assert_max_num_queries(4):
        response = client.get(SESSIONS_URL)

    body = response.json()
    assert body["count"] == 5
    assert {"count", "next", "previous", "results"} <= set(body)
    assert all(session["question"]["hints"] for session in body["results"])


def test_it_shows_the_question_with_hints_only_to_the_interviewer(
    api_client: APIClient, booked: Session
) -> None:
    url = f"{SESSIONS_URL}{booked.pk}/"

    as_interviewer = _as(api_client, booked.interviewer).get(url).json()
    as_candidate = _as(api_client, booked.candidate).get(url).json()

    assert as_interviewer["question"]["hints"]
    assert as_interviewer["question"]["skill_areas"]
    assert "question" not in as_candidate
    assert set(as_candidate) >= SESSION_KEYS


ENDPOINTS = [
    ("get", "{id}/"),
    ("post", "{id}/cancel/"),
    ("post", "{id}/reschedule/"),
    ("post", "{id}/complete/"),
    ("post", "{id}/no-show/"),
    ("get", "{id}/calendar.ics"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_it_answers_404_for_sessions_that_are_not_yours(
    api_client: APIClient, booked: Session, method: str, path: str
) -> None:
    client = _as(api_client, approved_interviewer())
    url = SESSIONS_URL + path.format(id=booked.pk)

    response = getattr(client, method)(url, {"start": TOMORROW_10.isoformat()})

    assert api_error(response, 404)["code"] == "not_found"
    missing = getattr(client, method)(SESSIONS_URL + path.format(id=booked.pk + 1000))
    assert missing.json() == response.json()
    booked.refresh_from_db()
    assert booked.status == SessionStatus.SCHEDULED


def test_it_lists_nothing_of_other_peoples_sessions(api_client: APIClient, booked: Session) -> None:
    assert _as(api_client, UserFactory.create()).get(SESSIONS_URL).json()["count"] == 0


# --- Changing ---------------------------------------------------------------------------------


def test_it_cancels(api_client: APIClient, booked: Session) -> None:
    response = _as(api_client, booked.candidate).post(f"{SESSIONS_URL}{booked.pk}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["late_cancel"] is False


def test_it_refuses_a_second_cancel_with_409(api_client: APIClient, booked: Session) -> None:
    client = _as(api_client, booked.candidate)
    client.post(f"{SESSIONS_URL}{booked.pk}/cancel/")

    response = client.post(f"{SESSIONS_URL}{booked.pk}/cancel/")

    assert api_error(response, 409)["code"] == "not_scheduled"


def test_it_reschedules(api_client: APIClient, booked: Session) -> None:
    new_start = TOMORROW_10 + timedelta(days=1)

    response = _as(api_client, booked.interviewer).post(
        f"{SESSIONS_URL}{booked.pk}/reschedule/", {"start": new_start.isoformat()}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["rescheduled_from"] == booked.pk
    assert body["start"] == new_start.isoformat()
    assert body["question"]["id"] == booked.question_id


def test_it_refuses_a_reschedule_without_a_start(api_client: APIClient, booked: Session) -> None:
    response = _as(api_client, booked.candidate).post(f"{SESSIONS_URL}{booked.pk}/reschedule/", {})

    assert "start" in api_error(response, 400)["fields"]


def test_it_completes_after_the_end(api_client: APIClient, booked: Session) -> None:
    client = _as(api_client, booked.interviewer)
    early = client.post(f"{SESSIONS_URL}{booked.pk}/complete/")

    with time_machine.travel(booked.end, tick=False):
        done = client.post(f"{SESSIONS_URL}{booked.pk}/complete/")

    assert api_error(early, 409)["code"] == "not_ended"
    assert done.json()["status"] == "completed"


def test_it_refuses_completion_by_the_candidate(api_client: APIClient, booked: Session) -> None:
    with time_machine.travel(booked.end, tick=False):
        response = _as(api_client, booked.candidate).post(f"{SESSIONS_URL}{booked.pk}/complete/")

    assert api_error(response, 403)["code"] == "not_interviewer"


@pytest.mark.parametrize(
    ("side", "party", "status", "missing"),
    [
        ("interviewer", None, 200, "candidate"),
        ("candidate", None, 200, "interviewer"),
        ("candidate", "interviewer", 200, "interviewer"),
        ("interviewer", "interviewer", 400, None),
    ],
)
def test_it_records_no_shows(
    api_client: APIClient,
    booked: Session,
    side: str,
    party: str | None,
    status: int,
    missing: str | None,
) -> None:
    user = booked.interviewer if side == "interviewer" else booked.candidate
    body = {"party": party} if party else {}

    with time_machine.travel(booked.end + timedelta(minutes=5), tick=False):
        response = _as(api_client, user).post(f"{SESSIONS_URL}{booked.pk}/no-show/", body)

    assert response.status_code == status
    if missing:
        assert response.json()["no_show_party"] == missing


@pytest.mark.parametrize("side", ["interviewer", "candidate"])
def test_it_refuses_a_no_show_after_the_feedback_and_the_review(
    api_client: APIClient, booked: Session, side: str
) -> None:
    submitted_feedback(booked, now=booked.end)
    submit_review(session=booked, by=booked.candidate, data=review_body(), now=booked.end)
    user = booked.interviewer if side == "interviewer" else booked.candidate

    with time_machine.travel(booked.end + timedelta(hours=2), tick=False):
        response = _as(api_client, user).post(f"{SESSIONS_URL}{booked.pk}/no-show/", {})

    error = api_error(response, 409)
    assert error["code"] == "session_held"
    assert "took place" in error["message"]
    booked.refresh_from_db()
    assert booked.status == SessionStatus.SCHEDULED


@pytest.mark.parametrize("accept", ["*/*", "text/calendar", "application/json"])
def test_it_serves_the_calendar_file(api_client: APIClient, booked: Session, accept: str) -> None:
    response = _as(api_client, booked.candidate).get(
        f"{SESSIONS_URL}{booked.pk}/calendar.ics", HTTP_ACCEPT=accept
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == TOMORROW_10


# --- Feedback and review status -------------------------------------------------------------


def test_it_reports_feedback_and_review_status_in_a_fixed_number_of_queries(
    api_client: APIClient,
    interviewer: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    sessions = [
        book_session(
            candidate=candidate_user(),
            interviewer_id=interviewer.pk,
            start=TOMORROW_10 + timedelta(hours=hours),
            now=NOW,
        )
        for hours in (0, 2, 4)
    ]
    untouched, drafted, finished = sessions
    save_feedback_draft(
        session=drafted, by=interviewer, data={"strengths": "Clear."}, revision=0, now=drafted.start
    )
    submitted_feedback(finished)
    submit_review(session=finished, by=finished.candidate, data=review_body(), now=finished.end)
    client = _as(api_client, interviewer)

    with django_assert_max_num_queries(4):
        listed = {item["id"]: item for item in client.get(SESSIONS_URL).json()["results"]}
    detail = client.get(f"{SESSIONS_URL}{drafted.pk}/").json()

    statuses = {pk: (item["feedback_status"], item["review_status"]) for pk, item in listed.items()}
    assert statuses == {
        untouched.pk: ("none", "none"),
        drafted.pk: ("draft", "none"),
        finished.pk: ("submitted", "submitted"),
    }
    assert detail["feedback_status"] == "draft"


@pytest.mark.parametrize(("has_plan", "queries"), [(True, 10), (False, 12)])
def test_it_books_in_a_fixed_number_of_queries(
    api_client: APIClient,
    interviewer: User,
    candidate: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    has_plan: bool,
    queries: int,
) -> None:
    if not has_plan:  # bulk-created candidates have none; the ranking is made on the spot
        StudyPlan.objects.filter(candidate=candidate).delete()
    token = Token.objects.create(user=candidate)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    # The token with both profiles; the transaction's start and end; the locked pair; the
    # other sessions; the windows; the plan's ranking (without a plan: the areas and
    # whether any feedback or review exists); the question; the session; its outbox rows.
    with django_assert_num_queries(queries):
        response = api_client.post(SESSIONS_URL, _book_body(interviewer), format="json")

    assert response.status_code == 201, response.json()
