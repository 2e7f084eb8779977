"""What `make run` prints and how it stops: each log line once, and a Celery worker that
exits on Ctrl-C before honcho loses patience and kills it (issue 11).

Both run real processes, as `make run` does: the settings module and the worker command
of the Procfile, on SQLite and the filesystem broker, in a folder of the test's own.
"""

from __future__ import annotations

import os
import queue
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from honcho.environ import parse_procfile
from honcho.manager import KILL_WAIT

ROOT = Path(__file__).resolve().parent.parent
# Starting Django and Celery on a busy machine takes a while; this only bounds a hang.
START_TIMEOUT_SECONDS = 90

# Logs one line from each kind of logger: Django's own, Celery's, ours. Then, as a worker
# does at start (config.celery's setup_logging receiver), configures logging again and
# logs them once more.
LOG_EACH_ONCE = """
import logging
import django

django.setup()

def log_each(round):
    for name in ("django.request", "django.server", "celery.worker", "accounts"):
        logging.getLogger(name).warning("line-%s-%s", name, round)

log_each("web")
from config.celery import _use_the_sites_logging
_use_the_sites_logging()
log_each("worker")
"""


def _make_run_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    # What `make run` has: DEBUG on, SQLite, the filesystem broker, no Redis.
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return {
        **inherited,
        "DEBUG": "True",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_FILESYSTEM_DIR": str(tmp_path / "celery"),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_it_prints_each_log_line_once(tmp_path: Path, log_format: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", LOG_EACH_ONCE],
        cwd=ROOT,
        env=_make_run_environment(tmp_path, LOG_FORMAT=log_format),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_SECONDS,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    printed = result.stdout + result.stderr
    for name in ("django.request", "django.server", "celery.worker", "accounts"):
        for round_ in ("web", "worker"):
            assert printed.count(f"line-{name}-{round_}") == 1, (name, round_, printed)


def test_it_migrates_and_seeds_without_a_warning(tmp_path: Path) -> None:
    # `make run` prints these first; a newcomer reads any WARNING there as something broken.
    env = _make_run_environment(tmp_path)
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_SECONDS,
            check=False,
        )

        assert result.returncode == 0, result.stderr
        assert "WARNING" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert list((tmp_path / "celery").glob("*.msg")), "seeding queues the plans' tasks"


def _worker_command() -> list[str]:
    with (ROOT / "Procfile").open() as procfile:
        command = shlex.split(parse_procfile(procfile.read()).processes["worker"])
    assert command[0] == "celery"
    return [sys.executable, "-m", "celery", *command[1:]]


def _lines(stream: subprocess.Popen[str]) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert stream.stdout is not None
        for line in stream.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_until_ready(lines: queue.Queue[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if " ready." in line:
            return
    pytest.fail("the worker did not start:\n" + "".join(seen))


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["term", "ctrl-c"])
def test_it_stops_the_worker_within_honchos_grace_period(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and the Procfile's command
        _worker_command(),
        cwd=ROOT,
        env=_make_run_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_until_ready(_lines(worker))
        # Idle in its loop, as a `make run` worker is when someone presses Ctrl-C.
        time.sleep(1)

        os.killpg(worker.pid, stop_signal)

        # honcho sends SIGTERM, waits KILL_WAIT seconds, then sends SIGKILL.
        worker.wait(timeout=KILL_WAIT)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
