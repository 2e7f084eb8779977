"""A real Celery worker for tests: a thread of this process consuming the configured broker
from a queue of the test's own, so it uses the test database and Django's test outbox."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import after_task_publish, task_postrun
from celery.worker import WorkController

from config.celery import app as celery_app

WAIT_SECONDS = 15


def wait_for(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


QUEUE_PREFIX = "mockloop-test-"


def queue_name() -> str:
    return f"{QUEUE_PREFIX}{uuid.uuid4().hex}"


def delete_queue(name: str) -> None:
    """The queue, the messages in it and its binding, gone from the broker."""
    with celery_app.connection_for_write() as connection:
        # A channel deletes only the bindings it knows, so it declares the queue first.
        queue = celery_app.amqp.queues[name](connection.default_channel)
        queue.declare()
        queue.purge()
        queue.delete()
    celery_app.amqp.queues.pop(name, None)


@contextmanager
def tasks_cleaned_up() -> Iterator[str]:
    """Tasks sent meanwhile go to a queue of their own, deleted afterwards with every queue
    a task was sent to: nothing a test sends stays in the broker, where a later run's
    worker, or a `make run` worker on the same Redis database, would find tasks about rows
    that no longer exist. Yields the queue's name."""
    conf = celery_app.conf
    default_queue = conf.task_default_queue
    name = queue_name()
    used: set[str] = set()

    def record(routing_key: str | None = None, **kwargs: Any) -> None:
        if routing_key:
            used.add(routing_key)

    conf.task_default_queue = name
    after_task_publish.connect(record, weak=False)
    try:
        yield name
    finally:
        after_task_publish.disconnect(record)
        conf.task_default_queue = default_queue
        # Only when something was sent: most tests send nothing and need no broker at all.
        # Only queues of tests: others were on a private server that is gone by now
        # (tests.fault_support), and the shared default queue is never emptied here.
        for used_name in sorted(used):
            if used_name.startswith(QUEUE_PREFIX):
                delete_queue(used_name)


@pytest.fixture
def private_queue() -> Iterator[str]:
    # Tasks go to a queue of this test's own: the shared broker may hold other runs' tasks
    # (another checkout, a `make run` worker), which must neither reach this worker nor
    # take this test's tasks.
    name = queue_name()
    conf = celery_app.conf
    default_queue = conf.task_default_queue
    consumed_before = list(celery_app.amqp.queues.consume_from)
    conf.task_default_queue = name
    try:
        yield name
    finally:
        conf.task_default_queue = default_queue
        celery_app.amqp.queues.select(consumed_before)
        delete_queue(name)


@pytest.fixture
def worker(private_queue: str) -> Iterator[WorkController]:
    conf = celery_app.conf
    assert conf.task_always_eager is False
    # The worker would otherwise take over the root logger for the rest of the session.
    hijack_root_logger = conf.worker_hijack_root_logger
    conf.worker_hijack_root_logger = False
    try:
        with start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=10,
            queues=[private_queue],
        ) as started:
            yield started
    finally:
        conf.worker_hijack_root_logger = hijack_root_logger


@pytest.fixture
def finished_tasks() -> Iterator[dict[str, Any]]:
    """What each task the worker ran returned, by task id."""
    finished: dict[str, Any] = {}

    def record(task_id: str, retval: Any, **kwargs: Any) -> None:
        finished[task_id] = retval

    task_postrun.connect(record, weak=False)
    yield finished
    task_postrun.disconnect(record)
