"""API tokens (SPEC §10): issued on sign-in, expiring, revoked on demand and by every
password change (`User.save`), so that a leaked token does not outlive the password it was
issued under."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User


def token_has_expired(*, token: Token, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return token.created + settings.API_TOKEN_LIFETIME <= now


def issue_token(*, user: User) -> Token:
    """The person's token while it is still valid, else a new one."""
    with transaction.atomic(durable=True):
        # Two sign-ins at once would both replace an expired token; the second to create
        # one would break the one-token-per-person constraint. The person's row orders them.
        User.objects.select_for_update().filter(pk=user.pk).first()
        token = Token.objects.filter(user=user).first()
        if token is not None and not token_has_expired(token=token):
            return token
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def revoke_token(*, user: User) -> None:
    Token.objects.filter(user=user).delete()
