"""The notification outbox (SPEC §9): the rows a change writes, and the dispatcher that
turns due rows into emails exactly once.

Every test passes `now=` explicitly: the outbox decides "due" with the application's clock,
so each test walks that clock forward itself. Nothing here needs PostgreSQL or Redis: the
dispatcher runs in the test, and on-commit tasks never fire inside a test transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from smtplib import SMTPServerDisconnected
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from icalendar import Calendar, Component

from accounts.models import User
from config.errors import DomainError
from interviews.booking import book_session, cancel_session, reschedule_session
from interviews.models import Session, SessionStatus
from notifications import tasks
from notifications.dispatch import BACKOFF, MAX_ATTEMPTS, dispatch_due, retry_now
from notifications.emails import build_message, local_range
from notifications.models import Kind, Notification, State
from notifications.outbox import notify
from notifications.sessions import reminder_due, schedule_session, session_key
from tests.factories import UserFactory, approved_interviewer, candidate_user

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SITE = "https://mockloop.example"

# Monday 5 April 2027, 09:00 UTC: both zones on summer time, five hours apart.
NOW = datetime(2027, 4, 5, 9, 0, tzinfo=UTC)
# Thursday 8 April 2027: 15:00 in London (the interviewer), 10:00 in New York (the candidate).
START = datetime(2027, 4, 8, 14, 0, tzinfo=UTC)
START_IN_NEW_YORK = "Thursday 8 April 2027, 10:00 EDT (America/New_York)"
START_IN_LONDON = "Thursday 8 April 2027, 15:00 BST (Europe/London)"

SKIPPED_LATE = "Booked after this reminder's moment."
REMINDERS = (Kind.REMINDER_24H, Kind.REMINDER_1H)


class BrokenMailer(BaseEmailBackend):
    """A mail server that hangs up on every message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise SMTPServerDisconnected("Connection unexpectedly closed")


BROKEN = {"default": {"BACKEND": f"{__name__}.BrokenMailer"}}
WORKING = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    # Links and Message-IDs are built from SITE_URL: pin it, whatever the environment says.
    settings.SITE_URL = SITE


def _person(user: User, name: str) -> User:
    user.display_name = name
    user.save(update_fields=["display_name"])
    return user


def _book(
    *,
    interviewer_zone: str = "Europe/London",
    candidate_zone: str = "America/New_York",
    start: datetime = START,
    now: datetime = NOW,
    length_minutes: int = 60,
) -> Session:
    interviewer = _person(approved_interviewer(zone=interviewer_zone), "Ivy Interviewer")
    candidate = _person(candidate_user(zone=candidate_zone), "Cal Candidate")
    return book_session(
        candidate=candidate,
        interviewer_id=interviewer.pk,
        start=start,
        length_minutes=length_minutes,
        now=now,
    )


@pytest.fixture
def booked() -> Session:
    return _book()


def _starts(when: str) -> str:
    """ "Thursday 8 April 2027, 10:00 EDT (America/New_York)" without its zone."""
    return when.rsplit(" (", 1)[0].rsplit(" ", 1)[0]


def _range(when: str, ends: str) -> str:
    """The start and the end on one day, the zone named once at the end."""
    zoned, zone = when.rsplit(" (", 1)
    return f"{_starts(when)} to {ends} {zoned.rsplit(' ', 1)[1]} ({zone}"


def _rows(session: Session) -> dict[tuple[str, int], Notification]:
    return {
        (row.kind, row.recipient_id): row
        for row in Notification.objects.filter(session=session).order_by("pk")
    }


def _people(session: Session) -> tuple[User, User]:
    return session.candidate, session.interviewer


def _side(session: Session, side: str) -> tuple[User, User]:
    """(who acts, the other person) for `side` in ("candidate", "interviewer")."""
    candidate, interviewer = _people(session)
    return (candidate, interviewer) if side == "candidate" else (interviewer, candidate)


def _only_email_to(outbox: list[EmailMultiAlternatives], user: User) -> Any:
    matching = [email for email in outbox if email.to == [user.email]]
    assert len(matching) == 1, [(email.to, email.subject) for email in outbox]
    return matching[0]


def _html(email: EmailMultiAlternatives) -> str:
    assert [mimetype for _, mimetype in email.alternatives] == ["text/html"]
    return str(email.alternatives[0][0])


def _calendar(email: EmailMultiAlternatives) -> tuple[str, Calendar, Component]:
    """The one ICS attachment: (its MIME type, the calendar, its one event)."""
    assert len(email.attachments) == 1
    filename, content, mimetype = email.attachments[0]
    assert filename.endswith(".ics")
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return mimetype, calendar, events[0]


# --- 1. "24 hours before" is 24 elapsed hours, across daylight-saving changes ----------------

