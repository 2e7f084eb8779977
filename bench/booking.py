"""Benchmark: booking under concurrent clients, gunicorn on PostgreSQL, against its floor.

    .venv/bin/python bench/booking.py [--seconds 10] [--clients 16]

What it does, on loopback only and for a bounded time:
1. Creates a throwaway database `mockloop_bench` (dropped again at the end), migrates it,
   and seeds approved interviewers free around the clock (weekly capacity 20) and
   candidates with API tokens.
2. Starts gunicorn as production does (`gunicorn.conf.py`: 3 sync workers), DEBUG off,
   with `bench.settings_bench`, which adds one bench-only view, `/bench/floor/`: one row
   inserted in one transaction.
3. Fires `--clients` threads, each on its own connection (sync workers close it after
   every answer, so each request reconnects), for `--seconds` at each of:
   the floor; the "ceiling", `POST /api/v1/sessions/` with an empty body (token check,
   throttle, parsing and the 400 answer: what any booking costs before its own work);
   and real bookings. Every booking asks for a distinct free slot that breaks no rule (at
   most 3 per candidate, 20 per interviewer and week, no overlaps), so 201 is expected;
   409s are counted and reported.
4. Prints requests/s, p50, p99, the answers by status and the server's CPU per request
   (gunicorn's processes and this database's PostgreSQL backends, from /proc) for each,
   the booking/floor throughput ratio, and commits per booking. CPU per request is the
   steadier figure: throughput moves with whatever else the machine runs.

Commits are counted two ways. `pg_stat_database.xact_commit` for the bench database counts
every transaction, including the read-only one PostgreSQL wraps around each autocommit
SELECT (the token lookup, the interviewer lookup, reading the session back for the
answer). Write transactions are what cost a durable commit (a WAL flush); they are the
transaction ids handed out during the run (`pg_current_snapshot()`'s xmax), which counts
the whole server, so the idle drift over the same time is measured first and reported.

The load generator shares the machine's cores with gunicorn and PostgreSQL, so absolute
figures are a floor for what the server could do with the client elsewhere.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "mockloop_bench"
WEEKS = 3
CAPACITY = 20  # the most an interviewer may take per week (accounts.models)
PER_CANDIDATE = 3  # the most upcoming sessions a candidate may hold


def _env(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "DEBUG": "False",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "SECURE_SSL_REDIRECT": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        # The per-user API limit would throttle a benchmark's few very busy clients.
        "API_THROTTLE_USER": "1000000/min",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


# --- Database --------------------------------------------------------------------------------


def _admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql.encode())


def _create_database(env: dict[str, str]) -> None:
    _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DATABASE}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    create_floor_table(DATABASE)


def create_floor_table(database: str) -> None:
    """The table bench/floors.py's durable-write floor inserts into (bench/peer.py: theirs)."""
    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE bench_floor (id bigserial PRIMARY KEY, payload text NOT NULL, "
            "created_at timestamptz NOT NULL DEFAULT now())"
        )


@dataclass(frozen=True)
class Booking:
    token: str
    body: bytes


