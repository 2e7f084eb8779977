"""Issue 10, findings 1 and 6: password guessing on the token endpoint is limited per client
address (as our proxies report it) and per account, together with the login form; and API
tokens expire, and are revoked on demand and by a password change or reset."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from notifications.dispatch import dispatch_due
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


# --- Finding 6: tokens rotate and expire -----------------------------------------------------


@pytest.fixture
def token(api_client: APIClient, user: User) -> str:
    response = _ask_token(api_client, user.email, PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    assert _me_with(key).status_code == 200
    return str(key)


def _sign_in_again(user: User, password: str) -> str:
    response = _ask_token(APIClient(), user.email, password)
    assert response.status_code == 200, response.json()
    return str(response.json()["token"])


def test_it_revokes_the_token_on_delete(user: User, token: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.delete(TOKEN_URL)

    assert response.status_code == 204
    assert api_error(_me_with(token), 401)["code"] == "authentication_failed"
    assert _sign_in_again(user, PASSWORD) != token


def test_it_revokes_the_token_of_a_session_that_asks(
    client: Client, user: User, token: str
) -> None:
    client.force_login(user)

    response = client.delete(TOKEN_URL)

    assert response.status_code == 204
    assert _me_with(token).status_code == 401


def test_it_refuses_an_anonymous_delete(api_client: APIClient, token: str) -> None:
    response = api_client.delete(TOKEN_URL)

    assert api_error(response, 401)["code"] == "not_authenticated"
    assert _me_with(token).status_code == 200


def test_it_gives_a_token_even_when_a_revoked_one_is_sent_along(user: User, token: str) -> None:
    Token.objects.filter(key=token).delete()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = _ask_token(client, user.email, PASSWORD)

    assert response.status_code == 200
    assert response.json()["token"] != token


def test_it_revokes_the_token_when_the_password_is_changed(
    client: Client, user: User, token: str
) -> None:
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert api_error(_me_with(token), 401)["code"] == "authentication_failed"
    new_token = _sign_in_again(user, NEW_PASSWORD)
    assert new_token != token
    assert _me_with(new_token).status_code == 200


def test_it_revokes_the_token_when_staff_set_a_new_password_in_the_admin(
    client: Client, user: User, token: str
) -> None:
    # What staff do when someone reports their account taken over.
    client.force_login(User.objects.create_superuser("staff@example.test", "staff-pass-123"))

    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert api_error(_me_with(token), 401)["code"] == "authentication_failed"


def test_it_keeps_the_token_when_the_person_is_saved_without_a_new_password(
    user: User, token: str
) -> None:
    user.display_name = "Grace"
    user.save()

    assert _me_with(token).status_code == 200


def test_it_revokes_the_token_when_the_password_is_reset(
    client: Client, user: User, token: str, mailoutbox: list[Any]
) -> None:
    client.post(reverse("account_reset_password"), {"email": user.email})
    dispatch_due()
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200

    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert api_error(_me_with(token), 401)["code"] == "authentication_failed"
    assert _sign_in_again(user, NEW_PASSWORD) != token


@pytest.mark.parametrize(("days", "works"), [(29, True), (30, False), (400, False)])
def test_it_expires_a_token_after_its_lifetime(
    user: User, token: str, days: int, works: bool
) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=days, seconds=-1 if works else 0)):
        response = _me_with(token)
        if works:
            assert response.status_code == 200
            assert _sign_in_again(user, PASSWORD) == token
        else:
            error = api_error(response, 401)
            assert error["code"] == "token_expired"
            assert "POST /api/v1/auth/token/" in error["message"]
            assert response["WWW-Authenticate"] == "Token"
            new_token = _sign_in_again(user, PASSWORD)
            assert new_token != token
            assert _me_with(new_token).status_code == 200


def test_it_takes_the_lifetime_from_the_settings(user: User, token: str, settings: Any) -> None:
    settings.API_TOKEN_LIFETIME = timedelta(days=1)

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert api_error(_me_with(token), 401)["code"] == "token_expired"


def test_it_documents_revoking_a_token(client: Client) -> None:
    document = client.get("/api/schema/?format=json").json()

    operation = document["paths"][TOKEN_URL]["delete"]
    assert set(operation["responses"]) >= {"204"}
    assert "30 days" in document["info"]["description"]