# (the session's zone, its local start, the reminder, when that reminder is due, local)
DST_CASES = [
    # US spring forward, Sunday 14 March 2027 02:00 -> 03:00: the day before is still EST.
    pytest.param(
        NEW_YORK,
        datetime(2027, 3, 14, 10),
        timedelta(hours=24),
        datetime(2027, 3, 13, 9),
        id="us-march-24h",
    ),
    pytest.param(
        NEW_YORK,
        datetime(2027, 3, 14, 10),
        timedelta(hours=1),
        datetime(2027, 3, 14, 9),
        id="us-march-1h",
    ),
    # The hour before 03:00 EDT that morning is 01:00 EST: 02:00 never happens.
    pytest.param(
        NEW_YORK,
        datetime(2027, 3, 14, 3),
        timedelta(hours=1),
        datetime(2027, 3, 14, 1),
        id="us-march-1h-gap",
    ),
    # US fall back, Sunday 7 November 2027 02:00 -> 01:00: the day before is still EDT.
    pytest.param(
        NEW_YORK,
        datetime(2027, 11, 7, 10),
        timedelta(hours=24),
        datetime(2027, 11, 6, 11),
        id="us-november-24h",
    ),
    pytest.param(
        NEW_YORK,
        datetime(2027, 11, 7, 10),
        timedelta(hours=1),
        datetime(2027, 11, 7, 9),
        id="us-november-1h",
    ),
    # Europe springs forward on Sunday 28 March 2027, two weeks after the US.
    pytest.param(
        LONDON,
        datetime(2027, 3, 28, 10),
        timedelta(hours=24),
        datetime(2027, 3, 27, 9),
        id="europe-march-24h",
    ),
]


@pytest.mark.parametrize(("zone", "local_start", "before", "local_due"), DST_CASES)
def test_it_puts_a_reminder_whole_elapsed_hours_before_the_start(
    zone: ZoneInfo,
    local_start: datetime,
    before: timedelta,
    local_due: datetime,
) -> None:
    # Sessions are stored, and booked by every view and API, in UTC.
    start = local_start.replace(tzinfo=zone).astimezone(UTC)

    due = reminder_due(start=start, before=before)

    assert start - due == before
    assert due == local_due.replace(tzinfo=zone)
    assert due.astimezone(zone).replace(tzinfo=None) == local_due


def test_it_keeps_24_hours_in_the_week_only_the_us_has_changed() -> None:
    # Tuesday 16 March 2027: New York is on EDT, London still on GMT (4 hours apart, not 5).
    start = datetime(2027, 3, 16, 10, tzinfo=NEW_YORK).astimezone(UTC)

    due = reminder_due(start=start, before=timedelta(hours=24))

    assert due == datetime(2027, 3, 15, 14, 0, tzinfo=UTC)
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime(2027, 3, 15, 14, 0)
    assert due.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2027, 3, 15, 10, 0)


@pytest.mark.parametrize(
    ("zone", "local_start", "before", "local_due"),
    [case for case in DST_CASES if case.values[2] == timedelta(hours=24)],
)
def test_it_puts_a_reminder_24_elapsed_hours_before_a_start_given_in_local_time(
    zone: ZoneInfo,
    local_start: datetime,
    before: timedelta,
    local_due: datetime,
) -> None:
    start = local_start.replace(tzinfo=zone)

    due = reminder_due(start=start, before=before)

    assert due == local_due.replace(tzinfo=zone)


def test_it_reminds_24_elapsed_hours_ahead_of_a_start_booked_in_local_time() -> None:
    start = datetime(2027, 3, 14, 10, tzinfo=NEW_YORK)

    session = _book(interviewer_zone="America/New_York", start=start, now=start - timedelta(days=3))

    reminder = Notification.objects.get(
        session=session, kind=Kind.REMINDER_24H, recipient=session.candidate
    )
    assert reminder.due_at == datetime(2027, 3, 13, 14, 0, tzinfo=UTC)  # 09:00 EST


# Booked three days ahead, then reminded: what each person reads, in their own zone.
# (interviewer's zone, candidate's zone, local start in the interviewer's zone,
#  the 24-hour reminder's moment in the interviewer's zone, interviewer sees, candidate sees)
REMINDED = [
    pytest.param(
        "America/New_York",
        "Europe/London",
        datetime(2027, 3, 14, 10),
        datetime(2027, 3, 13, 9),
        "Sunday 14 March 2027, 10:00 EDT (America/New_York)",
        "Sunday 14 March 2027, 14:00 GMT (Europe/London)",
        id="us-spring-forward",
    ),
    pytest.param(
        "America/New_York",
        "Europe/London",
        datetime(2027, 11, 7, 10),
        datetime(2027, 11, 6, 11),
        "Sunday 7 November 2027, 10:00 EST (America/New_York)",
        "Sunday 7 November 2027, 15:00 GMT (Europe/London)",
        id="us-fall-back",
    ),
    pytest.param(
        "Europe/London",
        "America/New_York",
        datetime(2027, 3, 18, 15),
        datetime(2027, 3, 17, 15),
        "Thursday 18 March 2027, 15:00 GMT (Europe/London)",
        "Thursday 18 March 2027, 11:00 EDT (America/New_York)",
        id="us-changed-europe-not-yet",
    ),
    pytest.param(
        "Europe/London",
        "America/New_York",
        datetime(2027, 3, 28, 10),
        datetime(2027, 3, 27, 9),
        "Sunday 28 March 2027, 10:00 BST (Europe/London)",
        "Sunday 28 March 2027, 05:00 EDT (America/New_York)",
        id="europe-spring-forward",
    ),
]


