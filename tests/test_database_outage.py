"""PostgreSQL unreachable: gunicorn, started as production starts it, on a database port
where nothing listens. Every request answers 503 at once (a page for people, the error
shape for the API) instead of holding a worker, and /healthz takes the instance out.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.fault_support import _free_port, _stop, wait_for

# Nothing listens on port 1: connections are refused, as by a host whose PostgreSQL died.
DEAD_DATABASE_URL = "postgres://postgres@127.0.0.1:1/mockloop"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the test looks at the first answer itself


OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass(frozen=True)
class Server:
    url: str
    log: Path

    def get(self, path: str, **headers: str) -> Answer:
        request = urllib.request.Request(self.url + path, headers=headers)  # noqa: S310
        started = time.monotonic()
        try:
            with OPENER.open(request, timeout=30) as response:
                answer = Answer(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, dict(error.headers), error.read().decode())
        print(f"GET {path}: {answer.status} in {time.monotonic() - started:.2f} s")
        return answer


def _answers(server: Server) -> bool:
    try:
        return server.get("/api/nothing-here").status == 404
    except OSError:
        return False


def production_environment(tmp_path: Path, port: int, **overrides: str) -> dict[str, str]:
    """The environment docker-compose gives the web service, on this machine's services."""
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "False",
        "CACHE_URL": "locmemcache://",
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_FILESYSTEM_DIR": str(tmp_path / "celery"),
        "WEB_CONCURRENCY": "1",
        "PYTHONUNBUFFERED": "1",
        **overrides,
    }


@pytest.fixture(scope="module")
def dead_database_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp_path = tmp_path_factory.mktemp("dead-database")
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    environment = production_environment(tmp_path, port, DATABASE_URL=DEAD_DATABASE_URL)
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
                *("--bind", f"127.0.0.1:{port}"),
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        server = Server(url=f"http://127.0.0.1:{port}", log=log)
        # An address that touches no database: answered once the worker loaded the app.
        assert wait_for(lambda: _answers(server) or process.poll() is not None), "no gunicorn"
        assert process.poll() is None, log.read_text()
        yield server
    finally:
        _stop(process)
        print(log.read_text()[-4000:])


def test_it_takes_the_instance_out_of_rotation(dead_database_server: Server) -> None:
    response = dead_database_server.get("/healthz")

    assert response.status == 503
    assert json.loads(response.body) == {
        "database": "down",
        "cache": "ok",
        "broker": "ok",
        "status": "down",
    }


def test_it_says_the_site_is_down_for_a_moment(dead_database_server: Server) -> None:
    # A signed-in visitor (a well-formed session key): the database is asked who they are.
    response = dead_database_server.get("/sessions/", Cookie=f"sessionid={'a' * 32}")

    assert response.status == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "down for a moment" in response.body
    assert response.headers["Retry-After"] == "30"


def test_it_answers_the_api_in_its_error_shape(dead_database_server: Server) -> None:
    response = dead_database_server.get("/api/v1/me/", Authorization="Token abc123")

    assert response.status == 503
    assert json.loads(response.body)["error"]["code"] == "unavailable"
    assert set(json.loads(response.body)["error"]) >= {"code", "message", "fields"}


def test_it_logs_json_lines_under_the_request_id(dead_database_server: Server) -> None:
    response = dead_database_server.get(
        "/sessions/", Cookie=f"sessionid={'b' * 32}", **{"X-Request-ID": "outage-7"}
    )

    assert response.headers["X-Request-ID"] == "outage-7"
    assert "Reference: <code>outage-7</code>" in response.body
    # gunicorn writes its access line after the response has gone out: wait for it.
    assert wait_for(lambda: _access_line_for(dead_database_server.log, "outage-7")), (
        "no gunicorn access line names the request id the site answered with"
    )
    ours = [
        entry for entry in _entries(dead_database_server.log) if entry["request_id"] == "outage-7"
    ]
    assert {"logger": "django.request", "level": "ERROR"}.items() <= ours[-1].items()
    assert "PoolTimeout" in ours[-1]["exception"]


def _entries(log: Path) -> list[dict[str, str]]:
    lines = log.read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def _access_line_for(log: Path, request_id: str) -> bool:
    access = [entry for entry in _entries(log) if entry["logger"] == "gunicorn.access"]
    return any(entry["message"].endswith(f" {request_id}") for entry in access)
