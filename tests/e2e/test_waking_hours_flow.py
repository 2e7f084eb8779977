"""A candidate in New York whose interviewer offers night and day slots sees the day ones
first, the night ones behind a disclosure, and books a daytime one (issue 11)."""

from __future__ import annotations

from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User, VettingStatus
from interviews.models import Session, WeeklyWindow
from tests.e2e.conftest import log_in
from tests.factories import (
    PASSWORD,
    CandidateProfileFactory,
    InterviewerProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def interviewer() -> User:
    profile = InterviewerProfileFactory.create(
        user=UserFactory.create(display_name="Nora Night", time_zone="UTC"),
        status=VettingStatus.APPROVED,
        level="staff",
        expertise=["caching"],
    )
    # Every day 06:00 to 09:00 UTC (01:00 to 05:00 in New York, whatever its offset) and
    # 15:00 to 17:00 UTC (10:00 to 13:00): night slots come first in time, every day.
    WeeklyWindow.objects.bulk_create(
        WeeklyWindow(interviewer=profile.user, weekday=day, start_time=begins, end_time=ends)
        for day in range(7)
        for begins, ends in ((time(6), time(9)), (time(15), time(17)))
    )
    return profile.user


@pytest.fixture
def candidate() -> User:
    return CandidateProfileFactory.create(
        user=UserFactory.create(display_name="Yara York", time_zone="America/New_York"),
        target_level="senior",
        focus_areas=["caching"],
    ).user


def test_it_offers_daytime_slots_first_and_books_one(
    page: Page, live_server: Any, interviewer: User, candidate: User
) -> None:
    log_in(page, live_server.url, email=candidate.email, password=PASSWORD)
    page.goto(f"{live_server.url}/find/")
    match = page.locator(f"#match-{interviewer.pk}")
    expect(match).to_contain_text("Nora Night")

    night = match.locator("details.slot-outside")
    expect(night.locator("summary")).to_have_text("Show times outside 08:00\N{EN DASH}22:00")
    expect(night.get_by_role("button").first).to_be_hidden()  # closed until asked for
    night.locator("summary").click()
    expect(night.get_by_role("button").first).to_be_visible()
    for label in night.get_by_role("button").all_text_contents():
        assert int(label[:2]) < 8, label

    first = match.locator(".slot-offer > ul.slot-list").first.get_by_role("button").first
    label = first.text_content() or ""
    assert 8 <= int(label[:2]) < 22, label
    first.click()
    expect(page.get_by_role("heading", name="Confirm your booking")).to_be_visible()
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_role("heading", name="Mock interview with Nora Night")).to_be_visible()
    session = Session.objects.get(candidate=candidate, interviewer=interviewer)
    local = session.start.astimezone(NEW_YORK)
    assert f"{local:%H:%M}" == label[:5]
    assert time(8) <= local.time() and session.end.astimezone(NEW_YORK).time() <= time(22)
    expect(page.locator("#session-time")).to_contain_text(f"{local:%H:%M}")
    expect(page.locator("#session-time")).to_contain_text("America/New_York")
