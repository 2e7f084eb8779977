"""A candidate finds a match, books it in two clicks, sees it in their zone, takes the ICS;
the interviewer sees the same session, with the question, on their side."""

from __future__ import annotations

from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from accounts.models import VettingStatus
from interviews.models import Session, WeeklyWindow
from notifications.dispatch import dispatch_due
from tests.e2e.conftest import log_in
from tests.factories import (
    PASSWORD,
    CandidateProfileFactory,
    InterviewerProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

CANDIDATE_ZONE = "Asia/Tokyo"


@pytest.fixture
def interviewer() -> Any:
    profile = InterviewerProfileFactory.create(
        user=UserFactory.create(
            email="iris@example.test", display_name="Iris Interviewer", time_zone="America/New_York"
        ),
        status=VettingStatus.APPROVED,
        level="staff",
        expertise=["caching", "concurrency"],
    )
    # Every day, all day in New York: whenever the test runs there are slots to pick.
    WeeklyWindow.objects.bulk_create(
        WeeklyWindow(
            interviewer=profile.user, weekday=day, start_time=time(0), end_time=time(23, 59)
        )
        for day in range(7)
    )
    return profile.user


@pytest.fixture
def candidate() -> Any:
    return CandidateProfileFactory.create(
        user=UserFactory.create(
            email="cato@example.test",
            display_name="Cato Candidate",
            time_zone=CANDIDATE_ZONE,
            years_experience=4,
        ),
        target_level="senior",
        focus_areas=["caching"],
    ).user


def test_it_books_a_match_in_two_clicks_and_shows_it_to_both_sides(
    page: Page, live_server: Any, browser: Browser, interviewer: Any, candidate: Any
) -> None:
    base = live_server.url
    log_in(page, base, email=candidate.email, password=PASSWORD)
    page.goto(f"{base}/find/")
    match = page.locator(f"#match-{interviewer.pk}")
    expect(match).to_contain_text("Iris Interviewer")
    expect(match).to_contain_text("caching")

    match.get_by_role("button").first.click()  # click 1: a slot
    expect(page.get_by_role("heading", name="Confirm your booking")).to_be_visible()
    page.get_by_role("button", name="Confirm booking").click()  # click 2: confirm

    expect(page.get_by_role("heading", name="Mock interview with Iris Interviewer")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(
        "A confirmation with the calendar file is on its way to you and to Iris Interviewer"
    )
    session = Session.objects.get(candidate=candidate, interviewer=interviewer)
    # No worker runs beside the browser tests: the minute beat's dispatch, run here.
    assert dispatch_due() == 2
    confirmations = {email.to[0]: email for email in mail.outbox if "Booked" in email.subject}
    assert sorted(confirmations) == sorted([candidate.email, interviewer.email])
    for person in (candidate, interviewer):
        email = confirmations[person.email]
        (filename, content, mimetype) = email.attachments[0]
        assert filename == f"mockloop-session-{session.pk}.ics"
        assert mimetype.startswith("text/calendar")
        attached = next(iter(icalendar.Calendar.from_ical(content).walk("VEVENT")))
        assert attached.decoded("DTSTART") == session.start
        zone = ZoneInfo(person.time_zone)
        start, end = session.start.astimezone(zone), session.end.astimezone(zone)
        # The end may fall on the next local day ("23:00 to Tuesday 1 December, 00:00").
        assert f"{start:%H:%M} to " in email.body
        assert f"{end:%H:%M} {end:%Z} ({person.time_zone})" in email.body
    local_start = session.start.astimezone(ZoneInfo(CANDIDATE_ZONE))
    when = page.locator("#session-time")
    expect(when).to_contain_text(CANDIDATE_ZONE)
    expect(when).to_contain_text(local_start.strftime("%H:%M"))
    expect(when).to_contain_text("JST")
    expect(page.get_by_role("heading", name="The question")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(download_info.value.path().read_bytes())
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("DTSTART") == session.start
    assert event.decoded("DTEND") == session.end

    interviewer_context = browser.new_context()
    interviewer_page = interviewer_context.new_page()
    log_in(interviewer_page, base, email=interviewer.email, password=PASSWORD)
    interviewer_page.goto(f"{base}/sessions/")
    row = interviewer_page.locator(f"#session-{session.pk}")
    expect(row).to_contain_text("Cato Candidate")
    row.get_by_role("link").click()
    expect(interviewer_page.locator("#session-time")).to_contain_text("America/New_York")
    expect(interviewer_page.get_by_role("heading", name="The question")).to_be_visible()
    assert session.question is not None
    expect(interviewer_page.locator("#question")).to_contain_text(session.question.title)
    expect(interviewer_page.locator("#question-hints")).to_be_visible()
    expect(interviewer_page.get_by_role("heading", name="Agenda")).to_be_visible()
    expect(interviewer_page.locator("#agenda .follow-ups").first).to_be_visible()
    interviewer_context.close()
