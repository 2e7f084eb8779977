"""Shared fixtures, and the rule that CI cannot pass by skipping.

Tests that need PostgreSQL, Redis or a browser are marked. Locally, without those, they
skip with the reason; under CI=true they fail instead, so a green CI means they ran.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import UserFactory

IS_CI = os.environ.get("CI", "").lower() == "true"


def _missing(item: pytest.Item) -> str | None:
    if item.get_closest_marker("postgres") and not settings.DATABASES["default"]["ENGINE"].endswith(
        "postgresql"
    ):
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis") and not settings.CELERY_BROKER_URL.startswith("redis"):
        return "needs Redis: set CELERY_BROKER_URL=redis://..."
    if item.get_closest_marker("e2e") and not shutil.which("chromium"):
        return "needs Debian's Chromium: apt-get install -y chromium"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    reason = _missing(item)
    if reason is None:
        return
    if IS_CI:
        pytest.fail(f"CI must run this test: it {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # playwright cannot download its own browser here: drive Debian's Chromium instead.
    # Background networking is off because this machine refuses outside connections.
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db: None) -> Any:
    return UserFactory()
