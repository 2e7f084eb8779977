from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from notifications.dispatch import dispatch_due


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
def _seeded(seeded_rows: None) -> None:
    """Every browser test runs against live_server, so with a flushed database."""


@pytest.fixture(autouse=True)
def _short_timeouts(page: Page) -> Iterator[None]:
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    yield


def confirmation_link(email: str) -> str:
    """The verification link from the last email allauth sent to this address."""
    # Account mail waits in the outbox; no worker runs beside the browser tests, so the
    # minute beat's dispatch runs here.
    dispatch_due()
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no email was sent to {email}"
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(messages[-1].body))
    assert match, messages[-1].body
    return match.group(0)


def log_in(page: Page, base: str, *, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
