"""The study plan under /api/v1/ (SPEC §10): its shape and numbers, who may read and change
it, and the one error shape for everything refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from accounts.models import User, VettingStatus
from interviews.feedback import submit_review
from interviews.models import Session, SessionStatus
from studyplans import planning
from studyplans.models import ItemKind, ItemStatus, PlanItem
from tests.api import api_error
from tests.factories import (
    PASSWORD,
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
    UserFactory,
    review_body,
    submitted_feedback,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]

# Monday 2 March 2026, 09:00 UTC (London is on GMT).
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THIS_MONDAY = date(2026, 3, 2)
PLAN_URL = "/api/v1/study-plan/"

ITEM_KEYS = {"id", "skill_area", "resource", "reason", "status", "week"}
RESOURCE_KEYS = {"title", "url", "kind", "hours"}


@pytest.fixture
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def item_url(item: PlanItem | int) -> str:
    return f"/api/v1/study-plan/items/{item if isinstance(item, int) else item.pk}/"


def candidate(**profile: Any) -> User:
    return CandidateProfileFactory.create(**profile).user


def as_user(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def items_of(user: User) -> list[PlanItem]:
    return list(
        PlanItem.objects.filter(plan__candidate=user).select_related("resource", "skill_area")
    )


def study_item(user: User) -> PlanItem:
    return next(item for item in items_of(user) if item.kind == ItemKind.RESOURCE)


@pytest.fixture
def ann() -> User:
    return candidate(focus_areas=["caching", "concurrency"])


# --- GET /api/v1/study-plan/ ---------------------------------------------------------------------


def test_it_serves_a_new_candidates_plan_in_the_spec_shape(ann: User) -> None:
    response = as_user(ann).get(PLAN_URL)

    assert response.status_code == 200
    body = response.json()
    assert {"items", "weakness", "practice"} <= set(body)
    stored = items_of(ann)
    assert [item["id"] for item in body["items"]] == [item.pk for item in stored]
    for shown, item in zip(body["items"], stored, strict=True):
        assert set(shown) >= ITEM_KEYS
        assert set(shown["resource"]) >= RESOURCE_KEYS
        week = (item.week_start - THIS_MONDAY).days // 7 + 1
        assert (shown["reason"], shown["status"], shown["week"]) == (item.reason, "todo", week)
        assert shown["week_start"] == item.week_start.isoformat()
        if item.resource is None:
            assert shown["skill_area"] is None
            assert shown["resource"]["title"] == "Book your next practice interview"
            assert shown["resource"]["url"] == "http://testserver/find/"
            assert (shown["resource"]["kind"], shown["resource"]["hours"]) == ("practice", 1.0)
            assert shown["reason"].startswith("0 practice interviews in the last 30 days")
        else:
            assert item.skill_area is not None
            assert shown["skill_area"] == item.skill_area.slug
            assert shown["resource"]["title"] == item.resource.title
            assert shown["resource"]["url"] == item.resource.url
            assert shown["resource"]["kind"] == item.resource.kind
            assert shown["resource"]["hours"] == float(item.resource.hours)
            assert isinstance(shown["resource"]["hours"], float)
    assert {item["skill_area"] for item in body["items"]} == {None, "caching", "concurrency"}
    assert body["weakness"] == {"caching": 2.5, "concurrency": 2.5}
    assert body["practice"] == {"done_last_30_days": 0, "goal": 2}


def test_it_numbers_the_weeks_from_the_plans_first(ann: User) -> None:
    later, latest = [item for item in items_of(ann) if item.kind == ItemKind.RESOURCE][:2]
    PlanItem.objects.filter(pk=later.pk).update(week_start=THIS_MONDAY + timedelta(weeks=1))
    PlanItem.objects.filter(pk=latest.pk).update(week_start=THIS_MONDAY + timedelta(weeks=3))

    body = as_user(ann).get(PLAN_URL).json()

    weeks = {item["id"]: item["week"] for item in body["items"]}
    assert (weeks[later.pk], weeks[latest.pk]) == (2, 4)
    assert weeks == {
        item.pk: (item.week_start - THIS_MONDAY).days // 7 + 1 for item in items_of(ann)
    }


def _session(who: User, *, days_ago: float, **extra: Any) -> Session:
    start = NOW - timedelta(days=days_ago, hours=1)
    return SessionFactory.create(
        candidate=who, start=start, end=start + timedelta(hours=1), **extra
    )


def test_it_serves_the_weakness_and_practice_after_interviews(ann: User) -> None:
    scored = _session(ann, days_ago=10, status=SessionStatus.COMPLETED)
    submitted_feedback(scored, score=2)
    submit_review(session=scored, by=ann, data=review_body(), now=scored.end)
    _session(ann, days_ago=2)  # held, not marked completed yet: counts
    _session(ann, days_ago=40, status=SessionStatus.COMPLETED)  # outside the 30 days
    _session(ann, days_ago=5, status=SessionStatus.CANCELLED)
    _session(ann, days_ago=3, status=SessionStatus.NO_SHOW)
    _session(ann, days_ago=-2)  # upcoming
    planning.refresh_plan(candidate=ann)

    body = as_user(ann).get(PLAN_URL).json()

    assert body["practice"] == {"done_last_30_days": 2, "goal": 2}
    # Every criterion scored 2 (some prodding: no penalty); caching is only a focus area.
    scored_areas = [
        "requirements",
        "estimation",
        "high-level-design",
        "api-design",
        "data-modeling",
        "scalability",
        "concurrency",
        "reliability",
        "operability",
        "communication",
    ]
    assert list(body["weakness"].items()) == [
        *((slug, 2.0) for slug in scored_areas),
        ("caching", 2.5),
    ]
    # The goal is met: no "book your next practice interview"; the 3 weakest are studied.
    assert all(item["resource"]["kind"] != "practice" for item in body["items"])
    open_areas = {item["skill_area"] for item in body["items"] if item["status"] == "todo"}
    assert open_areas == {"requirements", "estimation", "high-level-design"}
    reasons = {item["reason"] for item in body["items"] if item["skill_area"] == "requirements"}
    assert reasons == {"Functional Spec, requirements: 2.0 average over your last interview"}


def test_it_serves_an_empty_plan_to_a_candidate_without_one() -> None:
    user = CandidateProfileFactory.create(study_plan=False).user

    response = as_user(user).get(PLAN_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["items"] == []
    assert body["weakness"] == {}
    assert body["practice"] == {"done_last_30_days": 0, "goal": 2}


def test_it_reads_the_plan_in_a_fixed_number_of_queries(
    ann: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = as_user(ann)

    with django_assert_max_num_queries(3):
        assert client.get(PLAN_URL).status_code == 200


# --- Who may read it -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), [("get", PLAN_URL), ("patch", "/api/v1/study-plan/items/1/")]
)
def test_it_answers_401_to_an_anonymous_caller(
    api_client: APIClient, method: str, path: str
) -> None:
    response = getattr(api_client, method)(path, {"status": "done"})

    assert api_error(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_it_answers_403_to_someone_who_is_not_a_candidate(ann: User) -> None:
    interviewer = InterviewerProfileFactory.create(status=VettingStatus.APPROVED).user
    nobody = UserFactory.create()
    item = study_item(ann)

    for user in (interviewer, nobody):
        client = as_user(user)
        for response in (client.get(PLAN_URL), client.patch(item_url(item), {"status": "done"})):
            error = api_error(response, 403)
            assert error["code"] == "not_a_candidate"
            assert "candidate" in error["message"]
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


def test_it_takes_a_token(api_client: APIClient, ann: User) -> None:
    token = api_client.post("/api/v1/auth/token/", {"email": ann.email, "password": PASSWORD})
    item = study_item(ann)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    read = client.get(PLAN_URL)
    changed = client.patch(item_url(item), {"status": "doing"})

    assert read.status_code == 200
    assert [shown["id"] for shown in read.json()["items"]] == [i.pk for i in items_of(ann)]
    assert changed.status_code == 200
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.DOING


def test_it_refuses_a_wrong_token(ann: User) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api_error(client.get(PLAN_URL), 401)["code"] == "authentication_failed"


def test_it_needs_the_csrf_token_for_a_browser_session_write(ann: User) -> None:
    item = study_item(ann)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(ann)
    secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    client.cookies["csrftoken"] = secret

    forged = client.patch(item_url(item), {"status": "done"})
    read = client.get(PLAN_URL)
    accepted = client.patch(item_url(item), {"status": "skipped"}, HTTP_X_CSRFTOKEN=secret)

    assert api_error(forged, 403)["code"] == "permission_denied"
    assert read.status_code == 200
    assert accepted.status_code == 200
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.SKIPPED


# --- PATCH /api/v1/study-plan/items/{id}/ --------------------------------------------------------


@pytest.mark.parametrize("status", ["done", "doing", "skipped", "todo"])
def test_it_sets_an_items_status_and_keeps_it(ann: User, status: str) -> None:
    item = study_item(ann)
    if status == "todo":
        planning.set_item_status(item=item, status=ItemStatus.DONE)
    client = as_user(ann)

    response = client.patch(item_url(item), {"status": status})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) >= ITEM_KEYS
    assert (body["id"], body["status"], body["week"]) == (item.pk, status, 1)
    assert body["reason"] == item.reason
    stored = PlanItem.objects.get(pk=item.pk)
    assert stored.status == status
    assert stored.status_changed_at == NOW
    shown = {entry["id"]: entry["status"] for entry in client.get(PLAN_URL).json()["items"]}
    assert shown[item.pk] == status


def test_it_checks_off_the_practice_item_too(ann: User) -> None:
    practice = next(item for item in items_of(ann) if item.kind == ItemKind.PRACTICE)

    response = as_user(ann).patch(item_url(practice), {"status": "done"})

    assert response.status_code == 200
    assert response.json()["resource"]["kind"] == "practice"
    assert PlanItem.objects.get(pk=practice.pk).status == ItemStatus.DONE


@pytest.mark.parametrize("status", ["todo", "doing"])
def test_it_lets_a_reopened_practice_item_replace_the_newer_untouched_one(
    ann: User, status: str
) -> None:
    done = next(item for item in items_of(ann) if item.kind == ItemKind.PRACTICE)
    planning.set_item_status(item=done, status=ItemStatus.DONE)
    # Checked off last week: this week's remake asks again with a new open one.
    PlanItem.objects.filter(pk=done.pk).update(week_start=THIS_MONDAY - timedelta(weeks=1))
    planning.refresh_plan(candidate=ann)
    fresh = PlanItem.objects.get(plan__candidate=ann, kind=ItemKind.PRACTICE, status="todo")

    response = as_user(ann).patch(item_url(done), {"status": status})

    assert response.status_code == 200
    assert response.json()["status"] == status
    assert not PlanItem.objects.filter(pk=fresh.pk).exists()


def test_it_refuses_to_reopen_a_practice_item_while_a_newer_one_is_in_progress(ann: User) -> None:
    done = next(item for item in items_of(ann) if item.kind == ItemKind.PRACTICE)
    planning.set_item_status(item=done, status=ItemStatus.DONE)
    PlanItem.objects.filter(pk=done.pk).update(week_start=THIS_MONDAY - timedelta(weeks=1))
    planning.refresh_plan(candidate=ann)
    fresh = PlanItem.objects.get(plan__candidate=ann, kind=ItemKind.PRACTICE, status="todo")
    planning.set_item_status(item=fresh, status=ItemStatus.DOING)

    response = as_user(ann).patch(item_url(done), {"status": "todo"})

    assert api_error(response, 409)["code"] == "practice_item_open"
    assert PlanItem.objects.get(pk=done.pk).status == ItemStatus.DONE


@pytest.mark.parametrize(
    "status",
    [
        "finished",
        "DONE",
        " done",
        "",
        None,
        5,
        True,
        ["done"],
        {"value": "done"},
        "do\x00ne",
        "done\x00",
        "x" * 100_000,
    ],
    ids=[
        "unknown",
        "upper-case",
        "padded",
        "blank",
        "null",
        "number",
        "boolean",
        "list",
        "object",
        "nul-inside",
        "nul-after",
        "huge",
    ],
)
def test_it_refuses_a_bad_status_and_names_the_field(ann: User, status: Any) -> None:
    item = study_item(ann)

    response = as_user(ann).patch(item_url(item), {"status": status})

    error = api_error(response, 400)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"status"}
    assert error["fields"]["status"]
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


def test_it_refuses_a_patch_without_a_status(ann: User) -> None:
    item = study_item(ann)

    response = as_user(ann).patch(item_url(item), {"reason": "I said so", "week": 9})

    error = api_error(response, 400)
    assert error["fields"] == {"status": ["This field is required."]}
    stored = PlanItem.objects.get(pk=item.pk)
    assert (stored.status, stored.reason, stored.week_start) == (
        ItemStatus.TODO,
        item.reason,
        item.week_start,
    )


@pytest.mark.parametrize(
    "body",
    ['[{"status": "done"}]', '"done"', "5", "null", "{not json", '{"status": "done"', ""],
    ids=["list", "string", "number", "null", "broken", "unclosed", "empty"],
)
def test_it_refuses_a_body_that_is_not_a_json_object(ann: User, body: str) -> None:
    item = study_item(ann)

    response = as_user(ann).patch(item_url(item), body, content_type="application/json")

    api_error(response, 400)
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("status=done", "application/x-www-form-urlencoded"), ("done", "text/plain")],
)
def test_it_refuses_a_body_that_is_not_json(ann: User, body: str, content_type: str) -> None:
    item = study_item(ann)

    response = as_user(ann).patch(item_url(item), body, content_type=content_type)

    assert api_error(response, 415)["code"] == "unsupported_media_type"
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


def _over_the_upload_limit() -> str:
    # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) before DRF parses it.
    return json.dumps({"status": "done", "padding": "x" * 3_000_000})


def test_it_refuses_a_body_over_the_upload_limit_with_a_413(ann: User) -> None:
    item = study_item(ann)

    response = as_user(ann).patch(
        item_url(item), _over_the_upload_limit(), content_type="application/json"
    )

    assert response.status_code == 413
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


def test_it_refuses_a_body_over_the_upload_limit_in_the_error_shape(ann: User) -> None:
    response = as_user(ann).patch(
        item_url(study_item(ann)), _over_the_upload_limit(), content_type="application/json"
    )

    assert api_error(response, 413)["code"] == "too_large"


def test_it_answers_404_for_another_candidates_item(ann: User) -> None:
    item = study_item(ann)
    other = candidate()

    response = as_user(other).patch(item_url(item), {"status": "done"})

    error = api_error(response, 404)
    assert error["code"] == "not_found"
    assert error["message"] == "Not found."
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


@pytest.mark.parametrize("item_id", [0, 999_999, 2**63, 10**30])
def test_it_answers_404_for_an_item_that_does_not_exist(ann: User, item_id: int) -> None:
    response = as_user(ann).patch(item_url(item_id), {"status": "done"})

    assert api_error(response, 404)["code"] == "not_found"


def test_it_answers_the_same_404_whether_the_item_exists_or_not(ann: User) -> None:
    client = as_user(candidate())

    theirs = client.patch(item_url(study_item(ann)), {"status": "done"})
    missing = client.patch(item_url(999_999), {"status": "done"})

    assert theirs.json() == missing.json()


@pytest.mark.parametrize("method", ["get", "put", "post", "delete"])
def test_it_takes_only_a_patch_for_an_item(ann: User, method: str) -> None:
    item = study_item(ann)

    response = getattr(as_user(ann), method)(item_url(item), {"status": "done"})

    assert api_error(response, 405)["code"] == "method_not_allowed"
    assert PlanItem.objects.filter(pk=item.pk, status=ItemStatus.TODO).exists()


# --- The schema ----------------------------------------------------------------------------------


def test_it_documents_both_endpoints_in_the_openapi_schema(api_client: APIClient) -> None:
    document = api_client.get("/api/schema/?format=json").json()

    paths = document["paths"]
    assert "get" in paths["/api/v1/study-plan/"]
    assert "patch" in paths["/api/v1/study-plan/items/{item_id}/"]
    schemas = document["components"]["schemas"]
    plan = schemas["StudyPlan"]["properties"]
    assert {"items", "weakness", "practice"} <= set(plan)
    item = schemas["PlanItem"]["properties"]
    assert set(item) >= ITEM_KEYS
    assert set(schemas["Resource"]["properties"]) >= RESOURCE_KEYS
    assert {"done_last_30_days", "goal"} <= set(schemas["Practice"]["properties"])
    patch = paths["/api/v1/study-plan/items/{item_id}/"]["patch"]
    body = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request_schema = schemas[body.rsplit("/", 1)[-1]]
    assert "status" in request_schema["properties"]
