"""The load balancer's probe: it names each backing service that is down, and never hangs.

The database down is in tests/test_database_outage.py (a server process on a dead
database), the cache down in tests/test_cache_outage.py.
"""

from __future__ import annotations

import pytest
from django.test import Client

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: the connection is refused at once, as with a broker that died.
DEAD_BROKER_URL = "redis://127.0.0.1:1/0"


def test_it_reports_ok_on_the_configured_stack(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "status": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_it_stays_in_rotation_with_a_dead_broker(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(celery_app.conf, "broker_url", DEAD_BROKER_URL)
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", DEAD_BROKER_URL)

    response = client.get("/healthz")

    # The outbox keeps every email until the broker is back: the site still works.
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "broker": "down",
        "status": "degraded",
    }
