"""The email settings page and the one-click unsubscribe link (SPEC §9)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from accounts.access import signed_in_user
from accounts.models import User
from notifications import preferences
from notifications.forms import PreferencesForm


@login_required
def preferences_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PreferencesForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email settings are saved; they apply from the next email.")
        return redirect("notification_preferences")
    ctx = {"form": form, "always_sent": preferences.always_sent_labels(user)}
    return render(
        request, "notifications/preferences.html", ctx, status=400 if form.errors else 200
    )


# Mail clients post here without a CSRF token (RFC 8058 one-click); the signed token in
# the URL is what authorises the change, and it can only turn one kind of email off.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = preferences.read_unsubscribe_token(token)
    user = User.objects.filter(pk=found[0]).first() if found else None
    if found is None or user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    kind = found[1]
    about = preferences.DESCRIPTIONS[kind][0]
    ctx: dict[str, object] = {
        "about": about[0].lower() + about[1:],
        "email": user.email,
        "token": token,
    }
    if request.method == "POST":
        preferences.opt_out(user_id=user.pk, kind=kind)
        ctx["done"] = True
    # A GET only asks: link scanners in mail systems open links, and must not unsubscribe.
    return render(request, "notifications/unsubscribe.html", ctx)