@pytest.mark.parametrize(
    (
        "interviewer_zone",
        "candidate_zone",
        "local_start",
        "local_due",
        "for_interviewer",
        "for_candidate",
    ),
    REMINDED,
)
def test_it_reminds_both_people_on_time_with_the_start_in_their_own_zone(
    mailoutbox: list[EmailMultiAlternatives],
    interviewer_zone: str,
    candidate_zone: str,
    local_start: datetime,
    local_due: datetime,
    for_interviewer: str,
    for_candidate: str,
) -> None:
    zone = ZoneInfo(interviewer_zone)
    start = local_start.replace(tzinfo=zone).astimezone(UTC)
    booked_at = start - timedelta(days=3)
    session = _book(
        interviewer_zone=interviewer_zone,
        candidate_zone=candidate_zone,
        start=start,
        now=booked_at,
    )
    candidate, interviewer = _people(session)
    due_24h = local_due.replace(tzinfo=zone).astimezone(UTC)
    due_1h = start - timedelta(hours=1)
    rows = _rows(session)
    for person in (candidate, interviewer):
        assert rows[Kind.REMINDER_24H, person.pk].due_at == due_24h
        assert rows[Kind.REMINDER_1H, person.pk].due_at == due_1h
    assert dispatch_due(now=booked_at) == 2  # the confirmations
    mailoutbox.clear()

    assert dispatch_due(now=due_24h - timedelta(seconds=1)) == 0
    assert dispatch_due(now=due_24h) == 2

    for person, other, when in (
        (interviewer, candidate, for_interviewer),
        (candidate, interviewer, for_candidate),
    ):
        email = _only_email_to(mailoutbox, person)
        assert email.subject == f"Tomorrow: mock interview with {other.name}, {when}"
        assert f"starts in 24 hours.\n\nWhen: {_starts(when)} to " in email.body
        assert _starts(when) in _html(email)
        assert email.attachments == []  # a reminder changes no calendar
    mailoutbox.clear()

    assert dispatch_due(now=due_1h - timedelta(seconds=1)) == 0
    assert dispatch_due(now=due_1h) == 2
    email = _only_email_to(mailoutbox, candidate)
    assert email.subject == f"In 1 hour: mock interview with {interviewer.name}, {for_candidate}"
    assert "starts in 1 hour." in email.body
    assert session.meeting_url in email.body


# --- 2. Booking writes its notifications in its own transaction ------------------------------


def test_it_writes_a_confirmation_now_and_two_reminders_for_both_people(booked: Session) -> None:
    candidate, interviewer = _people(booked)

    rows = Notification.objects.filter(session=booked)

    end = START + timedelta(hours=1)
    assert sorted(
        (row.kind, row.recipient_id, row.due_at, row.state, row.note, row.key) for row in rows
    ) == sorted(
        [
            (kind, person.pk, due, State.PENDING, "", f"session:{booked.pk}")
            for kind, due in (
                (Kind.BOOKING_CONFIRMED, NOW),
                (Kind.REMINDER_24H, START - timedelta(hours=24)),
                (Kind.REMINDER_1H, START - timedelta(hours=1)),
            )
            for person in (candidate, interviewer)
        ]
        + [
            # After the end: the interviewer's feedback, due then and still missing a day
            # later; the candidate's review.
            (Kind.FEEDBACK_DUE, interviewer.pk, end, State.PENDING, "", f"session:{booked.pk}"),
            (
                Kind.FEEDBACK_OVERDUE,
                interviewer.pk,
                end + timedelta(hours=24),
                State.PENDING,
                "",
                f"session:{booked.pk}",
            ),
            (Kind.RATE_INTERVIEWER, candidate.pk, end, State.PENDING, "", f"session:{booked.pk}"),
        ]
    )
    assert {row.created_at for row in rows} == {NOW}
    assert {row.attempts for row in rows} == {0}


