"""The feedback, review and rubric endpoints of SPEC §10, with the error shape and statuses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from accounts.models import User
from interviews.models import Feedback, Review, Session
from interviews.rubrics import PHASE_SLUGS, get_current_rubric, rubric_criteria
from tests.api import api_error
from tests.factories import (
    PASSWORD,
    SessionFactory,
    UserFactory,
    complete_feedback_data,
    review_body,
    submitted_feedback,
)

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
DURING = START + timedelta(minutes=30)

FEEDBACK_KEYS = {
    "session",
    "status",
    "revision",
    "rubric_version",
    "scores",
    "phases",
    "recommendation",
    "level",
    "strengths",
    "improvements",
    "opens_at",
    "due_at",
    "overdue",
    "editable",
    "updated_at",
    "submitted_at",
}


@pytest.fixture
def session() -> Session:
    return SessionFactory.create(start=START, end=END)


@pytest.fixture
def _during() -> Iterator[None]:
    with time_machine.travel(DURING, tick=False):
        yield


def at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def url(session: Session, tail: str = "feedback/") -> str:
    return f"/api/v1/sessions/{session.pk}/{tail}"


def as_user(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def interviewer_of(session: Session) -> APIClient:
    return as_user(session.interviewer)


def candidate_of(session: Session) -> APIClient:
    return as_user(session.candidate)


def first_criterion() -> int:
    return rubric_criteria(get_current_rubric())[0].pk


# --- GET /api/v1/rubrics/current/ ---------------------------------------------------------


def test_it_serves_the_current_rubric_in_the_spec_shape(api_client: APIClient, user: User) -> None:
    api_client.force_authenticate(user)

    response = api_client.get("/api/v1/rubrics/current/")

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert [phase["slug"] for phase in body["phases"]] == list(PHASE_SLUGS)
    assert [phase["minutes"] for phase in body["phases"]] == [10, 15, 20, 10, None]
    criterion = body["phases"][2]["criteria"][3]
    assert set(criterion) == {"id", "skill_area", "text", "levels"}
    assert criterion["skill_area"] == "concurrency"
    assert set(criterion["levels"]) == {"1", "2", "3", "4"}
    assert sum(len(phase["criteria"]) for phase in body["phases"]) == 13


def test_it_serves_the_rubric_only_to_signed_in_callers(api_client: APIClient) -> None:
    assert api_error(api_client.get("/api/v1/rubrics/current/"), 401)["code"] == (
        "not_authenticated"
    )


# --- GET|PUT /api/v1/sessions/{id}/feedback/ ------------------------------------------------


@pytest.mark.usefixtures("_during")
def test_it_shows_the_interviewer_an_empty_form_before_the_first_save(session: Session) -> None:
    response = interviewer_of(session).get(url(session))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == FEEDBACK_KEYS
    assert (body["status"], body["revision"], body["rubric_version"]) == ("none", 0, 1)
    assert body["scores"] == {}
    assert body["phases"] == {slug: {"prodding": "", "notes": ""} for slug in PHASE_SLUGS}
    assert body["due_at"] == "2026-03-03T11:00:00+00:00"
    assert body["opens_at"] == "2026-03-02T10:00:00+00:00"
    assert (body["overdue"], body["editable"]) == (False, True)
    assert body["submitted_at"] is None


@pytest.mark.usefixtures("_during")
def test_it_saves_a_draft_and_answers_with_it(session: Session) -> None:
    first = first_criterion()

    response = interviewer_of(session).put(
        url(session),
        {
            "revision": 0,
            "scores": {str(first): 3},
            "phases": {"functional-spec": {"prodding": "none", "notes": "Crisp scope."}},
            "level": "senior",
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["revision"]) == ("draft", 1)
    assert body["scores"] == {str(first): 3}
    assert body["phases"]["functional-spec"] == {"prodding": "none", "notes": "Crisp scope."}
    assert body["level"] == "senior"
    assert body["updated_at"] == "2026-03-02T10:30:00+00:00"


@pytest.mark.usefixtures("_during")
def test_it_merges_what_a_put_does_not_name(session: Session) -> None:
    client = interviewer_of(session)
    client.put(url(session), {"strengths": "Scope.", "level": "mid"})

    response = client.put(url(session), {"level": "staff", "status": "submitted", "revision": 1})

    body = response.json()
    assert (body["strengths"], body["level"], body["status"]) == ("Scope.", "staff", "draft")


@pytest.mark.usefixtures("_during")
def test_it_refuses_a_put_with_a_stale_revision(session: Session) -> None:
    client = interviewer_of(session)
    client.put(url(session), {"revision": 0, "level": "mid"})
    client.put(url(session), {"revision": 1, "level": "senior"})

    response = client.put(url(session), {"revision": 1, "level": "staff"})

    error = api_error(response, 409)
    assert error["code"] == "feedback_conflict"
    assert error["message"].startswith("This feedback was saved from another tab or window at")
    assert error["fields"] == {"revision": ["The latest revision is 2."]}
    assert Feedback.objects.get().level == "senior"


def test_it_refuses_feedback_before_the_session_starts(session: Session) -> None:
    with at(START - timedelta(minutes=5)):
        response = interviewer_of(session).put(url(session), {"level": "mid"})
        shown = interviewer_of(session).get(url(session)).json()

    error = api_error(response, 409)
    assert error["code"] == "feedback_not_open"
    assert "Monday 2 March 2026, 10:00 GMT (Europe/London)" in error["message"]
    assert (shown["status"], shown["editable"]) == ("none", False)
    assert not Feedback.objects.exists()


@pytest.mark.usefixtures("_during")
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scores": {"{first}": 5}}, "scores.{first}"),
        ({"scores": {"424242": 3}}, "scores.424242"),
        ({"phases": {"going-deep": {"prodding": "loads"}}}, "phases.going-deep.prodding"),
        ({"recommendation": "maybe"}, "recommendation"),
        ({"revision": "latest"}, "revision"),
    ],
)
def test_it_names_the_bad_field_of_a_put(
    session: Session, body: dict[str, Any], field: str
) -> None:
    first = str(first_criterion())
    body = json.loads(json.dumps(body).replace("{first}", first))

    response = interviewer_of(session).put(url(session), body)

    error = api_error(response, 400)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field.replace("{first}", first)]
    assert not Feedback.objects.exists()


@pytest.mark.usefixtures("_during")
def test_it_refuses_a_body_that_is_not_an_object(session: Session) -> None:
    response = interviewer_of(session).put(url(session), [1, 2], format="json")

    assert api_error(response, 400)["message"] == "Send a JSON object."


@pytest.mark.usefixtures("_during")
def test_it_lets_only_the_interviewer_write(session: Session) -> None:
    response = candidate_of(session).put(url(session), {"level": "staff"})

    assert api_error(response, 403)["code"] == "not_interviewer"


# --- POST /api/v1/sessions/{id}/feedback/submit/ ---------------------------------------------


def test_it_names_the_missing_criterion_when_submitting(session: Session) -> None:
    data = complete_feedback_data()
    criteria = rubric_criteria(get_current_rubric())
    missing = criteria[7]  # Going Deep: names and weighs tradeoffs
    del data["scores"][str(missing.pk)]
    with at(END):
        interviewer_of(session).put(url(session), data)
        response = interviewer_of(session).post(url(session, "feedback/submit/"), {})

    error = api_error(response, 400)
    assert error["code"] == "feedback_incomplete"
    assert error["message"] == "The feedback is incomplete: 1 item is missing."
    assert error["fields"] == {
        f"scores.{missing.pk}": ["Score “Names and weighs tradeoffs” (Going Deep)."]
    }


def test_it_submits_once_and_refuses_every_change_after(session: Session) -> None:
    client = interviewer_of(session)
    with at(END):
        client.put(url(session), complete_feedback_data())
        response = client.post(url(session, "feedback/submit/"), {"revision": 1})
        again = client.post(url(session, "feedback/submit/"), {})
        edit = client.put(url(session), {"strengths": "Rewritten."})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["revision"], body["editable"]) == ("submitted", 2, False)
    assert body["submitted_at"] == "2026-03-02T11:00:00+00:00"
    assert len(body["scores"]) == 13
    assert api_error(again, 409)["code"] == "feedback_submitted"
    assert api_error(edit, 409)["code"] == "feedback_submitted"
    assert Feedback.objects.get().strengths == complete_feedback_data()["strengths"]


def test_it_saves_and_submits_in_one_post(session: Session) -> None:
    with at(END):
        response = interviewer_of(session).post(
            url(session, "feedback/submit/"), {**complete_feedback_data(), "revision": 0}
        )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"


def test_it_refuses_a_submit_before_the_start(session: Session) -> None:
    with at(START - timedelta(seconds=1)):
        response = interviewer_of(session).post(url(session, "feedback/submit/"), {})

    assert api_error(response, 409)["code"] == "feedback_not_open"


# --- The candidate's side: POST review/ and the blind reveal ---------------------------------


def test_it_takes_the_review_once(session: Session) -> None:
    with at(END):
        response = candidate_of(session).post(url(session, "review/"), review_body(rating=5))
        again = candidate_of(session).post(url(session, "review/"), review_body())

    assert response.status_code == 201, response.json()
    assert response.json() == {
        "session": session.pk,
        "rating": 5,
        "comment": "Clear hints, fair questions.",
        "would_practise_again": True,
        "share_comment": False,
        "self_assessment": dict.fromkeys(PHASE_SLUGS, 3),
        "created_at": "2026-03-02T11:00:00+00:00",
    }
    assert api_error(again, 409)["code"] == "review_submitted"
    assert Review.objects.get().rating == 5


def test_it_shares_the_comment_only_when_the_candidate_says_so(session: Session) -> None:
    with at(END):
        response = candidate_of(session).post(
            url(session, "review/"), {**review_body(), "share_comment": True}
        )

    assert response.status_code == 201, response.json()
    assert response.json()["share_comment"] is True
    assert Review.objects.get().share_comment is True


@pytest.mark.parametrize("bad", [None, "perhaps", 2, [True]])
def test_it_names_a_bad_share_comment(session: Session, bad: object) -> None:
    with at(END):
        response = candidate_of(session).post(
            url(session, "review/"), {**review_body(), "share_comment": bad}
        )

    assert set(api_error(response, 400)["fields"]) == {"share_comment"}
    assert not Review.objects.exists()


def test_it_names_the_bad_fields_of_a_review(session: Session) -> None:
    body = review_body()
    del body["self_assessment"]["going-deep"]
    with at(END):
        response = candidate_of(session).post(url(session, "review/"), {**body, "rating": 9})

    error = api_error(response, 400)
    assert set(error["fields"]) == {"rating", "self_assessment.going-deep"}


def test_it_refuses_a_review_before_the_start_and_from_the_interviewer(session: Session) -> None:
    with at(START - timedelta(minutes=1)):
        early = candidate_of(session).post(url(session, "review/"), review_body())
    with at(END):
        wrong_side = interviewer_of(session).post(url(session, "review/"), review_body())

    assert api_error(early, 409)["code"] == "review_not_open"
    assert api_error(wrong_side, 403)["code"] == "not_candidate"


def test_it_hides_the_feedback_from_the_candidate_until_the_review(session: Session) -> None:
    submitted_feedback(session, now=END)
    client = candidate_of(session)

    with at(END + timedelta(hours=1)):
        hidden = client.get(url(session))
        client.post(url(session, "review/"), review_body())
        shown = client.get(url(session))

    assert hidden.status_code == 200
    assert hidden.json() == {
        "status": "hidden",
        "visible_at": "2026-03-05T11:00:00+00:00",
        "message": "Submit your review to see it now, or it opens on "
        "Thursday 5 March 2026, 11:00 GMT (Europe/London).",
    }
    body = shown.json()
    assert set(body) == FEEDBACK_KEYS - {"editable"} | {"visible_at"}
    assert body["status"] == "submitted"
    assert body["visible_at"] == "2026-03-02T12:00:00+00:00"
    assert len(body["scores"]) == 13
    assert body["recommendation"] == "hire"


def test_it_reveals_the_feedback_72_hours_after_the_submit(session: Session) -> None:
    submitted_feedback(session, now=END)
    client = candidate_of(session)

    with at(END + timedelta(hours=72) - timedelta(seconds=1)):
        before = client.get(url(session)).json()
    with at(END + timedelta(hours=72)):
        after = client.get(url(session)).json()

    assert before["status"] == "hidden"
    assert "scores" not in before
    assert after["status"] == "submitted"
    assert after["strengths"] == complete_feedback_data()["strengths"]


def _without_self_assessment() -> dict[str, Any]:
    body = review_body()
    del body["self_assessment"]
    return body


REVEAL = END + timedelta(hours=72)


def test_it_asks_for_the_self_assessment_until_the_reveal(session: Session) -> None:
    submitted_feedback(session, now=END)

    with at(REVEAL - timedelta(seconds=1)):
        missing = candidate_of(session).post(url(session, "review/"), _without_self_assessment())
        taken = candidate_of(session).post(url(session, "review/"), review_body())

    assert "self_assessment" in api_error(missing, 400)["fields"]
    assert taken.status_code == 201, taken.json()
    assert taken.json()["self_assessment"] == dict.fromkeys(PHASE_SLUGS, 3)


def test_it_refuses_a_self_assessment_after_the_reveal(session: Session) -> None:
    submitted_feedback(session, now=END)

    with at(REVEAL):
        refused = candidate_of(session).post(url(session, "review/"), review_body())
        taken = candidate_of(session).post(url(session, "review/"), _without_self_assessment())

    error = api_error(refused, 400)
    assert list(error["fields"]) == ["self_assessment"]
    assert "already open to you" in error["fields"]["self_assessment"][0]
    assert taken.status_code == 201, taken.json()
    assert taken.json()["rating"] == 4
    assert taken.json()["self_assessment"] is None
    assert Review.objects.get().self_assessment == {}


def test_it_never_shows_the_candidate_a_draft(session: Session) -> None:
    with at(END + timedelta(days=30)):
        interviewer_of(session).put(url(session), complete_feedback_data())
        body = candidate_of(session).get(url(session)).json()

    assert body["status"] == "hidden"
    assert body["visible_at"] is None
    assert "has not submitted feedback yet" in body["message"]


# --- Whose session: 404 for anyone else, 401 for no one ---------------------------------------


ENDPOINTS = [
    ("get", "feedback/"),
    ("put", "feedback/"),
    ("post", "feedback/submit/"),
    ("post", "review/"),
]


@pytest.mark.usefixtures("_during")
@pytest.mark.parametrize(("method", "tail"), ENDPOINTS)
def test_it_answers_404_for_someone_elses_session(session: Session, method: str, tail: str) -> None:
    stranger = as_user(UserFactory.create())

    response = getattr(stranger, method)(url(session, tail), review_body())

    assert api_error(response, 404)["code"] == "not_found"
    missing = getattr(stranger, method)(f"/api/v1/sessions/{session.pk + 1000}/{tail}", {})
    assert api_error(missing, 404) == api_error(response, 404)  # no existence leak
    assert not Feedback.objects.exists() and not Review.objects.exists()


@pytest.mark.parametrize(("method", "tail"), ENDPOINTS)
def test_it_asks_anonymous_callers_to_authenticate(
    api_client: APIClient, session: Session, method: str, tail: str
) -> None:
    response = getattr(api_client, method)(url(session, tail), {})

    assert api_error(response, 401)["code"] == "not_authenticated"


# --- Token and browser-session authentication --------------------------------------------------


@pytest.mark.usefixtures("_during")
def test_it_works_with_the_api_token(api_client: APIClient, session: Session) -> None:
    token = api_client.post(
        "/api/v1/auth/token/", {"email": session.interviewer.email, "password": PASSWORD}
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api_client.put(url(session), {"level": "mid", "revision": 0})

    assert response.status_code == 200, response.json()
    assert api_client.get(url(session)).json()["level"] == "mid"


@pytest.mark.usefixtures("_during")
def test_it_works_with_a_browser_session_and_its_csrf_token(session: Session) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(session.interviewer)
    secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    client.cookies["csrftoken"] = secret

    forged = client.put(url(session), {"level": "staff"})
    accepted = client.put(url(session), {"level": "mid"}, HTTP_X_CSRFTOKEN=secret)

    assert api_error(forged, 403)["code"] == "permission_denied"
    assert accepted.status_code == 200, accepted.json()
    assert client.get(url(session)).json()["level"] == "mid"


# --- Cost and schema ------------------------------------------------------------------------


def test_it_reads_feedback_in_a_fixed_number_of_queries(
    session: Session, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    submitted_feedback(session, now=END)
    client = interviewer_of(session)

    with at(END), django_assert_max_num_queries(7):
        assert client.get(url(session)).status_code == 200


def test_it_documents_the_endpoints_in_the_openapi_schema(api_client: APIClient) -> None:
    document = api_client.get("/api/schema/?format=json").json()

    paths = document["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/sessions/{session_id}/feedback/"])
    assert "post" in paths["/api/v1/sessions/{session_id}/feedback/submit/"]
    assert "post" in paths["/api/v1/sessions/{session_id}/review/"]
    assert "get" in paths["/api/v1/rubrics/current/"]
    schemas = document["components"]["schemas"]
    assert {"Feedback", "HiddenFeedback", "FeedbackDraftRequest", "Review", "Rubric"} <= set(
        schemas
    )
