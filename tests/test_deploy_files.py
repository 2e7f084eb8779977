"""Structure checks for the deployment files (Dockerfile, docker-compose.yml).

No Docker engine is needed: the files are parsed and their shape asserted, so a
refactor that drops the release step, the non-root user or a healthcheck fails
here instead of in production.
"""

from __future__ import annotations

import itertools
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING_APP_SERVICES = ("web", "worker", "beat")
BACKING_SERVICES = ("db", "redis")


# --- docker-compose.yml helpers -------------------------------------------------------------


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(compose, dict)
    services = compose.get("services")
    assert isinstance(services, dict)
    return services


def _as_argv(value: str | list[Any]) -> list[str]:
    """A compose command or healthcheck test, in either string or list form, as argv."""
    if isinstance(value, str):
        return shlex.split(value)
    return [str(part) for part in value]


def _command(service: dict[str, Any]) -> list[str]:
    assert "command" in service, "service has no command"
    return _as_argv(service["command"])


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """The environment in mapping or `KEY=value` list form, as a mapping."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(entry.split("=", 1) if "=" in entry else (entry, "") for entry in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _depends_on(service: dict[str, Any]) -> dict[str, str]:
    """Dependency name -> condition (the short list form means `service_started`)."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


# --- Dockerfile helpers ---------------------------------------------------------------------


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comments dropped and continuations joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        pending = ""
    assert not pending, "Dockerfile ends inside a line continuation"
    return instructions


def _final_stage() -> list[tuple[str, str]]:
    """The instructions of the stage that becomes the image: everything after the last FROM."""
    instructions = _instructions()
    froms = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert froms, "Dockerfile has no FROM"
    return instructions[froms[-1] :]


def _exec_or_shell_form(args: str) -> list[str]:
    if args.startswith("["):
        parsed = json.loads(args)
        assert isinstance(parsed, list)
        return [str(part) for part in parsed]
    return shlex.split(args)


# --- docker-compose.yml ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["db", "redis", "migrate", "web", "worker", "beat"])
def test_it_defines_the_service(services: dict[str, Any], name: str) -> None:
    assert name in services


@pytest.mark.parametrize(("name", "expected"), [("db", "postgres:17"), ("redis", "redis:7")])
def test_it_pins_the_backing_service_major_version(
    services: dict[str, Any], name: str, expected: str
) -> None:
    image = services[name]["image"]
    # postgres:17, postgres:17.6, postgres:17-bookworm, ...@sha256:... but not postgres:170.
    assert re.fullmatch(rf"{re.escape(expected)}([.-][^@]*)?(@sha256:[0-9a-f]+)?", image), image


def test_it_builds_one_image_for_every_app_service(services: dict[str, Any]) -> None:
    builds = {name: services[name].get("build") for name in APP_SERVICES}
    images = {name: services[name].get("image") for name in APP_SERVICES}
    assert all(builds.values()), builds
    assert len({json.dumps(build, sort_keys=True) for build in builds.values()}) == 1, builds
    assert len(set(images.values())) == 1, images

    build = builds["web"]
    context = build if isinstance(build, str) else build.get("context", ".")
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    assert (COMPOSE_FILE.parent / context / dockerfile).resolve() == DOCKERFILE


def test_it_makes_migrate_a_one_shot_job(services: dict[str, Any]) -> None:
    migrate = services["migrate"]
    assert _command(migrate)[:3] == ["python", "manage.py", "migrate"]
    assert "--noinput" in _command(migrate)
    # Restarting it would re-run migrations forever and never "complete successfully".
    assert str(migrate.get("restart", "no")) == "no"
    assert _depends_on(migrate).get("db") == "service_healthy"


@pytest.mark.parametrize("name", LONG_RUNNING_APP_SERVICES)
def test_it_runs_migrations_as_a_release_step_before_web(
    services: dict[str, Any], name: str
) -> None:
    assert _depends_on(services[name]).get("migrate") == "service_completed_successfully"


@pytest.mark.parametrize(
    ("name", "backing"), list(itertools.product(LONG_RUNNING_APP_SERVICES, BACKING_SERVICES))
)
def test_it_waits_for_healthy_backing_services(
    services: dict[str, Any], name: str, backing: str
) -> None:
    assert _depends_on(services[name]).get(backing) == "service_healthy"


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker"])
def test_it_healthchecks_the_service(services: dict[str, Any], name: str) -> None:
    healthcheck = services[name].get("healthcheck") or {}
    assert not healthcheck.get("disable"), f"{name}'s healthcheck is disabled"
    test = _as_argv(healthcheck.get("test") or [])
    assert test, f"{name} has no healthcheck test"
    assert test[0] != "NONE"


