"""The load balancer's probe: it says which backing service is down, and never hangs."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: the connection is refused at once, as with a broker that died.
DEAD_BROKER_URL = "redis://127.0.0.1:1/0"


def _refuse(*args: Any, **kwargs: Any) -> None:
    raise OperationalError("connection refused")


def test_it_reports_ok_on_the_configured_stack(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_reports_a_dead_broker(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(celery_app.conf, "broker_url", DEAD_BROKER_URL)
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", DEAD_BROKER_URL)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down", "status": "down"}


def test_it_reports_a_dead_database(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection, "cursor", _refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "ok", "status": "down"}
