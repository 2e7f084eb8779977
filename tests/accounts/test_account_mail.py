"""allauth's own mail goes through the outbox: queued with the request, sent by the
dispatcher, retried when the mail server fails, never sent inside the request (SPEC §9)."""

from __future__ import annotations

from collections.abc import Sequence
from smtplib import SMTPServerDisconnected
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse

from notifications.dispatch import dispatch_due
from notifications.models import Kind, Notification, State
from tests.accounts.test_signup import CANDIDATE, SIGNUP_URL
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET_URL = reverse("account_reset_password")


class DeadMailServer(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def test_it_queues_a_password_reset_and_sends_its_link(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    user = UserFactory(email="ola@example.test")

    response = client.post(RESET_URL, {"email": "OLA@example.test"})

    assert response.status_code == 302
    assert mailoutbox == []
    [row] = Notification.objects.filter(kind=Kind.ACCOUNT)
    assert row.recipient == user
    assert dispatch_due() == 1
    [email] = mailoutbox
    assert email.to == ["ola@example.test"]
    assert "/accounts/password/reset/key/" in email.body
    html = next(content for content, mimetype in email.alternatives if mimetype == "text/html")
    assert '<a href="http' in str(html)


def test_it_sends_the_verification_of_an_added_address_to_that_address(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    user = UserFactory(email="ola@example.test")
    client.force_login(user)

    client.post(reverse("account_email"), {"email": "ola@work.example", "action_add": ""})

    [row] = Notification.objects.filter(kind=Kind.ACCOUNT)
    assert (row.recipient, row.address) == (user, "ola@work.example")
    assert dispatch_due() == 1
    assert [email.to for email in mailoutbox] == [["ola@work.example"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_it_signs_up_while_the_mail_server_is_dead_and_retries_later(
    client: Client, settings: Any, mailoutbox: list[EmailMessage]
) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DeadMailServer"}}

    response = client.post(SIGNUP_URL, CANDIDATE)

    # The page answers at once: the mail server is not asked inside the request.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert dispatch_due() == 0
    row = Notification.objects.get(kind=Kind.ACCOUNT)
    assert (row.state, row.attempts) == (State.PENDING, 1)
    assert row.next_attempt_at is not None
    assert "SMTPServerDisconnected" in row.last_error
    assert row.payload["subject"]  # kept until it is sent
