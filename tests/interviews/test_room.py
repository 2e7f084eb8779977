"""The session page as the interview room (SPEC §6, issue 11 item 4): the join window, the
agenda with clock times in the viewer's zone, the whiteboard, the interviewer's question."""

from __future__ import annotations

import importlib
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.test import Client
from icalendar import Calendar
from rest_framework.test import APIClient

from accounts.models import User
from interviews.booking import book_session
from interviews.models import FollowUp, Phase, Question, Session
from interviews.room import JoinState, agenda, join_state
from tests.factories import NOW, TOMORROW_10, SessionFactory, approved_interviewer, candidate_user

BANK = importlib.import_module("interviews.migrations.0009_question_bank_with_follow_ups")
WHITEBOARD = re.compile(r"^https://excalidraw\.com/#room=[0-9a-f]{20},[A-Za-z0-9_-]{22}$")
END = TOMORROW_10 + timedelta(minutes=60)


@pytest.fixture
def booked(db: None) -> Session:
    with time_machine.travel(NOW, tick=False):
        return book_session(
            candidate=candidate_user(zone="America/New_York"),
            interviewer_id=approved_interviewer(zone="Europe/London").pk,
            start=TOMORROW_10,
            now=NOW,
        )


def _page(client: Client, user: User, session: Session, at: datetime = NOW) -> str:
    client.force_login(user)
    with time_machine.travel(at, tick=False):
        response = client.get(f"/sessions/{session.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _span(start: str, end: str) -> str:
    return f"{start}\N{EN DASH}{end}"


def _join_link(page: str) -> str | None:
    found = re.search(r'<a [^>]*id="join-link"[^>]*>', page)
    return found.group(0) if found else None


# --- The join window ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (TOMORROW_10 - timedelta(minutes=10, seconds=1), JoinState.EARLY),
        (TOMORROW_10 - timedelta(minutes=10), JoinState.OPEN),
        (END - timedelta(seconds=1), JoinState.OPEN),
        (END, JoinState.OVER),
    ],
)
def test_it_opens_the_join_window_10_minutes_before_the_start_until_the_end(
    moment: datetime, state: JoinState
) -> None:
    assert join_state(start=TOMORROW_10, end=END, now=moment) == state


@pytest.mark.django_db
def test_it_says_when_the_join_button_opens_in_the_viewers_zone(
    client: Client, booked: Session
) -> None:
    page = _page(client, booked.candidate, booked, at=TOMORROW_10 - timedelta(minutes=11))

    link = _join_link(page)
    assert link is not None and " hidden" in link
    # 09:50 UTC is 04:50 in New York in March (EST).
    assert "The Join button appears here at 04:50 EST" in page
    assert "America/New_York" in page


@pytest.mark.django_db
@pytest.mark.parametrize("minutes_before", [10, 0, -59])
def test_it_makes_the_join_button_live_inside_the_window(
    client: Client, booked: Session, minutes_before: int
) -> None:
    at = TOMORROW_10 - timedelta(minutes=minutes_before)
    for user in (booked.candidate, booked.interviewer):
        page = _page(client, user, booked, at=at)

        link = _join_link(page)
        assert link is not None and " hidden" not in link
        assert f'href="{booked.meeting_url}"' in link
        assert 'id="join-opens"' not in page


@pytest.mark.django_db
def test_it_removes_the_join_button_at_the_end(client: Client, booked: Session) -> None:
    page = _page(client, booked.candidate, booked, at=END)

    assert _join_link(page) is None
    assert "the Join button is gone" in page


# --- The agenda --------------------------------------------------------------------------------


def test_it_gives_each_phase_its_clock_times_and_the_rest_to_wrap_up() -> None:
    items = agenda(start=TOMORROW_10, end=END, zone="Europe/Berlin")

    assert [(item.name, item.minutes, item.times) for item in items] == [
        ("Functional Spec", 10, _span("11:00", "11:10")),
        ("Technical Spec", 15, _span("11:10", "11:25")),
        ("Going Deep", 20, _span("11:25", "11:45")),
        ("Extra Mile: launch", 10, _span("11:45", "11:55")),
        ("Questions and wrap-up", 5, _span("11:55", "12:00")),
    ]


def test_it_names_the_zone_on_every_time_across_the_autumn_change() -> None:
    # New York falls back at 06:00 UTC on 1 November 2026: 01:59 EDT is followed by 01:00 EST.
    start = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    items = agenda(start=start, end=start + timedelta(minutes=60), zone="America/New_York")

    assert [item.times for item in items] == [
        _span("01:30 EDT", "01:40 EDT"),
        _span("01:40 EDT", "01:55 EDT"),
        _span("01:55 EDT", "01:15 EST"),
        _span("01:15 EST", "01:25 EST"),
        _span("01:25 EST", "01:30 EST"),
    ]


def test_it_skips_the_missing_hour_of_the_spring_change() -> None:
    # New York springs forward at 07:00 UTC on 8 March 2026: 01:59 EST is followed by 03:00 EDT.
    start = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)
    items = agenda(start=start, end=start + timedelta(minutes=60), zone="America/New_York")

    assert items[2].times == _span("01:55 EST", "03:15 EDT")
    assert items[-1].end - items[0].start == timedelta(minutes=60)


def test_it_scales_the_agenda_to_a_90_minute_session() -> None:
    items = agenda(start=TOMORROW_10, end=TOMORROW_10 + timedelta(minutes=90), zone="UTC")

    assert [item.minutes for item in items] == [15, 22, 30, 15, 8]
    assert items[-1].times == _span("11:22", "11:30")


