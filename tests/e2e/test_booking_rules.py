"""The confirm page's warning before a slot inside 24 hours, and the confirm step of a cancel,
as a candidate meets them in the browser."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from accounts.models import VettingStatus
from interviews.models import Session, SessionStatus, WeeklyWindow
from interviews.slots import GRID, LEAD_TIME
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CandidateProfileFactory, InterviewerProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def interviewer() -> Any:
    profile = InterviewerProfileFactory.create(
        status=VettingStatus.APPROVED, user__time_zone="UTC", user__display_name="Ada Asks"
    )
    # All day every day, so a slot a few hours ahead exists whenever the test runs.
    WeeklyWindow.objects.bulk_create(
        WeeklyWindow(
            interviewer=profile.user, weekday=day, start_time=time(0), end_time=time(23, 59)
        )
        for day in range(7)
    )
    return profile.user


@pytest.fixture
def candidate() -> Any:
    return CandidateProfileFactory.create(user__time_zone="Europe/Berlin").user


def _slot_after(delay: timedelta) -> datetime:
    """The first grid slot at least `delay` from now (UTC)."""
    moment = datetime.now(UTC) + delay
    grid = int(GRID.total_seconds())
    seconds = -(-int(moment.timestamp()) // grid) * grid
    return datetime.fromtimestamp(seconds, UTC)


def _book_url(base: str, interviewer: Any, start: datetime) -> str:
    query = urlencode(
        {"interviewer": interviewer.pk, "start": start.strftime("%Y-%m-%dT%H:%M:%SZ")}
    )
    return f"{base}/sessions/new/?{query}"


def test_it_warns_before_booking_a_slot_inside_24_hours_and_asks_before_cancelling(
    page: Page, live_server: Any, interviewer: Any, candidate: Any
) -> None:
    base = live_server.url
    log_in(page, base, email=candidate.email, password=PASSWORD)

    page.goto(_book_url(base, interviewer, _slot_after(timedelta(days=3))))
    expect(page.get_by_role("button", name="Confirm booking")).to_be_visible()
    expect(page.locator("#soon-warning")).to_have_count(0)

    page.goto(_book_url(base, interviewer, _slot_after(LEAD_TIME + timedelta(hours=3))))
    warning = page.locator("#soon-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("This starts in")
    expect(warning).to_contain_text("more than 1 hour after booking counts as a late change")
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.locator("#free-change")).to_contain_text("is free until")
    page.get_by_role("button", name="Cancel this session").click()
    expect(page.get_by_role("heading", name="Cancel your session with Ada Asks?")).to_be_visible()
    expect(page.locator("#confirm-free")).to_contain_text("This is free")
    session = Session.objects.get(candidate=candidate)
    assert session.status == SessionStatus.SCHEDULED  # the first click only asked

    page.get_by_role("button", name="Yes, cancel the session").click()
    expect(page.locator(".messages")).to_contain_text("The session is cancelled")
    session.refresh_from_db()
    assert (session.status, session.late_cancel) == (SessionStatus.CANCELLED, False)
