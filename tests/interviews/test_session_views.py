"""The session pages: my sessions, confirming a booking, one session, its ICS file."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from interviews.booking import book_session, cancel_session
from interviews.feedback import submit_review
from interviews.models import NoShowParty, Session, SessionStatus
from notifications.models import Kind, OptOut
from tests.factories import (
    NOW,
    TOMORROW_10,
    SessionFactory,
    approved_interviewer,
    candidate_user,
    review_body,
    submitted_feedback,
)

DASH = "\N{EN DASH}"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]


@pytest.fixture
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def interviewer() -> User:
    return approved_interviewer()


@pytest.fixture
def candidate() -> User:
    # New York, so the page's times differ from the server's UTC and the interviewer's.
    return candidate_user(zone="America/New_York")


@pytest.fixture
def booked(interviewer: User, candidate: User) -> Session:
    return book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )


def _as(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _book_url(interviewer: User, start: str = "2026-03-03T10:00:00Z", **extra: Any) -> str:
    return "/sessions/new/?" + urlencode({"interviewer": interviewer.pk, "start": start, **extra})


# --- Confirming a booking ----------------------------------------------------------------------


def test_it_shows_the_confirmation_in_the_candidates_zone(
    client: Client, interviewer: User, candidate: User
) -> None:
    response = _as(client, candidate).get(_book_url(interviewer))

    page = response.content.decode()
    assert response.status_code == 200
    assert "05:00 to 06:00" in page  # 10:00 UTC in New York
    assert "America/New_York" in page
    assert interviewer.name in page
    assert "Confirm booking" in page
    assert not Session.objects.exists()  # GET never writes


def test_it_books_on_confirm_and_shows_the_session(
    client: Client, interviewer: User, candidate: User
) -> None:
    response = _as(client, candidate).post(_book_url(interviewer), follow=True)

    session = Session.objects.get()
    assert response.redirect_chain[-1][0] == f"/sessions/{session.pk}/"
    assert session.candidate == candidate
    assert session.start == TOMORROW_10
    assert (
        f"A confirmation with the calendar file is on its way to you and to {interviewer.name}; "
        "we will remind you 24 hours and 1 hour before."
    ) in html.unescape(response.content.decode())


def test_it_promises_no_reminder_the_candidate_turned_off(
    client: Client, interviewer: User, candidate: User
) -> None:
    OptOut.objects.create(user=candidate, kind=Kind.REMINDER_1H)
    OptOut.objects.create(user=candidate, kind=Kind.REMINDER_24H)

    response = _as(client, candidate).post(_book_url(interviewer), follow=True)

    page = html.unescape(response.content.decode())
    assert f"on its way to you and to {interviewer.name}." in page
    assert "we will remind you" not in page
    assert page.count("Off in your email settings: will not be sent") == 2


def test_it_says_the_slot_was_just_taken_and_offers_fresh_slots(
    client: Client, booked: Session, interviewer: User
) -> None:
    other = candidate_user()

    response = _as(client, other).post(_book_url(interviewer))

    page = response.content.decode()
    assert response.status_code == 409
    assert "This slot was just taken." in page
    assert 'id="fresh-slots"' in page
    # Fresh slots start after the lead time and link straight to a new confirmation.
    assert f"interviewer={interviewer.pk}&amp;start=2026-03-02T11%3A00%3A00Z" in page
    assert "start=2026-03-03T10%3A00%3A00Z" not in page
    assert Session.objects.count() == 1


def _split_offer(page: str) -> tuple[str, str]:
    """The slot buttons shown, and those behind "Show times outside", of one slot list."""
    offer = page.split('class="slot-offer"', 1)[1]
    shown, _, rest = offer.partition('<details class="slot-outside">')
    return shown, rest.split("</details>", 1)[0]


def test_it_offers_fresh_slots_inside_the_candidates_waking_hours_first(
    client: Client, booked: Session, interviewer: User
) -> None:
    # The interviewer's 08:00 to 20:00 London is 03:00 to 15:00 in New York.
    response = _as(client, candidate_user(zone="America/New_York")).post(_book_url(interviewer))

    shown, hidden = _split_offer(response.content.decode())
    assert response.status_code == 409
    assert '<h3 class="slot-day">Mon 2 Mar</h3>' in shown
    first = re.findall(r'aria-label="([^"]+)"', shown)
    # The first slot after the 2-hour lead time is 11:00 UTC, 06:00 in New York: too early.
    assert first[:2] == [f"Mon 2 Mar, 08:00{DASH}09:00", f"Mon 2 Mar, 08:30{DASH}09:30"]
    assert "<summary>Show times outside 08:00" in hidden
    assert f'aria-label="Mon 2 Mar, 06:00{DASH}07:00"' in hidden
    assert f'aria-label="Mon 2 Mar, 06:00{DASH}07:00"' not in shown


def test_it_says_so_on_the_confirmation_page_when_the_slot_is_gone(
    client: Client, booked: Session, interviewer: User
) -> None:
    response = _as(client, candidate_user()).get(_book_url(interviewer))

    assert response.status_code == 409
    assert "no longer available" in response.content.decode()
    assert "Confirm booking" not in response.content.decode()


def test_it_shows_other_rule_refusals_clearly(client: Client, interviewer: User) -> None:
    response = _as(client, candidate_user()).post(
        _book_url(interviewer, start="2026-03-02T10:00:00Z")
    )

    assert response.status_code == 400
    assert "Book at least 2 hours ahead." in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("starts_at", "warning"),
    [
        (NOW + timedelta(hours=5), "This starts in 5 hours."),
        (NOW + timedelta(hours=23, minutes=30), "This starts in 23 hours 30 minutes."),
        (NOW + timedelta(hours=24), None),
        (TOMORROW_10, None),
    ],
)
def test_it_warns_on_the_confirm_page_when_the_slot_starts_within_24_hours(
    client: Client, interviewer: User, candidate: User, starts_at: Any, warning: str | None
) -> None:
    response = _as(client, candidate).get(
        _book_url(interviewer, start=starts_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Confirm booking" in page
    assert 'href="/help/booking/"' in page
    if warning is None:
        assert 'id="soon-warning"' not in page
    else:
        assert warning in page
        assert "more than 1 hour after booking counts as a late change" in page


def _fill_up(candidate: User, count: int = 3) -> None:
    for day in range(1, count + 1):
        book_session(
            candidate=candidate,
            interviewer_id=approved_interviewer().pk,
            start=TOMORROW_10 + timedelta(days=day),
            now=NOW,
        )


LIMIT_WORDS = (
    "You have 3 upcoming sessions, the most you can hold; "
    "cancel one or wait for one to pass to book more."
)


def test_it_offers_no_confirm_button_at_the_booking_limit(
    client: Client, interviewer: User, candidate: User
) -> None:
    _fill_up(candidate)
    client = _as(client, candidate)

    shown = client.get(_book_url(interviewer))
    posted = client.post(_book_url(interviewer))

    for response, status in ((shown, 200), (posted, 400)):
        page = html.unescape(response.content.decode())
        assert response.status_code == status
        assert LIMIT_WORDS in page
        assert 'href="/sessions/"' in page
        assert "Confirm booking" not in page
    assert Session.objects.filter(candidate=candidate).count() == 3


def test_it_offers_the_button_again_once_a_session_is_cancelled(
    client: Client, interviewer: User, candidate: User
) -> None:
    _fill_up(candidate)
    cancel_session(session=Session.objects.filter(candidate=candidate).first(), by=candidate)

    page = _as(client, candidate).get(_book_url(interviewer)).content.decode()

    assert "Confirm booking" in page
    assert 'id="booking-limit"' not in page


@pytest.mark.parametrize(
    "query",
    [
        {"interviewer": "x", "start": "2026-03-03T10:00:00Z"},
        {"interviewer": "999999", "start": "2026-03-03T10:00:00Z"},
        {"start": "2026-03-03T10:00:00Z"},
    ],
)
def test_it_answers_404_for_a_booking_link_without_an_interviewer(
    client: Client, interviewer: User, query: dict[str, str]
) -> None:
    response = _as(client, candidate_user()).get("/sessions/new/?" + urlencode(query))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({"start": "not-a-time"}, "Start"),
        ({"start": "2026-03-03T10:00:00"}, "Start"),  # no offset: ambiguous
        ({"start": "2026-03-03T10:00:00Z", "length": "200"}, "Length in minutes"),
    ],
)
def test_it_names_what_is_wrong_with_a_booking_links_time(
    client: Client, interviewer: User, query: dict[str, str], label: str
) -> None:
    params = {"interviewer": str(interviewer.pk), **query}

    response = _as(client, candidate_user()).get("/sessions/new/?" + urlencode(params))

    assert response.status_code == 400
    assert response.context["error"].startswith(f"{label}:")


def test_it_hides_pending_interviewers_behind_404(client: Client, interviewer: User) -> None:
    interviewer.interviewer_profile.status = "pending"
    interviewer.interviewer_profile.save()

    assert _as(client, candidate_user()).get(_book_url(interviewer)).status_code == 404


# --- One session ---------------------------------------------------------------------------------


def test_it_shows_the_interviewer_the_question_hints_and_phases(
    client: Client, booked: Session
) -> None:
    page = _as(client, booked.interviewer).get(f"/sessions/{booked.pk}/").content.decode()

    assert booked.question is not None
    assert booked.question.hints in page
    for phase, minutes in [
        ("Functional Spec", 10),
        ("Technical Spec", 15),
        ("Going Deep", 20),
        ("Extra Mile", 10),
    ]:
        assert f"<strong>{phase}" in page and f"({minutes} min)" in page
    assert "10:00 to 11:00" in page and "Europe/London" in page
    assert booked.candidate.name in page
    assert booked.whiteboard_url in page
    assert f"/sessions/{booked.pk}/calendar.ics" in page


def test_it_never_shows_the_candidate_the_question(client: Client, booked: Session) -> None:
    page = _as(client, booked.candidate).get(f"/sessions/{booked.pk}/").content.decode()

    assert booked.question is not None
    assert booked.question.hints not in page
    assert booked.question.title not in page
    assert "05:00 to 06:00" in page and "America/New_York" in page
    assert booked.interviewer.name in page


def test_it_scales_the_phases_to_a_90_minute_session(
    client: Client, interviewer: User, candidate: User
) -> None:
    session = book_session(
        candidate=candidate,
        interviewer_id=interviewer.pk,
        start=TOMORROW_10,
        length_minutes=90,
        now=NOW,
    )

    page = _as(client, interviewer).get(f"/sessions/{session.pk}/").content.decode()

    assert "(15 min)" in page and "(30 min)" in page


def test_it_warns_that_a_change_inside_24_hours_is_late(client: Client, booked: Session) -> None:
    client = _as(client, booked.candidate)
    early = client.get(f"/sessions/{booked.pk}/").content.decode()

    with time_machine.travel(booked.start - timedelta(hours=2), tick=False):
        late = client.get(f"/sessions/{booked.pk}/?reschedule=1").content.decode()

    assert 'id="late-warning"' not in early
    # Starts Tue 10:00 UTC: free until 24 hours before, Mon 05:00 in New York.
    assert "free until Mon 2 Mar, 05:00 EST" in early
    assert 'id="late-warning"' in late
    assert "moving it now counts as a late change" in late
    assert 'id="reschedule-slots"' in late  # the move list sits under the same warning


def test_it_says_a_change_just_after_booking_is_free_inside_24_hours(
    client: Client, interviewer: User, candidate: User
) -> None:
    soon = book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=NOW + timedelta(hours=5), now=NOW
    )
    client = _as(client, candidate)

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        page = client.get(f"/sessions/{soon.pk}/").content.decode()
        confirm = client.get(f"/sessions/{soon.pk}/cancel/").content.decode()

    assert 'id="late-warning"' not in page
    assert "free until Mon 2 Mar, 05:00 EST" in page  # an hour after booking at 04:00 EST
    assert 'id="confirm-free"' in confirm and 'id="confirm-late"' not in confirm


def test_it_asks_before_cancelling_and_cancels_only_on_the_confirm_pages_post(
    client: Client, booked: Session
) -> None:
    client = _as(client, booked.candidate)
    url = f"/sessions/{booked.pk}/cancel/"
    session_page = client.get(f"/sessions/{booked.pk}/").content.decode()

    asked = client.get(url)
    posted_once = client.post(url)
    booked.refresh_from_db()
    still_scheduled = booked.status
    done = client.post(url, {"confirmed": "yes"}, follow=True)

    assert f'href="{url}"' in session_page
    assert f'action="{url}"' not in session_page  # the session page's button only leads on
    for step in (asked, posted_once):
        page = step.content.decode()
        assert step.status_code == 200
        assert "Cancel your session with" in page
        assert 'name="confirmed" value="yes"' in page
        assert 'id="confirm-free"' in page
        assert 'href="/help/booking/"' in page
    assert still_scheduled == SessionStatus.SCHEDULED
    booked.refresh_from_db()
    assert booked.status == SessionStatus.CANCELLED
    assert "is cancelled" in done.content.decode()


def test_it_says_on_the_cancel_page_when_the_cancel_will_be_late(
    client: Client, booked: Session
) -> None:
    client = _as(client, booked.candidate)

    with time_machine.travel(booked.start - timedelta(hours=3), tick=False):
        page = client.get(f"/sessions/{booked.pk}/cancel/").content.decode()
        client.post(f"/sessions/{booked.pk}/cancel/", {"confirmed": "yes"})

    assert 'id="confirm-late"' in page and "This counts as a late change." in page
    booked.refresh_from_db()
    assert booked.late_cancel is True


def test_it_sends_a_cancel_of_a_cancelled_session_back_with_the_reason(
    client: Client, booked: Session
) -> None:
    cancel_session(session=booked, by=booked.interviewer, now=NOW)

    response = _as(client, booked.candidate).get(f"/sessions/{booked.pk}/cancel/", follow=True)

    assert response.redirect_chain == [(f"/sessions/{booked.pk}/", 302)]
    assert "This session is already cancelled." in response.content.decode()


def test_it_reschedules_from_fresh_slots(client: Client, booked: Session) -> None:
    client = _as(client, booked.candidate)
    page = client.get(f"/sessions/{booked.pk}/?reschedule=1").content.decode()
    assert 'id="reschedule-slots"' in page

    new_start = TOMORROW_10 + timedelta(days=1)
    response = client.post(
        f"/sessions/{booked.pk}/reschedule/", {"start": new_start.isoformat()}, follow=True
    )

    moved = Session.objects.get(rescheduled_from=booked)
    assert response.redirect_chain[-1][0] == f"/sessions/{moved.pk}/"
    assert moved.start == new_start
    assert "replaces" in response.content.decode()


def test_it_offers_reschedule_slots_inside_the_viewers_waking_hours_first(
    client: Client, booked: Session
) -> None:
    page = _as(client, booked.candidate).get(f"/sessions/{booked.pk}/?reschedule=1")

    shown, hidden = _split_offer(page.content.decode())
    assert '<h4 class="slot-day">Mon 2 Mar</h4>' in shown
    assert re.findall(r'aria-label="([^"]+)"', shown)[0] == f"Mon 2 Mar, 08:00{DASH}09:00"
    assert f'aria-label="Mon 2 Mar, 06:00{DASH}07:00"' in hidden
    # Each button posts its own start.
    assert 'name="start" value="2026-03-02T13:00:00+00:00"' in shown


def test_it_shows_the_taken_message_when_a_reschedule_loses(
    client: Client, booked: Session
) -> None:
    taken = book_session(
        candidate=candidate_user(),
        interviewer_id=booked.interviewer.pk,
        start=TOMORROW_10 + timedelta(hours=3),
        now=NOW,
    )

    response = _as(client, booked.candidate).post(
        f"/sessions/{booked.pk}/reschedule/", {"start": taken.start.isoformat()}
    )

    assert response.status_code == 409
    assert "This slot was just taken." in response.content.decode()
    assert 'id="reschedule-slots"' in response.content.decode()


@pytest.mark.parametrize(
    ("side", "button", "action", "status"),
    [
        ("interviewer", "Mark completed", "complete", SessionStatus.COMPLETED),
        ("interviewer", "The candidate did not show up", "no-show", SessionStatus.NO_SHOW),
        ("candidate", "The interviewer did not show up", "no-show", SessionStatus.NO_SHOW),
    ],
)
def test_it_closes_the_session_after_the_end(
    client: Client, booked: Session, side: str, button: str, action: str, status: str
) -> None:
    user = booked.interviewer if side == "interviewer" else booked.candidate
    client = _as(client, user)
    before = client.get(f"/sessions/{booked.pk}/")

    with time_machine.travel(booked.end + timedelta(minutes=1), tick=False):
        after = client.get(f"/sessions/{booked.pk}/").content.decode()
        client.post(f"/sessions/{booked.pk}/{action}/", {"confirmed": "yes"})

    booked.refresh_from_db()
    assert before.status_code == 200
    assert button not in before.content.decode()
    assert button in after
    assert booked.status == status


@pytest.mark.parametrize(
    ("side", "heading", "consequence"),
    [
        ("interviewer", "did not show up?", "two candidate no-shows within 30 days block"),
        ("candidate", "did not show up?", "It is counted against"),
    ],
)
def test_it_asks_before_recording_a_no_show(
    client: Client, booked: Session, side: str, heading: str, consequence: str
) -> None:
    user = booked.interviewer if side == "interviewer" else booked.candidate
    client = _as(client, user)
    url = f"/sessions/{booked.pk}/no-show/"

    with time_machine.travel(booked.end + timedelta(minutes=1), tick=False):
        session_page = client.get(f"/sessions/{booked.pk}/").content.decode()
        asked = client.get(url)
        posted_once = client.post(url)
        booked.refresh_from_db()
        still_scheduled = booked.status
        client.post(url, {"confirmed": "yes"})

    assert f'href="{url}"' in session_page and f'action="{url}"' not in session_page
    for step in (asked, posted_once):
        page = step.content.decode()
        assert step.status_code == 200
        assert heading in page and consequence in page
        assert 'name="confirmed" value="yes"' in page
    assert still_scheduled == SessionStatus.SCHEDULED
    booked.refresh_from_db()
    assert booked.status == SessionStatus.NO_SHOW


@pytest.mark.parametrize(
    ("side", "button"),
    [
        ("interviewer", "The candidate did not show up"),
        ("candidate", "The interviewer did not show up"),
    ],
)
def test_it_offers_no_no_show_once_the_session_took_place(
    client: Client, booked: Session, side: str, button: str
) -> None:
    submitted_feedback(booked, now=booked.end)
    user = booked.interviewer if side == "interviewer" else booked.candidate
    client = _as(client, user)

    with time_machine.travel(booked.end + timedelta(minutes=1), tick=False):
        response = client.get(f"/sessions/{booked.pk}/")
        asked = client.get(f"/sessions/{booked.pk}/no-show/", follow=True)
        refused = client.post(f"/sessions/{booked.pk}/no-show/", {"confirmed": "yes"}, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="close-actions"' in page
    assert button not in page
    assert 'id="no-show-closed"' in page
    assert refused.status_code == 200
    assert "it cannot be recorded as a no-show" in refused.content.decode()
    assert "it cannot be recorded as a no-show" in asked.content.decode()
    booked.refresh_from_db()
    assert booked.status == SessionStatus.SCHEDULED


def test_it_shows_alternatives_when_the_interviewer_cancels(
    client: Client, booked: Session
) -> None:
    other = approved_interviewer()
    cancel_session(session=booked, by=booked.interviewer, now=NOW)

    page = _as(client, booked.candidate).get(f"/sessions/{booked.pk}/").content.decode()

    assert 'id="alternatives"' in page
    assert f'id="alternative-{other.pk}"' in page
    # Never the interviewer who cancelled, nor the slot they cancelled.
    assert f'id="alternative-{booked.interviewer.pk}"' not in page
    assert "start=2026-03-03T10%3A00%3A00" not in page
    shown, hidden = _split_offer(page)
    assert re.findall(r'aria-label="([^"]+)"', shown)[0] == f"Mon 2 Mar, 08:00{DASH}09:00"
    assert f'aria-label="Mon 2 Mar, 06:00{DASH}07:00"' in hidden
    interviewer_view = _as(Client(), booked.interviewer).get(f"/sessions/{booked.pk}/")
    assert interviewer_view.status_code == 200
    assert 'id="alternatives"' not in interviewer_view.content.decode()


def test_it_offers_no_alternatives_when_the_candidate_cancels(
    client: Client, booked: Session
) -> None:
    cancel_session(session=booked, by=booked.candidate, now=NOW)

    response = _as(client, booked.candidate).get(f"/sessions/{booked.pk}/")

    assert response.status_code == 200
    assert 'id="alternatives"' not in response.content.decode()


def test_it_serves_the_calendar_file(client: Client, booked: Session) -> None:
    response = _as(client, booked.candidate).get(f"/sessions/{booked.pk}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert "attachment" in response["Content-Disposition"]
    assert b"BEGIN:VCALENDAR" in response.content


PAGES = [
    ("get", "/sessions/{id}/"),
    ("get", "/sessions/{id}/?reschedule=1"),
    ("get", "/sessions/{id}/calendar.ics"),
    ("post", "/sessions/{id}/cancel/"),
    ("post", "/sessions/{id}/reschedule/"),
    ("post", "/sessions/{id}/complete/"),
    ("post", "/sessions/{id}/no-show/"),
]


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_it_answers_404_for_sessions_that_are_not_yours(
    client: Client, booked: Session, method: str, path: str
) -> None:
    client = _as(client, candidate_user())

    response = getattr(client, method)(path.format(id=booked.pk))

    assert response.status_code == 404
    booked.refresh_from_db()
    assert booked.status == SessionStatus.SCHEDULED


@pytest.mark.parametrize("path", ["/sessions/", "/sessions/1/", "/sessions/new/"])
def test_it_sends_strangers_to_log_in(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- My sessions ----------------------------------------------------------------------------------


def test_it_lists_upcoming_and_past_sessions_in_a_fixed_number_of_queries(
    client: Client,
    candidate: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for day in range(3):
        book_session(
            candidate=candidate,
            interviewer_id=approved_interviewer().pk,
            start=TOMORROW_10 + timedelta(days=day),
            now=NOW,
        )
    for day in range(1, 6):
        SessionFactory.create(
            candidate=candidate,
            interviewer=approved_interviewer(),
            start=NOW - timedelta(days=day),
            end=NOW - timedelta(days=day, minutes=-60),
            status=SessionStatus.COMPLETED,
        )
    client = _as(client, candidate)

    with django_assert_max_num_queries(12):
        page = client.get("/sessions/").content.decode()

    assert page.count('id="session-') == 8
    assert "America/New_York" in page
    assert "Tue 3 Mar, 05:00 to 06:00 EST" in page


def test_it_shows_the_late_cancel_count_and_the_no_show_block(
    client: Client, booked: Session, candidate: User
) -> None:
    cancel_session(session=booked, by=candidate, now=booked.start - timedelta(hours=1))
    for days in (3, 10):
        SessionFactory.create(
            candidate=candidate,
            interviewer=approved_interviewer(),
            start=NOW - timedelta(days=days),
            end=NOW - timedelta(days=days, minutes=-60),
            status=SessionStatus.NO_SHOW,
            no_show_party=NoShowParty.CANDIDATE,
        )

    page = _as(client, candidate).get("/sessions/").content.decode()

    assert "Late changes" in page and "<strong>1</strong>" in page
    assert 'id="no-show-block"' in page
    assert "13 March 2026" in page  # 14 days from the later no-show, 27 Feb


def _past(interviewer: User, candidate: User, *, ended_ago: timedelta) -> Session:
    end = NOW - ended_ago
    return SessionFactory.create(
        interviewer=interviewer,
        candidate=candidate,
        start=end - timedelta(hours=1),
        end=end,
        status=SessionStatus.COMPLETED,
    )


def _feedback_cell(page: str, session: Session) -> str:
    row = page.split(f'id="session-{session.pk}"', 1)[1].split("</tr>", 1)[0]
    cell = row.split('class="feedback-step">', 1)[1].split("</td>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def test_it_lists_what_each_past_session_needs_next_for_the_interviewer(
    client: Client, interviewer: User, candidate: User
) -> None:
    overdue = _past(interviewer, candidate, ended_ago=timedelta(days=2))
    due = _past(interviewer, candidate_user(), ended_ago=timedelta(hours=1))
    done = _past(interviewer, candidate_user(), ended_ago=timedelta(days=5))
    submitted_feedback(done)

    with time_machine.travel(NOW, tick=False):
        page = _as(client, interviewer).get("/sessions/").content.decode()

    assert _feedback_cell(page, overdue).startswith("Feedback overdue was due")
    assert f'href="/sessions/{overdue.pk}/feedback/"><strong>Feedback overdue' in page
    assert _feedback_cell(page, due).startswith("Feedback to write due by")
    assert _feedback_cell(page, done) == "Feedback submitted"


def test_it_lists_the_candidates_review_then_the_report(
    client: Client, interviewer: User, candidate: User
) -> None:
    waiting = _past(interviewer, candidate, ended_ago=timedelta(days=1))
    reviewed = _past(interviewer, candidate, ended_ago=timedelta(days=3))
    revealed = _past(interviewer, candidate, ended_ago=timedelta(days=5))
    for session in (reviewed, revealed):
        submit_review(session=session, by=candidate, data=review_body(), now=session.end)
    submitted_feedback(revealed)

    with time_machine.travel(NOW, tick=False):
        page = _as(client, candidate).get("/sessions/").content.decode()

    assert _feedback_cell(page, waiting) == "Review your interviewer"
    assert _feedback_cell(page, reviewed) == "Waiting for your interviewer's feedback"
    assert _feedback_cell(page, revealed) == "Report ready"
    assert f'href="/sessions/{revealed.pk}/report/">Report ready' in page
