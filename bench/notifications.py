"""Benchmark: draining due notifications with one dispatcher, as the minute beat does.

    .venv/bin/python bench/notifications.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mockloop .venv/bin/python bench/notifications.py

It builds a throwaway test database (never the one you work in) with booked sessions and
COUNT due reminders on them, then runs `dispatch_due` with a mail backend that does what
the SMTP one does short of the network (builds every message and serialises it to bytes,
both parts) and keeps only a count, and prints notifications per second and queries per
notification, for 1,000 and then 10,000 rows. Targets (issue 9): at least 200
a second, and queries per notification that do not move with the count.
"""

from __future__ import annotations

import email.policy
import os
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the app imports below, hence their `noqa: E402`.
import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.mail import EmailMessage  # noqa: E402
from django.core.mail.backends.base import BaseEmailBackend  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from accounts.models import User  # noqa: E402
from interviews.models import Session  # noqa: E402
from notifications.dispatch import dispatch_due  # noqa: E402
from notifications.models import Kind, Notification  # noqa: E402

COUNTS = (1_000, 10_000)
PER_SESSION = 2  # the 24-hour reminder to each person


def _due_reminders(count: int, now: datetime) -> None:
    sessions = count // PER_SESSION
    people = User.objects.bulk_create(
        User(email=f"bench-{count}-{n}@example.test", time_zone="America/New_York")
        for n in range(2 * sessions)
    )
    start = now + timedelta(hours=23)
    booked = Session.objects.bulk_create(
        Session(
            interviewer=people[2 * n],
            candidate=people[2 * n + 1],
            start=start,
            end=start + timedelta(hours=1),
            meeting_url=f"https://meet.example.test/{count}-{n}",
        )
        for n in range(sessions)
    )
    Notification.objects.bulk_create(
        (
            Notification(
                key=f"session:{session.pk}",
                kind=Kind.REMINDER_24H,
                recipient_id=person_id,
                session=session,
                due_at=now - timedelta(minutes=1),
            )
            for session in booked
            for person_id in (session.interviewer_id, session.candidate_id)
        ),
        batch_size=2000,
    )


class CountingMailer(BaseEmailBackend):
    """SMTP without the network: each message built and serialised, then dropped (keeping
    10,000 messages in memory, as the test backend does, would slow the run itself)."""

    sent = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            message.message(policy=email.policy.SMTP).as_bytes()  # as smtp.py does
        CountingMailer.sent += len(email_messages)
        return len(email_messages)


class StatementCounter:
    """Counts SQL statements (Django's query log keeps only the last 9,000)."""

    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements += 1
        return execute(sql, params, many, context)


def main() -> None:
    setup_test_environment()
    settings.DEBUG = False
    settings.MAILERS = {"default": {"BACKEND": "__main__.CountingMailer"}}
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        print(f"{'due':>7} {'sent':>7} {'seconds':>8} {'per second':>11} {'queries each':>13}")
        for count in COUNTS:
            now = datetime.now(UTC)
            Notification.objects.all().delete()
            _due_reminders(count, now)
            CountingMailer.sent = 0
            counter = StatementCounter()
            started = time.perf_counter()
            sent = 0
            with connection.execute_wrapper(counter):
                while True:
                    batch = dispatch_due(now=now)
                    sent += batch
                    if not batch:
                        break
            seconds = time.perf_counter() - started
            if sent != count or CountingMailer.sent != count:
                raise RuntimeError(f"sent {sent}, mailed {CountingMailer.sent}, wanted {count}")
            print(
                f"{count:>7} {sent:>7} {seconds:>8.1f} {sent / seconds:>11.0f} "
                f"{counter.statements / sent:>13.2f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
