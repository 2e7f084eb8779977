from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from accounts.tokens import token_has_expired


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token check, refusing expired tokens, and loading the person's role profiles in
    the same query.

    Nearly every endpoint asks whether the caller is a candidate or an interviewer; with the
    profiles joined here that costs no query of its own (a booking saves one).
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        try:
            token = Token.objects.select_related(
                "user", "user__candidate_profile", "user__interviewer_profile"
            ).get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token_has_expired(token=token):
            # Left in place: a GET never writes, and the next sign-in replaces it.
            raise exceptions.AuthenticationFailed(
                "The token has expired: ask for a new one at POST /api/v1/auth/token/.",
                code="token_expired",
            )
        return token.user, token
