"""Every page of the candidate's, the interviewer's, staff's and a visitor's journeys fits a
390 px phone: nothing wider than the screen, so no sideways scrolling. The pages run on the
demo data (`seed_demo`), which has a report, a review and upcoming sessions for each side.
Screenshots land in test-results/mobile/ for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from accounts.demo import DEMO_PASSWORD, STAFF_EMAIL, candidate_email, interviewer_email
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "mobile"
PHONE_WIDTH = 390
SESSION_PAGE = re.compile(r"^/sessions/\d+/$")

VISITOR_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
ACCOUNT_PAGES = ["/profile/", "/settings/emails/", "/accounts/email/", "/accounts/password/change/"]


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", interviewers=3, candidates=3, verbosity=0)


def _links(page: Page, selector: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        selector, "links => links.map(link => link.getAttribute('href'))"
    )
    return list(dict.fromkeys(hrefs))


def _session_pages(page: Page, base: str, *, step: str) -> list[str]:
    """A session page and, for the first past session that has one, its report and the
    `step` page (the candidate's review, the interviewer's feedback)."""
    page.goto(f"{base}/sessions/")
    sessions = [href for href in _links(page, "a[href^='/sessions/']") if SESSION_PAGE.match(href)]
    reports = _links(page, "a[href$='/report/']")
    assert sessions and reports, "the demo data has sessions with reports on both sides"
    session = reports[0].removesuffix("report/")
    return [sessions[0], session, reports[0], f"{session}{step}/"]


def _assert_fits(page: Page, base: str, path: str, *, name: str) -> None:
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status == 200, path
    # Folded tables and notes count too: open every <details> before measuring.
    page.eval_on_selector_all("details", "all => all.forEach(details => details.open = true)")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    slug = re.sub(r"[^a-z0-9]+", "-", path.split("?")[0]).strip("-") or "home"
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{slug}.png"), full_page=True)
    assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide on a {widths[1]} px screen"


def _phone(browser: Browser) -> Page:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, timezone_id="America/New_York"
    )
    return context.new_page()


def test_it_fits_every_visitor_page_on_a_phone(browser: Browser, live_server: Any) -> None:
    page = _phone(browser)
    for path in VISITOR_PAGES:
        _assert_fits(page, live_server.url, path, name="visitor")


def test_it_fits_every_candidate_page_on_a_phone(
    browser: Browser, live_server: Any, demo: None
) -> None:
    base = live_server.url
    page = _phone(browser)
    log_in(page, base, email=candidate_email(1), password=DEMO_PASSWORD)
    page.goto(f"{base}/find/")
    confirm = _links(page, "a[href^='/sessions/new/']")
    assert confirm, "the demo interviewers have open slots"
    pages = ["/dashboard/", "/find/", confirm[0], "/sessions/", "/plan/"]
    pages += _session_pages(page, base, step="review")
    for path in pages + ACCOUNT_PAGES:
        _assert_fits(page, base, path, name="candidate")


def test_it_fits_every_interviewer_page_on_a_phone(
    browser: Browser, live_server: Any, demo: None
) -> None:
    base = live_server.url
    page = _phone(browser)
    log_in(page, base, email=interviewer_email(1), password=DEMO_PASSWORD)
    pages = ["/dashboard/", "/availability/", "/sessions/"]
    pages += _session_pages(page, base, step="feedback")
    for path in pages + ACCOUNT_PAGES:
        _assert_fits(page, base, path, name="interviewer")


def test_it_fits_every_staff_page_on_a_phone(
    browser: Browser, live_server: Any, demo: None
) -> None:
    base = live_server.url
    page = _phone(browser)
    log_in(page, base, email=STAFF_EMAIL, password=DEMO_PASSWORD)
    for path in ["/staff/vetting/", "/dashboard/", "/sessions/", *ACCOUNT_PAGES]:
        _assert_fits(page, base, path, name="staff")