def test_it_healthchecks_web_on_healthz(services: dict[str, Any]) -> None:
    test = " ".join(_as_argv(services["web"]["healthcheck"]["test"]))
    assert "http://127.0.0.1:8000/healthz" in test


def test_it_pings_each_worker_by_its_own_node_name(services: dict[str, Any]) -> None:
    test = " ".join(_as_argv(services["worker"]["healthcheck"]["test"]))
    assert "celery -A config inspect ping" in test
    # `$$` is compose's escape: a single `$` would be interpolated from the host's
    # environment when the file is loaded, not from the container's hostname.
    assert "celery@$$HOSTNAME" in test


@pytest.mark.parametrize("name", ["migrate", "beat"])
def test_it_turns_off_the_image_http_healthcheck_where_nothing_serves_http(
    services: dict[str, Any], name: str
) -> None:
    # The image's HEALTHCHECK calls /healthz; inherited, it would mark these unhealthy forever.
    assert (services[name].get("healthcheck") or {}).get("disable") is True


def test_it_runs_exactly_one_beat(services: dict[str, Any]) -> None:
    beat = services["beat"]
    assert (beat.get("deploy") or {}).get("replicas", 1) == 1
    assert beat.get("scale", 1) == 1


@pytest.mark.parametrize(
    ("name", "variable"),
    list(itertools.product(APP_SERVICES, ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"))),
)
def test_it_configures_the_app_service(services: dict[str, Any], name: str, variable: str) -> None:
    assert _environment(services[name]).get(variable), f"{name} lacks {variable}"


@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        ("DATABASE_URL", "@db:5432/"),
        ("CELERY_BROKER_URL", "redis://redis:6379/"),
        # Taken from the deployer's environment, never a secret committed to the repo.
        ("SECRET_KEY", "${SECRET_KEY"),
    ],
)
def test_it_points_the_app_at_the_compose_services(
    services: dict[str, Any], variable: str, expected: str
) -> None:
    for name in APP_SERVICES:
        assert expected in _environment(services[name])[variable], name


@pytest.mark.parametrize(
    ("name", "expected_prefix"),
    [
        ("web", ["gunicorn", "config.wsgi:application"]),
        ("worker", ["celery", "-A", "config", "worker"]),
        ("beat", ["celery", "-A", "config", "beat"]),
    ],
)
def test_it_runs_the_right_process(
    services: dict[str, Any], name: str, expected_prefix: list[str]
) -> None:
    assert _command(services[name])[: len(expected_prefix)] == expected_prefix


# --- Dockerfile -----------------------------------------------------------------------------


def test_it_builds_every_stage_on_python_3_13() -> None:
    # The venv built in one stage links to the interpreter of the other: they must match.
    images = [
        next(token for token in args.split() if not token.startswith("--"))
        for keyword, args in _instructions()
        if keyword == "FROM"
    ]
    assert images
    for image in images:
        assert re.match(r"python:3\.13(?![0-9])", image), image


def test_it_runs_as_a_non_root_user() -> None:
    users = [args for keyword, args in _final_stage() if keyword == "USER"]
    assert users, "the final stage never sets USER, so it runs as root"
    user = users[-1].split(":", 1)[0]
    assert user not in {"", "root", "0"}


def test_it_collects_static_files_at_build_time() -> None:
    runs = [args for keyword, args in _instructions() if keyword == "RUN"]
    assert any("manage.py collectstatic" in run and "--noinput" in run for run in runs)


def test_it_keeps_the_build_only_secret_out_of_the_image_environment() -> None:
    envs = " ".join(args for keyword, args in _instructions() if keyword == "ENV")
    assert "SECRET_KEY" not in envs


def test_it_serves_with_gunicorn_by_default() -> None:
    cmds = [args for keyword, args in _final_stage() if keyword == "CMD"]
    assert cmds, "the image has no CMD"
    cmd = _exec_or_shell_form(cmds[-1])
    assert cmd[0] == "gunicorn"
    assert "config.wsgi:application" in cmd


def test_it_declares_a_healthcheck_on_healthz() -> None:
    healthchecks = [args for keyword, args in _final_stage() if keyword == "HEALTHCHECK"]
    assert healthchecks, "the image has no HEALTHCHECK"
    assert healthchecks[-1].upper() != "NONE"
    assert "/healthz" in healthchecks[-1]
