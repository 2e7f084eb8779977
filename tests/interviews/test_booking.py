"""Booking rules and the session state changes of SPEC §6, at the service level.

The helpers at the top (`NOW`, `approved_interviewer`, `candidate_user`) are shared with the
other session test modules.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User, VettingStatus
from config.errors import DomainError
from interviews.booking import (
    MEETING_ROOM_BASE,
    book_session,
    cancel_session,
    complete_session,
    free_change_until,
    mark_no_show,
    no_show_block_until,
    reschedule_session,
)
from interviews.capacity import week_bounds
from interviews.feedback import save_feedback_draft, submit_review
from interviews.models import NoShowParty, Session, SessionStatus, WeeklyWindow
from interviews.selectors import late_cancel_count
from tests.factories import (
    NOW,
    TOMORROW_10,
    CandidateProfileFactory,
    SessionFactory,
    approved_interviewer,
    candidate_user,
    review_body,
    submitted_feedback,
)

pytestmark = pytest.mark.django_db


# Monday 2 March 2026, 09:00 in London (GMT, so local time equals UTC until 29 March).
def _refusal(code: str) -> pytest.RaisesExc[DomainError]:
    return pytest.raises(DomainError, check=lambda error: error.code == code)


@pytest.fixture
def interviewer() -> User:
    return approved_interviewer()


@pytest.fixture
def candidate() -> User:
    return candidate_user()


# --- Booking -----------------------------------------------------------------------------


def test_it_books_an_offered_slot(interviewer: User, candidate: User) -> None:
    session = book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )

    assert session.status == SessionStatus.SCHEDULED
    assert (session.start, session.end) == (TOMORROW_10, TOMORROW_10 + timedelta(hours=1))
    assert session.meeting_url.startswith(MEETING_ROOM_BASE)
    assert session.question is not None
    assert Session.objects.count() == 1


@pytest.mark.parametrize("minutes", [45, 90])
def test_it_books_other_lengths(interviewer: User, candidate: User, minutes: int) -> None:
    session = book_session(
        candidate=candidate,
        interviewer_id=interviewer.pk,
        start=TOMORROW_10,
        length_minutes=minutes,
        now=NOW,
    )

    assert session.duration == timedelta(minutes=minutes)


@pytest.mark.parametrize("minutes", [30, 44, 91, 120])
def test_it_refuses_lengths_outside_45_to_90_minutes(
    interviewer: User, candidate: User, minutes: int
) -> None:
    with pytest.raises(ValidationError, match="45 to 90"):
        book_session(
            candidate=candidate,
            interviewer_id=interviewer.pk,
            start=TOMORROW_10,
            length_minutes=minutes,
            now=NOW,
        )


def test_it_uses_the_interviewers_personal_meeting_url(candidate: User) -> None:
    interviewer = approved_interviewer(meeting_url="https://zoom.us/j/123")

    session = book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )

    assert session.meeting_url == "https://zoom.us/j/123"


def test_it_generates_a_different_room_for_every_session(interviewer: User) -> None:
    first = book_session(
        candidate=candidate_user(), interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )
    second = book_session(
        candidate=candidate_user(),
        interviewer_id=interviewer.pk,
        start=TOMORROW_10 + timedelta(hours=2),
        now=NOW,
    )

    assert first.meeting_url != second.meeting_url


@pytest.mark.parametrize(
    "start",
    [NOW + timedelta(hours=1), NOW + timedelta(hours=1, minutes=30), NOW - timedelta(hours=1)],
)
def test_it_refuses_a_start_inside_the_lead_time(
    interviewer: User, candidate: User, start: datetime
) -> None:
    with _refusal("lead_time"):
        book_session(candidate=candidate, interviewer_id=interviewer.pk, start=start, now=NOW)


def test_it_accepts_a_start_exactly_two_hours_ahead(interviewer: User, candidate: User) -> None:
    session = book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=NOW + timedelta(hours=2), now=NOW
    )

    assert session.start == NOW + timedelta(hours=2)


@pytest.mark.parametrize(
    "start",
    [
        TOMORROW_10 + timedelta(minutes=15),  # off the 30-minute grid
        datetime(2026, 3, 3, 19, 30, tzinfo=UTC),  # would end after the 20:00 window end
        datetime(2026, 3, 3, 6, 0, tzinfo=UTC),  # before the window
        NOW + timedelta(weeks=5),  # beyond the 4-week horizon
    ],
)
def test_it_refuses_a_start_the_interviewer_does_not_offer(
    interviewer: User, candidate: User, start: datetime
) -> None:
    with _refusal("slot_unavailable"):
        book_session(candidate=candidate, interviewer_id=interviewer.pk, start=start, now=NOW)


@pytest.mark.parametrize("offset_minutes", [0, 30, -30])
def test_it_rejects_a_second_booking_that_overlaps_the_interviewers_session(
    interviewer: User, offset_minutes: int
) -> None:
    book_session(
        candidate=candidate_user(), interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )

    with _refusal("slot_unavailable") as refused:
        book_session(
            candidate=candidate_user(),
            interviewer_id=interviewer.pk,
            start=TOMORROW_10 + timedelta(minutes=offset_minutes),
            now=NOW,
        )

    assert refused.value.status == 409
    assert Session.objects.count() == 1


def test_it_rejects_a_candidate_booking_two_interviewers_at_overlapping_times(
    candidate: User,
) -> None:
    book_session(
        candidate=candidate, interviewer_id=approved_interviewer().pk, start=TOMORROW_10, now=NOW
    )

    with _refusal("slot_unavailable"):
        book_session(
            candidate=candidate,
            interviewer_id=approved_interviewer().pk,
            start=TOMORROW_10 + timedelta(minutes=30),
            now=NOW,
        )


def test_it_counts_a_candidates_time_as_interviewer_as_busy() -> None:
    both = approved_interviewer()
    CandidateProfileFactory.create(user=both)
    SessionFactory.create(
        interviewer=both,
        candidate=candidate_user(),
        start=TOMORROW_10,
        end=TOMORROW_10 + timedelta(hours=1),
    )

    with _refusal("slot_unavailable"):
        book_session(
            candidate=both, interviewer_id=approved_interviewer().pk, start=TOMORROW_10, now=NOW
        )


@pytest.mark.parametrize(
    ("status", "blocks"),
    [
        (SessionStatus.SCHEDULED, True),
        (SessionStatus.CANCELLED, False),
    ],
)
def test_it_holds_at_most_three_upcoming_sessions_per_candidate(
    candidate: User, status: str, blocks: bool
) -> None:
    for day in range(1, 4):
        SessionFactory.create(
            interviewer=approved_interviewer(),
            candidate=candidate,
            start=TOMORROW_10 + timedelta(days=day),
            end=TOMORROW_10 + timedelta(days=day, hours=1),
            status=status,
        )

    def book() -> Session:
        return book_session(
            candidate=candidate,
            interviewer_id=approved_interviewer().pk,
            start=TOMORROW_10,
            now=NOW,
        )

    if blocks:
        with _refusal("too_many_upcoming"):
            book()
    else:
        assert book().pk


def test_it_does_not_count_sessions_that_have_ended_as_upcoming(candidate: User) -> None:
    for day in range(1, 4):
        SessionFactory.create(
            interviewer=approved_interviewer(),
            candidate=candidate,
            start=NOW - timedelta(days=day),
            end=NOW - timedelta(days=day) + timedelta(hours=1),
        )

    assert book_session(
        candidate=candidate, interviewer_id=approved_interviewer().pk, start=TOMORROW_10, now=NOW
    ).pk


def test_it_stops_at_the_interviewers_weekly_capacity() -> None:
    interviewer = approved_interviewer(capacity=2)
    for hours in (0, 2):
        book_session(
            candidate=candidate_user(),
            interviewer_id=interviewer.pk,
            start=TOMORROW_10 + timedelta(hours=hours),
            now=NOW,
        )

    with _refusal("capacity_reached"):
        book_session(
            candidate=candidate_user(),
            interviewer_id=interviewer.pk,
            start=TOMORROW_10 + timedelta(days=3),  # Friday: the same week
            now=NOW,
        )
    next_monday = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    assert book_session(
        candidate=candidate_user(), interviewer_id=interviewer.pk, start=next_monday, now=NOW
    ).pk


def test_it_counts_the_week_in_the_interviewers_zone() -> None:
    # Sunday 23:30 in New York is Monday 04:30 UTC: still the New York week that is full.
    interviewer = approved_interviewer(capacity=1, zone="America/New_York")
    WeeklyWindow.objects.filter(interviewer=interviewer).update(end_time=time(23, 59))
    book_session(
        candidate=candidate_user(),
        interviewer_id=interviewer.pk,
        start=datetime(2026, 3, 3, 15, 0, tzinfo=UTC),
        now=NOW,
    )

    with _refusal("capacity_reached"):
        book_session(
            candidate=candidate_user(),
            interviewer_id=interviewer.pk,
            start=datetime(2026, 3, 9, 3, 0, tzinfo=UTC),  # Sunday 8 March, 23:00 EDT
            now=NOW,
        )


def test_it_refuses_booking_yourself() -> None:
    both = approved_interviewer()
    CandidateProfileFactory.create(user=both)

    with _refusal("self_booking"):
        book_session(candidate=both, interviewer_id=both.pk, start=TOMORROW_10, now=NOW)


@pytest.mark.parametrize("status", [VettingStatus.PENDING, VettingStatus.REJECTED])
def test_it_books_only_approved_interviewers(candidate: User, status: str) -> None:
    interviewer = approved_interviewer()
    interviewer.interviewer_profile.status = status
    interviewer.interviewer_profile.decision_reason = "Not enough detail in the bio."
    interviewer.interviewer_profile.save()

    with _refusal("interviewer_not_approved"):
        book_session(candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW)


def test_it_refuses_a_user_without_a_candidate_profile(interviewer: User) -> None:
    other = approved_interviewer()

    with _refusal("not_a_candidate"):
        book_session(candidate=other, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW)


def _no_show(candidate: User, start: datetime, party: str = NoShowParty.CANDIDATE) -> None:
    SessionFactory.create(
        interviewer=approved_interviewer(),
        candidate=candidate,
        start=start,
        end=start + timedelta(hours=1),
        status=SessionStatus.NO_SHOW,
        no_show_party=party,
    )


def test_it_blocks_booking_for_14_days_after_a_second_no_show_within_30_days(
    interviewer: User, candidate: User
) -> None:
    _no_show(candidate, NOW - timedelta(days=20))
    _no_show(candidate, NOW - timedelta(days=3))

    with _refusal("no_show_block") as refused:
        book_session(candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW)

    assert "13 March 2026" in refused.value.message  # 14 days after the second no-show
    later = NOW + timedelta(days=11, hours=1)
    assert book_session(
        candidate=candidate,
        interviewer_id=interviewer.pk,
        start=later + timedelta(hours=3),
        now=later,
    ).pk


@pytest.mark.parametrize(
    ("days_apart", "party"),
    [(31, NoShowParty.CANDIDATE), (5, NoShowParty.INTERVIEWER)],
)
def test_it_does_not_block_for_spread_out_or_interviewer_no_shows(
    interviewer: User, candidate: User, days_apart: int, party: str
) -> None:
    _no_show(candidate, NOW - timedelta(days=2), party)
    _no_show(candidate, NOW - timedelta(days=2 + days_apart), party)

    assert book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    ).pk


@pytest.mark.parametrize(
    ("days", "blocked_until_day"),
    [
        ([], None),
        ([1], None),
        ([1, 31], 31 + 14),
        ([1, 32], None),
        ([1, 20, 60, 70], 70 + 14),
        ([70, 1, 20], 20 + 14),
    ],
)
def test_it_derives_the_no_show_block_from_the_no_shows(
    days: list[int], blocked_until_day: int | None
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    until = no_show_block_until([start + timedelta(days=day) for day in days])

    expected = None if blocked_until_day is None else start + timedelta(days=blocked_until_day)
    assert until == expected


def test_it_takes_week_bounds_across_a_daylight_saving_change() -> None:
    # London moves to summer time on Sunday 29 March 2026: that week is 167 hours long.
    start, end = week_bounds(datetime(2026, 3, 27, 12, tzinfo=UTC), "Europe/London")

    assert start.astimezone(UTC) == datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 3, 29, 23, 0, tzinfo=UTC)


def test_it_books_across_the_spring_forward_in_the_interviewers_local_time(
    candidate: User,
) -> None:
    # 10:00 London on Monday 30 March 2026 is 09:00 UTC (summer time).
    interviewer = approved_interviewer()
    start = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    now = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)

    session = book_session(candidate=candidate, interviewer_id=interviewer.pk, start=start, now=now)
    with _refusal("slot_unavailable"):
        # 06:30 UTC is 07:30 British Summer Time: before the 08:00 window opens.
        book_session(
            candidate=candidate_user(),
            interviewer_id=interviewer.pk,
            start=datetime(2026, 3, 30, 6, 30, tzinfo=UTC),
            now=now,
        )
    assert session.start == start


# --- Cancel ------------------------------------------------------------------------------


@pytest.fixture
def booked(interviewer: User, candidate: User) -> Session:
    return book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )


@pytest.mark.parametrize(
    ("before_start", "late"),
    [
        (timedelta(hours=25), False),
        (timedelta(hours=24), False),
        (timedelta(hours=23, minutes=59), True),
        (timedelta(minutes=5), True),
    ],
)
@pytest.mark.parametrize("side", ["candidate", "interviewer"])
def test_it_lets_either_side_cancel_and_counts_late_cancels(
    booked: Session, before_start: timedelta, late: bool, side: str
) -> None:
    by = booked.candidate if side == "candidate" else booked.interviewer

    cancelled = cancel_session(session=booked, by=by, now=booked.start - before_start)

    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.late_cancel is late
    assert cancelled.cancelled_by == by
    assert cancelled.cancelled_at == booked.start - before_start
    assert cancelled.ics_sequence == booked.ics_sequence + 1


def test_it_refuses_to_cancel_a_session_that_has_started(booked: Session) -> None:
    with _refusal("already_started"):
        cancel_session(session=booked, by=booked.candidate, now=booked.start)


def test_it_refuses_to_cancel_twice(booked: Session) -> None:
    cancel_session(session=booked, by=booked.candidate, now=NOW)

    with _refusal("not_scheduled"):
        cancel_session(session=booked, by=booked.interviewer, now=NOW)


def test_it_refuses_anyone_else(booked: Session) -> None:
    with pytest.raises(PermissionDenied):
        cancel_session(session=booked, by=candidate_user(), now=NOW)


def test_it_frees_the_slot_when_cancelled(booked: Session) -> None:
    cancel_session(session=booked, by=booked.candidate, now=NOW)

    again = book_session(
        candidate=candidate_user(),
        interviewer_id=booked.interviewer.pk,
        start=booked.start,
        now=NOW,
    )

    assert again.start == booked.start


# --- The grace period after booking --------------------------------------------------------


SOON = NOW + timedelta(hours=5)  # inside 24 hours of the start from the moment of booking


@pytest.fixture
def booked_soon(interviewer: User, candidate: User) -> Session:
    return book_session(candidate=candidate, interviewer_id=interviewer.pk, start=SOON, now=NOW)


GRACE_BOUNDARY = [
    (timedelta(minutes=1), False),
    (timedelta(hours=1), False),
    (timedelta(hours=1, seconds=1), True),
    (timedelta(hours=4, minutes=59), True),
]


@pytest.mark.parametrize(("after_booking", "late"), GRACE_BOUNDARY)
def test_it_lets_a_cancel_within_an_hour_of_booking_go_free(
    booked_soon: Session, after_booking: timedelta, late: bool
) -> None:
    with time_machine.travel(NOW + after_booking, tick=False):
        cancelled = cancel_session(session=booked_soon, by=booked_soon.candidate)

    assert cancelled.late_cancel is late
    assert late_cancel_count(user=booked_soon.candidate) == int(late)


@pytest.mark.parametrize(("after_booking", "late"), GRACE_BOUNDARY)
def test_it_lets_a_move_within_an_hour_of_booking_go_free(
    booked_soon: Session, after_booking: timedelta, late: bool
) -> None:
    with time_machine.travel(NOW + after_booking, tick=False):
        moved = reschedule_session(
            session=booked_soon, by=booked_soon.candidate, start=TOMORROW_10 + timedelta(days=2)
        )

    booked_soon.refresh_from_db()
    assert booked_soon.late_cancel is late
    assert moved.late_cancel is False
    assert late_cancel_count(user=booked_soon.candidate) == int(late)


def test_it_counts_a_late_move_once_and_runs_a_new_grace_hour_from_the_move(
    booked_soon: Session,
) -> None:
    moved_at = NOW + timedelta(hours=2)
    with time_machine.travel(moved_at, tick=False):
        moved = reschedule_session(
            session=booked_soon, by=booked_soon.candidate, start=SOON + timedelta(hours=1)
        )
    with time_machine.travel(moved_at + timedelta(minutes=30), tick=False):
        cancel_session(session=moved, by=booked_soon.candidate)

    moved.refresh_from_db()
    assert (moved.created_at, moved.late_cancel) == (moved_at, False)
    assert late_cancel_count(user=booked_soon.candidate) == 1


@pytest.mark.parametrize(
    ("booked_before_start", "free_until_before_start"),
    [(timedelta(hours=5), timedelta(hours=4)), (timedelta(days=3), timedelta(hours=24))],
)
def test_it_says_until_when_a_change_is_free(
    booked_before_start: timedelta, free_until_before_start: timedelta
) -> None:
    start = TOMORROW_10
    booked_at = start - booked_before_start

    assert free_change_until(booked_at=booked_at, start=start) == start - free_until_before_start


# --- Reschedule ---------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["candidate", "interviewer"])
def test_it_reschedules_into_a_new_session_linked_to_the_old(booked: Session, side: str) -> None:
    by = booked.candidate if side == "candidate" else booked.interviewer
    new_start = TOMORROW_10 + timedelta(days=2)

    moved = reschedule_session(session=booked, by=by, start=new_start, now=NOW)

    booked.refresh_from_db()
    assert booked.status == SessionStatus.CANCELLED
    assert booked.late_cancel is False
    assert moved.rescheduled_from == booked
    assert (moved.start, moved.duration) == (new_start, booked.duration)
    assert moved.question == booked.question
    assert moved.meeting_url == booked.meeting_url
    assert moved.status == SessionStatus.SCHEDULED


def test_it_hands_the_calendar_uid_to_the_rescheduled_session(booked: Session) -> None:
    uid, sequence = booked.ics_uid, booked.ics_sequence

    moved = reschedule_session(
        session=booked, by=booked.candidate, start=TOMORROW_10 + timedelta(days=1), now=NOW
    )
    moved_sequence = moved.ics_sequence
    again = reschedule_session(
        session=moved, by=booked.interviewer, start=TOMORROW_10 + timedelta(days=2), now=NOW
    )

    booked.refresh_from_db()
    assert again.ics_uid == uid
    assert booked.ics_uid != uid
    assert sequence < moved_sequence < again.ics_sequence


def test_it_allows_moving_by_half_an_hour(booked: Session) -> None:
    moved = reschedule_session(
        session=booked, by=booked.candidate, start=booked.start + timedelta(minutes=30), now=NOW
    )

    assert moved.start == booked.start + timedelta(minutes=30)


def test_it_counts_a_reschedule_inside_24_hours_as_late(booked: Session) -> None:
    reschedule_session(
        session=booked,
        by=booked.interviewer,
        start=TOMORROW_10 + timedelta(days=2),
        now=booked.start - timedelta(hours=3),
    )

    booked.refresh_from_db()
    assert booked.late_cancel is True
    assert booked.cancelled_by == booked.interviewer


def test_it_refuses_a_reschedule_to_a_taken_slot_and_changes_nothing(booked: Session) -> None:
    taken = book_session(
        candidate=candidate_user(),
        interviewer_id=booked.interviewer.pk,
        start=TOMORROW_10 + timedelta(hours=3),
        now=NOW,
    )

    with _refusal("slot_unavailable"):
        reschedule_session(session=booked, by=booked.candidate, start=taken.start, now=NOW)

    booked.refresh_from_db()
    assert booked.status == SessionStatus.SCHEDULED
    assert booked.ics_sequence == 0
    assert Session.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (NOW + timedelta(hours=1), "lead_time"),
        (TOMORROW_10, "same_time"),
    ],
)
def test_it_applies_the_booking_rules_to_a_reschedule(
    booked: Session, start: datetime, code: str
) -> None:
    with _refusal(code):
        reschedule_session(session=booked, by=booked.candidate, start=start, now=NOW)


def test_it_refuses_to_reschedule_after_the_start(booked: Session) -> None:
    with _refusal("already_started"):
        reschedule_session(
            session=booked,
            by=booked.candidate,
            start=TOMORROW_10 + timedelta(days=2),
            now=booked.start + timedelta(minutes=1),
        )


# --- Complete and no-show ----------------------------------------------------------------


def test_it_lets_the_interviewer_complete_after_the_end(booked: Session) -> None:
    completed = complete_session(session=booked, by=booked.interviewer, now=booked.end)

    assert completed.status == SessionStatus.COMPLETED


def test_it_refuses_completion_before_the_end(booked: Session) -> None:
    with _refusal("not_ended"):
        complete_session(
            session=booked, by=booked.interviewer, now=booked.end - timedelta(minutes=1)
        )


def test_it_refuses_completion_by_the_candidate(booked: Session) -> None:
    with _refusal("not_interviewer"):
        complete_session(session=booked, by=booked.candidate, now=booked.end)


@pytest.mark.parametrize(
    ("side", "missing"),
    [("interviewer", NoShowParty.CANDIDATE), ("candidate", NoShowParty.INTERVIEWER)],
)
def test_it_records_who_did_not_show_up(booked: Session, side: str, missing: str) -> None:
    by = booked.candidate if side == "candidate" else booked.interviewer

    marked = mark_no_show(session=booked, by=by, now=booked.end)

    assert marked.status == SessionStatus.NO_SHOW
    assert marked.no_show_party == missing


def test_it_refuses_a_no_show_before_the_end(booked: Session) -> None:
    with _refusal("not_ended"):
        mark_no_show(session=booked, by=booked.interviewer, now=booked.start)


def test_it_refuses_reporting_yourself_missing(booked: Session) -> None:
    with pytest.raises(ValidationError):
        mark_no_show(
            session=booked,
            by=booked.interviewer,
            party=NoShowParty.INTERVIEWER,
            now=booked.end,
        )


def test_it_refuses_a_no_show_on_a_completed_session(booked: Session) -> None:
    complete_session(session=booked, by=booked.interviewer, now=booked.end)

    with _refusal("not_scheduled"):
        mark_no_show(session=booked, by=booked.candidate, now=booked.end)


def _write_up(session: Session, evidence: str) -> None:
    """Leave the kind of trace a session that took place leaves behind."""
    if evidence == "feedback":
        submitted_feedback(session, now=session.end)
    elif evidence == "review":
        submit_review(session=session, by=session.candidate, data=review_body(), now=session.end)
    elif evidence == "draft":
        save_feedback_draft(
            session=session,
            by=session.interviewer,
            data={"strengths": "Clear requirements."},
            revision=0,
            now=session.start,
        )
    elif evidence == "prodding":
        save_feedback_draft(
            session=session,
            by=session.interviewer,
            data={"phases": {"going-deep": {"prodding": "some"}}},
            revision=0,
            now=session.start,
        )


@pytest.mark.parametrize("evidence", ["feedback", "review", "draft", "prodding"])
@pytest.mark.parametrize("side", ["interviewer", "candidate"])
def test_it_refuses_a_no_show_on_a_session_that_took_place(
    booked: Session, evidence: str, side: str
) -> None:
    _write_up(booked, evidence)
    by = booked.candidate if side == "candidate" else booked.interviewer

    with _refusal("session_held") as refused:
        mark_no_show(session=booked, by=by, now=booked.end + timedelta(hours=1))

    assert refused.value.status == 409
    booked.refresh_from_db()
    assert booked.status == SessionStatus.SCHEDULED
    assert booked.no_show_party == ""


def test_it_takes_a_no_show_when_the_feedback_draft_is_empty(booked: Session) -> None:
    # A save of nothing (a client probing the endpoint) is no sign the interview happened.
    save_feedback_draft(
        session=booked, by=booked.interviewer, data={}, revision=0, now=booked.start
    )

    marked = mark_no_show(session=booked, by=booked.interviewer, now=booked.end)

    assert marked.status == SessionStatus.NO_SHOW
