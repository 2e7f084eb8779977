"""Opting out per kind: the settings page, the API, the one-click unsubscribe link and
header, and the sender honouring all of it at send time (SPEC §9, §10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.policy import SMTP
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from interviews.booking import book_session
from interviews.models import Session
from notifications.dispatch import dispatch_due
from notifications.models import Kind, Notification, OptOut, State
from notifications.preferences import unsubscribe_path
from tests.factories import (
    CandidateProfileFactory,
    InterviewerProfileFactory,
    approved_interviewer,
    candidate_user,
)

pytestmark = pytest.mark.django_db

SITE = "https://mockloop.example"
NOW = datetime(2027, 4, 5, 9, 0, tzinfo=UTC)
START = datetime(2027, 4, 8, 14, 0, tzinfo=UTC)
API = "/api/v1/me/notifications/"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE


@pytest.fixture
def booked() -> Session:
    return book_session(
        candidate=candidate_user(),
        interviewer_id=approved_interviewer().pk,
        start=START,
        now=NOW,
    )


def _email_of(mailoutbox: list[EmailMultiAlternatives], user: User) -> EmailMultiAlternatives:
    [email] = [email for email in mailoutbox if email.to == [user.email]]
    return email


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- At send time ----------------------------------------------------------------------


def test_it_skips_an_opted_out_kind_already_queued_and_still_sends_the_rest(
    booked: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    candidate = booked.candidate
    OptOut.objects.create(user=candidate, kind=Kind.REMINDER_24H)
    dispatch_due(now=NOW)
    mailoutbox.clear()

    dispatch_due(now=START - timedelta(hours=24))

    assert [email.to for email in mailoutbox] == [[booked.interviewer.email]]
    row = Notification.objects.get(session=booked, kind=Kind.REMINDER_24H, recipient=candidate)
    assert (row.state, row.note) == (State.SKIPPED, "Turned off in the email settings.")
    # The other kind is untouched: the 1-hour reminder still comes.
    dispatch_due(now=START - timedelta(hours=1))
    assert _email_of(mailoutbox, candidate).subject.startswith("In 1 hour:")


def test_it_refuses_in_the_database_an_opt_out_of_a_confirmation(user: User) -> None:
    # Not only the API and the form: no data fix can turn confirmations off either.
    with pytest.raises(IntegrityError), transaction.atomic():
        OptOut.objects.create(user=user, kind=Kind.BOOKING_CONFIRMED)


# --- The unsubscribe link and header ------------------------------------------------------


def test_it_puts_a_one_click_unsubscribe_in_a_reminder(
    booked: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    # The link's signature carries the second it was made: stop the clock so that the one
    # in the email and the one expected here are made in the same second.
    with time_machine.travel(timezone.now(), tick=False):
        dispatch_due(now=NOW)
        mailoutbox.clear()
        dispatch_due(now=START - timedelta(hours=24))
        link = SITE + unsubscribe_path(user_id=booked.candidate.pk, kind=Kind.REMINDER_24H)
    email = _email_of(mailoutbox, booked.candidate)

    message = email.message(policy=SMTP)  # as the SMTP backend serialises it

    assert message["List-Unsubscribe"] == f"<{link}>"
    # Written as it is, not folded into encoded words mail clients would not read.
    assert f"\r\nList-Unsubscribe: <{link}>\r\n".encode() in message.as_bytes()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop these emails (reminder 24 hours before): {link}\n" in email.body
    html = str(email.alternatives[0][0])
    assert f'href="{link}"' in html
    assert f"Email settings: {SITE}{reverse('notification_preferences')}" in email.body

    # What a mail client does with the header (RFC 8058): a POST, no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        link.removeprefix(SITE), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert OptOut.objects.filter(user=booked.candidate, kind=Kind.REMINDER_24H).exists()
    assert not OptOut.objects.filter(user=booked.candidate, kind=Kind.REMINDER_1H).exists()


def test_it_offers_no_unsubscribe_from_a_confirmation(
    booked: Session, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    dispatch_due(now=NOW)
    email = _email_of(mailoutbox, booked.candidate)

    assert "List-Unsubscribe" not in email.message()
    assert "Stop these emails" not in email.body
    assert f"Email settings: {SITE}{reverse('notification_preferences')}" in email.body


def test_it_only_asks_on_a_get_of_the_unsubscribe_link(client: Client, user: User) -> None:
    # Mail scanners open links: opening one must not unsubscribe anybody.
    path = unsubscribe_path(user_id=user.pk, kind=Kind.WEEKLY_DIGEST)

    page = client.get(path)

    assert page.status_code == 200
    assert b"Stop these emails?" in page.content
    assert not OptOut.objects.exists()
    done = client.post(path)
    assert b"We will no longer email" in done.content
    assert list(OptOut.objects.values_list("user", "kind")) == [(user.pk, Kind.WEEKLY_DIGEST)]


@pytest.mark.parametrize(
    "token",
    ["nonsense", "a" * 500, "%00", "W1swLCJyZW1pbmRlci0yNGgiXQ:1:abc"],
)
def test_it_refuses_a_broken_or_forged_unsubscribe_link(
    client: Client, user: User, token: str
) -> None:
    response = client.post(f"/emails/unsubscribe/{token}/")

    assert response.status_code == 400
    assert b"This link does not work" in response.content
    assert not OptOut.objects.exists()


def test_it_refuses_a_link_signed_for_a_kind_that_cannot_be_turned_off(
    client: Client, user: User
) -> None:
    path = unsubscribe_path(user_id=user.pk, kind=Kind.BOOKING_CONFIRMED)

    assert client.post(path).status_code == 400
    assert not OptOut.objects.exists()


def test_it_cannot_move_a_link_to_another_person(client: Client, user: User) -> None:
    other = CandidateProfileFactory().user
    mine = unsubscribe_path(user_id=user.pk, kind=Kind.WEEKLY_DIGEST).split("/")[-2]
    theirs = signing.dumps([other.pk, Kind.WEEKLY_DIGEST], salt="another", compress=True)
    # Their payload under my signature: what someone holding my link could try.
    forged = f"{theirs.rsplit(':', 1)[0]}:{mine.rsplit(':', 1)[1]}"

    response = client.post(reverse("unsubscribe", args=[forged]))

    assert response.status_code == 400
    assert not OptOut.objects.exists()


# --- The settings page ---------------------------------------------------------------------


def test_it_shows_a_candidate_only_the_kinds_a_candidate_gets(client: Client) -> None:
    candidate = CandidateProfileFactory().user
    client.force_login(candidate)

    page = client.get(reverse("notification_preferences"))

    assert page.status_code == 200
    choices = [value for value, _ in page.context["form"].fields["wanted"].choices]
    assert choices == [
        Kind.REMINDER_24H,
        Kind.REMINDER_1H,
        Kind.RATE_INTERVIEWER,
        Kind.FEEDBACK_AVAILABLE,
        Kind.WEEKLY_DIGEST,
    ]
    assert b"Booking confirmations, cancellations and moves" in page.content


def test_it_saves_the_ticks_as_opt_outs_and_keeps_them_when_shown_again(client: Client) -> None:
    interviewer = InterviewerProfileFactory().user
    client.force_login(interviewer)

    response = client.post(
        reverse("notification_preferences"), {"wanted": [Kind.REMINDER_1H, Kind.FEEDBACK_DUE]}
    )

    assert response.status_code == 302
    assert set(OptOut.objects.filter(user=interviewer).values_list("kind", flat=True)) == {
        Kind.REMINDER_24H,
        Kind.FEEDBACK_OVERDUE,
    }
    page = client.get(reverse("notification_preferences"))
    assert sorted(page.context["form"]["wanted"].initial) == sorted(
        [Kind.REMINDER_1H, Kind.FEEDBACK_DUE]
    )


def test_it_answers_a_kind_not_offered_with_the_form_and_changes_nothing(client: Client) -> None:
    candidate = CandidateProfileFactory().user
    OptOut.objects.create(user=candidate, kind=Kind.WEEKLY_DIGEST)
    client.force_login(candidate)

    response = client.post(
        reverse("notification_preferences"), {"wanted": [Kind.BOOKING_CONFIRMED, "x\x00"]}
    )

    assert response.status_code == 400
    assert "wanted" in response.context["form"].errors
    assert list(OptOut.objects.values_list("kind", flat=True)) == [Kind.WEEKLY_DIGEST]


def test_it_sends_a_visitor_to_log_in_for_the_settings_page(client: Client) -> None:
    response = client.get(reverse("notification_preferences"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- The API -------------------------------------------------------------------------------


def test_it_lists_every_kind_with_the_callers_opt_outs(user: User) -> None:
    OptOut.objects.create(user=user, kind=Kind.REMINDER_1H)

    body = _api(user).get(API).json()

    assert body["opted_out"] == [Kind.REMINDER_1H]
    assert body["kinds"][Kind.REMINDER_1H] is False
    assert body["kinds"][Kind.REMINDER_24H] is True
    assert body["kinds"][Kind.BOOKING_CONFIRMED] is True
    assert set(body["kinds"]) == set(Kind.values)
    assert Kind.SESSION_CANCELLED in body["always_sent"]


def test_it_replaces_the_opt_outs_with_a_patched_list(user: User) -> None:
    OptOut.objects.create(user=user, kind=Kind.REMINDER_1H)

    response = _api(user).patch(
        API, {"opted_out": [Kind.WEEKLY_DIGEST, Kind.REMINDER_24H]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["opted_out"] == [Kind.REMINDER_24H, Kind.WEEKLY_DIGEST]
    assert set(OptOut.objects.values_list("kind", flat=True)) == {
        Kind.REMINDER_24H,
        Kind.WEEKLY_DIGEST,
    }


def test_it_changes_only_the_kinds_named_in_a_patched_map(user: User) -> None:
    OptOut.objects.create(user=user, kind=Kind.REMINDER_1H)

    response = _api(user).patch(
        API, {"kinds": {Kind.WEEKLY_DIGEST: False, Kind.REMINDER_1H: True}}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["opted_out"] == [Kind.WEEKLY_DIGEST]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"opted_out": [Kind.BOOKING_CONFIRMED]}, "opted_out"),
        ({"opted_out": ["no-such-kind"]}, "opted_out"),
        ({"opted_out": "reminder-1h"}, "opted_out"),
        ({"opted_out": ["reminder-1h\x00"]}, "opted_out"),
        ({"kinds": {Kind.SESSION_CANCELLED: False}}, "kinds"),
        ({"kinds": {"x" * 5000: False}}, "kinds"),
        ({"kinds": {Kind.REMINDER_1H: "perhaps"}}, "kinds"),
        ({"kinds": [Kind.REMINDER_1H]}, "kinds"),
    ],
)
def test_it_answers_bad_preferences_with_a_400_naming_the_field(
    user: User, body: dict[str, Any], field: str
) -> None:
    OptOut.objects.create(user=user, kind=Kind.REMINDER_1H)

    response = _api(user).patch(API, body, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"]
    assert list(OptOut.objects.values_list("kind", flat=True)) == [Kind.REMINDER_1H]


def test_it_answers_401_to_a_stranger(api_client: APIClient) -> None:
    assert api_client.get(API).status_code == 401
    assert api_client.patch(API, {"opted_out": []}, format="json").status_code == 401
