"""The cache down: a Redis of the test's own, stopped mid-run. Rate limits and throttles
count there, and fail open, so logins, tokens and booking keep working and the health
check names the cache as the part that is down.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import NOW, PASSWORD, TOMORROW_10, approved_interviewer, candidate_user
from tests.fault_support import RedisServer

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def cache_server(tmp_path: Path, settings: Any) -> Iterator[RedisServer]:
    """The site's cache on a private redis-server, configured as settings configure it."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _log_in(client: Client, user: User) -> Any:
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_it_keeps_the_login_form_working(
    cache_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    user = candidate_user()
    assert _log_in(Client(), user).status_code == 302  # the counts go to Redis while it is up
    cache_server.stop()

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        response = _log_in(Client(), user)

    assert response.status_code == 302
    assert response["Location"] != reverse("account_login")
    assert any("cache" in record.getMessage() for record in caplog.records)


@pytest.mark.usefixtures("_frozen")
def test_it_keeps_tokens_and_booking_working(cache_server: RedisServer) -> None:
    candidate, interviewer = candidate_user(), approved_interviewer()
    cache_server.stop()
    client = APIClient()

    token = client.post(TOKEN_URL, {"email": candidate.email, "password": PASSWORD})
    assert token.status_code == 200, token.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    booking = client.post(
        "/api/v1/sessions/", {"interviewer": interviewer.pk, "start": TOMORROW_10.isoformat()}
    )

    assert booking.status_code == 201, booking.content
    assert client.get("/api/v1/sessions/").status_code == 200


def test_it_says_the_site_is_degraded(cache_server: RedisServer, client: Client) -> None:
    cache_server.stop()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == "down"
    assert response.json()["database"] == "ok"
