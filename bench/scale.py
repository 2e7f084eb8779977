"""Benchmark: the pages people use most, on a database the size of a real service (issue 12).

    .venv/bin/python bench/scale.py --quick       # 500, then 2,000 interviewers: about a minute
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mockloop .venv/bin/python bench/scale.py
    DATABASE_URL=... .venv/bin/python bench/scale.py --interviewers 100000 --keep mockloop_scale

--keep NAME seeds a PostgreSQL database of that name the first time and keeps it; later runs
with the same NAME migrate it (so a new migration is measured on the big data too) and
measure at once, instead of seeding for minutes again.

It builds a throwaway test database (never the one you work in), fills it with
`manage.py seed_scale` at the size asked for (candidates and past sessions default to 2 and
10 per interviewer), then signs in as a seeded candidate and a seeded interviewer and
times each page with Django's test client in this process (no network, DEBUG off):
p50/p95 milliseconds over --runs requests, and the queries of one request with the time
the database took for them (sql ms: the rest of a request's time is Python). It prints one
table. On PostgreSQL, for each page whose p95 is over 50 ms, it also prints the
EXPLAIN ANALYZE of that page's slowest query.

Targets (issue 12): matching p95 at most 100 ms at 10,000 interviewers and 250 ms at
100,000; every other page p95 under 50 ms; query counts that do not grow with the data
(compare the tables of two sizes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the app imports below, hence their `noqa: E402`.
import django

# Pages are measured without collectstatic: whitenoise's warning about it is noise here.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402

from accounts.management.commands.seed_scale import (  # noqa: E402
    SCALE_DOMAIN,
    interviewer_email,
)
from accounts.models import User  # noqa: E402
from bench.rows import Row, Target, verdict, write_json  # noqa: E402
from interviews.models import Session  # noqa: E402

SLOW_MS = 50.0
MATCHING_PAGES = ("find page", "matches API")
MATCHING_MS_SMALL, MATCHING_MS_LARGE = 100.0, 250.0
QUICK = {"interviewers": 2_000, "candidates": 4_000, "sessions": 20_000}
EXPLAINABLE = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
QUICK_SMALL = {"interviewers": 500, "candidates": 1_000, "sessions": 5_000}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviewers", type=int, default=10_000)
    parser.add_argument("--candidates", type=int, help="default: 2 per interviewer")
    parser.add_argument("--sessions", type=int, help="past sessions; default: 10 per interviewer")
    parser.add_argument("--feedback-share", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--quick", action="store_true", help="500, then 2,000 interviewers; compare query counts"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this file")
    parser.add_argument(
        "--keep", metavar="NAME", help="PostgreSQL only: seed this database once and reuse it"
    )
    arguments = parser.parse_args()
    if arguments.quick:
        for name, value in QUICK.items():
            setattr(arguments, name, value)
    arguments.candidates = arguments.candidates or 2 * arguments.interviewers
    arguments.sessions = arguments.sessions or 10 * arguments.interviewers
    return arguments


Request = Callable[[Client], HttpResponse]


def _pages() -> list[tuple[str, User, Request]]:
    """(name, who asks, the request): every page issue 12 names, as its user sees it.

    The candidate is the first seeded one with a report, the interviewer the first with a
    session awaiting feedback: at every size, people like the ones a real service has.
    """
    now = timezone.now()
    seeded = f"@{SCALE_DOMAIN}"
    reviewed = (
        Session.objects.filter(candidate__email__endswith=seeded, feedback__status="submitted")
        .select_related("candidate")
        .order_by("candidate_id", "-start")
        .first()
    )
    awaiting = (
        Session.objects.filter(
            interviewer__email__endswith=seeded, end__lt=now, feedback__isnull=True
        )
        .select_related("interviewer")
        .order_by("interviewer_id", "-start")
        .first()
    )
    if reviewed is None or awaiting is None:
        raise RuntimeError("The seeded people have no report or no session awaiting feedback.")
    candidate, interviewer = reviewed.candidate, awaiting.interviewer
    autosave = json.dumps({"strengths": "Scoped the problem quickly.", "level": "senior"})
    return [
        ("find page", candidate, lambda client: client.get("/find/")),
        ("matches API", candidate, lambda client: client.get("/api/v1/matches/")),
        ("sessions (candidate)", candidate, lambda client: client.get("/sessions/")),
        ("sessions (interviewer)", interviewer, lambda client: client.get("/sessions/")),
        ("candidate dashboard", candidate, lambda client: client.get("/dashboard/candidate/")),
        (
            "interviewer dashboard",
            interviewer,
            lambda client: client.get("/dashboard/interviewer/"),
        ),
        (
            "feedback page",
            interviewer,
            lambda client: client.get(f"/sessions/{awaiting.pk}/feedback/"),
        ),
        (
            "feedback autosave",
            interviewer,
            lambda client: client.put(
                f"/api/v1/sessions/{awaiting.pk}/feedback/",
                autosave,
                content_type="application/json",
            ),
        ),
        ("report", candidate, lambda client: client.get(f"/sessions/{reviewed.pk}/report/")),
    ]


def _measure(
    client: Client, request: Request, runs: int
) -> tuple[list[dict[str, str]], float, float]:
    # Each request empties the query log as it starts (Django's request_started signal),
    # which would leave the capture's slice empty unless the log starts out empty too.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = request(client)
    queries = list(captured.captured_queries)
    if response.status_code != 200:
        raise RuntimeError(f"answered {response.status_code}: {response.content[:300]!r}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        request(client)
        timings.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    return queries, statistics.median(timings), p95


def _explain(queries: list[dict[str, str]]) -> str:
    statements = [q for q in queries if q["sql"].lstrip().upper().startswith(EXPLAINABLE)]
    if not statements:
        return "no statement to explain (the time went to transaction control)"
    slowest = max(statements, key=lambda query: float(query["time"]))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {slowest['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"slowest query ({float(slowest['time']) * 1000:.1f} ms):\n{slowest['sql']}\n{plan}"


@dataclass(frozen=True)
class PageResult:
    name: str
    queries: int
    sql_ms: float
    p50: float
    p95: float


def main() -> None:
    arguments = _arguments()
    setup_test_environment()
    settings.DEBUG = False
    try:
        if arguments.quick:
            # Two sizes in one run, so that a query count growing with the data shows.
            small = _run(argparse.Namespace(**{**vars(arguments), **QUICK_SMALL}))
            results = _run(arguments)
            grown = [
                big.name
                for before, big in zip(small, results, strict=True)
                if big.queries != before.queries
            ]
        else:
            results, grown = _run(arguments), []
    finally:
        teardown_test_environment()
    figures = _figures(arguments, results, grown if arguments.quick else None)
    if arguments.json:
        write_json(
            Path(arguments.json), "scale.py", figures, {"interviewers": arguments.interviewers}
        )


def _run(arguments: argparse.Namespace) -> list[PageResult]:
    """Seed (or reuse) one database at the size asked for, and measure every page on it."""
    if arguments.keep:
        fresh = _use_kept_database(arguments.keep)
        old_name = None
    else:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        fresh = True
    try:
        if fresh:
            started = time.perf_counter()
            call_command(
                "seed_scale",
                interviewers=arguments.interviewers,
                candidates=arguments.candidates,
                sessions=arguments.sessions,
                feedback_share=arguments.feedback_share,
            )
            print(f"seeded in {time.perf_counter() - started:.0f}s")
        else:
            _describe_kept(arguments)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # settled tables, as autovacuum would leave
        return _measure_pages(arguments)
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _measure_pages(arguments: argparse.Namespace) -> list[PageResult]:
    explains: list[tuple[str, str]] = []
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"\ndatabase: {database}; {arguments.interviewers:,} interviewers, "
        f"{arguments.candidates:,} candidates, {arguments.sessions:,} past sessions "
        f"({arguments.feedback_share:.0%} with feedback); {arguments.runs} runs per page"
    )
    print(f"{'page':<24} {'queries':>8} {'sql ms':>8} {'p50 ms':>8} {'p95 ms':>8}  target")
    clients: dict[int, Client] = {}
    results = []
    for name, user, request in _pages():
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        queries, p50, p95 = _measure(clients[user.pk], request, arguments.runs)
        sql = sum(float(query["time"]) for query in queries) * 1000
        limit = _target_ms(name, arguments.interviewers)
        flag = f"<= {limit:.0f} ms {verdict(p95 <= limit)}"
        print(f"{name:<24} {len(queries):>8} {sql:>8.1f} {p50:>8.1f} {p95:>8.1f}  {flag}")
        results.append(PageResult(name, len(queries), sql, p50, p95))
        if p95 > limit and connection.vendor == "postgresql":
            explains.append((name, _explain(queries)))
    for name, text in explains:
        print(f"\n--- {name}: {text}")
    return results


def _target_ms(page: str, interviewers: int) -> float:
    """Issue 12: matching within 100 ms up to 10,000 interviewers, 250 ms at 100,000."""
    if page in MATCHING_PAGES:
        return MATCHING_MS_SMALL if interviewers <= 10_000 else MATCHING_MS_LARGE
    return SLOW_MS


def _figures(
    arguments: argparse.Namespace, results: list[PageResult], grown: list[str] | None
) -> list[Row]:
    size = f"{arguments.interviewers:,} interviewers"
    figures = [
        Row(
            f"{result.name} p95 ({size})",
            "ms",
            result.p95,
            target=Target("<=", _target_ms(result.name, arguments.interviewers), on="ours"),
        )
        for result in results
    ]
    if grown is not None:
        small = f"{QUICK_SMALL['interviewers']:,}"
        if grown:
            print(f"queries grew from {small} to {size} on: {', '.join(grown)}")
        figures.append(
            Row(
                f"pages whose queries grow from {small} to {size}",
                "",
                len(grown),
                target=Target("==", 0, on="ours"),
            )
        )
    return figures


def _use_kept_database(name: str) -> bool:
    """Point Django at database `name`, creating and migrating it; True if it is new."""
    if connection.vendor != "postgresql":
        raise SystemExit("--keep needs DATABASE_URL to point at PostgreSQL")
    with connection._nodb_cursor() as cursor:  # the server's maintenance database
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        fresh = cursor.fetchone() is None
        if fresh:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)
    seeded = User.objects.filter(email=interviewer_email(1)).exists()
    return fresh or not seeded


def _describe_kept(arguments: argparse.Namespace) -> None:
    """Report the kept database's real size, which the size arguments no longer decide."""
    arguments.interviewers = (
        User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}")
        .filter(interviewer_profile__isnull=False)
        .count()
    )
    arguments.candidates = User.objects.filter(
        email__endswith=f"@{SCALE_DOMAIN}", candidate_profile__isnull=False
    ).count()
    arguments.sessions = Session.objects.count()
    print(f"reusing the kept database {connection.settings_dict['NAME']}")


if __name__ == "__main__":
    main()
