"""Benchmark: our booking side by side with django-appointment's, in one run.

    .venv/bin/python bench/peer.py                   # about 5 minutes
    .venv/bin/python bench/peer.py --quick           # every phase, shorter: under 2.5 minutes
    .venv/bin/python bench/peer.py --quick --json var/bench/peer.json

Options: --sequential N, --seconds S (each closed-loop phase), --open-rate R and
--open-seconds S (the open-loop phase), --interviewers and --candidates (by default as
many as the phases need), --port P (ours; theirs on P + 1), --json PATH.

django-appointment (PyPI, the most used Django booking app) never becomes a dependency of
ours: the script makes its own virtual environment, var/peer-venv, installs it there with
the Django, gunicorn and psycopg versions we run (only when they are not there yet), and
hosts it in bench/peer_site (settings, urls, wsgi). Both sides run on the same PostgreSQL,
each in a throwaway database of its own, behind gunicorn with our gunicorn.conf.py (sync
workers) and the same psycopg pool, DEBUG off, one side at a time so they never share the
cores. PostgreSQL only.

Both get the same interviewer hours (every day 00:00-23:59 UTC, one-hour sessions) and the
same candidates, planned by bench/booking.py's seeding: every planned booking is distinct
and breaks no rule (at most 3 upcoming per candidate, 20 a week per interviewer, no
overlaps), and there are enough of them for every phase. Both are driven as their users
drive them, over HTTP on loopback:
- ours: `POST /api/v1/sessions/` with a candidate's API token;
- theirs: its own booking views, the two form posts a logged-in client makes
  (`request-submit/`, then `client-info/...`, CSRF on), as one booking. Its slot list is
  the AJAX view its booking page calls.

The phases, in this order on each side (16 clients means 16 threads, each on its own
connection, each sending its next request when the last one is answered):
1. Slot list of interviewer 0 on the first day, empty: queries per request (a header
   bench/peer_site/querycount.py adds on both sides) and requests per second, 16 clients.
2. Framework floor (`/bench/noop/`: the middleware stack and a trivial view, no database)
   and durable-write floor (`/bench/floor/`: one row inserted in one transaction), both
   from bench/floors.py on the same server, 16 clients each: req/s, p50, p99 and server
   CPU per request (gunicorn's processes plus this database's PostgreSQL backends, /proc).
3. Ceiling (ours only): `POST /api/v1/sessions/` with an empty body, as bench/booking.py
   does: token check, throttle, parsing and the 400, what any booking costs at least.
4. Sequential: N distinct bookings one after another (p50, p99, queries per booking);
   they start with interviewer 0's first day, so its slot list then has bookings.
5. The slot list again on that day, now with bookings: queries must not grow.
6. 16 clients booking distinct slots for --seconds: throughput, p50, p99, failures, 5xx,
   server CPU per booking, and write transactions per booking, counted two ways:
   bench/booking.py's (transaction ids the whole server handed out, less its idle drift
   over a wait as long), and from the rows written in this side's database (the distinct
   transaction ids, `xmin`, of rows inserted or updated during the phase).
7. Open loop: bookings arriving on a fixed schedule (--open-rate per second for
   --open-seconds), each sent at its time by a pool of threads that grows whenever none
   is free, so no arrival waits for a client; latency counts from the scheduled time (no
   coordinated omission). p50, p99, max, errors, 5xx, and the latest send.
8. Storm: 50 clients book one slot at once; the bookings the database holds afterwards.

Targets (issue 12), each printed as a figure from this run with a verdict, met or missed:
sequential p50 ratio <= 0.33x; 16-client bookings/s ratio >= 5x; the storm holds exactly 1;
booking server CPU / ceiling CPU <= 2; 1 write transaction per booking (rows written); no 5xx in any
phase; open-loop p99 <= 100 ms; slot list queries with bookings / empty day == 1; slot list
req/s ratio >= 10x. Ratios are ours / theirs.

The load generator shares the machine with the servers, so absolute figures are a floor;
the ratios and CPU per request, from one run, are the figures to compare. The server-wide
count of write transactions takes in every database: another benchmark running at the same
time skews it (the drift printed under the table shows it; once it even came out below
zero), which is why the verdict is on the count from the rows written.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import queue
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.client import HTTPConnection
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import booking  # noqa: E402
from bench.rows import Row, Target, print_rows, write_json  # noqa: E402

PEER_VENV = ROOT / "var" / "peer-venv"
PEER_PYTHON = PEER_VENV / "bin" / "python"
PEER_PACKAGE = "django-appointment"
PEER_VERSION = "3.12.0"
PEER_DATABASE = "mockloop_peer_bench"
LOG = ROOT / "var" / "peer-bench.log"  # both servers' output
# bench/booking.py's own database name, changed for this script: a colleague running
# bench/booking.py at the same time would otherwise drop this run's database.
booking.DATABASE = "mockloop_peer_ours"
QUERIES = "X-Bench-Queries"
STORM = 50
CLIENTS = 16
# A valid US number (libphonenumber's example); their booking form requires a phone.
PHONE = ("US", "2015550123")
# Sent as both the CSRF cookie and the form field, as a browser that loaded the form would.
CSRF = "benchbenchbenchbenchbenchbench00"
# Bookings planned for the 16-client phase, per second of it: above the most either side
# has managed on this machine (bench/booking.py: 153/s), so it runs its full length.
CLOSED_RATE = 250
PER_INTERVIEWER = booking.WEEKS * booking.CAPACITY  # bookings planned per interviewer
FULL = {"sequential": 50, "seconds": 5.0, "open_rate": 50.0, "open_seconds": 30.0}
QUICK = {"sequential": 20, "seconds": 2.0, "open_rate": 50.0, "open_seconds": 10.0}


@contextmanager
def _output_to(log: Path) -> Iterator[None]:
    """Send what child processes started inside print to `log`, not between our lines.

    The servers log every request (ours a JSON line, theirs several INFO lines per booking);
    children inherit the standard streams when they start, so swapping them is enough.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log.open("a") as file:
        os.dup2(file.fileno(), 1)
        os.dup2(file.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


# --- Arguments -------------------------------------------------------------------------------


def _open_count(args: argparse.Namespace) -> int:
    return len(arrivals(args.open_rate, args.open_seconds))


def _usable(interviewers: int) -> int:
    """Bookings left for the phases: the storm's candidates give up theirs, and its slot."""
    return interviewers * PER_INTERVIEWER - STORM * booking.PER_CANDIDATE - 1


def _arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="every phase, shorter")
    parser.add_argument("--sequential", type=int, help="bookings one at a time (50; quick 20)")
    parser.add_argument("--seconds", type=float, help="each closed-loop phase (5; quick 2)")
    parser.add_argument("--open-rate", type=float, help="open loop: bookings per second (50)")
    parser.add_argument("--open-seconds", type=float, help="open loop: length (30; quick 10)")
    parser.add_argument("--interviewers", type=int, help="default: as many as the phases need")
    parser.add_argument("--candidates", type=int, help="default: as many as the plan needs")
    parser.add_argument("--port", type=int, default=8766, help="ours; theirs on the next one")
    parser.add_argument("--json", type=Path, help="also write the table's rows to this file")
    args = parser.parse_args(argv)
    for name, default in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, default)

    if args.sequential < 1:
        parser.error("--sequential must be at least 1")
    for name in ("seconds", "open_rate", "open_seconds"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be more than 0")
    if not 1024 <= args.port < 65535:
        parser.error("--port must be between 1024 and 65534 (theirs uses the next one)")
    opened = _open_count(args)
    # The 16-client phase may end early when the plan runs out (the run says so); the
    # sequential and open-loop phases may not.
    least = args.sequential + opened + 2 * CLIENTS
    wanted = args.sequential + opened + math.ceil(CLOSED_RATE * args.seconds)
    if args.interviewers is None:
        args.interviewers = math.ceil((wanted - _usable(0)) / PER_INTERVIEWER)
    if args.interviewers < 1 or _usable(args.interviewers) < least:
        enough = math.ceil((least - _usable(0)) / PER_INTERVIEWER)
        parser.error(
            f"--interviewers {args.interviewers} leaves {max(_usable(args.interviewers), 0)} "
            f"bookings for the phases, which need at least {least} ({args.sequential} "
            f"sequential + {opened} open loop + {2 * CLIENTS} for {CLIENTS} clients): give "
            f"--interviewers {enough} or more, or shorten the phases"
        )
    # Each candidate holds at most 3 upcoming sessions, and bookings at one time go to
    # different candidates.
    fewest = max(math.ceil(args.interviewers * PER_INTERVIEWER / booking.PER_CANDIDATE), STORM)
    if args.candidates is None:
        args.candidates = fewest
    if args.candidates < fewest:
        parser.error(
            f"--candidates {args.candidates} is too few for {args.interviewers} interviewers "
            f"(each candidate may hold {booking.PER_CANDIDATE} upcoming sessions): give "
            f"--candidates {fewest} or more"
        )
    return args


# --- Plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One booking to make: the n-th interviewer, the n-th candidate, a start time (UTC)."""

    interviewer: int
    candidate: int
    start: datetime
    body: bytes  # ours, as bench/booking.py planned it


@dataclass(frozen=True)
class Plan:
    """The bookings of every phase, the same on both sides; index n is the same person."""

    sequential: list[Slot]
    open_loop: list[Slot]
    closed: list[Slot]  # the 16-client phase's, more than it needs
    storm_slot: Slot
    reserved: list[int]  # the storm's candidates, who book nothing else
    interviewers: list[int]  # our user ids
    tokens: list[str]  # our candidates' API tokens
    booked_day: int  # interviewer 0's bookings on the slot list's day after the sequential

    @property
    def day(self) -> datetime:
        return self.sequential[0].start.replace(hour=0)


def _plan(items: list[booking.Booking], sequential: int, opened: int) -> Plan:
    """Turn bench/booking.py's planned bookings into the phases' slots on both sides."""
    bodies = [json.loads(item.body) for item in items]
    interviewers = sorted({body["interviewer"] for body in bodies})
    # In the order they were created (bench/booking.py hands items out in turn), so index n
    # is our n-th candidate and their n-th.
    tokens = list(dict.fromkeys(item.token for item in items))
    slots = [
        Slot(
            interviewer=interviewers.index(body["interviewer"]),
            candidate=tokens.index(item.token),
            start=datetime.fromisoformat(body["start"]),
            body=item.body,
        )
        for item, body in zip(items, bodies, strict=True)
    ]
    # The storm's candidates are the last ones planned and book nothing else (each may hold
    # only 3 sessions); its slot, interviewer 0's last one on the first day, is taken out
    # so that interviewer's weekly capacity still has room for it.
    reserved = list(range(len(tokens) - STORM, len(tokens)))
    first_day = slots[0].start.date()
    storm_slot = [s for s in slots if s.interviewer == 0 and s.start.date() == first_day][-1]
    rest = [s for s in slots if s.candidate not in reserved and s != storm_slot]
    # Interviewer 0's first day goes first, so the sequential phase fills the day whose
    # slot list is measured.
    rest.sort(key=lambda s: not (s.interviewer == 0 and s.start.date() == first_day))
    booked_day = sum(
        1 for s in rest[:sequential] if s.interviewer == 0 and s.start.date() == first_day
    )
    return Plan(
        sequential=rest[:sequential],
        open_loop=rest[sequential : sequential + opened],
        closed=rest[sequential + opened :],
        storm_slot=storm_slot,
        reserved=reserved,
        interviewers=interviewers,
        tokens=tokens,
        booked_day=booked_day,
    )


# --- Load ------------------------------------------------------------------------------------

# One request or one multi-request booking on a client's connection: (outcome, queries).
Task = Callable[[HTTPConnection], tuple[str, int]]


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    queries: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def failures(self) -> int:
        return sum(
            count for outcome, count in self.outcomes.items() if outcome not in ("booked", "ok")
        )

    def server_errors(self) -> int:
        return sum(
            count
            for outcome, count in self.outcomes.items()
            if outcome.startswith("HTTP 5") or outcome == "no answer"
        )


def _send(
    connection: HTTPConnection, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, str, int, bytes]:
    """(status, Location, queries the server ran, body) of one request."""
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    return (
        response.status,
        response.getheader("Location", ""),
        int(response.getheader(QUERIES, "0")),
        content,
    )


def _attempt(port: int, connection: HTTPConnection, task: Task) -> tuple[HTTPConnection, str, int]:
    """Run one task; on a broken connection, count "no answer" and hand back a fresh one."""
    try:
        outcome, queries = task(connection)
    except OSError:
        connection.close()
        return HTTPConnection("127.0.0.1", port, timeout=30), "no answer", 0
    return connection, outcome, queries


def _drive(port: int, clients: int, seconds: float, tasks: Iterator[Task]) -> Phase:
    """Run tasks on `clients` threads, each on its own connection, until done or timed out."""
    phase = Phase()
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline: list[float] = []

    def client() -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        mine = Phase()
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            with lock:
                task = next(tasks, None)
            if task is None:
                break
            began = time.perf_counter()
            connection, outcome, queries = _attempt(port, connection, task)
            mine.latencies.append(time.perf_counter() - began)
            mine.outcomes[outcome] += 1
            mine.queries.append(queries)
        connection.close()
        with lock:
            phase.latencies.extend(mine.latencies)
            phase.outcomes.update(mine.outcomes)
            phase.queries.extend(mine.queries)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline.append(began + seconds)
    barrier.wait()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - began
    return phase


def arrivals(rate: float, seconds: float) -> list[float]:
    """When each request of an open loop is due, in seconds from its start: a fixed schedule."""
    return [n / rate for n in range(round(rate * seconds))]


def latencies_from_schedule(due: Sequence[float], finished: Sequence[float]) -> list[float]:
    """Each request's latency from when it was due, not from when it was sent.

    A request held up behind a slow one (no free client, a stalled generator) still counts
    the wait its user would have had; timing from the send would hide it (coordinated
    omission).
    """
    return [end - start for start, end in zip(due, finished, strict=True)]


@dataclass
class OpenLoop:
    phase: Phase
    workers: int  # threads it took so that no arrival waited for a free one
    late: float  # the most a request left after it was due, in seconds


def _open_loop(port: int, rate: float, tasks: list[Task]) -> OpenLoop:
    """Send each task at its time on the schedule; a new thread whenever none is free."""
    jobs: queue.SimpleQueue[tuple[float, Task] | None] = queue.SimpleQueue()
    lock = threading.Lock()
    idle = 0
    done: list[tuple[float, float, float, str]] = []  # due, sent, finished, outcome
    threads: list[threading.Thread] = []

    def worker() -> None:
        nonlocal idle
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        while (job := jobs.get()) is not None:
            due, task = job
            sent = time.perf_counter()
            connection, outcome, _ = _attempt(port, connection, task)
            finished = time.perf_counter()
            with lock:
                done.append((due, sent, finished, outcome))
                idle += 1
        connection.close()

    began = time.perf_counter() + 0.1
    for offset, task in zip(arrivals(rate, len(tasks) / rate), tasks, strict=True):
        due = began + offset
        time.sleep(max(0.0, due - time.perf_counter()))
        with lock:
            free = idle > 0
            if free:
                idle -= 1
        if not free:
            threads.append(threading.Thread(target=worker))
            threads[-1].start()
        jobs.put((due, task))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    phase = Phase(
        latencies=latencies_from_schedule([d[0] for d in done], [d[2] for d in done]),
        outcomes=Counter(d[3] for d in done),
        seconds=max(d[2] for d in done) - began,
    )
    return OpenLoop(phase=phase, workers=len(threads), late=max(d[1] - d[0] for d in done))


# --- Both sides ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """How one side is reached and driven."""

    port: int
    database: str
    book: Callable[[Slot], Task]
    slot_list: Task
    storm: list[Task]
    # The ceiling phase's requests (ours only): the booking endpoint refusing an empty body.
    ceiling: Callable[[], tuple[bytes, dict[str, str]]] | None = None


@dataclass
class Side:
    """What one side measured."""

    slots_empty: Phase
    noop: booking.Result
    floor: booking.Result
    ceiling: booking.Result | None
    sequential: Phase
    slots_full: Phase
    concurrent: Phase
    cpu: dict[str, float]  # server CPU ms per booking in the 16-client phase, by part
    writes: float  # write transactions per booking in the 16-client phase, server-wide
    writers: float  # the same, from the rows written in this side's database
    drift: float  # transaction ids the server handed out per second while this side idled
    open_loop: OpenLoop
    storm: Phase
    storm_held: int = 0  # bookings the database holds for the storm's slot afterwards

    def booked(self) -> int:
        return self.concurrent.outcomes["booked"]

    def server_errors(self) -> int:
        phases = (self.slots_empty, self.sequential, self.slots_full, self.concurrent)
        answered = [self.noop, self.floor, *([self.ceiling] if self.ceiling else [])]
        return sum(
            phase.server_errors() for phase in (*phases, self.open_loop.phase, self.storm)
        ) + sum(
            count
            for result in answered
            for status, count in result.statuses.items()
            if status >= 500 or status == 0
        )


def _floor_request() -> tuple[bytes, dict[str, str]]:
    return b"{}", {"Content-Type": "application/json"}


def _measure(
    process: subprocess.Popen[bytes], server: Server, plan: Plan, args: argparse.Namespace
) -> Side:
    """The same phases in the same order on either side (its server already running)."""
    seconds = args.seconds
    port, database = server.port, server.database

    def hammer(
        path: str, next_request: Callable[[], tuple[bytes, dict[str, str]]]
    ) -> booking.Result:
        return booking._hammer(process, port, CLIENTS, seconds, next_request, path, database)

    _drive(port, CLIENTS, 2, itertools.repeat(server.slot_list))  # warm-up: imports, pool
    slots_empty = _drive(port, CLIENTS, seconds, itertools.repeat(server.slot_list))
    noop = hammer("/bench/noop/", _floor_request)
    floor = hammer("/bench/floor/", _floor_request)
    ceiling = hammer("/api/v1/sessions/", server.ceiling) if server.ceiling else None
    sequential = _drive(port, 1, 3600, iter(server.book(slot) for slot in plan.sequential))
    slots_full = _drive(port, CLIENTS, seconds, itertools.repeat(server.slot_list))

    # Write transactions are counted server-wide: the ids handed out while this side
    # idles for as long as the phase lasts are the drift to take off.
    idle = booking._counters(database)[1], time.perf_counter()
    time.sleep(seconds)
    drift = (booking._counters(database)[1] - idle[0]) / (time.perf_counter() - idle[1])
    ids_before = booking._counters(database)[1]
    cpu_before = booking._cpu(process.pid, database)
    concurrent = _drive(port, CLIENTS, seconds, iter(server.book(slot) for slot in plan.closed))
    cpu_after = booking._cpu(process.pid, database)
    ids = booking._counters(database)[1] - ids_before - drift * concurrent.seconds
    written = booking.rows_written_by(database, ids_before)
    booked = max(concurrent.outcomes["booked"], 1)
    cpu = {part: (cpu_after[part] - cpu_before[part]) * 1000 / booked for part in cpu_after}

    open_loop = _open_loop(port, args.open_rate, [server.book(slot) for slot in plan.open_loop])
    storm = _drive(port, STORM, 60, iter(server.storm))
    return Side(
        slots_empty=slots_empty,
        noop=noop,
        floor=floor,
        ceiling=ceiling,
        sequential=sequential,
        slots_full=slots_full,
        concurrent=concurrent,
        cpu=cpu,
        writes=ids / booked,
        writers=written / booked,
        drift=drift,
        open_loop=open_loop,
        storm=storm,
    )


# --- Ours ------------------------------------------------------------------------------------


def _ours(args: argparse.Namespace, plan: Plan) -> Side:
    env = {**booking._env(args.port), "DJANGO_SETTINGS_MODULE": "bench.peer_site.settings_ours"}

    def book(slot: Slot) -> Task:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Token {plan.tokens[slot.candidate]}",
        }

        def task(connection: HTTPConnection) -> tuple[str, int]:
            status, _, queries, _ = _send(
                connection, "POST", "/api/v1/sessions/", slot.body, headers
            )
            return ("booked" if status == 201 else f"HTTP {status}"), queries

        return task

    day = plan.day
    query = urlencode({"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat()})
    slots_path = f"/api/v1/interviewers/{plan.interviewers[0]}/slots/?{query}"
    slots_headers = {"Authorization": f"Token {plan.tokens[0]}"}

    def slot_list(connection: HTTPConnection) -> tuple[str, int]:
        status, _, queries, _ = _send(connection, "GET", slots_path, None, slots_headers)
        return ("ok" if status == 200 else f"HTTP {status}"), queries

    storm_slot = plan.storm_slot
    storm_body = json.dumps(
        {
            "interviewer": plan.interviewers[storm_slot.interviewer],
            "start": storm_slot.start.isoformat(),
        }
    ).encode()
    storm = [
        book(Slot(storm_slot.interviewer, candidate, storm_slot.start, storm_body))
        for candidate in plan.reserved
    ]
    tokens = itertools.cycle(plan.tokens)

    def ceiling() -> tuple[bytes, dict[str, str]]:
        headers = {"Content-Type": "application/json", "Authorization": f"Token {next(tokens)}"}
        return b"{}", headers

    server = Server(args.port, booking.DATABASE, book, slot_list, storm, ceiling)
    with _output_to(LOG):
        process = booking._start_gunicorn(env, args.port)
    try:
        side = _measure(process, server, plan, args)
    finally:
        booking._stop(process)
    with psycopg.connect(f"{booking.SERVER}/{booking.DATABASE}") as connection:
        row = connection.execute(
            "SELECT count(*) FROM interviews_session WHERE interviewer_id = %s AND start = %s",
            [plan.interviewers[storm_slot.interviewer], storm_slot.start],
        ).fetchone()
    side.storm_held = int(row[0]) if row else 0
    return side


# --- Theirs ----------------------------------------------------------------------------------


def _peer_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.peer_site.settings",
        "PEER_DATABASE": PEER_DATABASE,
        "PYTHONPATH": str(ROOT),
        "DEBUG": "False",
        # gunicorn.conf.py logs JSON through our config.logs, which their venv cannot import.
        "LOG_FORMAT": "text",
    }


def _peer_venv() -> str:
    """Create var/peer-venv if need be, install theirs with our server stack; its version.

    pip runs only when a version differs: asking it costs seconds that --quick needs.
    """
    if not PEER_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    wanted = {
        PEER_PACKAGE: PEER_VERSION,
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "psycopg": version("psycopg"),
        "django-environ": version("django-environ"),  # gunicorn.conf.py imports it
    }
    if _peer_versions(list(wanted)) != wanted:
        pins = [f"{name}=={number}" for name, number in wanted.items()]
        pins[pins.index(f"psycopg=={wanted['psycopg']}")] = (
            f"psycopg[binary,pool]=={wanted['psycopg']}"
        )
        subprocess.run(
            [str(PEER_PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check", *pins],
            check=True,
        )
    return _peer_versions([PEER_PACKAGE])[PEER_PACKAGE]


def _peer_versions(names: list[str]) -> dict[str, str]:
    """The versions var/peer-venv holds of `names` ("" for one it lacks)."""
    script = (
        "import json, sys\n"
        "from importlib.metadata import PackageNotFoundError, version\n"
        "def found(name):\n"
        "    try:\n"
        "        return version(name)\n"
        "    except PackageNotFoundError:\n"
        "        return ''\n"
        "print(json.dumps({name: found(name) for name in sys.argv[1:]}))\n"
    )
    answer = subprocess.run(
        [str(PEER_PYTHON), "-c", script, *names], check=True, capture_output=True, text=True
    )
    found: dict[str, str] = json.loads(answer.stdout)
    return found


def _peer_seed(env: dict[str, str], interviewers: int, candidates: int) -> dict[str, Any]:
    booking._admin(f"DROP DATABASE IF EXISTS {PEER_DATABASE} WITH (FORCE)")
    booking._admin(f"CREATE DATABASE {PEER_DATABASE}")
    python = str(PEER_PYTHON)
    # It ships no migrations: Django's own apps migrate first, then its tables are created
    # from its models (in one call, Django would create them before the auth tables).
    for extra in ([], ["--run-syncdb"]):
        subprocess.run(
            [python, "-m", "django", "migrate", *extra, "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    booking.create_floor_table(PEER_DATABASE)
    seeded = subprocess.run(
        [python, "-m", "bench.peer_site.seed", str(interviewers), str(candidates)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(seeded.stdout)
    return result


def _start_peer(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return booking.start_server(
        python=str(PEER_PYTHON),
        app="bench.peer_site.wsgi",
        env=env,
        port=port,
        probe="/appointment/request-submit/",
    )


def _theirs(args: argparse.Namespace, plan: Plan) -> Side:
    env = _peer_env()
    with _output_to(LOG):
        seeded = _peer_seed(env, args.interviewers, len(plan.tokens))
    staff = [int(pk) for pk in seeded["staff"]]
    sessions = [str(key) for key in seeded["sessions"]]
    service = str(seeded["service"])

    def book(slot: Slot) -> Task:
        """Their booking flow: pick the slot, then confirm with the client's details."""
        cookie = f"sessionid={sessions[slot.candidate]}; csrftoken={CSRF}"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        chosen = urlencode(
            {
                "csrfmiddlewaretoken": CSRF,
                "date": slot.start.date().isoformat(),
                "start_time": slot.start.time().isoformat(),
                "end_time": (slot.start + timedelta(hours=1)).time().isoformat(),
                "service": service,
                "staff_member": staff[slot.interviewer],
            }
        ).encode()
        details = urlencode(
            {
                "csrfmiddlewaretoken": CSRF,
                "name": f"Candidate {slot.candidate}",
                "phone_0": PHONE[0],
                "phone_1": PHONE[1],
                "address": "",
                "additional_info": "",
                "payment_type": "full",
            }
        ).encode()

        def task(connection: HTTPConnection) -> tuple[str, int]:
            status, location, first, _ = _send(
                connection, "POST", "/appointment/request-submit/", chosen, headers
            )
            if status != 302 or "/client-info/" not in location:
                return f"HTTP {status} (slot)", first
            status, location, second, _ = _send(connection, "POST", location, details, headers)
            if status != 302 or "/thank-you/" not in location:
                return f"HTTP {status} (details)", first + second
            return "booked", first + second

        return task

    slots_path = "/appointment/ajax/available_slots/?" + urlencode(
        {
            "selected_date": plan.day.date().isoformat(),
            "staff_member": staff[0],
            "service_id": service,
        }
    )
    slots_headers = {"X-Requested-With": "XMLHttpRequest", "Cookie": f"sessionid={sessions[0]}"}

    def slot_list(connection: HTTPConnection) -> tuple[str, int]:
        status, _, queries, content = _send(connection, "GET", slots_path, None, slots_headers)
        # It answers 200 to "not a working day" and "no availability" too.
        listed = status == 200 and json.loads(content).get("available_slots")
        return ("ok" if listed else f"HTTP {status}, no slots"), queries

    storm_slot = plan.storm_slot
    storm = [book(Slot(storm_slot.interviewer, n, storm_slot.start, b"")) for n in plan.reserved]
    server = Server(args.port + 1, PEER_DATABASE, book, slot_list, storm)
    with _output_to(LOG):
        process = _start_peer(env, args.port + 1)
    try:
        side = _measure(process, server, plan, args)
    finally:
        booking._stop(process)
    with psycopg.connect(f"{booking.SERVER}/{PEER_DATABASE}") as connection:
        row = connection.execute(
            "SELECT count(*) FROM appointment_appointment a "
            "JOIN appointment_appointmentrequest r ON r.id = a.appointment_request_id "
            "WHERE r.staff_member_id = %s AND r.date = %s AND r.start_time = %s",
            [staff[storm_slot.interviewer], storm_slot.start.date(), storm_slot.start.time()],
        ).fetchone()
    side.storm_held = int(row[0]) if row else 0
    return side


# --- Report ----------------------------------------------------------------------------------


def _ms(latencies: list[float], share: float) -> float:
    return booking._percentile(latencies, share) * 1000


def _per_request(result: booking.Result) -> float:
    """Server CPU ms per request: gunicorn's and the database's backends'."""
    return sum(result.cpu.values()) * 1000 / len(result.latencies)


def _rows(ours: Side, theirs: Side, plan: Plan, args: argparse.Namespace) -> list[Row]:
    rows = []
    for label, path, mine, peer in (
        ("framework floor", "noop", ours.noop, theirs.noop),
        ("durable-write floor", "floor", ours.floor, theirs.floor),
    ):
        name = f"{label} (/bench/{path}/), {CLIENTS} clients"
        rows += [
            Row(f"{name}: req/s", "/s", mine.rate(), peer.rate()),
            Row(f"{name}: p50", "ms", _ms(mine.latencies, 0.5), _ms(peer.latencies, 0.5)),
            Row(f"{name}: p99", "ms", _ms(mine.latencies, 0.99), _ms(peer.latencies, 0.99)),
            Row(f"{name}: server CPU/request", "ms", _per_request(mine), _per_request(peer)),
        ]
    ceiling = ours.ceiling
    if ceiling is None:
        raise SystemExit("our side measured no ceiling")
    booking_cpu = (sum(ours.cpu.values()), sum(theirs.cpu.values()))
    open_name = f"open loop {args.open_rate:g}/s for {args.open_seconds:g} s"
    slots_day = f"slot list, {plan.booked_day} bookings"
    rows += [
        Row(f"ceiling (empty POST), {CLIENTS} clients: req/s", "/s", ceiling.rate()),
        Row(f"ceiling (empty POST), {CLIENTS} clients: p50", "ms", _ms(ceiling.latencies, 0.5)),
        Row("ceiling (empty POST): server CPU/request", "ms", _per_request(ceiling)),
        Row(
            f"sequential booking p50 ({len(plan.sequential)})",
            "ms",
            _ms(ours.sequential.latencies, 0.5),
            _ms(theirs.sequential.latencies, 0.5),
            Target("<=", 0.33),
        ),
        Row(
            "sequential booking p99",
            "ms",
            _ms(ours.sequential.latencies, 0.99),
            _ms(theirs.sequential.latencies, 0.99),
        ),
        Row(
            "queries per booking (most)",
            "",
            max(ours.sequential.queries),
            max(theirs.sequential.queries),
        ),
        Row(
            f"booking {CLIENTS} clients: bookings/s",
            "/s",
            ours.booked() / ours.concurrent.seconds,
            theirs.booked() / theirs.concurrent.seconds,
            Target(">=", 5),
        ),
        Row(
            f"booking {CLIENTS} clients: p50",
            "ms",
            _ms(ours.concurrent.latencies, 0.5),
            _ms(theirs.concurrent.latencies, 0.5),
        ),
        Row(
            f"booking {CLIENTS} clients: p99",
            "ms",
            _ms(ours.concurrent.latencies, 0.99),
            _ms(theirs.concurrent.latencies, 0.99),
        ),
        Row(
            f"booking {CLIENTS} clients: failed",
            "",
            ours.concurrent.failures(),
            theirs.concurrent.failures(),
        ),
        Row(f"booking {CLIENTS} clients: server CPU/booking", "ms", *booking_cpu),
        Row(
            f"booking {CLIENTS} clients: gunicorn CPU/booking",
            "ms",
            ours.cpu["gunicorn"],
            theirs.cpu["gunicorn"],
        ),
        Row(
            "booking server CPU / ceiling CPU",
            "",
            booking_cpu[0] / _per_request(ceiling),
            target=Target("<=", 2, on="ours"),
        ),
        Row(
            "booking server CPU / durable-write floor CPU",
            "",
            booking_cpu[0] / _per_request(ours.floor),
            booking_cpu[1] / _per_request(theirs.floor),
        ),
        # bench/booking.py's count (transaction ids, less the idle drift) takes in every
        # database on the server, so a colleague's benchmark skews it; the rows' own
        # transaction ids, in this side's database only, carry the verdict.
        Row(
            "write transactions per booking (server-wide ids - drift)",
            "",
            ours.writes,
            theirs.writes,
        ),
        Row(
            "write transactions per booking (rows written)",
            "",
            ours.writers,
            theirs.writers,
            Target("==", 1, on="ours"),
        ),
        Row(
            f"{open_name}: p50",
            "ms",
            _ms(ours.open_loop.phase.latencies, 0.5),
            _ms(theirs.open_loop.phase.latencies, 0.5),
        ),
        Row(
            f"{open_name}: p99",
            "ms",
            _ms(ours.open_loop.phase.latencies, 0.99),
            _ms(theirs.open_loop.phase.latencies, 0.99),
            Target("<=", 100, on="ours"),
        ),
        Row(
            f"{open_name}: max",
            "ms",
            max(ours.open_loop.phase.latencies) * 1000,
            max(theirs.open_loop.phase.latencies) * 1000,
        ),
        Row(
            f"{open_name}: errors",
            "",
            ours.open_loop.phase.failures(),
            theirs.open_loop.phase.failures(),
        ),
        Row(
            f"{open_name}: 5xx or no answer",
            "",
            ours.open_loop.phase.server_errors(),
            theirs.open_loop.phase.server_errors(),
        ),
        Row(
            f"{STORM} clients on one slot: sessions held",
            "",
            ours.storm_held,
            theirs.storm_held,
            Target("==", 1, on="ours"),
        ),
        Row(
            "slot list queries, empty day",
            "",
            max(ours.slots_empty.queries),
            max(theirs.slots_empty.queries),
        ),
        Row(
            f"{slots_day}: queries",
            "",
            max(ours.slots_full.queries),
            max(theirs.slots_full.queries),
        ),
        Row(
            f"{slots_day}: queries / empty day's",
            "",
            max(ours.slots_full.queries) / max(ours.slots_empty.queries),
            max(theirs.slots_full.queries) / max(theirs.slots_empty.queries),
            Target("==", 1, on="ours"),
        ),
        Row(
            f"{slots_day}: req/s, {CLIENTS} clients",
            "/s",
            ours.slots_full.rate(),
            theirs.slots_full.rate(),
            Target(">=", 10),
        ),
        Row(
            "5xx or no answer, all phases",
            "",
            ours.server_errors(),
            theirs.server_errors(),
            Target("==", 0, on="ours"),
        ),
    ]
    return rows


def _notes(ours: Side, theirs: Side, seconds: float) -> None:
    for label, side in (("ours", ours), ("theirs", theirs)):
        print(
            f"{label}: outcomes sequential {dict(side.sequential.outcomes)}, "
            f"{CLIENTS} clients {dict(side.concurrent.outcomes)}, "
            f"open loop {dict(side.open_loop.phase.outcomes)}, "
            f"storm {dict(side.storm.outcomes)}, slot list {dict(side.slots_full.outcomes)}"
        )
        print(
            f"{label}: open loop took {side.open_loop.workers} client threads, latest send "
            f"{side.open_loop.late * 1000:.1f} ms after its time; idle drift "
            f"{side.drift:.1f} transaction ids/s (taken off the write transactions)"
        )
        if side.concurrent.seconds < seconds * 0.95:
            print(f"note: {label} booked every planned slot before {seconds} s were up")


def main() -> None:
    args = _arguments()
    LOG.parent.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    print(f"Installing {PEER_PACKAGE}=={PEER_VERSION} into {PEER_VENV.relative_to(ROOT)} ...")
    peer_version = _peer_venv()
    print(f"Creating and seeding {booking.DATABASE} and {PEER_DATABASE} (server logs: {LOG}) ...")
    env = {**booking._env(args.port), "DJANGO_SETTINGS_MODULE": "bench.peer_site.settings_ours"}
    booking._create_database(env)
    items = booking._seed(env, args.interviewers, args.candidates)
    plan = _plan(items, args.sequential, _open_count(args))
    print(
        f"ours: {args.interviewers} interviewers, {len(plan.tokens)} candidates; "
        f"{len(plan.sequential)} sequential, {len(plan.closed)} for {CLIENTS} clients, "
        f"{len(plan.open_loop)} open-loop bookings planned ..."
    )
    ours = _ours(args, plan)
    print(f"theirs (django-appointment {peer_version}) ...")
    theirs = _theirs(args, plan)
    booking._admin(f"DROP DATABASE IF EXISTS {booking.DATABASE} WITH (FORCE)")
    booking._admin(f"DROP DATABASE IF EXISTS {PEER_DATABASE} WITH (FORCE)")

    stack = (
        f"Django {version('django')}, gunicorn {version('gunicorn')} "
        f"({os.environ.get('WEB_CONCURRENCY', '3')} sync workers), psycopg {version('psycopg')}, "
        f"PostgreSQL on 127.0.0.1; django-appointment {peer_version}"
    )
    print()
    print(stack + ("; --quick" if args.quick else ""))
    rows = _rows(ours, theirs, plan, args)
    print_rows(rows, "django-appointment")
    _notes(ours, theirs, args.seconds)
    print(f"whole run: {time.monotonic() - began:.0f} s")
    if args.json:
        write_json(
            args.json,
            "bench/peer.py",
            rows,
            {"stack": stack, "quick": args.quick, "peer": f"django-appointment {peer_version}"},
        )
        print(f"rows written to {args.json}")


if __name__ == "__main__":
    main()
