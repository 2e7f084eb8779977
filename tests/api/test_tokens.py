"""Issue 10, findings 1 and 6: password guessing on the token endpoint is limited per client
address (as our proxies report it) and per account, together with the login form; and API
tokens expire, and are revoked on demand and by a password change or reset."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
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
    assert statuses.count(400) <= 5
    assert statuses[-1] == 429
    assert right.status_code == 429
    assert not Token.objects.exists()


def test_it_locks_the_account_after_five_wrong_passwords_even_from_new_addresses(
    api_client: APIClient, user: User
) -> None:
    wrong = [
        _ask_token(api_client, user.email, "guess", **_from(f"198.51.100.{i}")) for i in range(5)
    ]
    right = _ask_token(api_client, user.email, PASSWORD, **_from("198.51.100.200"))

    assert [response.status_code for response in wrong] == [400] * 5
    error = api_error(right, 429)
    assert error["code"] == "too_many_login_attempts"
    assert "Too many failed attempts" in error["message"]
    assert not Token.objects.exists()


def test_it_locks_the_account_however_its_email_is_written(
    api_client: APIClient, user: User
) -> None:
    for i in range(5):
        _ask_token(api_client, user.email.upper(), "guess", **_from(f"198.51.100.{i}"))

    right = _ask_token(api_client, user.email, PASSWORD, **_from("198.51.100.200"))

    assert api_error(right, 429)["code"] == "too_many_login_attempts"


def test_it_does_not_count_a_right_password_as_a_failure(api_client: APIClient, user: User) -> None:
    for i in range(4):
        _ask_token(api_client, user.email, "guess", **_from(f"198.51.100.{i}"))
    for i in range(3):
        assert (
            _ask_token(api_client, user.email, PASSWORD, **_from(f"192.0.2.{i}")).status_code == 200
        )

    assert _ask_token(api_client, user.email, PASSWORD, **_from("192.0.2.9")).status_code == 200


def test_it_locks_only_the_account_guessed_at(api_client: APIClient, user: User) -> None:
    other = User.objects.create_user(email="other@example.test", password=PASSWORD)
    other.emailaddress_set.create(email=other.email, verified=True, primary=True)
    for i in range(5):
        _ask_token(api_client, user.email, "guess", **_from(f"198.51.100.{i}"))

    response = _ask_token(api_client, other.email, PASSWORD, **_from("198.51.100.200"))

    assert response.status_code == 200


@pytest.mark.parametrize("on_the_form", [0, 2, 5])
def test_it_shares_the_count_of_failures_with_the_login_form(
    api_client: APIClient, client: Client, user: User, on_the_form: int
) -> None:
    for i in range(on_the_form):
        page = client.post(
            LOGIN_URL, {"login": user.email, "password": "guess"}, **_from(f"198.51.100.{i}")
        )
        assert page.status_code == 200
    for i in range(5 - on_the_form):
        _ask_token(api_client, user.email, "guess", **_from(f"192.0.2.{i}"))

    right = _ask_token(api_client, user.email, PASSWORD, **_from("203.0.113.1"))
    form = client.post(
        LOGIN_URL, {"login": user.email, "password": PASSWORD}, **_from("203.0.113.2")
    )

    assert api_error(right, 429)["code"] == "too_many_login_attempts"
    assert form.status_code == 200
    assert "Too many failed login attempts" in form.content.decode()
    assert "_auth_user_id" not in client.session


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