def test_it_queues_the_confirmations_only_once_the_booking_commits(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple[str, str]] = []
    monkeypatch.setattr(tasks.dispatch_key, "delay", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        session = _book()
        assert queued == []

    assert queued == [(f"session:{session.pk}", Kind.BOOKING_CONFIRMED)]


def test_it_leaves_no_notification_when_the_booking_rolls_back(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        session = _book()
        assert Notification.objects.filter(session=session).count() == 9
        raise RuntimeError("the caller's transaction fails after the booking")

    assert Notification.objects.count() == 0
    assert callbacks == []


@pytest.mark.parametrize(
    ("ahead", "reminder_states"),
    [
        (timedelta(hours=25), {Kind.REMINDER_24H: State.PENDING, Kind.REMINDER_1H: State.PENDING}),
        (timedelta(hours=23), {Kind.REMINDER_24H: State.SKIPPED, Kind.REMINDER_1H: State.PENDING}),
        (timedelta(hours=2), {Kind.REMINDER_24H: State.SKIPPED, Kind.REMINDER_1H: State.PENDING}),
    ],
)
def test_it_writes_reminders_whose_moment_has_passed_as_skipped(
    mailoutbox: list[EmailMultiAlternatives],
    ahead: timedelta,
    reminder_states: dict[str, str],
) -> None:
    session = _book(now=START - ahead)
    rows = _rows(session)

    for person in _people(session):
        for kind, state in reminder_states.items():
            row = rows[kind, person.pk]
            assert row.state == state
            assert row.note == (SKIPPED_LATE if state == State.SKIPPED else "")
        assert rows[Kind.BOOKING_CONFIRMED, person.pk].state == State.PENDING

    # Nothing sends a skipped reminder later, even a dispatcher running at every moment.
    booked_at = START - ahead
    for moment in (booked_at, START - timedelta(hours=24), START - timedelta(hours=1)):
        if moment >= booked_at:
            dispatch_due(now=moment)
    sent_24h = [email for email in mailoutbox if email.subject.startswith("Tomorrow:")]
    assert len(sent_24h) == (2 if reminder_states[Kind.REMINDER_24H] == State.PENDING else 0)
    assert len([email for email in mailoutbox if email.subject.startswith("In 1 hour:")]) == 2
    skipped = Notification.objects.filter(session=session, state=State.SKIPPED)
    assert all(row.note == SKIPPED_LATE and row.sent_at is None for row in skipped)


@pytest.mark.parametrize(
    ("start", "now", "code"),
    [
        (START + timedelta(minutes=15), NOW, "slot_unavailable"),  # off the 30-minute grid
        (datetime(2027, 4, 8, 21, 0, tzinfo=UTC), NOW, "slot_unavailable"),  # 22:00 London
        (START, START - timedelta(hours=1), "lead_time"),
    ],
    ids=["off-grid", "outside-the-window", "inside-the-lead-time"],
)
def test_it_writes_no_notification_for_a_refused_booking(
    start: datetime, now: datetime, code: str
) -> None:
    with pytest.raises(DomainError) as refusal:
        _book(start=start, now=now)

    assert refusal.value.code == code
    assert Session.objects.count() == 0
    assert Notification.objects.count() == 0


# --- 3. The dispatcher --------------------------------------------------------------------


def test_it_sends_only_what_is_due_and_each_row_once(
    booked: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    candidate, interviewer = _people(booked)

    assert dispatch_due(now=NOW - timedelta(seconds=1)) == 0
    assert dispatch_due(now=NOW) == 2
    assert dispatch_due(now=NOW) == 0
    assert dispatch_due(now=NOW + timedelta(minutes=5)) == 0

    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        [candidate.email, interviewer.email]
    )
    rows = _rows(booked)
    for person in (candidate, interviewer):
        confirmation = rows[Kind.BOOKING_CONFIRMED, person.pk]
        assert (confirmation.state, confirmation.sent_at, confirmation.attempts) == (
            State.SENT,
            NOW,
            1,
        )
        assert {rows[kind, person.pk].state for kind in REMINDERS} == {State.PENDING}


def test_it_sends_due_rows_oldest_first_and_stops_at_the_clock(
    booked: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    # The dispatcher was down for eleven hours of the run-up: the 24-hour reminders are
    # due (less than half their notice gone), the 1-hour ones are not yet.
    sent = dispatch_due(now=START - timedelta(hours=13))

    assert sent == 4
    assert [email.subject.split(":")[0] for email in mailoutbox] == [
        "Booked",
        "Booked",
        "Tomorrow",
        "Tomorrow",
    ]
    rows = _rows(booked)
    assert {rows[Kind.REMINDER_1H, person.pk].state for person in _people(booked)} == {
        State.PENDING
    }


def test_it_skips_a_reminder_held_up_past_half_its_notice(
    booked: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    # Down until two hours before the start: "starts in 24 hours" would be false, and the
    # 1-hour reminder is close; the 24-hour ones are skipped, saying why.
    sent = dispatch_due(now=START - timedelta(hours=2))

    assert sent == 2  # the confirmations
    rows = _rows(booked)
    assert {
        (rows[Kind.REMINDER_24H, person.pk].state, rows[Kind.REMINDER_24H, person.pk].note)
        for person in _people(booked)
    } == {(State.SKIPPED, "Its moment passed while sending was held up.")}
    assert not [email for email in mailoutbox if email.subject.startswith("Tomorrow")]


@pytest.mark.parametrize(
    ("side", "other_name", "when", "role_line"),
    [
        ("candidate", "Ivy Interviewer", START_IN_NEW_YORK, "Interviewer: Ivy Interviewer"),
        ("interviewer", "Cal Candidate", START_IN_LONDON, "Candidate: Cal Candidate"),
    ],
)
def test_it_emails_the_confirmation_with_text_html_and_the_calendar_file(
    booked: Session,
    mailoutbox: list[EmailMultiAlternatives],
    side: str,
    other_name: str,
    when: str,
    role_line: str,
) -> None:
    person, _ = _side(booked, side)
    dispatch_due(now=NOW)
    row = Notification.objects.get(session=booked, kind=Kind.BOOKING_CONFIRMED, recipient=person)
    page = f"{SITE}/sessions/{booked.pk}/"

    email = _only_email_to(mailoutbox, person)

    assert email.subject == f"Booked: mock interview with {other_name}, {when}"
    ends = "11:00" if side == "candidate" else "16:00"
    assert f"When: {_range(when, ends)}\n{role_line}\n" in email.body
    assert f"Meeting link: {booked.meeting_url}\n" in email.body
    assert f"Session page: {page}\n" in email.body
    assert "{{" not in email.body and "{%" not in email.body
    html = _html(email)
    assert f"<strong>{_range(when, ends)}</strong>" in html
    assert f'href="{page}"' in html
    assert email.extra_headers["Message-ID"] == f"<notification-{row.pk}@mockloop.example>"
    assert email.message()["Message-ID"] == f"<notification-{row.pk}@mockloop.example>"

    mimetype, calendar, event = _calendar(email)
    assert email.attachments[0].filename == f"mockloop-session-{booked.pk}.ics"
    assert mimetype.startswith("text/calendar") and "method=PUBLISH" in mimetype
    assert calendar["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == f"{booked.ics_uid}@mockloop"
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + timedelta(hours=1)
    assert event.decoded("SEQUENCE") == 0
    assert event["STATUS"] == "CONFIRMED"
    assert other_name in str(event["SUMMARY"])


@pytest.mark.parametrize(("minutes", "ends"), [(45, "10:45"), (90, "11:30")])
def test_it_states_the_booked_length_in_the_candidates_confirmation(
    mailoutbox: list[EmailMultiAlternatives], minutes: int, ends: str
) -> None:
    session = _book(length_minutes=minutes)
    dispatch_due(now=NOW)

    email = _only_email_to(mailoutbox, session.candidate)

    assert f"When: {_range(START_IN_NEW_YORK, ends)}\n" in email.body
    assert "Sixty minutes" not in email.body


def test_it_links_the_candidate_to_find_another_interviewer_whatever_site_urls_slash(
    booked: Session, mailoutbox: list[EmailMultiAlternatives], settings: Any
) -> None:
    settings.SITE_URL = f"{SITE}/"
    cancel_session(session=booked, by=booked.interviewer, now=NOW)
    dispatch_due(now=NOW)

    email = _only_email_to(mailoutbox, booked.candidate)

    assert f"Find another interviewer: {SITE}/find/\n" in email.body


def test_it_resends_a_row_under_the_same_message_id(booked: Session) -> None:
    row = Notification.objects.filter(session=booked, kind=Kind.BOOKING_CONFIRMED).first()
    assert row is not None

    first, second = build_message(row).message(), build_message(row).message()

    assert (
        first["Message-ID"] == second["Message-ID"] == f"<notification-{row.pk}@mockloop.example>"
    )
    others = Notification.objects.filter(session=booked).exclude(pk=row.pk)
    assert all(
        build_message(other).message()["Message-ID"] != first["Message-ID"] for other in others
    )


def test_it_skips_what_is_due_for_a_session_cancelled_without_voiding_it(
    booked: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    # Cancelled by a path that did not void its reminders (staff, a data fix, a bug).
    Session.objects.filter(pk=booked.pk).update(status=SessionStatus.CANCELLED)

    sent = dispatch_due(now=START - timedelta(hours=1))

    assert sent == 0
    assert mailoutbox == []
    rows = Notification.objects.filter(session=booked)
    due = rows.filter(due_at__lte=START - timedelta(hours=1))
    assert due.count() == 6  # the confirmations and reminders; the rest is not due yet
    assert {(row.state, row.note, row.sent_at) for row in due} == {
        (State.SKIPPED, "The session was cancelled.", None)
    }
    assert {row.state for row in rows.exclude(pk__in=due)} == {State.PENDING}


@pytest.mark.parametrize("late_by", [timedelta(0), timedelta(minutes=10)])
def test_it_skips_reminders_once_the_session_has_started(
    booked: Session, mailoutbox: list[EmailMultiAlternatives], late_by: timedelta
) -> None:
    assert dispatch_due(now=NOW) == 2
    mailoutbox.clear()

    # The dispatcher comes back only at (or after) the start.
    sent = dispatch_due(now=START + late_by)

    assert sent == 0
    assert mailoutbox == []
    reminders = Notification.objects.filter(session=booked, kind__in=REMINDERS)
    assert reminders.count() == 4
    assert {(row.state, row.note) for row in reminders} == {
        (State.SKIPPED, "The session had started.")
    }


def test_it_never_tells_someone_a_session_is_24_hours_away_when_it_is_not(
    booked: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    # The dispatcher was down from the booking until half an hour before the start.
    dispatch_due(now=START - timedelta(minutes=30))

    assert [email for email in mailoutbox if email.subject.startswith("In 1 hour:")]
    assert not [email for email in mailoutbox if "starts in 24 hours" in email.body]


# --- 4. Cancel and reschedule --------------------------------------------------------------


@pytest.mark.parametrize("side", ["candidate", "interviewer"])
def test_it_tells_only_the_other_side_of_a_cancel_and_voids_every_reminder(
    booked: Session, mailoutbox: list[EmailMultiAlternatives], side: str
) -> None:
    by, other = _side(booked, side)
    dispatch_due(now=NOW)
    mailoutbox.clear()
    cancelled_at = NOW + timedelta(hours=1)

    cancel_session(session=booked, by=by, now=cancelled_at)

    cancellations = Notification.objects.filter(kind=Kind.SESSION_CANCELLED)
    assert [(row.recipient_id, row.due_at, row.state, row.key) for row in cancellations] == [
        (other.pk, cancelled_at, State.PENDING, f"session:{booked.pk}")
    ]
    reminders = Notification.objects.filter(session=booked, kind__in=REMINDERS)
    assert reminders.count() == 4
    assert {(row.state, row.note) for row in reminders} == {
        (State.VOID, "The session was cancelled.")
    }

    assert dispatch_due(now=cancelled_at) == 1
    for moment in (START - timedelta(hours=24), START - timedelta(hours=1), START):
        assert dispatch_due(now=moment) == 0
    assert len(mailoutbox) == 1
    email = _only_email_to(mailoutbox, other)
    when = START_IN_NEW_YORK if other == booked.candidate else START_IN_LONDON
    assert email.subject == f"Cancelled: mock interview with {by.name}, {when}"
    assert f"{by.name} cancelled your mock interview of {when}." in email.body
    assert f"{by.name} cancelled your mock interview of {when}." in _html(email)
    if other == booked.candidate:
        assert f"Find another interviewer: {SITE}/find/\n" in email.body
        assert f'href="{SITE}/find/"' in _html(email)
    else:
        assert "The time is free again for other candidates." in email.body
    mimetype, calendar, event = _calendar(email)
    assert "method=CANCEL" in mimetype
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert str(event["UID"]) == f"{booked.ics_uid}@mockloop"
    assert event.decoded("SEQUENCE") == 1
    assert event.decoded("DTSTART") == START
    assert {
        row.state for row in Notification.objects.filter(session=booked, kind__in=REMINDERS)
    } == {State.VOID}


def test_it_voids_only_the_reminders_still_to_come(
    booked: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    dispatch_due(now=START - timedelta(hours=24))  # confirmations and the 24-hour reminders
    assert len(mailoutbox) == 4

    cancel_session(session=booked, by=booked.candidate, now=START - timedelta(hours=3))

    rows = _rows(booked)
    for person in _people(booked):
        assert rows[Kind.REMINDER_24H, person.pk].state == State.SENT
        assert rows[Kind.REMINDER_1H, person.pk].state == State.VOID
    assert dispatch_due(now=START - timedelta(hours=1)) == 1  # the cancellation only
    assert mailoutbox[-1].subject.startswith("Cancelled:")
    assert mailoutbox[-1].to == [booked.interviewer.email]


@pytest.mark.parametrize("side", ["candidate", "interviewer"])
def test_it_tells_the_other_side_of_a_move_and_reminds_both_of_the_new_time(
    booked: Session, mailoutbox: list[EmailMultiAlternatives], side: str
) -> None:
    by, other = _side(booked, side)
    dispatch_due(now=NOW)
    _, _, first_event = _calendar(_only_email_to(mailoutbox, other))
    mailoutbox.clear()
    moved_at = NOW + timedelta(hours=1)
    new_start = START + timedelta(days=1)  # Friday 9 April 2027

    moved = reschedule_session(session=booked, by=by, start=new_start, now=moved_at)

    old = Notification.objects.filter(session=booked, kind__in=REMINDERS)
    assert old.count() == 4
    assert {(row.state, row.note) for row in old} == {(State.VOID, "The session was moved.")}
    fresh = _rows(moved)
    assert sorted(
        (kind, person_id, row.due_at, row.state) for (kind, person_id), row in fresh.items()
    ) == sorted(
        [(Kind.SESSION_MOVED, other.pk, moved_at, State.PENDING)]
        + [
            (kind, person.pk, new_start - before, State.PENDING)
            for kind, before in (
                (Kind.REMINDER_24H, timedelta(hours=24)),
                (Kind.REMINDER_1H, timedelta(hours=1)),
            )
            for person in _people(booked)
        ]
        + [
            (Kind.FEEDBACK_DUE, booked.interviewer_id, new_start + timedelta(hours=1), "pending"),
            (
                Kind.FEEDBACK_OVERDUE,
                booked.interviewer_id,
                new_start + timedelta(hours=25),
                "pending",
            ),
            (Kind.RATE_INTERVIEWER, booked.candidate_id, new_start + timedelta(hours=1), "pending"),
        ]
    )
    # Everything still due about the old session is void, not only the reminders.
    assert (
        set(
            Notification.objects.filter(session=booked, state=State.PENDING).values_list(
                "kind", flat=True
            )
        )
        == set()
    )

    assert dispatch_due(now=moved_at) == 1
    email = _only_email_to(mailoutbox, other)
    zone_is_new_york = other == booked.candidate
    was = START_IN_NEW_YORK if zone_is_new_york else START_IN_LONDON
    now_when = (
        "Friday 9 April 2027, 10:00 EDT (America/New_York)"
        if zone_is_new_york
        else "Friday 9 April 2027, 15:00 BST (Europe/London)"
    )
    assert email.subject == f"Moved: mock interview with {by.name}, now {now_when}"
    assert f"{by.name} moved your mock interview." in email.body
    assert f"Was: {was}\nNow: {_starts(now_when)} to " in email.body
    html = _html(email)
    assert f"<s>{was}</s>" in html and f"<strong>{_starts(now_when)} to " in html
    mimetype, calendar, event = _calendar(email)
    assert "method=PUBLISH" in mimetype
    assert calendar["METHOD"] == "PUBLISH"
    assert event["STATUS"] == "CONFIRMED"
    assert event["UID"] == first_event["UID"]
    assert event.decoded("SEQUENCE") > first_event.decoded("SEQUENCE")
    assert event.decoded("DTSTART") == new_start

    # The old reminders never go out; the new ones go out at the new moments.
    mailoutbox.clear()
    assert dispatch_due(now=START - timedelta(hours=24)) == 0
    assert dispatch_due(now=new_start - timedelta(hours=24)) == 2
    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        person.email for person in _people(booked)
    )
    assert all(email.subject.startswith("Tomorrow:") for email in mailoutbox)
    assert all("Friday 9 April 2027" in email.subject for email in mailoutbox)


# --- 5. Failures and retries ---------------------------------------------------------------


def test_it_backs_off_after_a_failure_and_marks_the_row_failed_in_the_end(
    booked: Session, mailoutbox: list[EmailMultiAlternatives], settings: Any
) -> None:
    settings.MAILERS = BROKEN

    def confirmations() -> list[Notification]:
        return list(Notification.objects.filter(session=booked, kind=Kind.BOOKING_CONFIRMED))

    assert dispatch_due(now=NOW) == 0

    for row in confirmations():
        assert row.state == State.PENDING
        assert row.attempts == 1
        assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
        assert row.next_attempt_at == NOW + timedelta(minutes=1)
        assert row.sent_at is None
    # Not again before its next attempt, even though it is long due.
    assert dispatch_due(now=NOW + timedelta(seconds=59)) == 0
    assert {row.attempts for row in confirmations()} == {1}

    # Tries 2 to 5, each at its moment: 1 minute, then 5, 30 and 120 minutes after the last.
    moment = NOW + timedelta(minutes=1)
    for attempt, wait in zip((2, 3, 4, 5), (5, 30, 120, None), strict=True):
        assert dispatch_due(now=moment - timedelta(seconds=1)) == 0
        assert {row.attempts for row in confirmations()} == {attempt - 1}
        assert dispatch_due(now=moment) == 0
        assert {row.attempts for row in confirmations()} == {attempt}
        if wait is not None:
            assert {row.state for row in confirmations()} == {State.PENDING}
            moment += timedelta(minutes=wait)
            assert {row.next_attempt_at for row in confirmations()} == {moment}

    assert MAX_ATTEMPTS == 5
    assert {(row.state, row.sent_at) for row in confirmations()} == {(State.FAILED, None)}
    # A failed row waits for staff: the dispatcher leaves it alone, mail server or not.
    settings.MAILERS = WORKING
    assert dispatch_due(now=moment + timedelta(hours=12)) == 0
    assert mailoutbox == []
    assert {(row.state, row.attempts) for row in confirmations()} == {(State.FAILED, MAX_ATTEMPTS)}


def test_it_sends_a_failed_row_once_staff_retry_it(
    booked: Session, mailoutbox: list[EmailMultiAlternatives], settings: Any
) -> None:
    settings.MAILERS = BROKEN
    confirmation = Notification.objects.get(
        session=booked, kind=Kind.BOOKING_CONFIRMED, recipient=booked.candidate
    )
    Notification.objects.filter(session=booked).exclude(pk=confirmation.pk).delete()
    moment = NOW
    for attempt in range(MAX_ATTEMPTS):
        dispatch_due(now=moment)
        if attempt < len(BACKOFF):
            moment += BACKOFF[attempt]
    confirmation.refresh_from_db()
    assert confirmation.state == State.FAILED
    settings.MAILERS = WORKING
    retried_at = moment + timedelta(hours=1)

    assert retry_now(ids=[confirmation.pk], now=retried_at) == 1

    confirmation.refresh_from_db()
    assert (confirmation.state, confirmation.attempts, confirmation.next_attempt_at) == (
        State.PENDING,
        0,
        retried_at,
    )
    assert dispatch_due(now=retried_at - timedelta(seconds=1)) == 0
    assert dispatch_due(now=retried_at) == 1
    assert dispatch_due(now=retried_at) == 0
    assert [email.to for email in mailoutbox] == [[booked.candidate.email]]
    confirmation.refresh_from_db()
    assert (confirmation.state, confirmation.sent_at) == (State.SENT, retried_at)


def test_it_retries_only_failed_rows(booked: Session) -> None:
    rows = list(Notification.objects.filter(session=booked).order_by("pk"))
    failed, sent, pending = rows[0], rows[1], rows[2]
    Notification.objects.filter(pk=failed.pk).update(state=State.FAILED, attempts=MAX_ATTEMPTS)
    Notification.objects.filter(pk=sent.pk).update(state=State.SENT, sent_at=NOW, attempts=1)

    count = retry_now(ids=[failed.pk, sent.pk, pending.pk], now=NOW)

    assert count == 1
    states = dict(Notification.objects.values_list("pk", "state"))
    assert (states[failed.pk], states[sent.pk], states[pending.pk]) == (
        State.PENDING,
        State.SENT,
        State.PENDING,
    )
    assert Notification.objects.get(pk=sent.pk).attempts == 1


# --- 6. The admin's "Retry now" ------------------------------------------------------------


def test_it_puts_failed_rows_back_from_the_admin(booked: Session, client: Client) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(admin)
    rows = list(Notification.objects.filter(session=booked).order_by("pk"))
    failed = rows[:2]
    sent = rows[2]
    Notification.objects.filter(pk__in=[row.pk for row in failed]).update(
        state=State.FAILED, attempts=MAX_ATTEMPTS, last_error="SMTPServerDisconnected: gone"
    )
    Notification.objects.filter(pk=sent.pk).update(state=State.SENT, sent_at=NOW, attempts=1)
    url = reverse("admin:notifications_notification_changelist")

    response = client.post(
        url,
        {"action": "retry", "_selected_action": [row.pk for row in (*failed, sent)]},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[0][0].startswith(url)
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["2 failed notification(s) queued again."]
    for row in failed:
        row.refresh_from_db()
        assert (row.state, row.attempts) == (State.PENDING, 0)
        assert row.next_attempt_at is not None
    sent.refresh_from_db()
    assert (sent.state, sent.attempts) == (State.SENT, 1)


def test_it_keeps_the_admin_from_adding_rows_by_hand(client: Client) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:notifications_notification_add"))

    assert response.status_code == 403


# --- 7. One row per (key, kind, recipient) -------------------------------------------------


def test_it_writes_one_row_however_often_notify_runs(booked: Session) -> None:
    candidate = booked.candidate
    Notification.objects.all().delete()

    for minutes in (0, 5):
        notify(
            kind=Kind.SESSION_CANCELLED,
            recipients=[candidate],
            key=session_key(booked),
            due_at=NOW + timedelta(minutes=minutes),
            session=booked,
            now=NOW,
        )

    rows = Notification.objects.all()
    assert [(row.kind, row.recipient_id, row.key, row.due_at) for row in rows] == [
        (Kind.SESSION_CANCELLED, candidate.pk, f"session:{booked.pk}", NOW)
    ]


def test_it_writes_the_schedule_once_however_often_it_is_replayed(booked: Session) -> None:
    before = sorted(Notification.objects.values_list("pk", "kind", "recipient_id", "due_at"))

    schedule_session(
        session=booked,
        now=NOW + timedelta(minutes=1),
        tell=_people(booked),
        kind=Kind.BOOKING_CONFIRMED,
    )

    assert (
        sorted(Notification.objects.values_list("pk", "kind", "recipient_id", "due_at")) == before
    )


def test_it_keeps_one_row_per_key_kind_and_recipient_in_the_database(booked: Session) -> None:
    row = Notification.objects.filter(session=booked, kind=Kind.REMINDER_1H).first()
    assert row is not None

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            key=row.key,
            kind=row.kind,
            recipient=row.recipient,
            session=booked,
            due_at=NOW,
        )

    # The same person and kind under another key is another notification.
    Notification.objects.create(
        key="session:other", kind=row.kind, recipient=row.recipient, due_at=NOW
    )
    assert Notification.objects.filter(recipient=row.recipient, kind=row.kind).count() == 2


def test_it_promises_only_the_reminders_that_will_come(
    mailoutbox: list[EmailMultiAlternatives],
) -> None:
    # Booked five hours ahead: the 24-hour reminder's moment has passed, the 1-hour one has not.
    session = _book(start=NOW + timedelta(hours=5))
    dispatch_due(now=NOW)

    email = _only_email_to(mailoutbox, session.candidate)

    assert "We will remind you 1 hour before." in email.body
    assert "24 hours" not in email.body


def test_it_names_the_end_day_when_the_session_ends_after_local_midnight() -> None:
    start = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # 23:00 on Monday in New York
    session = Session(start=start, end=start + timedelta(hours=1))

    assert local_range(session, "America/New_York") == (
        "Monday 30 November 2026, 23:00 to Tuesday 1 December, 00:00 EST (America/New_York)"
    )
    assert local_range(session, "Europe/London") == (
        "Tuesday 1 December 2026, 04:00 to 05:00 GMT (Europe/London)"
    )


class CountingServer(BaseEmailBackend):
    """A mail server that counts connections, and drops the one a message fails on."""

    opened: int = 0
    fail_for: str = ""
    delivered: list[str] = []

    def open(self) -> bool:
        CountingServer.opened += 1
        return True

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            if message.to == [CountingServer.fail_for]:
                raise SMTPServerDisconnected("Connection unexpectedly closed")
            CountingServer.delivered.extend(message.to)
        return len(email_messages)


def test_it_sends_a_run_over_one_connection_and_reconnects_after_a_failure(
    settings: Any,
) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.CountingServer"}}
    people = [UserFactory(email=f"p{n}@example.test") for n in range(5)]
    CountingServer.opened, CountingServer.fail_for = 0, people[1].email
    CountingServer.delivered = []
    session = _book()
    Notification.objects.all().delete()
    for n, person in enumerate(people):
        notify(
            kind=Kind.REMINDER_24H,
            recipients=[person],
            key=session_key(session),
            due_at=NOW + timedelta(seconds=n),
            session=session,
            now=NOW,
        )

    assert dispatch_due(now=NOW + timedelta(minutes=1)) == 4

    assert CountingServer.delivered == [p.email for p in people if p != people[1]]
    # One connection for the first email, a fresh one after the failed second.
    assert CountingServer.opened == 2
