"""The OpenAPI schema, and interactive docs that work under our CSP without any CDN."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.test import Client
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config.api import Pagination
from tests.api import api_error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOCUMENTED_PATHS = {"/api/v1/auth/token/", "/api/v1/me/", "/api/v1/skill-areas/"}


class _Assets(HTMLParser):
    """Every URL the page loads, and the nonce of every inline script."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_script_nonces: list[str | None] = []
        self._open_inline_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        url = attributes.get("src") or (attributes.get("href") if tag == "link" else None)
        if url is not None:
            self.urls.append(url)
        if tag == "script" and not attributes.get("src"):
            self._open_inline_script = attributes

    def handle_data(self, data: str) -> None:
        if self._open_inline_script is not None and data.strip():
            self.inline_script_nonces.append(self._open_inline_script.get("nonce"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open_inline_script = None


def _assets(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


@pytest.mark.parametrize(
    ("query", "parse"),
    [("", yaml.safe_load), ("?format=json", json.loads)],
)
def test_it_serves_an_openapi_document_of_the_api(
    client: Client, query: str, parse: Callable[[str], Any]
) -> None:
    response = client.get(f"/api/schema/{query}")

    assert response.status_code == 200
    document = parse(response.content.decode())
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Mockloop API"
    assert set(document["paths"]) >= DOCUMENTED_PATHS
    assert "post" in document["paths"]["/api/v1/auth/token/"]
    assert {"get", "patch"} <= set(document["paths"]["/api/v1/me/"])


def test_it_serves_the_docs_from_our_own_origin(client: Client) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assets = _assets(response.content.decode())
    assert assets.urls, "the docs page loads no scripts or styles"
    assert [url for url in assets.urls if not _is_local(url)] == []
    for url in assets.urls:
        path = urlsplit(url).path
        if path.startswith("/static/"):
            assert finders.find(path.removeprefix("/static/")), f"{url} is not a static file"


def test_it_serves_the_docs_settings_as_a_script_that_loads_our_schema(client: Client) -> None:
    page = client.get("/api/docs/").content.decode()
    script_urls = [url for url in _assets(page).urls if not url.startswith("/static/")]

    assert len(script_urls) == 1
    script = client.get(script_urls[0])

    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]
    assert "/api/schema/" in script.content.decode()
    assert not re.search(r"https?://", script.content.decode())


def test_it_keeps_the_docs_under_the_content_security_policy(client: Client) -> None:
    response = client.get("/api/docs/")

    policy = response["Content-Security-Policy"]
    script_source = next(
        part for part in policy.split(";") if part.strip().startswith("script-src ")
    )
    assert "'unsafe-inline'" not in policy
    assert "http" not in script_source
    nonces = re.findall(r"'nonce-([^']+)'", script_source)
    for nonce in _assets(response.content.decode()).inline_script_nonces:
        assert nonce is not None, "an inline script without a nonce is blocked by the CSP"
        assert nonce in nonces


def _document(client: Client) -> dict[str, Any]:
    return json.loads(client.get("/api/schema/?format=json").content)


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    reference = schema.get("$ref") or next(iter(schema.get("allOf", [])), {}).get("$ref")
    if reference is None:
        return schema
    return document["components"]["schemas"][reference.rsplit("/", 1)[-1]]


def test_it_documents_the_sessions_list_as_the_page_it_is(client: Client) -> None:
    document = _document(client)
    operation = document["paths"]["/api/v1/sessions/"]["get"]

    page = _resolve(
        document, operation["responses"]["200"]["content"]["application/json"]["schema"]
    )

    assert page["type"] == "object"
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["type"] == "array"
    assert {"page", "page_size"} <= {parameter["name"] for parameter in operation["parameters"]}


def test_it_documents_the_question_as_absent_for_some_viewers(client: Client) -> None:
    session = _document(client)["components"]["schemas"]["Session"]

    assert "question" in session["properties"]
    assert "question" not in session["required"]
    assert {"id", "interviewer", "candidate", "start", "end", "status"} <= set(session["required"])


@pytest.mark.parametrize(
    "component", ["WeeklyWindowOutput", "DateWindowOutput", "WindowInputRequest"]
)
def test_it_documents_wall_clock_times_as_hours_and_minutes(client: Client, component: str) -> None:
    start = _document(client)["components"]["schemas"][component]["properties"]["start"]
    pattern = re.compile(start["pattern"])

    assert "format" not in start
    assert pattern.match("13:00")
    assert pattern.match("24:00")
    assert not pattern.match("13:00:00")
    assert not pattern.match("25:00")


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("post", "/api/v1/auth/token/", {"400", "403", "429"}),
        ("get", "/api/v1/me/", {"401", "403", "429"}),
        ("patch", "/api/v1/me/", {"400", "401", "403", "429"}),
        ("get", "/api/v1/sessions/", {"400", "401", "403", "404", "429"}),
        ("post", "/api/v1/sessions/", {"400", "401", "403", "409", "422", "429"}),
        ("get", "/api/v1/sessions/{session_id}/", {"401", "403", "404", "429"}),
        ("post", "/api/v1/sessions/{session_id}/cancel/", {"401", "403", "404", "409", "429"}),
        (
            "get",
            "/api/v1/interviewers/{interviewer_id}/slots/",
            {"400", "401", "403", "404", "429"},
        ),
    ],
)
def test_it_documents_the_error_shape_for_each_status_an_endpoint_can_answer(
    client: Client, method: str, path: str, statuses: set[str]
) -> None:
    document = _document(client)
    responses = document["paths"][path][method]["responses"]

    errors = {status for status in responses if status.startswith("4")}
    assert errors == statuses
    for status in errors:
        schema = _resolve(document, responses[status]["content"]["application/json"]["schema"])
        assert schema["required"] == ["error"]
        assert set(schema["properties"]["error"]["required"]) == {"code", "message", "fields"}


def test_it_documents_an_error_response_on_every_operation(client: Client) -> None:
    document = _document(client)

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], f"{method.upper()} {path}"


@pytest.mark.parametrize("size", ["null", "abc", "0", "²"])
def test_it_refuses_a_page_size_that_is_not_a_whole_number_as_documented(
    client: Client, size: str
) -> None:
    client.force_login(UserFactory())

    response = client.get("/api/v1/sessions/", {"page_size": size})

    error = api_error(response, 400)
    assert set(error["fields"]) == {"page_size"}


@pytest.mark.parametrize(("size", "shown"), [("", 50), ("1", 1), ("500", 200)])
def test_it_takes_an_empty_page_size_as_the_default_and_caps_a_large_one(
    size: str, shown: int
) -> None:
    request = Request(APIRequestFactory().get("/api/v1/sessions/", {"page_size": size}))

    assert Pagination().get_page_size(request) == shown


@pytest.mark.parametrize("path", ["/api/v1/matches/", "/api/v1/interviewers/{id}/slots/"])
def test_it_documents_that_an_empty_from_or_to_means_the_default(client: Client, path: str) -> None:
    document = _document(client)
    operation = document["paths"][path.replace("{id}", "{interviewer_id}")]["get"]

    for parameter in operation["parameters"]:
        if parameter["name"] in {"from", "to"}:
            assert {"type": "string", "maxLength": 0} in parameter["schema"]["anyOf"]
