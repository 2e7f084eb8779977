"""Every API error has the one shape of SPEC §10, whichever layer raised it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from pytest_django.fixtures import Settings
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from accounts.models import User
from config import urls as site_urls
from config.api import Pagination, exception_handler
from config.errors import DomainError
from tests.api import api_error
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RAISED: dict[str, Exception] = {
    "drf-validation": exceptions.ValidationError({"start": ["Pick a time in the future."]}),
    "drf-permission": exceptions.PermissionDenied(),
    "django-permission": DjangoPermissionDenied(),
    "drf-not-found": exceptions.NotFound(),
    "django-not-found": Http404("No Session matches the given query."),
    "domain-conflict": DomainError("That slot was just taken.", code="slot_taken"),
    "domain-fields": DomainError(
        "Feedback is locked.", code="locked", status=409, fields={"scores": ["Locked."]}
    ),
    "bug": RuntimeError("a real bug"),
}


class Raising(APIView):
    """Raises what the URL names, as a service or a selector would deep inside a view."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request: Request, kind: str) -> Response:
        raise RAISED[kind]


def _page_that_fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a real bug outside the API")


# This module doubles as a URLconf (see `pytest.mark.urls` below): the site's own URLs and
# error handlers, plus views that raise on purpose.
urlpatterns = [
    path("api/test/raise/<str:kind>/", Raising.as_view()),
    path("test/fail/", _page_that_fails),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
handler500 = site_urls.handler500


@pytest.fixture
def raising_client() -> Client:
    # Django's own handlers, not the test client, must answer for an uncaught exception.
    return Client(raise_request_exception=False)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("kind", "status", "code", "message", "fields"),
    [
        ("drf-validation", 400, "invalid", None, {"start": ["Pick a time in the future."]}),
        ("drf-permission", 403, "permission_denied", None, {}),
        ("django-permission", 403, "permission_denied", None, {}),
        ("drf-not-found", 404, "not_found", None, {}),
        ("django-not-found", 404, "not_found", None, {}),
        ("domain-conflict", 409, "slot_taken", "That slot was just taken.", {}),
        ("domain-fields", 409, "locked", "Feedback is locked.", {"scores": ["Locked."]}),
    ],
)
def test_it_answers_every_raised_error_in_one_shape(
    raising_client: Client,
    kind: str,
    status: int,
    code: str,
    message: str | None,
    fields: dict[str, Any],
) -> None:
    response = raising_client.get(f"/api/test/raise/{kind}/")

    error = api_error(response, status)
    assert error["code"] == code
    assert error["fields"] == fields
    if message is not None:
        assert error["message"] == message


@pytest.mark.urls(__name__)
def test_it_does_not_echo_what_a_404_was_looking_for(raising_client: Client) -> None:
    # The message of a Django Http404 names the model; clients get the generic one.
    response = raising_client.get("/api/test/raise/django-not-found/")

    assert "Session" not in api_error(response, 404)["message"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "is_api"),
    [("/api/test/raise/bug/", True), ("/test/fail/", False)],
)
def test_it_answers_a_server_error_in_the_shape_of_its_part_of_the_site(
    raising_client: Client, settings: Settings, url: str, is_api: bool
) -> None:
    settings.DEBUG = False

    response = raising_client.get(url)

    assert response.status_code == 500
    if is_api:
        assert api_error(response, 500)["code"] == "server_error"
        assert "a real bug" not in response.content.decode()
    else:
        assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("url", ["/api/v1/nothing-here/", "/api/v2/me/", "/api/", "/api/v1/x"])
def test_it_answers_an_unknown_api_url_with_a_json_404(
    api_client: APIClient, settings: Settings, url: str, debug: bool, method: str
) -> None:
    # Under DEBUG Django answers an unmatched URL with its HTML debug page, not handler404.
    settings.DEBUG = debug

    response = getattr(api_client, method)(url)

    assert response["Content-Type"] == "application/json"
    assert api_error(response, 404) == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_it_answers_a_post_without_a_csrf_token_to_an_unknown_api_url_with_the_404() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post("/api/v1/nothing-here/", {})

    assert api_error(response, 404)["code"] == "not_found"


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_it_still_adds_the_missing_slash_to_an_api_get(
    api_client: APIClient, settings: Settings, debug: bool
) -> None:
    settings.DEBUG = debug

    response = api_client.get("/api/v1/skill-areas?page=2")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/skill-areas/?page=2"


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_it_names_the_address_with_the_slash_when_a_post_misses_it(
    api_client: APIClient, settings: Settings, debug: bool
) -> None:
    # A redirect would drop the body; under DEBUG Django would even answer a 500.
    settings.DEBUG = debug

    response = api_client.post("/api/v1/auth/token", {"email": "a@b.test"}, format="json")

    error = api_error(response, 404)
    assert error["message"] == "Not found. The address ends in a slash: /api/v1/auth/token/"


