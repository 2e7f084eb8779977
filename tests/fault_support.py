"""Real processes for the fault tests: a Redis server of the test's own, and Celery workers
and a beat started as production starts them (`celery -A config worker|beat`), pointed at
that server and at the test database, with mail going to files (`tests.fault_mail`).

The Redis server is the test's own so that it can be stopped and so that a shrunk
visibility timeout cannot reach anyone else: kombu keeps every consumer's unacknowledged
tasks in one hash per database, and a worker with a 1-second timeout would hand the
shared server's long tasks (another test run's) to a second worker.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection
from kombu.pools import ProducerPool

from config.celery import app as celery_app
from tests.fault_mail import SENDING, SENT

WAIT_SECONDS = 30
# The queue every process here uses: the server is private, so the default name is too.
QUEUE = "celery"
# kombu's hash of delivered, not yet acknowledged tasks (`acks_late`).
UNACKED = "unacked"
MESSAGE_ID = re.compile(r"<notification-(\d+)@")


def wait_for(condition: Callable[[], bool], *, seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url() -> str:
    """The database pytest-django made, as DATABASE_URL for another process."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _stop(process: subprocess.Popen[bytes], *, kill: bool = False) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class RedisServer:
    """`redis-server` on a free port, nothing persisted: a restart comes back empty, as a
    broker that lost its memory does."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not on PATH"
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [
                binary,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
                *("--dir", str(self.directory), "--logfile", str(self.directory / "redis.log")),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self._answers, seconds=10), "the private redis-server did not start"

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None

    def _answers(self) -> bool:
        try:
            with self._client() as client:
                return bool(client.ping())
        except redis.ConnectionError:
            return False

    def _client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=2)

    def idle(self) -> bool:
        """No task waiting in the queue, none delivered and not yet acknowledged."""
        with self._client() as client:
            return client.llen(QUEUE) == 0 and client.hlen(UNACKED) == 0


@dataclass
class CeleryProcess:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    ready_line: str

    def started_or_exited(self) -> bool:
        return self.process.poll() is not None or self.ready_line in self.output()

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def task_ids(self, task: str, event: str = "received") -> set[str]:
        """Ids of the `task` runs this process logged `event` for, in Celery's words."""
        pattern = rf"Task {re.escape(task)}\[([0-9a-f-]+)\] {event}"
        return set(re.findall(pattern, self.output()))


@dataclass(frozen=True)
class Sent:
    row_id: int
    to: str
    pid: int


class FaultLab:
    """Everything a fault test starts; `close` ends all of it, whatever happened."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.mail = directory / "mail"
        self.redis = RedisServer(directory)
        self.processes: list[CeleryProcess] = []
        self.starting: list[CeleryProcess] = []

    def worker(
        self, name: str, *, send_pause: float = 0.0, visibility_timeout: float = 3600
    ) -> CeleryProcess:
        """Starts a worker; `ready` waits for it (workers start side by side, in seconds)."""
        return self._spawn(
            name,
            [
                *("worker", "--pool=solo", "-Q", QUEUE, "-n", f"{name}-{uuid.uuid4().hex[:8]}@%h"),
                *("--without-heartbeat", "--without-gossip", "--without-mingle"),
            ],
            ready=" ready.",
            FAULT_SEND_PAUSE=str(send_pause),
            FAULT_VISIBILITY_TIMEOUT=str(visibility_timeout),
        )

    def beat(self) -> CeleryProcess:
        schedule = self.directory / "celerybeat-schedule"
        return self._spawn("beat", ["beat", "-s", str(schedule)], ready="beat: Starting")

    def ready(self) -> None:
        """Wait until every process started since the last call consumes (or schedules)."""
        for started in self.starting:
            assert wait_for(started.started_or_exited), f"{started.name} did not start"
            output = started.output()[-3000:]
            assert started.process.poll() is None, f"{started.name} exited:\n{output}"
        self.starting.clear()

    def _spawn(self, name: str, arguments: list[str], *, ready: str, **env: str) -> CeleryProcess:
        log = self.directory / f"{name}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.fault_settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.redis.url,
            "FAULT_MAIL_DIR": str(self.mail),
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        environment.pop("CELERY_BROKER_WRITE_URL", None)
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", "celery", "-A", "config", *arguments, "--loglevel=INFO"],
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        started = CeleryProcess(name=name, process=process, log=log, ready_line=ready)
        self.processes.append(started)
        self.starting.append(started)
        return started

    def kill(self, started: CeleryProcess) -> None:
        _stop(started.process, kill=True)

    def sending(self) -> list[tuple[int, int]]:
        """(process id, notification id) of every send that began, finished or not."""
        folder = self.mail / SENDING
        if not folder.exists():
            return []
        return [
            (int(path.name.split("-")[0]), _row_id(path.read_text())) for path in folder.iterdir()
        ]

    def sent(self) -> list[Sent]:
        folder = self.mail / SENT
        if not folder.exists():
            return []
        return [_read_sent(path) for path in folder.glob("*.eml")]

    def settled(self) -> bool:
        """The broker idle twice in a row: a task between Redis's hands and a worker's
        (popped, not yet recorded as unacknowledged) is not mistaken for none at all."""
        if not self.redis.idle():
            return False
        time.sleep(0.3)
        return self.redis.idle()

    def close(self) -> None:
        for started in self.processes:
            _stop(started.process, kill=True)
        self.redis.stop()
        # Shown by pytest only when the test failed.
        for started in self.processes:
            print(f"----- {started.name} (pid {started.pid}) -----\n{started.output()[-4000:]}")


def _row_id(message_id: str) -> int:
    found = MESSAGE_ID.match(message_id)
    assert found, f"not a notification's Message-ID: {message_id!r}"
    return int(found.group(1))


def _read_sent(path: Path) -> Sent:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    return Sent(
        row_id=_row_id(str(message["Message-ID"])),
        to=str(message["To"]),
        pid=int(path.name.split("-")[0]),
    )


@contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """Tasks this process sends (on commit, or the test's own) go to the broker at `url`.

    The connection and producer pools are the app's own for the while, outside kombu's
    global registry, so nothing of the private server outlives the test.
    """
    conf = celery_app.conf
    write_url = conf.get("broker_write_url")
    default_queue = conf.task_default_queue
    conf.broker_write_url = url
    # The queue the lab's workers consume, not the test's own (tests.celery_support).
    conf.task_default_queue = QUEUE
    assert conf.broker_write_url == url, "CELERY_BROKER_WRITE_URL in the environment wins"
    connections = celery_app.connection_for_write().Pool(limit=conf.broker_pool_limit)
    producers = ProducerPool(connections, limit=connections.limit)
    celery_app._pool, celery_app.amqp._producer_pool = connections, producers
    try:
        yield
    finally:
        producers.force_close_all()
        connections.force_close_all()
        celery_app._pool, celery_app.amqp._producer_pool = None, None
        conf.broker_write_url = write_url
        conf.task_default_queue = default_queue
