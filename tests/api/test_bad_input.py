"""Input that once reached the database or `int()` and answered 500 (issue 10, finding 2).

Each case is a 400 in the one error shape of SPEC §10 naming the field, and leaves what was
saved as it was. NUL bytes only fail on PostgreSQL (SQLite stores them), so run these there
too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from accounts.models import User
from interviews.booking import book_session
from interviews.feedback import save_feedback_draft
from interviews.models import Feedback, Review, Session
from interviews.rubrics import get_current_rubric, rubric_criteria
from tests.api import api_error
from tests.factories import (
    NOW,
    PASSWORD,
    TOMORROW_10,
    SessionFactory,
    UserFactory,
    approved_interviewer,
    candidate_user,
    review_body,
)

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


# --- Feedback and reviews -------------------------------------------------------------------


@pytest.fixture
def held() -> Iterator[Session]:
    """A session that has started, with a draft the interviewer saved earlier."""
    start = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    session = SessionFactory.create(start=start, end=start + timedelta(hours=1))
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        save_feedback_draft(
            session=session,
            by=session.interviewer,
            revision=0,
            data={
                "scores": {str(_first_criterion()): 2},
                "phases": {"functional-spec": {"notes": "Kept notes."}},
                "strengths": "Kept strengths.",
                "improvements": "Kept improvements.",
            },
        )
        yield session


def _first_criterion() -> int:
    return rubric_criteria(get_current_rubric())[0].pk


def _assert_draft_kept(session: Session) -> None:
    feedback = Feedback.objects.get(session=session)
    assert feedback.revision == 1
    assert feedback.strengths == "Kept strengths."
    assert feedback.improvements == "Kept improvements."
    assert feedback.phase_notes.get(phase="functional-spec").notes == "Kept notes."
    assert feedback.scores.get().score == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"strengths": NUL}, "strengths"),
        ({"improvements": NUL}, "improvements"),
        ({"phases": {"functional-spec": {"notes": NUL}}}, "phases.functional-spec.notes"),
        ({"scores": {"{criterion}": SUPERSCRIPT_TWO}}, "scores.{criterion}"),
        ({"scores": {"{criterion}": HUGE}}, "scores.{criterion}"),
        ({"scores": {SUPERSCRIPT_TWO: 3}}, f"scores.{SUPERSCRIPT_TWO}"),
        ({"scores": {HUGE: 3}}, f"scores.{HUGE}"),
        ({"strengths": "New.", "revision": SUPERSCRIPT_TWO}, "revision"),
        ({"strengths": "New.", "revision": HUGE}, "revision"),
    ],
)
@pytest.mark.parametrize("tail", ["feedback/", "feedback/submit/"])
def test_it_refuses_bad_feedback_input_naming_the_field_and_keeps_the_draft(
    held: Session, body: dict[str, Any], field: str, tail: str
) -> None:
    criterion = str(_first_criterion())
    text = json.dumps(body).replace("{criterion}", criterion)
    method = "put" if tail == "feedback/" else "post"

    response = getattr(_as(held.interviewer), method)(
        f"/api/v1/sessions/{held.pk}/{tail}", text, content_type="application/json"
    )

    error = api_error(response, 400)
    assert error["code"] == "invalid"
    assert field.replace("{criterion}", criterion) in error["fields"]
    if NUL in text.encode().decode("unicode_escape"):
        # Says what is wrong with it, not that it is too long.
        assert error["fields"][field] == ["Null characters are not allowed."]
    _assert_draft_kept(held)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"comment": NUL}, "comment"),
        ({"rating": SUPERSCRIPT_TWO}, "rating"),
        ({"rating": HUGE}, "rating"),
        ({"self_assessment": {"going-deep": SUPERSCRIPT_TWO}}, "self_assessment.going-deep"),
    ],
)
def test_it_refuses_a_bad_review_naming_the_field(
    held: Session, change: dict[str, Any], field: str
) -> None:
    body = review_body()
    if "self_assessment" in change:
        body["self_assessment"] |= change["self_assessment"]
    else:
        body |= change

    response = _as(held.candidate).post(f"/api/v1/sessions/{held.pk}/review/", body)

    error = api_error(response, 400)
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert not Review.objects.exists()


# --- The profile ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["candidate", "interviewer"])
def test_it_refuses_a_nul_byte_in_a_skill_area_slug(role: str) -> None:
    person = candidate_user() if role == "candidate" else approved_interviewer()
    name = "focus_areas" if role == "candidate" else "expertise"
    before = _areas(person, role)

    response = _as(person).patch(
        "/api/v1/me/", {role: {name: ["caching", "concur\x00rency"]}}, format="json"
    )

    error = api_error(response, 400)
    assert name in error["fields"][role]
    assert _areas(User.objects.get(pk=person.pk), role) == before


def _areas(person: User, role: str) -> set[str]:
    if role == "candidate":
        return set(person.candidate_profile.focus_areas.values_list("slug", flat=True))
    return set(person.interviewer_profile.expertise.values_list("slug", flat=True))


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


# --- Bodies the parser cannot take ----------------------------------------------------------


def test_it_answers_a_deeply_nested_body_with_a_parse_error() -> None:
    response = Client(raise_request_exception=False).post(
        "/api/v1/auth/token/", "[" * 100_000, content_type="application/json"
    )

    assert api_error(response, 400)["code"] == "parse_error"


def test_it_answers_a_10_megabyte_body_with_a_413_in_the_error_shape(
    settings: Settings,
) -> None:
    settings.DEBUG = False
    user = UserFactory.create()
    body = json.dumps({"email": user.email, "password": PASSWORD, "padding": "x" * 10_000_000})

    response = Client(raise_request_exception=False).post(
        "/api/v1/auth/token/", body, content_type="application/json"
    )

    error = api_error(response, 413)
    assert error["code"] == "too_large"
    assert "2.5 MB" in error["message"]
