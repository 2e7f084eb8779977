"""Production settings (DEBUG off), each read by a fresh process as a deployment would:
forwarded headers are believed only from the configured proxies, and SITE_URL is required.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# Prints what the settings say and what Django's SecurityMiddleware does with a plain-HTTP
# request, with and without a client's own X-Forwarded-Proto: https.
PROBE = """
import json
import runpy
import django
django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

middleware = SecurityMiddleware(lambda request: HttpResponse("served"))
factory = RequestFactory()

def redirected(path, **headers):
    return middleware(factory.get(path, **headers)).status_code == 301

print(json.dumps({
    "proxy_ssl_header": settings.SECURE_PROXY_SSL_HEADER,
    "num_proxies": settings.REST_FRAMEWORK["NUM_PROXIES"],
    "allauth_proxies": settings.ALLAUTH_TRUSTED_PROXY_COUNT,
    "login_redirected": redirected("/accounts/login/"),
    "login_claiming_https_redirected": redirected(
        "/accounts/login/", HTTP_X_FORWARDED_PROTO="https"
    ),
    "healthz_redirected": redirected("/healthz"),
}))
"""


def _run(script: str, **environment: str) -> subprocess.CompletedProcess[str]:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SITE_URL", "TRUSTED_PROXY_COUNT"}
    }
    production = {
        "DEBUG": "False",
        "SECRET_KEY": "test-only-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "testserver",
        "SITE_URL": "https://mockloop.example",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**inherited, **production, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _probe(**environment: str) -> dict[str, Any]:
    result = _run(PROBE, **environment)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert isinstance(answer, dict)
    return answer


def test_it_ignores_forwarded_headers_when_no_proxy_is_configured() -> None:
    answer = _probe()

    assert answer["proxy_ssl_header"] is None
    assert answer["num_proxies"] == 0
    assert answer["allauth_proxies"] == 0
    # A client's own X-Forwarded-Proto must not pass plain HTTP off as HTTPS.
    assert answer["login_claiming_https_redirected"] is True


def test_it_trusts_the_configured_proxies() -> None:
    answer = _probe(TRUSTED_PROXY_COUNT="2")

    assert answer["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert answer["num_proxies"] == 2
    assert answer["allauth_proxies"] == 2
    assert answer["login_redirected"] is True
    assert answer["login_claiming_https_redirected"] is False


@pytest.mark.parametrize("proxies", ["0", "1"])
def test_it_answers_the_container_healthcheck_over_plain_http(proxies: str) -> None:
    answer = _probe(TRUSTED_PROXY_COUNT=proxies)

    assert answer["healthz_redirected"] is False


@pytest.mark.parametrize("site_url", [None, ""])
def test_it_refuses_to_start_without_a_site_url(site_url: str | None) -> None:
    environment = {} if site_url is None else {"SITE_URL": site_url}
    script = "import django; django.setup()"
    if site_url is None:
        # _run always passes one; take it away again inside the child.
        script = "import os; del os.environ['SITE_URL']; " + script

    result = _run(script, **environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SITE_URL" in result.stderr


# --- The deploy files say the same --------------------------------------------------------


@pytest.mark.parametrize("name", ["migrate", "web", "worker", "beat"])
def test_it_makes_the_compose_stack_name_its_site_url_and_proxies(name: str) -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    environment = services[name]["environment"]

    # Required from the deployer, as SECRET_KEY is: no silent default.
    assert environment["SITE_URL"].startswith("${SITE_URL:?")
    # web publishes its port itself: no proxy stands in front of it.
    assert environment["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-0}"


def test_it_gives_the_image_build_a_site_url() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    build_step = dockerfile[dockerfile.index("RUN SECRET_KEY=build-only") :]

    assert "SITE_URL=" in build_step.split("collectstatic")[0]


@pytest.mark.parametrize(("proxies", "believed"), [(None, ""), ("0", ""), ("1", None)])
def test_it_tells_gunicorn_whom_to_believe_about_https(
    monkeypatch: pytest.MonkeyPatch, proxies: str | None, believed: str | None
) -> None:
    if proxies is None:
        monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", proxies)

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    # None: gunicorn's own default (FORWARDED_ALLOW_IPS, else 127.0.0.1).
    assert config.get("forwarded_allow_ips") == believed
