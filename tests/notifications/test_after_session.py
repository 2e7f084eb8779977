"""After the session: feedback due (at the end and a day later), "rate your interviewer",
and "feedback available" when the blind reveal opens, each sent once or skipped with why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.mail import EmailMultiAlternatives

from interviews.feedback import submit_feedback, submit_review
from interviews.models import Session
from notifications.dispatch import HELD_UP, dispatch_due
from notifications.models import Kind, Notification, State
from tests.factories import complete_feedback_data, review_body
from tests.notifications.test_outbox import START, _book

pytestmark = pytest.mark.django_db

END = START + timedelta(hours=1)


@pytest.fixture
def held() -> Session:
    session = _book()
    dispatch_due(now=START - timedelta(minutes=30))  # confirmations and reminders out
    return session


def _row(session: Session, kind: str) -> Notification:
    return Notification.objects.get(session=session, kind=kind)


def _subjects(mailoutbox: list[EmailMultiAlternatives]) -> list[tuple[str, str]]:
    return sorted((email.to[0], email.subject) for email in mailoutbox)


def test_it_asks_for_feedback_and_a_review_at_the_end(
    held: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    mailoutbox.clear()

    assert dispatch_due(now=END) == 2

    feedback, review = sorted(mailoutbox, key=lambda email: email.to[0] != held.interviewer.email)
    assert feedback.to == [held.interviewer.email]
    assert feedback.subject.startswith("Your feedback: Cal Candidate's mock interview, due ")
    assert f"/sessions/{held.pk}/feedback/" in feedback.body
    assert "Friday 9 April 2027, 16:00 BST (Europe/London)" in feedback.body  # due 24 h after
    assert review.to == [held.candidate.email]
    assert f"/sessions/{held.pk}/review/" in review.body


def test_it_nudges_again_a_day_later_only_while_the_feedback_is_missing(
    held: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    dispatch_due(now=END)
    mailoutbox.clear()

    assert dispatch_due(now=END + timedelta(hours=24)) == 1
    assert mailoutbox[0].subject.startswith("Still missing: ")

    other = _book(start=START + timedelta(days=1))
    dispatch_due(now=START + timedelta(days=1) - timedelta(minutes=30))
    submit_feedback(
        session=other,
        by=other.interviewer,
        data=complete_feedback_data(),
        now=other.end + timedelta(hours=2),
    )
    dispatch_due(now=other.end + timedelta(hours=25))
    assert (_row(other, Kind.FEEDBACK_OVERDUE).state, _row(other, Kind.FEEDBACK_OVERDUE).note) == (
        State.SKIPPED,
        "The feedback was already submitted.",
    )


def test_it_does_not_ask_a_candidate_who_already_reviewed(
    held: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    submit_review(
        session=held, by=held.candidate, data=review_body(), now=START + timedelta(minutes=50)
    )
    mailoutbox.clear()

    dispatch_due(now=END)

    row = _row(held, Kind.RATE_INTERVIEWER)
    assert (row.state, row.note) == (State.SKIPPED, "The review was already given.")
    assert [email.to for email in mailoutbox] == [[held.interviewer.email]]


def test_it_tells_the_candidate_when_the_reveal_opens_72_hours_after_the_feedback(
    held: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    submitted = END + timedelta(hours=3)
    submit_feedback(session=held, by=held.interviewer, data=complete_feedback_data(), now=submitted)

    row = _row(held, Kind.FEEDBACK_AVAILABLE)
    assert (row.recipient_id, row.due_at, row.state) == (
        held.candidate_id,
        submitted + timedelta(hours=72),
        State.PENDING,
    )
    # Reviewing later opens the reveal at once: the same row, brought forward.
    reviewed = submitted + timedelta(hours=5)
    submit_review(session=held, by=held.candidate, data=review_body(), now=reviewed)
    row.refresh_from_db()
    assert row.due_at == reviewed
    mailoutbox.clear()

    dispatch_due(now=reviewed)
    dispatch_due(now=submitted + timedelta(hours=73))

    ready = [email for email in mailoutbox if email.to == [held.candidate.email]]
    assert [email.subject for email in ready] == ["Your feedback from Ivy Interviewer is ready"]
    assert f"/sessions/{held.pk}/report/" in ready[0].body


def test_it_tells_at_once_when_the_review_came_first(held: Session) -> None:
    submit_review(session=held, by=held.candidate, data=review_body(), now=END)
    submitted = END + timedelta(hours=2)

    submit_feedback(session=held, by=held.interviewer, data=complete_feedback_data(), now=submitted)

    assert _row(held, Kind.FEEDBACK_AVAILABLE).due_at == submitted


def test_it_skips_a_nudge_about_a_past_session_held_up_for_two_days(
    held: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    mailoutbox.clear()

    dispatch_due(now=END + timedelta(days=3))

    row = _row(held, Kind.RATE_INTERVIEWER)
    assert (row.state, row.note) == (State.SKIPPED, HELD_UP)
    assert [email.to for email in mailoutbox if "Rate" in email.subject] == []
