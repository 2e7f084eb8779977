"""Benchmark: both dashboards, the plan page and the plan API as a person's history grows.

    .venv/bin/python bench/dashboards.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mockloop .venv/bin/python bench/dashboards.py

It builds a throwaway test database (never the one you work in) with one candidate who has
1, 10 and then 100 past sessions with submitted, revealed feedback and a full plan (a few
items done), and one interviewer who gave all of them, with five upcoming sessions whose
candidates have reports of their own and a weekly window every day. For each size it
prints the queries and the p50/p95 milliseconds of each page, rendered by Django's test
client in this process (no network, DEBUG off). Targets (issue 8): p95 under 50 ms with
100 past sessions, and queries that do not move with the number of sessions.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
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
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

from accounts.models import CandidateProfile, InterviewerProfile, SkillArea, User  # noqa: E402
from interviews.models import (  # noqa: E402
    CriterionScore,
    Feedback,
    PhaseNote,
    Review,
    Session,
    SessionStatus,
    WeeklyWindow,
)
from interviews.rubrics import PHASE_SLUGS, get_current_rubric, rubric_criteria  # noqa: E402
from studyplans.models import PlanItem  # noqa: E402
from studyplans.planning import refresh_plan, set_item_status  # noqa: E402

SIZES = (1, 10, 100)
RUNS = 60
PAGES = {
    "candidate dashboard": "/dashboard/candidate/",
    "interviewer dashboard": "/dashboard/interviewer/",
    "plan page": "/plan/",
    "plan API": "/api/v1/study-plan/",
}


def _person(email: str, *, candidate: bool, interviewer: bool) -> User:
    user = User.objects.create_user(email, time_zone="America/New_York", display_name=email)
    if candidate:
        profile = CandidateProfile.objects.create(user=user, target_level="senior", goal="Bench")
        profile.focus_areas.set(SkillArea.objects.filter(slug__in=["caching", "real-time"]))
    if interviewer:
        InterviewerProfile.objects.create(user=user, level="staff", bio="Bench.", status="approved")
        WeeklyWindow.objects.bulk_create(
            WeeklyWindow(interviewer=user, weekday=day, start_time=clock(9), end_time=clock(17))
            for day in range(7)
        )
    return user


def _history(candidate: User, interviewer: User, *, count: int, now: datetime) -> None:
    """`count` completed sessions a day apart, each with submitted feedback and a review
    (so revealed), scores varying so the charts and the ranking have something to show."""
    criteria = rubric_criteria(get_current_rubric())
    first = now.replace(minute=0, second=0, microsecond=0) - timedelta(days=count + 1)
    sessions = Session.objects.bulk_create(
        Session(
            interviewer=interviewer,
            candidate=candidate,
            start=first + timedelta(days=number, hours=number % 5),
            end=first + timedelta(days=number, hours=number % 5 + 1),
            status=SessionStatus.COMPLETED,
            meeting_url=f"https://meet.example.test/{candidate.pk}-{number}",
        )
        for number in range(count)
    )
    feedback = Feedback.objects.bulk_create(
        Feedback(
            session=session,
            rubric=criteria[0].rubric,
            recommendation="hire",
            level="senior",
            strengths="Bench.",
            improvements="Bench.",
        )
        for session in sessions
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(feedback=item, criterion=criterion, score=1 + (item.pk + index) % 4)
        for item in feedback
        for index, criterion in enumerate(criteria)
    )
    PhaseNote.objects.bulk_create(
        PhaseNote(feedback=item, phase=phase, prodding=("none", "some", "a-lot")[item.pk % 3])
        for item in feedback
        for phase in PHASE_SLUGS
    )
    # Submitted last: the database refuses new scores under submitted feedback.
    for item, session in zip(feedback, sessions, strict=True):
        item.status, item.submitted_at = "submitted", session.end
    Feedback.objects.bulk_update(feedback, ["status", "submitted_at"])
    Review.objects.bulk_create(
        Review(
            session=session,
            rating=4,
            would_practise_again=True,
            **dict.fromkeys(Review.SELF_FIELDS.values(), 3),
        )
        for session in sessions
    )


def _measure(client: Client, url: str) -> tuple[int, float, float]:
    # Each request empties the query log as it starts (Django's request_started signal),
    # which would leave the capture's slice empty unless the log starts out empty too.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Counted now: the next request empties the log the capture reads from.
    count = len(queries.captured_queries)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    return count, statistics.median(timings), p95


def main() -> None:
    setup_test_environment()
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        now = datetime.now(UTC)
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        print(f"{'page':<22} {'sessions':>8} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for size in SIZES:
            candidate = _person(f"candidate-{size}@bench.test", candidate=True, interviewer=False)
            interviewer = _person(
                f"interviewer-{size}@bench.test", candidate=False, interviewer=True
            )
            _history(candidate, interviewer, count=size, now=now)
            # Five upcoming sessions, each candidate with reports of their own for the brief.
            for number in range(5):
                other = _person(
                    f"other-{size}-{number}@bench.test", candidate=True, interviewer=False
                )
                _history(
                    other,
                    _person(f"giver-{size}-{number}@bench.test", candidate=False, interviewer=True),
                    count=3,
                    now=now,
                )
                start = now + timedelta(days=number + 1)
                Session.objects.create(
                    interviewer=interviewer,
                    candidate=other,
                    start=start,
                    end=start + timedelta(hours=1),
                    meeting_url=f"https://meet.example.test/upcoming-{size}-{number}",
                )
            refresh_plan(candidate=candidate, now=now)
            for item in PlanItem.objects.filter(plan__candidate=candidate)[:2]:
                set_item_status(item=item, status="done")
            for role, user in (("candidate", candidate), ("interviewer", interviewer)):
                client = Client()
                client.force_login(user)
                for name, url in PAGES.items():
                    if not name.startswith(role) and not (role == "candidate" and "plan" in name):
                        continue
                    queries, p50, p95 = _measure(client, url)
                    print(f"{name:<22} {size:>8} {queries:>8} {p50:>8.1f} {p95:>8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