@pytest.mark.django_db
def test_it_shows_the_agenda_to_both_people_in_their_own_zones(
    client: Client, booked: Session
) -> None:
    candidate_page = _page(client, booked.candidate, booked)
    interviewer_page = _page(client, booked.interviewer, booked)

    assert "Agenda (America/New_York)" in candidate_page
    assert (
        _span("05:00", "05:10") + "</span> <strong>Functional Spec</strong> <small>(10 min)"
        in candidate_page
    )
    assert "Agenda (Europe/London)" in interviewer_page
    assert (
        _span("10:25", "10:45") + "</span> <strong>Going Deep</strong> <small>(20 min)"
        in interviewer_page
    )


@pytest.mark.django_db
def test_it_runs_the_timer_for_the_interviewer_only(client: Client, booked: Session) -> None:
    during = TOMORROW_10 + timedelta(minutes=12)
    interviewer_page = _page(client, booked.interviewer, booked, at=during)
    candidate_page = _page(client, booked.candidate, booked, at=during)

    assert re.search(
        r'id="room-timer"[^>]*>\s*Now: <strong>Technical Spec</strong>, until 10:25',
        interviewer_page,
    )
    assert re.search(r'id="agenda-technical-spec"[^>]*aria-current="step"', interviewer_page)
    assert "/static/js/room.js" in interviewer_page
    assert 'id="room-timer"' not in candidate_page


# --- The whiteboard ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_makes_one_whiteboard_per_session_at_booking_and_keeps_it(booked: Session) -> None:
    other = SessionFactory.create()

    assert WHITEBOARD.match(booked.whiteboard_url)
    assert WHITEBOARD.match(other.whiteboard_url)
    assert booked.whiteboard_url != other.whiteboard_url
    booked.refresh_from_db()
    assert Session.objects.get(pk=booked.pk).whiteboard_url == booked.whiteboard_url


@pytest.mark.django_db
def test_the_database_refuses_two_sessions_sharing_a_whiteboard(booked: Session) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory.create(whiteboard_url=booked.whiteboard_url)


@pytest.mark.django_db
def test_it_shows_the_whiteboard_to_both_people_in_the_page_the_api_and_the_calendar(
    client: Client, booked: Session
) -> None:
    for user in (booked.candidate, booked.interviewer):
        assert f'href="{booked.whiteboard_url}"' in _page(client, user, booked)

        api = APIClient()
        api.force_authenticate(user)
        with time_machine.travel(NOW, tick=False):
            data = api.get(f"/api/v1/sessions/{booked.pk}/").json()
            ics = Calendar.from_ical(client.get(f"/sessions/{booked.pk}/calendar.ics").content)
        assert data["whiteboard_url"] == booked.whiteboard_url
        description = str(ics.walk("VEVENT")[0]["description"])
        assert f"Whiteboard: {booked.whiteboard_url}" in description


# --- The question, for the interviewer only ----------------------------------------------------


@pytest.mark.django_db
def test_it_gives_the_interviewer_the_follow_ups_of_every_phase(
    client: Client, booked: Session
) -> None:
    page = _page(client, booked.interviewer, booked)

    assert booked.question is not None
    assert booked.question.hints in page
    for phase in Phase:
        follow_up = booked.question.follow_ups.filter(phase=phase).first()
        assert follow_up is not None, phase
        assert follow_up.text in page
    technical = re.search(r'id="agenda-technical-spec".*?</li>\s*</ul>', page, re.DOTALL)
    assert technical is not None
    first = booked.question.follow_ups.filter(phase=Phase.TECHNICAL_SPEC).first()
    assert first is not None and first.text in technical.group(0)


@pytest.mark.django_db
def test_it_never_shows_the_candidate_the_hints_or_follow_ups(
    client: Client, booked: Session
) -> None:
    page = _page(client, booked.candidate, booked, at=TOMORROW_10 + timedelta(minutes=5))
    api = APIClient()
    api.force_authenticate(booked.candidate)
    with time_machine.travel(NOW, tick=False):
        body = api.get(f"/api/v1/sessions/{booked.pk}/").content.decode()
        listing = api.get("/api/v1/sessions/").content.decode()

    assert booked.question is not None
    secrets = [booked.question.hints, *booked.question.follow_ups.values_list("text", flat=True)]
    for text in secrets:
        assert text not in page
        assert json.dumps(text)[1:-1] not in body
        assert json.dumps(text)[1:-1] not in listing
    assert "question" not in json.loads(body)


@pytest.mark.django_db
def test_the_api_gives_the_interviewer_the_follow_ups_by_phase(booked: Session) -> None:
    api = APIClient()
    api.force_authenticate(booked.interviewer)
    with time_machine.travel(NOW, tick=False):
        question = api.get(f"/api/v1/sessions/{booked.pk}/").json()["question"]

    assert {follow_up["phase"] for follow_up in question["follow_ups"]} == set(Phase.values)


# --- The bank ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_bank_holds_25_questions_with_follow_ups_for_every_phase() -> None:
    questions = Question.objects.filter(is_active=True).prefetch_related("follow_ups")

    assert questions.count() >= 25
    for question in questions:
        per_phase: dict[str, int] = {phase: 0 for phase in Phase.values}
        for follow_up in question.follow_ups.all():
            per_phase[follow_up.phase] += 1
        assert all(1 <= count <= 3 for count in per_phase.values()), (question.slug, per_phase)


@pytest.mark.django_db
def test_the_bank_seeds_again_without_duplicates_or_overwriting_staff_edits() -> None:
    edited = FollowUp.objects.filter(question__slug="chat", phase=Phase.GOING_DEEP).first()
    assert edited is not None
    edited.text = "Staff's own follow-up."
    edited.save()
    count = FollowUp.objects.count()

    BANK.add_bank(django_apps, None)

    assert FollowUp.objects.count() == count
    assert FollowUp.objects.filter(text="Staff's own follow-up.").exists()
