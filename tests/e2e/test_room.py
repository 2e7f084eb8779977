"""The room while its page stays open: room.js flips the Join button live 10 minutes before
the start, removes it at the end, and runs the interviewer's phase timer. The browser's
clock is Playwright's, moved forward by hand; the server renders with the real time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from interviews.models import Question, Session
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session() -> Session:
    # Far enough ahead that the server renders the page before the join window opens.
    start = (timezone.now() + timedelta(minutes=15)).replace(microsecond=0)
    return SessionFactory.create(
        interviewer=UserFactory.create(email="ida@example.test", time_zone="Europe/London"),
        candidate=UserFactory.create(email="cal@example.test", time_zone="America/New_York"),
        start=start,
        end=start + timedelta(minutes=60),
        question=Question.objects.get(slug="rate-limiter"),
    )


def _open(page: Page, base: str, session: Session, email: str) -> None:
    page.clock.install(time=timezone.now())
    log_in(page, base, email=email, password=PASSWORD)
    page.goto(f"{base}/sessions/{session.pk}/")


def test_the_join_button_goes_live_at_its_moment_and_leaves_at_the_end(
    page: Page, live_server: object, session: Session
) -> None:
    _open(page, str(live_server), session, "cal@example.test")
    join = page.locator("#join-link")
    expect(join).to_be_hidden()
    expect(page.locator("#join-opens")).to_contain_text("10 minutes before the start")

    page.clock.fast_forward("06:00")
    expect(join).to_be_visible()
    expect(page.locator("#join-opens")).to_be_hidden()

    page.clock.fast_forward("01:10:00")
    expect(join).to_have_count(0)
    expect(page.locator("#join-opens")).to_contain_text("the Join button is gone")


def test_the_interviewer_sees_the_phase_and_the_time_left_in_it(
    page: Page, live_server: object, session: Session
) -> None:
    _open(page, str(live_server), session, "ida@example.test")
    timer = page.locator("#room-timer")
    expect(timer).to_contain_text("The session starts in 1")

    page.clock.fast_forward("27:00")  # 12 minutes into the session
    expect(timer).to_contain_text("Now: Technical Spec")
    expect(timer).to_contain_text("left in this phase")
    expect(page.locator("#agenda-technical-spec")).to_have_attribute("aria-current", "step")
