"""The interviewer fills two phases (autosaved), reloads and finds the draft, finishes and
submits; the candidate reviews the session and then reads the report."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from interviews.models import Criterion, Feedback, Review, Session
from interviews.rubrics import PHASES, get_current_rubric, rubric_criteria
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session() -> Session:
    now = timezone.now()
    return SessionFactory.create(
        interviewer=UserFactory.create(
            email="iris@example.test", display_name="Iris Interviewer", time_zone="Europe/Berlin"
        ),
        candidate=UserFactory.create(
            email="cato@example.test", display_name="Cato Candidate", time_zone="Asia/Tokyo"
        ),
        start=now - timedelta(minutes=70),
        end=now - timedelta(minutes=10),
    )


def _no_policy_violations(page: Page) -> list[str]:
    """Collects console errors, so a CSP refusal of a script or a style fails the test."""
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", record)
    return errors


def _score_phase(page: Page, criteria: list[Criterion], phase: str, score: int) -> None:
    for criterion in criteria:
        if criterion.phase == phase:
            page.locator(f"#criterion-{criterion.pk}").get_by_label(
                f"{score} {criterion.levels[score]}"
            ).check()
    page.locator(f"#prodding-{phase}").get_by_label("Some").check()


def _step_heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", level=2, name=name, exact=True)).to_be_visible()


def test_it_takes_feedback_phase_by_phase_and_shows_the_report_after_the_review(
    page: Page, live_server: Any, browser: Browser, session: Session
) -> None:
    base = live_server.url
    criteria = rubric_criteria(get_current_rubric())
    errors = _no_policy_violations(page)
    log_in(page, base, email=session.interviewer.email, password=PASSWORD)

    # From the session page to the first step.
    page.goto(f"{base}/sessions/{session.pk}/")
    page.get_by_role("button", name="Write your feedback").click()
    _step_heading(page, "Functional Spec")

    # Phase 1: each click autosaves; the typed notes save after a pause.
    _score_phase(page, criteria, "functional-spec", 3)
    page.get_by_label("Notes on Functional Spec").fill("Scoped the feed to followers only.")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    expect(page.locator("#save-status")).to_contain_text(re.compile(r"CES?T"))  # Berlin time
    page.get_by_role("button", name="Save and continue").click()

    # Phase 2, swapped in place: the focus moves to the new step's heading.
    _step_heading(page, "Technical Spec")
    expect(page).to_have_url(re.compile(r"\?step=technical-spec$"))
    expect(page.locator("#step-heading")).to_be_focused()
    _score_phase(page, criteria, "technical-spec", 2)
    page.get_by_label("Notes on Technical Spec").fill("Needed help with the data model.")
    expect(page.locator("#save-status")).to_contain_text("Saved at")

    # A reload finds both phases as they were left.
    page.reload()
    _step_heading(page, "Technical Spec")
    technical = [c for c in criteria if c.phase == "technical-spec"]
    for criterion in technical:
        expect(
            page.locator(f"#criterion-{criterion.pk}").get_by_label(f"2 {criterion.levels[2]}")
        ).to_be_checked()
    expect(page.get_by_label("Notes on Technical Spec")).to_have_value(
        "Needed help with the data model."
    )
    page.get_by_role("link", name=re.compile(r"^1\. Functional Spec")).click()
    _step_heading(page, "Functional Spec")
    expect(page.get_by_label("Notes on Functional Spec")).to_have_value(
        "Scoped the feed to followers only."
    )
    first = next(c for c in criteria if c.phase == "functional-spec")
    expect(
        page.locator(f"#criterion-{first.pk}").get_by_label(f"3 {first.levels[3]}")
    ).to_be_checked()

    # The other phases, the overall verdict, then submit.
    page.get_by_role("link", name=re.compile(r"^3\. Going Deep")).click()
    for phase in PHASES[2:]:
        _step_heading(page, phase.name)
        _score_phase(page, criteria, phase.slug, 3)
        page.get_by_role("button", name="Save and continue").click()
    _step_heading(page, "Overall")
    page.locator("#field-recommendation").get_by_label("Hire", exact=True).check()
    page.locator("#field-level").get_by_label("Senior").check()
    page.get_by_label("Top strengths").fill("Drove the requirements.")
    page.get_by_label("The most important things to improve").fill("Model the data first.")
    page.get_by_role("button", name="Save and continue").click()
    _step_heading(page, "Check and submit")
    expect(page.locator("#ready-to-submit")).to_be_visible()
    page.get_by_role("button", name="Submit feedback").click()

    expect(page.get_by_role("heading", name="Feedback report for Cato Candidate")).to_be_visible()
    assert Feedback.objects.get(session=session).status == "submitted"
    assert errors == []

    # The candidate reviews, then reads the report.
    candidate_context = browser.new_context()
    candidate_page = candidate_context.new_page()
    candidate_page.set_default_timeout(10_000)
    candidate_errors = _no_policy_violations(candidate_page)
    log_in(candidate_page, base, email=session.candidate.email, password=PASSWORD)
    candidate_page.goto(f"{base}/sessions/{session.pk}/report/")
    expect(candidate_page.locator("#report-opens")).to_contain_text("Submit your review")
    candidate_page.get_by_role("button", name="Review the session and score yourself").click()
    candidate_page.locator("#field-rating").get_by_label("4 · good").check()
    candidate_page.locator("#field-would_practise_again").get_by_label("Yes").check()
    for phase in PHASES:
        candidate_page.locator(f"#field-self-{phase.slug}").get_by_label(
            "3 · solid, light prompting"
        ).check()
    candidate_page.get_by_label(re.compile("^Comment")).fill("Fair and clear.")
    candidate_page.get_by_role("button", name="Send review").click()

    report = candidate_page
    expect(report.get_by_role("heading", name=re.compile("^Feedback report"))).to_be_visible()
    expect(report.locator("#report-recommendation")).to_have_text("Hire")
    expect(report.locator("#report-level")).to_have_text("Senior")
    expect(report.locator("#report-technical-spec")).to_contain_text(
        "Needed help with the data model."
    )
    expect(report.locator("#calibration-technical-spec")).to_contain_text(
        "Your interviewer's 2.0 is 1.0 lower than your own 3."
    )
    expect(report.locator("#calibration-going-deep")).to_contain_text("matches")
    assert Review.objects.get(session=session).rating == 4
    assert candidate_errors == []
    candidate_context.close()
