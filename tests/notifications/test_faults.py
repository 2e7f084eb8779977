"""Delivery under faults, against PostgreSQL, Redis and Celery worker processes as
production runs them: a task redelivered while it is still sending, a worker killed inside
a send, the broker down (and empty when it comes back) across a due time, two workers
draining one backlog, a vetting decision made while the broker is down. Every notification
is emailed once, and none is lost.

The workers and the beat are separate processes (`tests.fault_support`) on the test's
database and a Redis server of the test's own; they send through `tests.fault_mail`, one
file per email, so the test counts emails per notification by Message-ID.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import VettingStatus
from accounts.vetting import approve_interviewer
from interviews.booking import cancel_session
from interviews.models import Session
from notifications.models import Kind, Notification, State
from notifications.outbox import notify
from notifications.sessions import session_key
from notifications.tasks import dispatch_due_notifications
from tests.factories import (
    InterviewerProfileFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
    approved_interviewer,
    candidate_user,
)
from tests.fault_support import FaultLab, publishing_to, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

DISPATCH_KEY = "notifications.tasks.dispatch_key"
DISPATCH_DUE = "notifications.tasks.dispatch_due_notifications"


@pytest.fixture
def lab(transactional_db: None, tmp_path: Path) -> Iterator[FaultLab]:
    # After the database fixture, so every process is gone before the tables are emptied.
    started = FaultLab(tmp_path)
    try:
        started.redis.start()
        with publishing_to(started.redis.url):
            yield started
    finally:
        started.close()


def _unlocked(row: Notification) -> bool:
    """Whether no transaction holds the row (a dispatcher's claim)."""
    try:
        with transaction.atomic():
            list(Notification.objects.select_for_update(nowait=True).filter(pk=row.pk))
    except DatabaseError:
        return False
    return True


def _emails_per_row(lab: FaultLab) -> Counter[int]:
    return Counter(email.row_id for email in lab.sent())


def test_a_task_redelivered_while_it_still_sends_emails_each_row_once(lab: FaultLab) -> None:
    # Redis hands a task that is not acknowledged within a second to the other worker;
    # each email takes a second, so the first worker is still sending when that happens.
    first = lab.worker("first", send_pause=1.0, visibility_timeout=1)
    second = lab.worker("second", send_pause=1.0, visibility_timeout=1)
    lab.ready()
    session = SessionFactory.create()
    people = UserFactory.create_batch(6)

    # Commits six rows under one key, and only then sends one dispatch_key task.
    with transaction.atomic():
        notify(
            kind=Kind.SESSION_CANCELLED,
            recipients=people,
            key=session_key(session),
            due_at=timezone.now(),
            session=session,
        )

    rows = Notification.objects.filter(kind=Kind.SESSION_CANCELLED)
    assert wait_for(lambda: rows.filter(state=State.SENT).count() == 6 and lab.settled())
    # The one task ran in both workers at once: it was redelivered, not sent twice.
    redelivered = first.task_ids(DISPATCH_KEY) & second.task_ids(DISPATCH_KEY)
    assert len(redelivered) == 1
    assert _emails_per_row(lab) == {row.pk: 1 for row in rows}
    assert sorted(email.to for email in lab.sent()) == sorted(person.email for person in people)
    # Each row was begun once, and both workers sent some: each skipped the row the other
    # held instead of sending it again.
    assert sorted(row_id for _, row_id in lab.sending()) == sorted(row.pk for row in rows)
    assert {email.pid for email in lab.sent()} == {first.pid, second.pid}
    assert set(rows.values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_inside_a_send_leaves_the_row_to_be_sent_once(lab: FaultLab) -> None:
    stuck = lab.worker("stuck", send_pause=60)
    lab.ready()
    session = SessionFactory.create()

    # Commits the cancellation's row, and only then sends dispatch_key to the worker.
    cancel_session(session=session, by=session.candidate)

    row = Notification.objects.get(kind=Kind.SESSION_CANCELLED)
    assert wait_for(lambda: bool(lab.sending())), "the worker never began sending"
    # Inside the send the dispatcher's transaction still holds the row: nobody else can
    # claim it, and nothing says "sent" before the email is.
    assert not _unlocked(row)
    lab.kill(stuck)

    # PostgreSQL sees the connection drop and rolls the claim back: the row is due again,
    # its attempt not counted, no email written.
    assert wait_for(lambda: _unlocked(row)), "the killed worker's transaction never ended"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.sent_at) == (State.PENDING, 0, None)
    assert lab.sent() == []

    # A worker restarted: Redis hands it the dead worker's unacknowledged task once the
    # (shrunk) visibility timeout has passed. In production that is an hour; the minute
    # beat finds the row first, through the same claim.
    restarted = lab.worker("restarted", visibility_timeout=1)
    lab.ready()

    def sent() -> bool:
        row.refresh_from_db()
        return row.state == State.SENT and lab.settled()

    assert wait_for(sent), "the row was not sent after the restart"
    assert restarted.task_ids(DISPATCH_KEY) == stuck.task_ids(DISPATCH_KEY) != set()
    assert [(email.row_id, email.to) for email in lab.sent()] == [
        (row.pk, session.interviewer.email)
    ]
    assert row.attempts == 1


def test_rows_due_while_redis_is_down_are_sent_once_when_it_is_back(
    lab: FaultLab, caplog: pytest.LogCaptureFixture
) -> None:
    worker = lab.worker("worker")
    beat = lab.beat()
    lab.ready()
    assert wait_for(lambda: bool(worker.task_ids(DISPATCH_DUE, "succeeded"))), "beat idle"
    reminded, cancelled = SessionFactory.create_batch(2)
    people = UserFactory.create_batch(4)
    applicant = InterviewerProfileFactory.create()
    staff = StaffFactory.create()
    # Due just after Redis stops. Short: the worker retries the broker 2 s after losing
    # it, then 4 s later; back within 2 s, it reconnects at the first retry.
    due = timezone.now() + timedelta(seconds=1.5)
    # Reminders are not urgent: no task is sent for them, only the beat finds them.
    with transaction.atomic():
        notify(
            kind=Kind.REMINDER_1H,
            recipients=people,
            key=session_key(reminded),
            due_at=due,
            session=reminded,
        )

    lab.redis.stop()
    assert timezone.now() < due, "Redis must stop before the reminders are due"
    with caplog.at_level(logging.WARNING, logger="notifications.outbox"):
        # The task sent on commit cannot reach the broker; the cancellation stands.
        cancel_session(session=cancelled, by=cancelled.candidate)
        # Staff decide on an interviewer while the broker is down: the decision stands,
        # and its email waits in the outbox.
        approve_interviewer(profile_id=applicant.pk, decided_by=staff)
    assert "Could not queue session-cancelled" in caplog.text
    assert "Could not queue vetting-decision" in caplog.text
    assert Notification.objects.get(kind=Kind.SESSION_CANCELLED).state == State.PENDING
    applicant.refresh_from_db()
    assert applicant.status == VettingStatus.APPROVED
    assert Notification.objects.get(kind=Kind.VETTING_DECISION).state == State.PENDING
    wait_for(lambda: timezone.now() > due + timedelta(seconds=0.3), seconds=10)
    assert lab.sent() == [], "nothing can have run while the broker was down"

    # Back, and empty: whatever the broker held is gone; the rows are the schedule.
    lab.redis.start()

    rows = Notification.objects.all()
    assert wait_for(lambda: rows.filter(state=State.SENT).count() == 6 and lab.settled())
    assert _emails_per_row(lab) == {row.pk: 1 for row in rows}
    assert sorted(email.to for email in lab.sent()) == sorted(
        [person.email for person in people] + [cancelled.interviewer.email, applicant.user.email]
    )
    assert set(rows.values_list("attempts", flat=True)) == {1}
    assert beat.process.poll() is None, "the beat did not survive the outage"


def test_two_workers_draining_one_backlog_send_each_row_once(lab: FaultLab) -> None:
    workers = [lab.worker("first"), lab.worker("second")]
    lab.ready()
    people = UserFactory.create_batch(30)
    now = timezone.now()
    with transaction.atomic():
        for session in SessionFactory.create_batch(10):
            notify(
                kind=Kind.REMINDER_24H,
                recipients=people,
                key=session_key(session),
                due_at=now,
                session=session,
                now=now,
            )

    # Two runs of the minute task at once (two beats, or one that overran): one each.
    for _ in workers:
        dispatch_due_notifications.delay()

    rows = Notification.objects.all()
    assert wait_for(lambda: rows.filter(state=State.SENT).count() == 300 and lab.settled())
    assert _emails_per_row(lab) == {row.pk: 1 for row in rows}
    senders = Counter(email.pid for email in lab.sent())
    assert set(senders) == {worker.pid for worker in workers}, "the runs did not overlap"
    assert all(len(worker.task_ids(DISPATCH_DUE, "succeeded")) == 1 for worker in workers)


@pytest.fixture
def silent_broker() -> Iterator[str]:
    """A "Redis" that accepts connections and never answers: a half-dead server."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join()
        for connection in [*accepted, server]:
            connection.close()


@pytest.mark.usefixtures("seeded_rows")
def test_a_booking_page_answers_while_the_broker_hangs(
    silent_broker: str, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Without socket timeouts on the broker connection the request below never returns
    # (and this test hangs until CI's own limit).
    interviewer, candidate = approved_interviewer(), candidate_user()
    start = (timezone.now() + timedelta(days=3)).replace(hour=10, minute=0, second=0)
    client.force_login(candidate)

    with publishing_to(silent_broker), caplog.at_level(logging.WARNING, "notifications.outbox"):
        response = client.post(
            f"/sessions/new/?interviewer={interviewer.pk}&start={start:%Y-%m-%dT%H:%M:%SZ}"
        )

    assert response.status_code == 302
    assert "Could not queue booking-confirmed" in caplog.text
    session = Session.objects.get(candidate=candidate)
    confirmations = Notification.objects.filter(session=session, kind=Kind.BOOKING_CONFIRMED)
    assert set(confirmations.values_list("state", flat=True)) == {State.PENDING}
