"""Issue 10, findings 1 and 6: password guessing on the token endpoint is limited per client
address (as our proxies report it) and per account, together with the login form; and API
tokens expire, and are revoked on demand and by a password change or reset."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from tests.api import api_error
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"
LOGIN_URL = reverse("account_login")
NEW_PASSWORD = "a-new-and-longer-pass-42"


def _ask_token(client: APIClient, email: str, password: str, **extra: str) -> Any:
    return client.post(TOKEN_URL, {"email": email, "password": password}, **extra)


def _from(address: str) -> dict[str, str]:
    """A request from another client address, so that only the per-account limit is met."""
    return {"REMOTE_ADDR": address}


def _me_with(token: str) -> Any:
    return APIClient().get(ME_URL, HTTP_AUTHORIZATION=f"Token {token}")


# --- Finding 1: password guessing ------------------------------------------------------------


def test_it_throttles_guessing_whatever_x_forwarded_for_claims(
    api_client: APIClient, user: User
) -> None:
    # No proxy is configured, so X-Forwarded-For is the client's own word: not an address.
    guesses = [
        _ask_token(api_client, user.email, f"guess-{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        for i in range(40)
    ]
    right = _ask_token(api_client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")

    statuses = [guess.status_code for guess in guesses]
    assert set(statuses) == {400, 429}
    assert statuses.count(400) <= 10
    assert statuses[-1] == 429
    assert right.status_code == 429
    assert not Token.objects.exists()


def test_it_counts_clients_by_the_address_a_trusted_proxy_reports(
    api_client: APIClient, user: User, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The proxy appends the address it saw; anything before it is the client's own word.
    first = [
        api_client.post(
            TOKEN_URL,
            {"email": f"nobody{i}@example.test", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.7",
            **proxy,
        )
        for i in range(10)
    ]
    same_client = _ask_token(
        api_client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy
    )
    other_client = _ask_token(
        api_client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy
    )

    assert {response.status_code for response in first} == {400}
    assert api_error(same_client, 429)["code"] == "throttled"
    assert other_client.status_code == 200
