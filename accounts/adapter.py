"""allauth's mail goes through our outbox (SPEC §9): a verification or password-reset
email is rendered when it is asked for and sent by the notifications worker, so a slow or
dead mail server never holds a web request, and a failed send is retried like any other."""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.template.defaultfilters import urlize

from accounts.models import User
from notifications.models import Kind
from notifications.outbox import notify


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        message = self.render_mail(template_prefix, email, {**ctx, **context})
        user = context.get("user")
        if not isinstance(user, User):
            # A password reset for an address with no account is still answered.
            user = User.objects.filter(email__iexact=email).first()
        notify(
            kind=Kind.ACCOUNT,
            recipients=[user],
            # Every message is its own: two resets asked for are two emails.
            key=f"account:{uuid.uuid4().hex}",
            address=email,
            payload={
                "template": template_prefix,
                "subject": message.subject,
                "body": message.body,
                "html": _html_part(message),
                "from_email": message.from_email,
            },
        )


def _html_part(message: Any) -> str:
    # allauth ships text templates only; every email of ours has an HTML part too.
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                return str(content)
    if getattr(message, "content_subtype", "plain") == "html":
        return str(message.body)
    return (
        '<!DOCTYPE html><html lang="en"><body style="font-family: system-ui, sans-serif; '
        'line-height: 1.5; max-width: 36rem;">'
        f"{linebreaks(urlize(message.body, autoescape=True))}</body></html>"
    )
