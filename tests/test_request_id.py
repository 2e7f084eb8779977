"""A request id in every response, every log line of the request and on the 500 page, so a
user's "Reference: ..." finds the traceback. JSON lines in production."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from config.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the root logger writes through production's handler: the filter, JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _entries(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_it_gives_each_response_a_new_id(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert first != second
    assert uuid.UUID(first).version == 4


def test_it_keeps_the_id_a_proxy_gave(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42_x")

    assert response["X-Request-ID"] == "lb-7f3a.42_x"


@pytest.mark.parametrize("incoming", ["", "a b", 'x"}, "level": "CRITICAL', "é", "a" * 65])
def test_it_replaces_a_malformed_id(client: Client, incoming: str) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)

    assert uuid.UUID(response["X-Request-ID"]).version == 4


def test_it_writes_the_id_in_each_log_line_of_the_request(
    client: Client, log_lines: io.StringIO
) -> None:
    response = client.get("/nothing-here/", HTTP_X_REQUEST_ID="trace-1")

    assert response.status_code == 404
    entries = _entries(log_lines)
    assert entries, "Django logs every 404"
    for entry in entries:
        assert set(entry) >= {"time", "level", "logger", "message", "request_id"}
        assert entry["request_id"] == "trace-1"
    assert {"logger": "django.request", "level": "WARNING"}.items() <= entries[-1].items()


def test_it_keeps_a_traceback_inside_its_one_line(log_lines: io.StringIO) -> None:
    try:
        raise ValueError("one\ntwo")
    except ValueError:
        logging.getLogger("tests").exception("it failed")

    (entry,) = _entries(log_lines)
    assert entry["message"] == "it failed"
    assert entry["request_id"] == "-"
    assert "ValueError: one\ntwo" in str(entry["exception"])


def test_it_shows_the_reference_on_the_500_page(settings: Any, log_lines: io.StringIO) -> None:
    settings.ROOT_URLCONF = "tests.failing_urls"
    client = Client(raise_request_exception=False)

    response = client.get("/fail/")

    assert response.status_code == 500
    reference = response["X-Request-ID"]
    assert f"Reference: <code>{reference}</code>" in response.content.decode()
    (failure,) = [entry for entry in _entries(log_lines) if entry["level"] == "ERROR"]
    assert failure["request_id"] == reference
    assert "RuntimeError: a bug" in str(failure["exception"])


def test_it_gives_the_reference_in_the_apis_500(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.failing_urls"
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/fail/")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert response["X-Request-ID"] in response.json()["error"]["message"]
