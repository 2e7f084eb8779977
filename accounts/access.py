from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request

from accounts.models import User


def signed_in_user(request: HttpRequest | Request) -> User:
    """The request's user, typed; views behind login_required or IsAuthenticated call it."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def staff_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Our pages for staff: anonymous visitors log in on our login page, signed-in people who
    are not staff get our 403 page. Django's staff_member_required would send both to the
    admin's login, which tells a candidate nothing and asks them to log in again."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied("Only staff open the vetting queue and decide on interviewers.")
        return view(request, *args, **kwargs)

    return wrapped
