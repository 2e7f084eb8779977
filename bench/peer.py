"""Benchmark: our booking side by side with django-appointment's, in one run.

    .venv/bin/python bench/peer.py [--sequential 50] [--seconds 5] [--interviewers 10]

django-appointment (PyPI, the most used Django booking app) never becomes a dependency of
ours: the script makes its own virtual environment, var/peer-venv, installs it there with
the Django, gunicorn and psycopg versions we run, and hosts it in bench/peer_site (settings,
urls, wsgi). Both sides run on the same PostgreSQL, each in a throwaway database of its
own, behind gunicorn with our gunicorn.conf.py (sync workers) and the same psycopg pool,
DEBUG off, one side at a time so they never share the cores.

Both get the same interviewer hours (every day 00:00-23:59 UTC, one-hour sessions) and the
same candidates, planned by bench/booking.py's seeding, and both are driven as their users
drive them, over HTTP on loopback:
- ours: `POST /api/v1/sessions/` with a candidate's API token;
- theirs: its own booking views, the two form posts a logged-in client makes
  (`request-submit/`, then `client-info/...`, CSRF on), as one booking. Its slot list is
  the AJAX view its booking page calls.
Measured on each: N distinct slots booked one after another (p50, p99); then the slot
list of one interviewer for the day those N bookings fill (queries per request, from a
header bench/peer_site/querycount.py adds on both sides, and requests per second with 16
clients), also on the empty day; then 16 clients booking distinct slots for `--seconds`
(throughput, p50, p99, failures, queries and gunicorn's CPU per booking); then 50
clients on one slot at once (bookings the database holds for it afterwards).

The load generator shares the machine with the servers, so absolute figures are a floor;
the ratios, from one run, are the figures to compare.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
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

PEER_VENV = ROOT / "var" / "peer-venv"
PEER_PYTHON = PEER_VENV / "bin" / "python"
PEER_PACKAGE = "django-appointment==3.12.0"
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


# --- Plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One booking to make: the n-th interviewer, the n-th candidate, a start time (UTC)."""

    interviewer: int
    candidate: int
    start: datetime
    body: bytes  # ours, as bench/booking.py planned it


def _plan(items: list[booking.Booking]) -> tuple[list[Slot], list[int], list[str]]:
    """Turn bench/booking.py's planned bookings into slots both sides can book.

    Returns the slots, our interviewers' user ids and our candidates' tokens, both in the
    order they were created, so index n means the same person on both sides.
    """
    bodies = [json.loads(item.body) for item in items]
    interviewers = sorted({body["interviewer"] for body in bodies})
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
    return slots, interviewers, tokens


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
        return sum(count for outcome, count in self.outcomes.items() if outcome != "booked")

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
            try:
                outcome, queries = task(connection)
            except OSError:
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=30)
                outcome, queries = "no answer", 0
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


@dataclass
class Side:
    """What one side measured."""

    sequential: Phase
    slots_empty: Phase
    slots_full: Phase
    concurrent: Phase
    storm: Phase
    storm_held: int  # bookings the database holds for the storm's slot afterwards
    web_cpu: float  # gunicorn's CPU milliseconds per booking in the 16-client phase


def _measure(
    server: subprocess.Popen[bytes],
    port: int,
    plan: list[Slot],
    storm: list[Task],
    slot_list: Task,
    book: Callable[[Slot], Task],
    sequential: int,
    seconds: float,
) -> tuple[Phase, Phase, Phase, Phase, Phase, float]:
    """The same phases in the same order on either side (its server already running)."""
    _drive(port, CLIENTS, 2, itertools.repeat(slot_list))  # warm-up: imports, pool, caches
    slots_empty = _drive(port, CLIENTS, seconds, itertools.repeat(slot_list))
    first = iter(book(slot) for slot in plan[:sequential])
    sequential_phase = _drive(port, 1, 3600, first)
    slots_full = _drive(port, CLIENTS, seconds, itertools.repeat(slot_list))
    rest = iter(book(slot) for slot in plan[sequential:])
    # CPU is the steadier figure on a shared machine. Only gunicorn's: bench/booking.py's
    # counter finds PostgreSQL backends by our database's name alone.
    cpu_before = booking._cpu(server.pid)["gunicorn"]
    concurrent = _drive(port, CLIENTS, seconds, rest)
    web_cpu = (booking._cpu(server.pid)["gunicorn"] - cpu_before) * 1000
    storm_phase = _drive(port, STORM, 60, iter(storm))
    booked = max(concurrent.outcomes["booked"], 1)
    return sequential_phase, slots_empty, slots_full, concurrent, storm_phase, web_cpu / booked


