"""Delivery as production runs it: a real Celery worker on Redis sends the confirmations a
booking queues, a redelivered task sends nothing more, and two dispatchers racing on
PostgreSQL send every due row once."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.utils import timezone

from interviews.booking import book_session
from notifications.dispatch import dispatch_due
from notifications.models import Kind, Notification, State
from notifications.outbox import notify
from notifications.tasks import dispatch_key
from tests.celery_support import WAIT_SECONDS, wait_for
from tests.factories import UserFactory, approved_interviewer, candidate_user


def _next_slot() -> Any:
    # Three days ahead at 10:00 UTC, inside the interviewer's 08:00 to 20:00 London day.
    day = timezone.now() + timedelta(days=3)
    return day.replace(hour=10, minute=0, second=0, microsecond=0)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_rows", "worker")
def test_it_delivers_both_confirmations_once_through_a_real_worker(
    mailoutbox: list[EmailMultiAlternatives], finished_tasks: dict[str, Any]
) -> None:
    interviewer = approved_interviewer()
    candidate = candidate_user()

    # Commits, and only then sends the task to the broker.
    session = book_session(candidate=candidate, interviewer_id=interviewer.pk, start=_next_slot())

    assert wait_for(lambda: len(mailoutbox) == 2), f"no confirmations after {WAIT_SECONDS} s"
    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        [candidate.email, interviewer.email]
    )
    assert all(email.attachments for email in mailoutbox)
    sent = Notification.objects.filter(session=session, kind=Kind.BOOKING_CONFIRMED)
    assert {row.state for row in sent} == {State.SENT}

    # The broker delivers the task again (a worker died before acknowledging it).
    again = dispatch_key.delay(f"session:{session.pk}", Kind.BOOKING_CONFIRMED)

    assert wait_for(lambda: again.id in finished_tasks), "the repeated task never ran"
    assert finished_tasks[again.id] == 0
    assert len(mailoutbox) == 2
    # The reminders and the after-session nudges wait for their moment: rows, not broker
    # countdowns.
    waiting = Notification.objects.filter(session=session, state=State.PENDING)
    assert sorted(waiting.values_list("kind", flat=True)) == sorted(
        [Kind.REMINDER_24H] * 2
        + [Kind.REMINDER_1H] * 2
        + [Kind.FEEDBACK_DUE, Kind.FEEDBACK_OVERDUE, Kind.RATE_INTERVIEWER]
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_send_every_due_row_once(
    mailoutbox: list[EmailMultiAlternatives],
) -> None:
    now = timezone.now()
    people = [UserFactory() for _ in range(40)]
    # Forty cancellations of one session, due now: the rows are what the dispatchers race for.
    interviewer = approved_interviewer()
    candidate = candidate_user()
    session = book_session(candidate=candidate, interviewer_id=interviewer.pk, start=_next_slot())
    Notification.objects.all().delete()
    notify(
        kind=Kind.SESSION_CANCELLED,
        recipients=people,
        key=f"session:{session.pk}",
        due_at=now,
        session=session,
        now=now,
    )
    start = threading.Barrier(2)
    sent: list[int] = []

    def dispatcher() -> None:
        start.wait()
        try:
            sent.append(dispatch_due(now=now + timedelta(seconds=1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(sent) == 40
    assert sorted(email.to[0] for email in mailoutbox) == sorted(person.email for person in people)
    assert Notification.objects.filter(state=State.SENT).count() == 40