def test_it_answers_an_unknown_page_url_with_an_html_404(
    client: Client, settings: Settings
) -> None:
    settings.DEBUG = False

    response = client.get("/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_it_answers_invalid_input_with_the_fields_to_fix(api_client: APIClient) -> None:
    response = api_client.post("/api/v1/auth/token/", {"email": "not-an-email"})

    error = api_error(response, 400)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"email", "password"}
    assert all(isinstance(message, str) for message in error["fields"]["email"])


def test_it_answers_an_anonymous_call_with_401(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/me/")

    assert api_error(response, 401)["code"] == "not_authenticated"


def test_it_answers_a_wrong_method_with_405(api_client: APIClient, user: User) -> None:
    api_client.force_authenticate(user)

    response = api_client.delete("/api/v1/skill-areas/")

    assert api_error(response, 405)["code"] == "method_not_allowed"


def test_it_throttles_password_guessing_on_the_token_endpoint(
    api_client: APIClient, user: User
) -> None:
    # The `auth` scope allows 10 a minute from one address. (Ten different accounts: five
    # failures for one would lock that account first, tests/api/test_tokens.py.)
    attempts = [
        api_client.post(
            "/api/v1/auth/token/", {"email": f"guess{i}@example.test", "password": "guess"}
        )
        for i in range(10)
    ]
    throttled = api_client.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD})

    assert {attempt.status_code for attempt in attempts} == {400}
    error = api_error(throttled, 429)
    assert error["code"] == "throttled"
    assert isinstance(error["retry_after"], int)
    assert 0 < error["retry_after"] <= 60
    assert throttled["Retry-After"] == str(error["retry_after"])


# --- config.api.exception_handler, called directly -----------------------------------------


@pytest.mark.parametrize(
    ("exc", "message", "fields"),
    [
        (
            DjangoValidationError({"time_zone": ["Not a zone."], "display_name": "Too long."}),
            "Some fields are invalid.",
            {"time_zone": ["Not a zone."], "display_name": ["Too long."]},
        ),
        (
            DjangoValidationError("“%(value)s” is not a time zone.", params={"value": "Mars/Base"}),
            "“Mars/Base” is not a time zone.",
            {},
        ),
        (
            DjangoValidationError(["The slot is taken.", "Pick another."]),
            "The slot is taken. Pick another.",
            {},
        ),
        (
            DjangoValidationError({"__all__": ["Sessions may not overlap."]}),
            "Sessions may not overlap.",
            {"non_field_errors": ["Sessions may not overlap."]},
        ),
        (
            exceptions.ValidationError({"non_field_errors": ["End before start."]}),
            "End before start.",
            {"non_field_errors": ["End before start."]},
        ),
        (
            exceptions.ValidationError({"interviewer": {"bio": ["This field is required."]}}),
            "Some fields are invalid.",
            {"interviewer": {"bio": ["This field is required."]}},
        ),
    ],
)
def test_it_turns_validation_errors_into_the_error_shape(
    exc: Exception, message: str, fields: dict[str, Any]
) -> None:
    response = exception_handler(exc, {})

    assert response is not None
    assert response.status_code == 400
    assert response.data == {"error": {"code": "invalid", "message": message, "fields": fields}}


def test_it_leaves_a_real_bug_to_the_server_error_handler() -> None:
    assert exception_handler(ZeroDivisionError(), {}) is None


# --- config.api.Pagination -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "results", "has_next", "has_previous"),
    [
        ("page_size=2", [0, 1], True, False),
        ("page_size=2&page=2", [2, 3], True, True),
        ("page_size=2&page=3", [4], False, True),
        ("", [0, 1, 2, 3, 4], False, False),
    ],
)
def test_it_paginates_as_count_next_previous_results(
    query: str, results: list[int], has_next: bool, has_previous: bool
) -> None:
    request = Request(APIRequestFactory().get(f"/api/v1/things/?{query}"))
    paginator = Pagination()

    page = paginator.paginate_queryset(list(range(5)), request)
    body = paginator.get_paginated_response(page).data

    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 5
    assert body["results"] == results
    assert (body["next"] is not None) == has_next
    assert (body["previous"] is not None) == has_previous
    if has_next:
        assert body["next"].startswith("http://testserver/api/v1/things/?")


def test_it_caps_the_page_size() -> None:
    request = Request(APIRequestFactory().get("/api/v1/things/?page_size=100000"))

    page = Pagination().paginate_queryset(list(range(500)), request)

    assert page is not None
    assert len(page) == Pagination.max_page_size


def test_it_answers_a_page_past_the_end_with_404() -> None:
    request = Request(APIRequestFactory().get("/api/v1/things/?page=9"))

    with pytest.raises(exceptions.NotFound) as raised:
        Pagination().paginate_queryset(list(range(5)), request)

    response = exception_handler(raised.value, {})
    assert response is not None
    assert response.status_code == 404
    assert response.data["error"]["code"] == "not_found"
