"""allauth's pages speak as the rest of the site does: "Log in" and "Sign up" as in the nav,
sentence case, none of allauth's "Sign In" or "Sign Out"."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ALLAUTH_WORDS = ("Sign In", "Sign in", "Sign Out", "Sign Up", "Change Password", "Password Reset")


def _words_of(client: Client, path: str, *, heading: str) -> str:
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200, path
    assert f"<h1>{heading}</h1>" in page
    for words in ALLAUTH_WORDS:
        assert words not in page, (path, words)
    return page


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "Log in"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/done/", "Check your email"),
        ("/accounts/confirm-email/not-a-key/", "Confirm your email address"),
    ],
)
def test_it_words_the_visitor_pages_as_the_nav_does(
    client: Client, path: str, heading: str
) -> None:
    page = _words_of(client, path, heading=heading)

    assert ">Log in<" in page and ">Sign up<" in page  # the nav's words, and the page's


def test_it_labels_the_login_button_log_in(client: Client) -> None:
    page = _words_of(client, "/accounts/login/", heading="Log in")

    assert 'type="submit">Log in</button>' in page
    assert "Remember me" in page and "Remember Me" not in page


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/email/", "Email addresses"),
        ("/accounts/logout/", "Log out"),
    ],
)
def test_it_words_the_account_pages_in_sentence_case(
    client: Client, path: str, heading: str
) -> None:
    client.force_login(UserFactory.create())

    _words_of(client, path, heading=heading)


def test_it_says_logged_in_and_logged_out(client: Client) -> None:
    UserFactory.create(email="lia@example.test", display_name="Lia")

    logged_in = client.post(
        "/accounts/login/", {"login": "lia@example.test", "password": PASSWORD}, follow=True
    ).content.decode()
    logged_out = client.post("/accounts/logout/", follow=True).content.decode()

    assert "Logged in as Lia." in logged_in
    assert "You are logged out." in logged_out
