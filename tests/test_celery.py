"""Celery as production runs it: a real worker consuming from the configured broker.

The worker is a thread of this process, so it uses the test database (through its own
connection) and Django's test outbox.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from accounts.vetting import approve_interviewer
from config.celery import app as celery_app
from config.celery import prepare_for_requests
from interviews.feedback import submit_review
from interviews.models import SessionStatus
from notifications.models import Kind, Notification, State
from notifications.tasks import dispatch_key
from studyplans.models import AppliedFeedback, StudyPlan
from studyplans.tasks import remake_plan_after_session
from tests.celery_support import WAIT_SECONDS, tasks_cleaned_up, wait_for
from tests.factories import (
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
    StaffFactory,
    review_body,
    submitted_feedback,
)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker")
def test_it_emails_a_vetting_decision_once_even_when_the_task_comes_again(
    mailoutbox: list[EmailMultiAlternatives], finished_tasks: dict[str, Any]
) -> None:
    staff = StaffFactory()
    profile = InterviewerProfileFactory(user__email="ivy@example.test")

    # Commits the decision and its outbox row, and only then sends the task to the broker.
    approve_interviewer(profile_id=profile.pk, decided_by=staff)
    row = Notification.objects.get(kind=Kind.VETTING_DECISION, recipient=profile.user)

    def notified() -> bool:
        row.refresh_from_db()
        return len(mailoutbox) == 1 and row.state == State.SENT

    assert wait_for(notified), f"no vetting email after {WAIT_SECONDS} s"
    email = mailoutbox[0]
    assert email.to == ["ivy@example.test"]
    assert "approved" in email.subject
    assert [mimetype for _, mimetype in email.alternatives] == ["text/html"]

    # The broker delivers the same task again (a worker died before acknowledging it).
    again = dispatch_key.delay(row.key, Kind.VETTING_DECISION)

    assert wait_for(lambda: again.id in finished_tasks), "the repeated task never ran"
    assert finished_tasks[again.id] == 0
    assert len(mailoutbox) == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_rows", "worker")
def test_it_remakes_the_plan_once_for_a_feedback_even_when_the_task_comes_again(
    finished_tasks: dict[str, Any],
) -> None:
    candidate = CandidateProfileFactory(focus_areas=["caching"]).user
    session = SessionFactory(
        candidate=candidate,
        interviewer=InterviewerProfileFactory().user,
        start=timezone.now() - timedelta(hours=2),
        status=SessionStatus.COMPLETED,
    )
    # Reviewed first, so the feedback is revealed the moment it is submitted.
    submit_review(session=session, by=candidate, data=review_body(self_score=3))

    # Commits, and only then sends the task to the broker.
    feedback = submitted_feedback(session, now=timezone.now(), score=2, prodding="a-lot")

    def applied() -> bool:
        return AppliedFeedback.objects.filter(feedback=feedback).exists()

    assert wait_for(applied), f"the plan was not remade after {WAIT_SECONDS} s"
    plan = StudyPlan.objects.get(candidate=candidate)
    assert plan.weakness[0]["source"] == "scores"
    assert plan.weakness[0]["value"] == 1.5  # every criterion 2, less 0.5 for a lot of prodding
    items = list(plan.items.values_list("pk", "resource_id", "reason", "week_start", "status"))
    assert any("1.5 average over your last interview" in item[2] for item in items)

    # The broker delivers the same task again (a worker died before acknowledging it).
    again = remake_plan_after_session.delay(session.pk)

    assert wait_for(lambda: again.id in finished_tasks), "the repeated task never ran"
    assert finished_tasks[again.id] is False
    plan.refresh_from_db()
    assert list(plan.items.values_list("pk", "resource_id", "reason", "week_start", "status")) == (
        items
    )
    assert AppliedFeedback.objects.filter(plan=plan).count() == 1


def _broker_keys() -> set[str]:
    with celery_app.connection_for_write() as connection:
        client = connection.default_channel.client
        return {key.decode() for key in client.keys("*")}


def _queued(name: str) -> int:
    with celery_app.connection_for_write() as connection:
        return int(connection.default_channel.client.llen(name))


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_it_leaves_nothing_in_the_broker_after_a_test_sent_tasks() -> None:
    # Nothing consumes here, as in a transactional test without a worker: what a commit
    # sends stays in the broker unless the test cleans it up.
    default_queue = celery_app.conf.task_default_queue
    keys_before = _broker_keys()
    queued_before = _queued(default_queue)

    with tasks_cleaned_up() as queue:
        approve_interviewer(
            profile_id=InterviewerProfileFactory().pk, decided_by=StaffFactory(), now=None
        )
        dispatch_key.delay("vetting:0:never", Kind.VETTING_DECISION)
        # The tasks really went to the broker, into the test's own queue.
        assert _queued(queue) == 2

    assert _queued(queue) == 0
    assert _queued(default_queue) == queued_before
    assert _broker_keys() <= keys_before


def test_it_configures_celery_for_tasks_that_survive_a_dying_worker() -> None:
    conf = celery_app.conf

    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_always_eager is False


# Loading the tasks runs Django's model checks, and the JSONField check asks the database
# what it supports.
@pytest.mark.django_db
def test_it_schedules_only_registered_tasks() -> None:
    # A worker or beat imports every app's tasks module at start; do the same here.
    celery_app.loader.import_default_modules()
    schedule = celery_app.conf.beat_schedule

    assert "clear-expired-sessions" in schedule
    assert schedule["clear-expired-sessions"]["task"] == "accounts.tasks.clear_expired_sessions"
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks


def test_it_prepares_a_web_worker_without_reaching_the_broker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Nothing listens on port 1: connecting, even once, would raise.
    monkeypatch.setitem(celery_app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_connection_timeout", 0.1)

    prepare_for_requests()

    assert celery_app.finalized
    assert dispatch_key.name in celery_app.tasks
