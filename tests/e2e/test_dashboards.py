"""A candidate whose two reports are weak in concurrency finds concurrency reading on their
dashboard with the reason in numbers, checks one off, reloads and keeps the progress; their
next interviewer sees the candidate's brief. Screenshots of both dashboards at 1280 and 390
pixels wide land in test-results/dashboards/ for a person to look at."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from accounts.models import User
from interviews.feedback import submit_feedback, submit_review
from interviews.models import Session, SessionStatus
from interviews.rubrics import get_current_rubric, rubric_criteria
from studyplans.models import PlanItem
from studyplans.planning import apply_revealed_feedback
from tests.e2e.conftest import log_in
from tests.factories import (
    PASSWORD,
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
    complete_feedback_data,
    review_body,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "dashboards"
WIDTHS = (1280, 390)


def _weak_in_concurrency(concurrency: int) -> dict[str, Any]:
    """Everything 3 with some prodding, but Going Deep needed a lot of prodding and its
    concurrency criterion scored `concurrency`."""
    data = complete_feedback_data(score=3, prodding="some")
    for criterion in rubric_criteria(get_current_rubric()):
        if criterion.skill_area.slug == "concurrency":
            data["scores"][str(criterion.pk)] = concurrency
    data["phases"]["going-deep"]["prodding"] = "a-lot"
    return data


def _held(candidate: User, interviewer: User, *, days_ago: int) -> Session:
    start = timezone.now() - timedelta(days=days_ago)
    return SessionFactory.create(
        candidate=candidate,
        interviewer=interviewer,
        start=start,
        end=start + timedelta(hours=1),
        status=SessionStatus.COMPLETED,
    )


@pytest.fixture
def people() -> tuple[User, User]:
    candidate = CandidateProfileFactory.create(
        user__email="cleo@example.test",
        user__display_name="Cleo Candidate",
        user__time_zone="America/New_York",
        target_level="staff",
        goal="Staff at a fintech in March",
        focus_areas=["caching"],
    ).user
    interviewer = InterviewerProfileFactory.create(
        user__email="ines@example.test",
        user__display_name="Ines Interviewer",
        user__time_zone="Europe/Berlin",
        status="approved",
    ).user
    # Two reports, both weak in concurrency under a lot of prodding: 1 three weeks ago,
    # 2 (less 0.5 for the prodding) last week: (1.5 * 1 + 1 * 0.5) / 1.5 = 1.33.
    for days_ago, concurrency in ((21, 1), (7, 2)):
        session = _held(candidate, interviewer, days_ago=days_ago)
        submit_review(
            session=session, by=candidate, data=review_body(self_score=3), now=session.end
        )
        submit_feedback(
            session=session,
            by=interviewer,
            data=_weak_in_concurrency(concurrency),
            now=session.end,
        )
    # The sweep behind the tasks sent on commit (no worker runs in browser tests).
    assert apply_revealed_feedback() == 2
    SessionFactory.create(
        candidate=candidate,
        interviewer=interviewer,
        start=timezone.now() + timedelta(days=2),
        end=timezone.now() + timedelta(days=2, hours=1),
    )
    return candidate, interviewer


def _console_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", record)
    return errors


def _screenshots(browser: Browser, base: str, *, email: str, path: str, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors = _console_errors(page)
        log_in(page, base, email=email, password=PASSWORD)
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        # Nothing wider than the screen, and no script or style refused by the CSP.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert errors == []
        context.close()


def test_it_plans_concurrency_reading_and_keeps_the_check_off(
    page: Page, live_server: Any, browser: Browser, people: tuple[User, User]
) -> None:
    candidate, _ = people
    base = live_server.url
    errors = _console_errors(page)
    log_in(page, base, email=candidate.email, password=PASSWORD)

    expect(page).to_have_url(f"{base}/dashboard/candidate/")
    expect(page.locator("#next-session")).to_contain_text("EST")
    week = page.locator("#this-week")
    reason = "Going Deep, concurrency: 1.3 average over your last 2 interviews, a lot of prodding"
    concurrency_items = week.locator(".plan-item").filter(has_text=reason)
    expect(concurrency_items.first).to_be_visible()
    first = concurrency_items.first
    item_id = int((first.get_attribute("id") or "").removeprefix("item-"))

    first.get_by_role("button", name="Mark done").click()
    expect(page.locator(f"#item-{item_id} .item-status")).to_have_text("✓ Done")
    page.reload()
    expect(page.locator(f"#item-{item_id} .item-status")).to_have_text("✓ Done")
    assert PlanItem.objects.get(pk=item_id).status == "done"
    # Both charts drew on their canvas, under the CSP.
    for chart in ("phase-chart-data", "area-chart-data"):
        canvas = page.locator(f"canvas[data-chart='{chart}']")
        expect(canvas).to_be_visible()
        assert canvas.evaluate("c => c.width > 0 && c.toDataURL().length > 5000")
    assert errors == []

    _screenshots(
        browser, base, email=candidate.email, path="/dashboard/candidate/", name="candidate"
    )


def test_it_shows_the_interviewer_the_candidates_brief(
    page: Page, live_server: Any, browser: Browser, people: tuple[User, User]
) -> None:
    _, interviewer = people
    base = live_server.url
    log_in(page, base, email=interviewer.email, password=PASSWORD)

    expect(page).to_have_url(f"{base}/dashboard/interviewer/")
    brief = page.locator(".brief")
    expect(brief).to_contain_text("Cleo Candidate")
    expect(brief).to_contain_text("Staff")
    expect(brief).to_contain_text("Staff at a fintech in March")
    expect(brief).to_contain_text("Caching")
    # Going Deep averages (3 + 3 + 3 + 1) / 4 and (3 + 3 + 3 + 2) / 4 over two reports.
    expect(brief).to_contain_text("Going Deep (2.6)")
    expect(brief).to_contain_text("over 2 earlier reports")
    expect(page.locator("#rating")).to_contain_text("from 2 reviews")

    _screenshots(
        browser, base, email=interviewer.email, path="/dashboard/interviewer/", name="interviewer"
    )
