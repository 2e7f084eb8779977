"""Sign-up, verification, log-in and vetting, driven in Debian's Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import InterviewerProfile, VettingStatus
from tests.e2e.conftest import confirmation_link
from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_up(page: Page, base: str, *, email: str, role: str, name: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("radio", name=re.compile(f"^{role}")).check()
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Years of experience").fill("9")


def _log_in(page: Page, base: str, *, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def _verify_in_a_new_browser_window(browser: Browser, base: str, *, email: str) -> None:
    # Like clicking the link in a mail client: a fresh session, not the sign-up one.
    context = browser.new_context()
    page = context.new_page()
    page.goto(confirmation_link(email))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    context.close()


def test_it_signs_up_a_candidate_who_lands_on_first_steps_and_keeps_the_profile(
    page: Page, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    _sign_up(page, base, email="ada@example.test", role="Candidate", name="Ada L")
    # The browser's zone is pre-filled, and only the candidate's section shows.
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    expect(page.get_by_role("heading", name="As a candidate")).to_be_visible()
    expect(page.get_by_role("heading", name="As an interviewer")).to_be_hidden()
    page.get_by_label("Target level").select_option("senior")
    page.locator("#field-focus_areas").get_by_label("Caching").check()
    page.get_by_label("Goal").fill("Staff at a fintech in March")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Confirm your email address")).to_be_visible()

    _verify_in_a_new_browser_window(browser, base, email="ada@example.test")
    _log_in(page, base, email="ada@example.test")

    # No session yet: first steps, and a plan already made from the focus area.
    expect(page.get_by_role("heading", name="Welcome, Ada L")).to_be_visible()
    expect(page.locator("#first-steps")).to_contain_text("focus: Caching")
    expect(page.locator("#this-week")).to_contain_text("Caching: one of your focus areas")
    expect(page.locator("#this-week")).to_contain_text("Book your next practice interview")
    page.goto(f"{base}/profile/")
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    expect(page.get_by_label("Display name")).to_have_value("Ada L")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    expect(page.get_by_label("Goal")).to_have_value("Staff at a fintech in March")
    expect(page.locator("#field-focus_areas").get_by_label("Caching")).to_be_checked()


def test_it_shows_an_interviewer_pending_review_until_staff_approve(
    page: Page, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    staff = StaffFactory(email="reviewer@example.test")
    _sign_up(page, base, email="grace@example.test", role="Interviewer", name="Grace H")
    expect(page.get_by_role("heading", name="As a candidate")).to_be_hidden()
    page.get_by_label("Your level").select_option("staff")
    page.locator("#field-expertise").get_by_label("Concurrency").check()
    page.get_by_label("Bio").fill("Built the payments ledger at a bank.")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Confirm your email address")).to_be_visible()
    _verify_in_a_new_browser_window(browser, base, email="grace@example.test")
    _log_in(page, base, email="grace@example.test")
    expect(page.get_by_role("heading", name="Interviewing")).to_be_visible()
    expect(page.locator("#vetting-status")).to_contain_text("pending review")
    page.goto(f"{base}/profile/")
    expect(page.locator("#vetting-status")).to_contain_text("Pending review")

    staff_context = browser.new_context()
    staff_page = staff_context.new_page()
    _log_in(staff_page, base, email=staff.email)
    staff_page.goto(f"{base}/staff/vetting/")
    expect(staff_page.get_by_role("heading", name="Grace H")).to_be_visible()
    staff_page.get_by_role("button", name="Approve Grace H").click()
    expect(staff_page.get_by_role("heading", name="Approve Grace H?")).to_be_visible()
    staff_page.get_by_role("button", name="Yes, approve Grace H").click()
    expect(staff_page.get_by_text("Grace H is approved.")).to_be_visible()
    expect(staff_page.get_by_text("No interviewer is waiting for review.")).to_be_visible()
    staff_context.close()

    page.reload()
    expect(page.locator("#vetting-status")).to_contain_text("Approved")
    profile = InterviewerProfile.objects.get(user__email="grace@example.test")
    assert profile.status == VettingStatus.APPROVED
    assert profile.decided_by_id == staff.pk


def test_it_shows_a_rejected_interviewer_the_reason(
    page: Page, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    staff = StaffFactory(email="reviewer@example.test")
    _sign_up(page, base, email="linus@example.test", role="Interviewer", name="Linus T")
    page.get_by_label("Your level").select_option("senior")
    page.locator("#field-expertise").get_by_label("Scalability").check()
    page.get_by_label("Bio").fill("Kernels.")
    page.get_by_role("button", name="Create account").click()
    _verify_in_a_new_browser_window(browser, base, email="linus@example.test")

    staff_context = browser.new_context()
    staff_page = staff_context.new_page()
    _log_in(staff_page, base, email=staff.email)
    staff_page.goto(f"{base}/staff/vetting/")
    staff_page.get_by_label("Reason for rejecting").fill(
        "Tell us about systems you ran in production."
    )
    staff_page.get_by_role("button", name="Reject Linus T").click()
    expect(staff_page.get_by_label("Reason for rejecting")).to_have_value(
        "Tell us about systems you ran in production."
    )
    staff_page.get_by_role("button", name="Yes, reject Linus T").click()
    expect(staff_page.get_by_text("Linus T is rejected")).to_be_visible()
    staff_context.close()

    _log_in(page, base, email="linus@example.test")
    page.goto(f"{base}/profile/")
    status = page.locator("#vetting-status")
    expect(status).to_contain_text("Rejected")
    expect(status).to_contain_text("Tell us about systems you ran in production.")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("Time zone", "Mars/Olympus", "is not a time zone name"),
        ("Years of experience", "61", "less than or equal to 60"),
    ],
)
def test_it_points_at_the_bad_field_and_keeps_what_was_typed(
    page: Page, live_server: Any, field: str, value: str, message: str
) -> None:
    _sign_up(page, live_server.url, email="bad@example.test", role="Candidate", name="Kept Name")
    page.get_by_label("Target level").select_option("mid")
    page.locator("#field-focus_areas").get_by_label("Caching").check()
    page.get_by_label("Goal").fill("Kept goal")
    page.get_by_label(field).fill(value)
    page.get_by_role("button", name="Create account").click()

    error = page.locator(f"#field-{'time_zone' if field == 'Time zone' else 'years_experience'}")
    expect(error.locator("small.error")).to_contain_text(message)
    expect(page.get_by_label(field)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Display name")).to_have_value("Kept Name")
    expect(page.get_by_label("Goal")).to_have_value("Kept goal")
    expect(page.get_by_label("Email")).to_have_value("bad@example.test")
    expect(page.locator("#field-focus_areas").get_by_label("Caching")).to_be_checked()


def test_it_asks_for_a_role_when_none_is_chosen(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("norole@example.test")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_label("Display name").fill("No Role")
    page.get_by_label("Years of experience").fill("4")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#field-role small.error")).to_contain_text("Choose whether you join")
    expect(page.get_by_label("Display name")).to_have_value("No Role")
