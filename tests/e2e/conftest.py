from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection
from playwright.sync_api import Page, expect


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A zone other than the server's UTC, so the sign-up form's pre-fill is visible.
    return {**browser_context_args, "timezone_id": "Europe/Berlin", "locale": "en-GB"}


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API runs an event loop in the main thread from the first browser
    # test to the end of the session; the ORM calls made there by tests (factories,
    # reading the outbox) are still plain synchronous code.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(autouse=True)
def _seeded_rows(transactional_db: None) -> Iterator[None]:
    # Transactional tests end by emptying every table, the rows that migrations add
    # included (skill areas, the question bank, rubric version 1); put them back the way
    # those migrations do.
    importlib.import_module("accounts.migrations.0002_skill_areas").add_skill_areas(
        django_apps, None
    )
    importlib.import_module("interviews.migrations.0002_questions").add_questions(django_apps, None)
    importlib.import_module("interviews.migrations.0004_rubric_version_1").add_rubric_version_1(
        django_apps, None
    )
    yield
    # Submitted feedback is immutable, in the database too; SQLite's flush deletes row by
    # row and would trip its triggers, so it goes first with the triggers lifted.
    importlib.import_module("interviews.migrations.0003_feedback").release_submitted_feedback(
        connection
    )


@pytest.fixture(autouse=True)
def _short_timeouts(page: Page) -> Iterator[None]:
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    yield


def confirmation_link(email: str) -> str:
    """The verification link from the last email allauth sent to this address."""
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no email was sent to {email}"
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(messages[-1].body))
    assert match, messages[-1].body
    return match.group(0)


def log_in(page: Page, base: str, *, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