# --- Ours ------------------------------------------------------------------------------------


def _ours(
    args: argparse.Namespace,
    plan: list[Slot],
    storm_slot: Slot,
    reserved: list[int],
    interviewers: list[int],
    tokens: list[str],
) -> Side:
    env = {**booking._env(args.port), "DJANGO_SETTINGS_MODULE": "bench.peer_site.settings_ours"}

    def book(slot: Slot) -> Task:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Token {tokens[slot.candidate]}",
        }

        def task(connection: HTTPConnection) -> tuple[str, int]:
            status, _, queries, _ = _send(
                connection, "POST", "/api/v1/sessions/", slot.body, headers
            )
            return ("booked" if status == 201 else f"HTTP {status}"), queries

        return task

    day = plan[0].start.replace(hour=0)
    query = urlencode({"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat()})
    slots_path = f"/api/v1/interviewers/{interviewers[0]}/slots/?{query}"
    slots_headers = {"Authorization": f"Token {tokens[0]}"}

    def slot_list(connection: HTTPConnection) -> tuple[str, int]:
        status, _, queries, _ = _send(connection, "GET", slots_path, None, slots_headers)
        return ("ok" if status == 200 else f"HTTP {status}"), queries

    storm_body = json.dumps(
        {"interviewer": interviewers[storm_slot.interviewer], "start": storm_slot.start.isoformat()}
    ).encode()
    storm = [
        book(Slot(storm_slot.interviewer, candidate, storm_slot.start, storm_body))
        for candidate in reserved
    ]
    with _output_to(LOG):
        server = booking._start_gunicorn(env, args.port)
    try:
        phases = _measure(
            server, args.port, plan, storm, slot_list, book, args.sequential, args.seconds
        )
    finally:
        booking._stop(server)
    with psycopg.connect(f"{booking.SERVER}/{booking.DATABASE}") as connection:
        row = connection.execute(
            "SELECT count(*) FROM interviews_session WHERE interviewer_id = %s AND start = %s",
            [interviewers[storm_slot.interviewer], storm_slot.start],
        ).fetchone()
    *measured, web_cpu = phases
    return Side(*measured, storm_held=int(row[0]) if row else 0, web_cpu=web_cpu)


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
    """Create var/peer-venv if need be, install theirs with our server stack; its version."""
    if not PEER_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    ours = [
        f"django=={version('django')}",
        f"gunicorn=={version('gunicorn')}",
        f"psycopg[binary,pool]=={version('psycopg')}",
        f"django-environ=={version('django-environ')}",  # gunicorn.conf.py imports it
    ]
    subprocess.run(
        [
            str(PEER_PYTHON),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            PEER_PACKAGE,
            *ours,
        ],
        check=True,
    )
    found = subprocess.run(
        [
            str(PEER_PYTHON),
            "-c",
            "from importlib.metadata import version; print(version('django-appointment'))",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout.strip()


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


def _theirs(
    args: argparse.Namespace,
    plan: list[Slot],
    storm_slot: Slot,
    reserved: list[int],
    candidates: int,
) -> Side:
    env = _peer_env()
    with _output_to(LOG):
        seeded = _peer_seed(env, args.interviewers, candidates)
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

    day = plan[0].start.date().isoformat()
    slots_path = "/appointment/ajax/available_slots/?" + urlencode(
        {"selected_date": day, "staff_member": staff[0], "service_id": service}
    )
    slots_headers = {"X-Requested-With": "XMLHttpRequest", "Cookie": f"sessionid={sessions[0]}"}

    def slot_list(connection: HTTPConnection) -> tuple[str, int]:
        status, _, queries, content = _send(connection, "GET", slots_path, None, slots_headers)
        # It answers 200 to "not a working day" and "no availability" too.
        listed = status == 200 and json.loads(content).get("available_slots")
        return ("ok" if listed else f"HTTP {status}, no slots"), queries

    storm = [book(Slot(storm_slot.interviewer, n, storm_slot.start, b"")) for n in reserved]
    with _output_to(LOG):
        server = _start_peer(env, args.port + 1)
    try:
        phases = _measure(
            server, args.port + 1, plan, storm, slot_list, book, args.sequential, args.seconds
        )
    finally:
        booking._stop(server)
    with psycopg.connect(f"{booking.SERVER}/{PEER_DATABASE}") as connection:
        row = connection.execute(
            "SELECT count(*) FROM appointment_appointment a "
            "JOIN appointment_appointmentrequest r ON r.id = a.appointment_request_id "
            "WHERE r.staff_member_id = %s AND r.date = %s AND r.start_time = %s",
            [staff[storm_slot.interviewer], storm_slot.start.date(), storm_slot.start.time()],
        ).fetchone()
    *measured, web_cpu = phases
    return Side(*measured, storm_held=int(row[0]) if row else 0, web_cpu=web_cpu)


# --- Report ----------------------------------------------------------------------------------


def _ms(phase: Phase, share: float) -> float:
    return booking._percentile(phase.latencies, share) * 1000


def _queries(phase: Phase) -> str:
    low, high = min(phase.queries), max(phase.queries)
    return str(low) if low == high else f"{low}-{high}"


def _print_table(ours: Side, theirs: Side, booked_day: int, sequential: int) -> None:
    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, mine: float, peer: float, unit: str, target: str = "") -> None:
        ratio = f"{mine / peer:.2f}x" if peer else "-"
        rows.append((name, f"{mine:.1f}{unit}", f"{peer:.1f}{unit}", f"{ratio}  {target}"))

    row(
        f"sequential booking p50 ({sequential})",
        _ms(ours.sequential, 0.5),
        _ms(theirs.sequential, 0.5),
        " ms",
        "(target <= 0.33x)",
    )
    row("sequential booking p99", _ms(ours.sequential, 0.99), _ms(theirs.sequential, 0.99), " ms")
    row(
        f"{CLIENTS} clients: bookings/s",
        ours.concurrent.outcomes["booked"] / ours.concurrent.seconds,
        theirs.concurrent.outcomes["booked"] / theirs.concurrent.seconds,
        "/s",
        "(target >= 5x)",
    )
    row(f"{CLIENTS} clients: p50", _ms(ours.concurrent, 0.5), _ms(theirs.concurrent, 0.5), " ms")
    row(f"{CLIENTS} clients: p99", _ms(ours.concurrent, 0.99), _ms(theirs.concurrent, 0.99), " ms")
    rows.append(
        (
            f"{CLIENTS} clients: failed / 5xx",
            f"{ours.concurrent.failures()} / {ours.concurrent.server_errors()}",
            f"{theirs.concurrent.failures()} / {theirs.concurrent.server_errors()}",
            "(target: 0 5xx)",
        )
    )
    rows.append(("queries per booking", _queries(ours.sequential), _queries(theirs.sequential), ""))
    row(f"{CLIENTS} clients: gunicorn CPU/booking", ours.web_cpu, theirs.web_cpu, " ms")
    rows.append(
        (
            f"{STORM} clients on one slot: held",
            str(ours.storm_held),
            str(theirs.storm_held),
            "(target: exactly 1)",
        )
    )
    rows.append(
        (
            "slot list queries, empty day",
            _queries(ours.slots_empty),
            _queries(theirs.slots_empty),
            "",
        )
    )
    rows.append(
        (
            f"slot list queries, {booked_day} bookings",
            _queries(ours.slots_full),
            _queries(theirs.slots_full),
            "(target: same as empty)",
        )
    )
    row(
        f"slot list, {booked_day} bookings: req/s",
        ours.slots_full.rate(),
        theirs.slots_full.rate(),
        "/s",
        "(target >= 10x)",
    )
    width = max(len(name) for name, *_ in rows)
    print(f"{'':{width}}  {'ours':>14}  {'django-appointment':>18}  ours/theirs")
    for name, mine, peer, ratio in rows:
        print(f"{name:{width}}  {mine:>14}  {peer:>18}  {ratio}")
    for label, side in (("ours", ours), ("theirs", theirs)):
        print(
            f"{label}: outcomes sequential {dict(side.sequential.outcomes)}, "
            f"{CLIENTS} clients {dict(side.concurrent.outcomes)}, "
            f"storm {dict(side.storm.outcomes)}, "
            f"slot list {dict(side.slots_full.outcomes)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sequential", type=int, default=50, help="bookings one at a time")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each timed phase")
    # Enough planned bookings that 16 clients do not run out within --seconds.
    parser.add_argument("--interviewers", type=int, default=20)
    parser.add_argument("--candidates", type=int, default=600)
    parser.add_argument("--port", type=int, default=8766, help="ours; theirs on the next one")
    args = parser.parse_args()
    if args.candidates < args.interviewers + STORM:
        raise SystemExit(f"need at least {args.interviewers + STORM} candidates")
    if args.sequential > booking.CAPACITY * args.interviewers:
        raise SystemExit("--sequential: at most 20 per interviewer, so that all fall on one day")

    print(f"Installing {PEER_PACKAGE} into {PEER_VENV.relative_to(ROOT)} ...")
    peer_version = _peer_venv()
    print(f"Creating and seeding {booking.DATABASE} and {PEER_DATABASE} (server logs: {LOG}) ...")
    env = {**booking._env(args.port), "DJANGO_SETTINGS_MODULE": "bench.peer_site.settings_ours"}
    booking._create_database(env)
    slots, interviewers, tokens = _plan(booking._seed(env, args.interviewers, args.candidates))
    # The storm's 50 candidates book nothing else (each may hold only 3 sessions with us),
    # and its slot, interviewer 0's last planned one of the first week, is taken out of the
    # plan so that interviewer's weekly capacity still has room for it.
    reserved = list(range(args.candidates - STORM, args.candidates))
    storm_slot = next(
        s
        for s in reversed(slots)
        if s.interviewer == 0 and s.start < slots[0].start + timedelta(days=1)
    )
    plan = [s for s in slots if s.candidate not in reserved and s != storm_slot]
    booked_day = sum(1 for s in plan[: args.sequential] if s.start.date() == plan[0].start.date())

    print(f"ours: {len(plan)} bookings planned ...")
    ours = _ours(args, plan, storm_slot, reserved, interviewers, tokens)
    print(f"theirs (django-appointment {peer_version}) ...")
    theirs = _theirs(args, plan, storm_slot, reserved, args.candidates)
    booking._admin(f"DROP DATABASE IF EXISTS {booking.DATABASE} WITH (FORCE)")
    booking._admin(f"DROP DATABASE IF EXISTS {PEER_DATABASE} WITH (FORCE)")

    print()
    print(
        f"Django {version('django')}, gunicorn {version('gunicorn')} "
        f"({os.environ.get('WEB_CONCURRENCY', '3')} sync workers), psycopg {version('psycopg')}, "
        f"PostgreSQL on 127.0.0.1; django-appointment {peer_version}"
    )
    _print_table(ours, theirs, booked_day, args.sequential)
    for label, side in (("ours", ours), ("theirs", theirs)):
        if side.concurrent.seconds < args.seconds * 0.95:
            print(f"note: {label} booked every planned slot before {args.seconds} s were up")


if __name__ == "__main__":
    main()
