"""Benchmark: queries and time of one interviewer's slots as their bookings grow.

    .venv/bin/python bench/slots_queries.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mockloop .venv/bin/python bench/slots_queries.py

It builds a throwaway test database (never the one you work in), gives one interviewer
windows all day every day and then 0, 10 and 200 booked sessions inside the
next four weeks, and prints the query count and milliseconds (median of several runs) of
`free_slots` and of `GET /api/v1/interviewers/{id}/slots/` over 31 days. The query count
should not move with the bookings; the time grows only with the Python work per slot.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the app imports below, hence their `noqa: E402`.
import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import InterviewerProfile, User, VettingStatus  # noqa: E402
from interviews.availability import free_slots  # noqa: E402
from interviews.models import Session, WeeklyWindow  # noqa: E402

BOOKINGS = (0, 10, 200)
RUNS = 15
RANGE = timedelta(days=31)


def _interviewer() -> User:
    user = User.objects.create_user("bench-interviewer@example.test", time_zone="Europe/London")
    InterviewerProfile.objects.create(
        user=user, level="staff", bio="Bench.", status=VettingStatus.APPROVED
    )
    WeeklyWindow.objects.bulk_create(
        WeeklyWindow(interviewer=user, weekday=day, start_time=clock(0), end_time=clock(23, 59))
        for day in range(7)
    )
    return user


def _book(interviewer: User, count: int, now: datetime) -> None:
    """`count` one-hour sessions, each with its own candidate, spread over the horizon."""
    Session.objects.filter(interviewer=interviewer).delete()
    candidates = User.objects.bulk_create(
        User(email=f"bench-candidate-{count}-{number}@example.test") for number in range(count)
    )
    first = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=3)
    step = timedelta(weeks=4) / max(count, 1)
    sessions = []
    for number, candidate in enumerate(candidates):
        start = first + step * number
        start = start.replace(minute=0 if start.minute < 30 else 30, second=0, microsecond=0)
        sessions.append(
            Session(
                interviewer=interviewer,
                candidate=candidate,
                start=start,
                end=start + timedelta(hours=1),
                meeting_url=f"https://meet.example.test/bench-{count}-{number}",
            )
        )
    # Sessions closer than an hour apart would overlap: keep every other one in a clash.
    kept: list[Session] = []
    for session in sessions:
        if not kept or session.start >= kept[-1].end:
            kept.append(session)
    Session.objects.bulk_create(kept)


def _measure(call: Callable[[], None]) -> tuple[int, float]:
    # Each request empties the query log as it starts (Django's request_started signal),
    # which would leave the capture's slice empty unless the log starts out empty too.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        call()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return len(queries.captured_queries), statistics.median(timings)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        now = datetime.now(UTC)
        interviewer = _interviewer()
        viewer = User.objects.create_user("bench-viewer@example.test")
        client = APIClient()
        client.force_authenticate(viewer)
        end = now + RANGE
        url = f"/api/v1/interviewers/{interviewer.pk}/slots/"
        query = {"to": end.isoformat()}
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        print(f"{'bookings':>8}  {'slots':>5}  {'free_slots':>22}  {'slots API':>22}")
        for count in BOOKINGS:
            _book(interviewer, count, now)
            booked = Session.objects.filter(interviewer=interviewer).count()
            slots = free_slots(interviewer=interviewer, start=now, end=end, now=now)

            def selector(start: datetime = now) -> None:
                free_slots(interviewer=interviewer, start=start, end=end, now=start)

            def api() -> None:
                response = client.get(url, query)
                if response.status_code != 200:
                    raise RuntimeError(f"the slots API answered {response.status_code}")

            selector_queries, selector_ms = _measure(selector)
            api_queries, api_ms = _measure(api)
            print(
                f"{booked:>8}  {len(slots):>5}  "
                f"{selector_queries:>3} queries {selector_ms:>7.2f} ms  "
                f"{api_queries:>3} queries {api_ms:>7.2f} ms"
            )
            if not slots:
                raise RuntimeError("the interviewer should have free slots")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
