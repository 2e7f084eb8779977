"""The booking rules page: the rules in words, with the numbers the code enforces."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from interviews import booking

pytestmark = pytest.mark.django_db

URL = "/help/booking/"


def _rule(page: str, rule_id: str) -> str:
    start = page.index(f'id="{rule_id}"')
    return page[start : page.index("</li>", start)]


def test_it_states_each_rule_with_its_number(client: Client) -> None:
    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200  # anyone may read the rules, signed in or not
    assert "Book at least 2 hours ahead" in _rule(page, "rule-lead-time")
    assert "at most 3 upcoming sessions" in _rule(page, "rule-limit")
    assert "at least 24 hours before the start is free" in _rule(page, "rule-notice")
    assert "within 1 hour of booking is free" in _rule(page, "rule-grace")
    assert "more than 1 hour after booking" in _rule(page, "rule-late")
    assert "within 30 days block booking for 14 days" in _rule(page, "rule-no-show-block")
    assert "within 24 hours of the session" in _rule(page, "rule-feedback-due")
    assert "72 hours after the interviewer submitted" in _rule(page, "rule-reveal")
    assert "A move counts as one late change at most" in page


def test_it_follows_the_constants_of_the_rules(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(booking, "MAX_UPCOMING", 5)
    monkeypatch.setattr(booking, "CHANGE_GRACE", timedelta(hours=2))

    page = client.get(URL).content.decode()

    assert "at most 5 upcoming sessions" in _rule(page, "rule-limit")
    assert "within 2 hours of booking is free" in _rule(page, "rule-grace")


def test_it_is_linked_from_every_pages_footer(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()

    footer = page[page.index("<footer") :]
    assert f'href="{URL}"' in footer
