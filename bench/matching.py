"""Benchmark: matching over 10,000 approved interviewers (target: p95 under 100 ms).

    .venv/bin/python bench/matching.py                      # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mockloop .venv/bin/python bench/matching.py

It builds a throwaway test database (never the one you work in), seeds 10,000 approved
interviewers with three weekly windows each and some bookings, times `find_matches` for
varied candidates and focus areas, prints p50/p95 milliseconds and the query count per
call, then drops the database.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.demo import seed_accounts  # noqa: E402
from accounts.models import User  # noqa: E402
from interviews.demo import seed_availability  # noqa: E402
from interviews.matching import find_matches  # noqa: E402
from interviews.models import Session  # noqa: E402

INTERVIEWERS = 10_000
CANDIDATES = 10
BOOKINGS = 300
RUNS = 30
FOCUS_CHOICES: list[list[str] | None] = [
    None,
    ["concurrency", "caching"],
    ["real-time"],
    ["scalability", "reliability", "data-modeling"],
    ["api-design"],
]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def _seed(now: datetime) -> list[User]:
    started = time.perf_counter()
    seed_accounts(interviewers=INTERVIEWERS, candidates=CANDIDATES)
    seed_availability()
    candidates = list(
        User.objects.filter(candidate_profile__isnull=False)
        .select_related("candidate_profile")
        .order_by("pk")
    )
    interviewer_ids = list(
        User.objects.filter(interviewer_profile__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Bookings spread over the next two weeks, one hour apart per candidate so that
    # neither side ever overlaps (PostgreSQL's exclusion constraints would refuse it).
    base = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=3)
    Session.objects.bulk_create(
        [
            Session(
                interviewer_id=interviewer_ids[(number * 37) % len(interviewer_ids)],
                candidate_id=candidates[number % len(candidates)].pk,
                start=base + timedelta(hours=number),
                end=base + timedelta(hours=number + 1),
                meeting_url="https://meet.example.test/bench",
            )
            for number in range(BOOKINGS)
        ]
    )
    print(
        f"seeded {INTERVIEWERS} interviewers, {len(candidates)} candidates, "
        f"{BOOKINGS} bookings in {time.perf_counter() - started:.1f} s"
    )
    return candidates


def main() -> None:
    vendor = connection.vendor
    if vendor == "postgresql":
        # Never the database other people's test runs use.
        connection.settings_dict["TEST"]["NAME"] = f"bench_matching_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        now = datetime.now(UTC)
        candidates = _seed(now)
        if vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather soon after a bulk load; without
            # them the planner guesses row counts and may pick slower plans.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        timings: list[float] = []
        queries: set[int] = set()
        find_matches(candidate=candidates[0], start=now, end=now + timedelta(days=14), now=now)
        for run in range(RUNS):
            candidate = candidates[run % len(candidates)]
            focus = FOCUS_CHOICES[run % len(FOCUS_CHOICES)]
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                matches = find_matches(
                    candidate=candidate,
                    start=now,
                    end=now + timedelta(days=14),
                    now=now,
                    focus=focus,
                )
                timings.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured.captured_queries))
            if not matches:
                raise SystemExit("every demo candidate should have interviewers to match")
        print(
            f"{vendor}: find_matches over {INTERVIEWERS} interviewers, {RUNS} runs: "
            f"p50 {statistics.median(timings):.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms, "
            f"max {max(timings):.1f} ms; queries per call: {sorted(queries)}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
