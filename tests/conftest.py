"""Shared fixtures, and the rule that CI cannot pass by skipping.

Tests that need PostgreSQL, Redis or a browser are marked. Locally, without those, they
skip with the reason; under CI=true they fail instead, so a green CI means they ran.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from config.celery import app as celery_app
from studyplans.models import AppliedFeedback
from tests.celery_support import (  # noqa: F401 - fixtures
    finished_tasks,
    private_queue,
    tasks_cleaned_up,
    worker,
)
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


@pytest.fixture(scope="session", autouse=True)
def _private_filesystem_broker(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Without a broker server, tasks queue as files: keep the suite's out of var/, where a
    # `make run` worker would pick them up.
    if celery_app.conf.broker_url.startswith("filesystem"):
        folder = str(tmp_path_factory.mktemp("celery"))
        celery_app.conf.broker_transport_options = {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "control_folder": f"{folder}/control",
            "store_processed": False,
        }


@pytest.fixture(autouse=True)
def _tasks_sent_are_cleaned_up() -> Iterator[None]:
    # A transactional test's commits send real tasks (booking confirmations, plan remakes);
    # they went to the broker's default queue and stayed there.
    with tasks_cleaned_up():
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Real hashers are slow on purpose; the suite logs people in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Rate limits (allauth, DRF throttles) count in the cache: each test starts at zero.
    cache.clear()


@pytest.fixture
def seeded_rows(transactional_db: None) -> Iterator[None]:
    """For transactional tests (live_server, a real Celery worker): they end by emptying
    every table, the rows that migrations add included (skill areas, the question bank,
    rubric version 1, the study catalogue); put them back the way those migrations do."""
    importlib.import_module("accounts.migrations.0002_skill_areas").add_skill_areas(
        django_apps, None
    )
    importlib.import_module("interviews.migrations.0002_questions").add_questions(django_apps, None)
    importlib.import_module("interviews.migrations.0004_rubric_version_1").add_rubric_version_1(
        django_apps, None
    )
    importlib.import_module("studyplans.migrations.0002_catalogue").add_catalogue(django_apps, None)
    yield
    # Submitted feedback is immutable, in the database too; SQLite's flush deletes row by
    # row and would trip its triggers, so it goes first with the triggers lifted (after
    # the plans' markers that point at it).
    AppliedFeedback.objects.all().delete()
    importlib.import_module("interviews.migrations.0003_feedback").release_submitted_feedback(
        connection
    )


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db: None) -> Any:
    return UserFactory()
