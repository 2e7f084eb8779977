from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import User


def signed_in_user(request: HttpRequest | Request) -> User:
    """The request's user, typed; views behind login_required or IsAuthenticated call it."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
