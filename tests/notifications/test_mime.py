"""Our emails as the SMTP backend serialises them (`message(policy=email.policy.SMTP)`)."""

from __future__ import annotations

import email
import email.policy
import re

from django.core.mail import EmailMultiAlternatives

from notifications.mime import NotificationEmail

# As long as ours: a signed token makes the link longer than one folded header line.
LINK = (
    "https://mockloop.example/emails/unsubscribe/"
    "WzEsInJlbWluZGVyLTI0aCJd:1xYG7p:ESXB4ZeS55G-qOpy9W95iXDdhynr2ZHheDmshOWmnFk/"
)


def _as_sent(message: EmailMultiAlternatives) -> bytes:
    return message.message(policy=email.policy.SMTP).as_bytes()


def _email(cls: type[EmailMultiAlternatives], headers: dict[str, str]) -> EmailMultiAlternatives:
    message = cls(
        subject="Tomorrow: mock interview with Ada Lovelace, Tuesday 1 December 2026, 23:09",
        body="Hello,\n\nYour mock interview starts in 24 hours.\n",
        to=["grace@example.test"],
        headers={"Message-ID": "<notification-1@mockloop.example>", **headers},
    )
    message.attach_alternative("<p>Your mock interview starts in 24 hours.</p>", "text/html")
    return message


def test_it_sends_the_unsubscribe_link_as_written_not_as_encoded_words() -> None:
    # RFC 2369: the header holds the URL in angle brackets; mail clients (the one-click
    # unsubscribe of RFC 8058) do not decode =?utf-8?q?...?= there.
    headers = {"List-Unsubscribe": f"<{LINK}>"}

    sent = _as_sent(_email(NotificationEmail, headers))

    assert f"\r\nList-Unsubscribe: <{LINK}>\r\n".encode() in sent
    # What the standard library alone would have sent:
    assert b"List-Unsubscribe: =?utf-8?q?" in _as_sent(_email(EmailMultiAlternatives, headers))


def test_it_still_encodes_a_link_that_cannot_be_sent_as_it_is() -> None:
    link = "<https://übung.example/emails/unsubscribe/token/>"

    sent = _as_sent(_email(NotificationEmail, {"List-Unsubscribe": link}))

    assert sent.isascii()
    assert email.message_from_bytes(sent, policy=email.policy.SMTP)["List-Unsubscribe"] == link


def test_every_other_header_and_part_is_what_django_sends() -> None:
    def unbound(sent: bytes) -> bytes:  # the MIME boundary is random in each message
        return re.sub(rb"=+\d+==", b"BOUNDARY", sent)

    for _ in range(2):  # the second time through, with the header classes already made
        ours = _as_sent(_email(NotificationEmail, {}))
        theirs = _as_sent(_email(EmailMultiAlternatives, {}))
        assert unbound(ours) == unbound(theirs)
