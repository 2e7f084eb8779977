"""The dashboards (where people land after logging in) and the study plan pages."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import ratings
from accounts.access import signed_in_user
from accounts.models import User
from config.errors import DomainError
from config.htmx import HtmxHttpRequest
from interviews.matching import DEFAULT_SEARCH_DAYS
from studyplans import planning
from studyplans.dashboards import (
    PHASE_NAMES,
    candidate_dashboard,
    interviewer_dashboard,
)
from studyplans.models import ItemStatus
from studyplans.selectors import get_plan_item_for_user, plan_with_items


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ItemStatus.choices)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The landing page after logging in: staff to the vetting queue, people to their role's
    dashboard (a candidate's when they hold both: the switch is one click on the page)."""
    user = signed_in_user(request)
    if user.is_staff:
        return redirect("vetting_queue")
    if user.is_candidate:
        return redirect("candidate_dashboard")
    if user.is_interviewer:
        return redirect("interviewer_dashboard")
    return redirect("profile")


def find_link(user: User, areas: list[str]) -> str:
    """/find/ for the next two weeks, aimed at these areas."""
    today = timezone.now().astimezone(ZoneInfo(user.time_zone)).date()
    query = [("focus", slug) for slug in areas] + [
        ("start", today.isoformat()),
        ("end", (today + timedelta(days=DEFAULT_SEARCH_DAYS - 1)).isoformat()),
    ]
    return f"{reverse('find_interviewer')}?{urlencode(query)}"


@login_required
def candidate_home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not user.is_candidate:
        return redirect("dashboard")
    board = candidate_dashboard(user=user)
    names = {row.slug: row.name for row in board.areas}
    aim = board.weakest or [row.slug for row in board.areas[:3]]
    ctx = {
        "board": board,
        "find_url": find_link(user, aim),
        "aim_names": [names.get(slug, slug) for slug in aim],
        "phase_names": list(PHASE_NAMES.values()),
        "phase_chart": board.phases.chart(),
        # Each score beside its phase's name: on a phone the table's cells stack, labelled.
        "phase_rows": [
            (day, list(zip(PHASE_NAMES.values(), values, strict=True)))
            for day, values in board.phases.rows()
        ],
        "area_chart": board.area_chart(),
        "focus_names": [area.name for area in user.candidate_profile.focus_areas.all()],
        "status_choices": ItemStatus.choices,
        "next_url": reverse("candidate_dashboard"),
        "now": timezone.now(),
    }
    return render(request, "studyplans/candidate_dashboard.html", ctx)


@login_required
def interviewer_home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not user.is_interviewer:
        return redirect("dashboard")
    ctx = {
        "board": interviewer_dashboard(user=user),
        "prior_mean": ratings.PRIOR_MEAN,
        "prior_weight": ratings.PRIOR_WEIGHT,
        "now": timezone.now(),
    }
    return render(request, "studyplans/interviewer_dashboard.html", ctx)


@login_required
def plan_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not user.is_candidate:
        return redirect("dashboard")
    view = plan_with_items(candidate=user, now=timezone.now())
    ctx = {
        "view": view,
        "reasons": view.reasons(),
        "find_url": find_link(user, view.weakest),
        "status_choices": ItemStatus.choices,
        "next_url": reverse("study_plan"),
    }
    return render(request, "studyplans/plan.html", ctx)


@login_required
@require_POST
def update_item(request: HtmxHttpRequest, item_id: int) -> HttpResponse:
    """Check an item off (or start, skip, reopen it): in place with htmx, else a redirect."""
    user = signed_in_user(request)
    item = get_plan_item_for_user(user=user, item_id=item_id)
    form = ItemStatusForm(request.POST)
    if form.is_valid():
        try:
            item = planning.set_item_status(item=item, status=form.cleaned_data["status"])
        except DomainError as error:
            form.add_error("status", error.message)
            item.refresh_from_db()
    next_url = _next_url(request)
    ctx = {"item": item, "form": form, "status_choices": ItemStatus.choices, "next_url": next_url}
    if request.htmx:
        # htmx swaps only 2xx answers: a refusal comes back as the item with its error
        # (role="alert") so the person sees why nothing changed.
        return render(request, "studyplans/_plan_item.html", ctx)
    if form.errors:
        return render(request, "studyplans/item_error.html", ctx, status=400)
    return redirect(f"{next_url}#item-{item.pk}")


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and wanted.startswith("/"):
        return wanted
    return reverse("candidate_dashboard")
