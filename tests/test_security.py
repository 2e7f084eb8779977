"""SPEC §12 security: a clean deploy check, a strict nonce-based CSP, CSRF on every form."""

from __future__ import annotations

import os
import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.http.response import HttpResponseBase
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/accounts/signup/", "/accounts/login/", "/"]
# docker-compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}`.
VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def _policy(response: HttpResponseBase) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def _compose_environment(**given: str) -> dict[str, str]:
    """The environment docker-compose.yml gives the web service, `${NAME:-default}`
    resolved from `given` (as an operator's shell would) or else the default."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"]["web"]["environment"]

    def resolve(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(3) or ""
        if name in given:
            return given[name]
        assert match.group(2) != "?", f"docker-compose requires {name}: pass it"
        return default

    return {key: VARIABLE.sub(resolve, str(value)) for key, value in environment.items()}


def test_it_passes_the_deploy_check_in_production_mode() -> None:
    alphabet = string.ascii_letters + string.digits + "!#%&()*+-=@^_"
    # A production process, not this test run: the browser tests' async-safety switch
    # (DJANGO_ALLOW_ASYNC_UNSAFE) is theirs alone and the deploy check would flag it.
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k == "PATH" or k.startswith(("PYTHON", "VIRTUAL_ENV", "HOME", "LANG"))
    }
    environment = {
        **inherited,
        **_compose_environment(
            SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
            SITE_URL="https://example.com",
        ),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_a_strict_content_security_policy(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"][0] == "'self'"
    assert len(policy["script-src"]) == 2
    assert re.fullmatch(r"'nonce-[\w+/=-]{16,}'", policy["script-src"][1])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_it_gives_every_script_the_nonce_of_its_response(client: Client) -> None:
    response = client.get("/accounts/signup/")

    nonce = _policy(response)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    script_nonces = re.findall(r'<script\b[^>]*\snonce="([^"]*)"', html)
    assert scripts, "the page has no scripts to check"
    assert len(script_nonces) == len(scripts), "a script without a nonce is blocked"
    assert set(script_nonces) == {nonce}


def test_it_uses_a_fresh_nonce_for_each_response(client: Client) -> None:
    first = _policy(client.get("/accounts/signup/"))["script-src"][1]
    second = _policy(client.get("/accounts/signup/"))["script-src"][1]

    assert first != second


def test_it_rejects_a_form_post_without_a_csrf_token(user: User) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
    )

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_it_accepts_the_same_post_with_the_token_of_the_form(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    form = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None

    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