def _seed(env: dict[str, str], interviewers: int, candidates: int) -> list[Booking]:
    """Seed through the ORM in this process, and plan one valid booking per work item."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from accounts.models import CandidateProfile, InterviewerProfile, SkillArea, User
    from interviews.models import WeeklyWindow
    from studyplans.planning import seed_plans

    password = make_password(None)
    interviewer_users = User.objects.bulk_create(
        User(
            email=f"bench-interviewer{n}@bench.test",
            display_name=f"Interviewer {n}",
            time_zone="UTC",
            years_experience=12,
            password=password,
        )
        for n in range(interviewers)
    )
    InterviewerProfile.objects.bulk_create(
        InterviewerProfile(
            user=user,
            level="staff",
            bio="Benchmark interviewer.",
            weekly_capacity=CAPACITY,
            status="approved",
        )
        for user in interviewer_users
    )
    WeeklyWindow.objects.bulk_create(
        WeeklyWindow(interviewer=user, weekday=day, start_time="00:00", end_time="23:59")
        for user in interviewer_users
        for day in range(7)
    )
    candidate_users = User.objects.bulk_create(
        User(
            email=f"bench-candidate{n}@bench.test",
            display_name=f"Candidate {n}",
            time_zone="UTC",
            years_experience=4,
            password=password,
        )
        for n in range(candidates)
    )
    profiles = CandidateProfile.objects.bulk_create(
        CandidateProfile(user=user, target_level="senior") for user in candidate_users
    )
    focus = list(SkillArea.objects.filter(slug__in=["caching", "concurrency"]))
    CandidateProfile.focus_areas.through.objects.bulk_create(
        CandidateProfile.focus_areas.through(candidateprofile_id=profile.pk, skillarea_id=area.pk)
        for profile in profiles
        for area in focus
    )
    tokens = Token.objects.bulk_create(
        Token(key=Token.generate_key(), user=user) for user in candidate_users
    )
    # Every real candidate has a study plan from sign-up on (booking reads its weakest areas
    # to pick the question); bulk-created ones get theirs here.
    seed_plans(emails_ending="@bench.test")
    connections.close_all()

    return plan_bookings(
        interviewers=[user.pk for user in interviewer_users],
        tokens=[token.key for token in tokens],
        now=datetime.now(UTC),
    )


def plan_bookings(*, interviewers: list[int], tokens: list[str], now: datetime) -> list[Booking]:
    """One valid booking per work item: each interviewer's 20 weekly sessions in each of the
    next full weeks, Monday from 00:00 UTC, one hour apart.

    Items at one time go to different candidates, and each candidate gets at most 3 items,
    all at different times; candidates are handed out in turn, so they first appear in the
    order of `tokens`.
    """
    monday = (now + timedelta(days=7 - now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    needed = WEEKS * CAPACITY * len(interviewers)
    if needed > len(tokens) * PER_CANDIDATE or len(tokens) < len(interviewers):
        raise SystemExit(f"need at least {needed // PER_CANDIDATE} candidates")
    items = []
    number = 0
    for week in range(WEEKS):
        for hour in range(CAPACITY):
            start = monday + timedelta(weeks=week, hours=hour)
            for interviewer in interviewers:
                body = {"interviewer": interviewer, "start": start.isoformat()}
                token = tokens[number % len(tokens)]
                items.append(Booking(token=token, body=json.dumps(body).encode()))
                number += 1
    return items


def rows_written_by(database: str, since: int) -> int:
    """Transactions that inserted or updated rows in `database` from transaction id `since`
    (a 64-bit id, from `_counters`) on: the distinct `xmin` of its tables' rows.

    Unlike the server-wide count of transaction ids, another database's work (a colleague's
    benchmark on the same server) is not in it; a transaction that only locked or deleted
    rows is not either. Row ids are 32-bit: a run must not span a wraparound.
    """
    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as connection:
        tables = [
            str(row[0])
            for row in connection.execute(
                "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables"
            ).fetchall()
        ]
        # The names come from the catalogue, quoted by format('%I').
        rows = " UNION ALL ".join(f"SELECT xmin::text::bigint AS id FROM {t}" for t in tables)  # noqa: S608
        query = f"SELECT count(DISTINCT id) FROM ({rows}) AS written WHERE id >= %s"  # noqa: S608
        row = connection.execute(query.encode(), [since % 2**32]).fetchone()
    return int(row[0]) if row else 0


def _counters(database: str | None = None) -> tuple[int, int]:
    """(transactions committed in `database`, by default the bench database, and the next
    transaction id of the whole server)."""
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute("SELECT pg_stat_clear_snapshot()")
        row = connection.execute(
            "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = %s), "
            "pg_snapshot_xmax(pg_current_snapshot())::text::bigint",
            [database or DATABASE],
        ).fetchone()
    if row is None:
        raise SystemExit("PostgreSQL returned no counters")
    return int(row[0]), int(row[1])


# --- Server ----------------------------------------------------------------------------------


def _start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return start_server(
        python=sys.executable, app="config.wsgi", env=env, port=port, probe="/api/v1/skill-areas/"
    )


def start_server(
    *, python: str, app: str, env: dict[str, str], port: int, probe: str
) -> subprocess.Popen[bytes]:
    """gunicorn serving `app` from the repository's root (so it reads our gunicorn.conf.py),
    returned once `probe` answers. bench/peer.py starts django-appointment's the same way."""
    server = subprocess.Popen(
        [python, "-m", "gunicorn", app, "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", probe)
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    _stop(server)
    raise SystemExit(f"gunicorn did not start {app}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    # gunicorn runs in its own session: stop its master (and so its workers) by that id.
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# --- Load ------------------------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds spent, by server part

    def rate(self) -> float:
        return len(self.latencies) / self.seconds


# --- CPU -------------------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(gunicorn_group: int, database: str | None = None) -> dict[str, float]:
    """CPU seconds used so far by gunicorn's processes and by the backends of `database`
    (by default the bench database).

    Throughput on a shared 2-core machine moves with whatever else runs; the CPU each
    request costs the server does not, so it is the steadier figure to compare.
    """
    used = {"gunicorn": 0.0, "postgres": 0.0}
    backend = f" {database or DATABASE} "
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICKS
        if int(fields[2]) == gunicorn_group:
            used["gunicorn"] += seconds
        elif command.startswith("postgres:") and backend in command:
            used["postgres"] += seconds
    return used


def _hammer(
    server: subprocess.Popen[bytes],
    port: int,
    clients: int,
    seconds: float,
    next_request: Callable[[], tuple[bytes, dict[str, str]] | None],
    path: str,
    database: str | None = None,
) -> Result:
    result = Result()
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline: list[float] = []

    def client() -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            with lock:
                work = next_request()
            if work is None:
                break
            body, headers = work
            began = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError:
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            latencies.append(time.perf_counter() - began)
            statuses[status] += 1
        connection.close()
        with lock:
            result.latencies.extend(latencies)
            result.statuses.update(statuses)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    cpu_before = _cpu(server.pid, database)
    began = time.perf_counter()
    deadline.append(began + seconds)
    barrier.wait()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    cpu_after = _cpu(server.pid, database)
    result.cpu = {part: cpu_after[part] - cpu_before[part] for part in cpu_after}
    return result


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _report(name: str, result: Result) -> tuple[float, float]:
    """Print one phase; return (requests per second, server CPU ms per request)."""
    count = len(result.latencies)
    rate = result.rate()
    web, database = (result.cpu[part] * 1000 / count for part in ("gunicorn", "postgres"))
    print(
        f"{name:8} {count:6d} requests in {result.seconds:5.1f} s = {rate:7.1f}/s   "
        f"p50 {_percentile(result.latencies, 0.5) * 1000:6.1f} ms   "
        f"p99 {_percentile(result.latencies, 0.99) * 1000:6.1f} ms   "
        f"CPU/request: gunicorn {web:5.2f} ms + PostgreSQL {database:4.2f} ms   "
        f"statuses {dict(sorted(result.statuses.items()))}"
    )
    return rate, web + database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--interviewers", type=int, default=100)
    parser.add_argument("--candidates", type=int, default=2000)
    args = parser.parse_args()
    env = _env(args.port)

    print(f"Creating and seeding {DATABASE} ...")
    _create_database(env)
    items = _seed(env, args.interviewers, args.candidates)
    print(f"{len(items)} distinct bookings planned; {args.clients} clients, {args.seconds} s each")
    server = _start_gunicorn(env, args.port)
    try:
        floor_headers = {"Content-Type": "application/json"}

        def floor_request() -> tuple[bytes, dict[str, str]]:
            return b"{}", floor_headers

        _hammer(server, args.port, args.clients, 2, floor_request, "/bench/floor/")  # warm-up
        floor = _hammer(
            server, args.port, args.clients, args.seconds, floor_request, "/bench/floor/"
        )

        # The ceiling: the booking endpoint refusing an empty body. Token check, throttle,
        # parsing and the error answer, no booking work: what any booking costs at least.
        tokens = itertools.cycle(sorted({item.token for item in items}))

        def ceiling_request() -> tuple[bytes, dict[str, str]]:
            headers = {"Content-Type": "application/json", "Authorization": f"Token {next(tokens)}"}
            return b"{}", headers

        ceiling = _hammer(
            server, args.port, args.clients, args.seconds, ceiling_request, "/api/v1/sessions/"
        )

        plan: Iterator[Booking] = iter(items)

        def booking_request() -> tuple[bytes, dict[str, str]] | None:
            item = next(plan, None)
            if item is None:
                return None
            headers = {"Content-Type": "application/json", "Authorization": f"Token {item.token}"}
            return item.body, headers

        idle_before = _counters()
        time.sleep(args.seconds)
        idle_after = _counters()
        before = _counters()
        booked = _hammer(
            server, args.port, args.clients, args.seconds, booking_request, "/api/v1/sessions/"
        )
        after = _counters()
    finally:
        _stop(server)

    print()
    floor_rate, floor_cpu = _report("floor", floor)
    ceiling_rate, ceiling_cpu = _report("ceiling", ceiling)
    booking_rate, booking_cpu = _report("booking", booked)
    created = booked.statuses[201]
    server_errors = sum(n for status, n in booked.statuses.items() if status >= 500 or status == 0)
    idle_xids = idle_after[1] - idle_before[1]
    print()
    print(f"booking / floor throughput: {booking_rate / floor_rate:.0%} (target at least 40%)")
    print(
        f"server CPU per request, floor / booking: {floor_cpu / booking_cpu:.0%}; "
        f"ceiling (400 before any booking work) / floor throughput: "
        f"{ceiling_rate / floor_rate:.0%}, CPU {floor_cpu / ceiling_cpu:.0%}"
    )
    print(
        f"bookings made: {created}; conflicts (409): {booked.statuses[409]}; 5xx: {server_errors}"
    )
    if created:
        print(
            f"transactions per booking (xact_commit, read-only ones included): "
            f"{(after[0] - before[0]) / created:.2f}"
        )
        print(
            f"write transactions per booking (transaction ids): "
            f"{(after[1] - before[1]) / created:.2f} "
            f"(server-wide drift over an idle {args.seconds:.0f} s: {idle_xids} ids)"
        )
    _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    if server_errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
