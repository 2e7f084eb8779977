"""The availability page: an interviewer edits their windows and sees the slots they give.

Every form posts normally and redirects, so the page works without JavaScript; with htmx
each add and delete answers only the `windows` fragment of the same template, swapped
in place. Errors come back in that fragment too (status 200, since htmx does not swap
error statuses) with what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import signed_in_user
from accounts.models import User
from config import timefmt
from config.htmx import HtmxHttpRequest
from interviews import availability
from interviews.models import DateWindowKind, Weekday
from interviews.slots import END_OF_DAY, HORIZON

PREVIEW_SLOTS = 10
TEMPLATE = "interviews/availability.html"
END_HELP = "23:59 means until midnight."


def _time_input() -> forms.TimeInput:
    # `step` only sets the picker's increments: the forms are `novalidate`, so 23:59 (the
    # end of day) still reaches the server, which checks the grid.
    return forms.TimeInput(format="%H:%M", attrs={"type": "time", "step": 1800})


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class WeeklyWindowForm(forms.Form):
    weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    start = forms.TimeField(label="From", widget=_time_input())
    end = forms.TimeField(label="Until", widget=_time_input(), help_text=END_HELP)


class ExtraWindowForm(forms.Form):
    date = forms.DateField(label="Date", widget=_date_input())
    start = forms.TimeField(label="From", widget=_time_input())
    end = forms.TimeField(label="Until", widget=_time_input(), help_text=END_HELP)


class BlackoutForm(forms.Form):
    date = forms.DateField(label="Date", widget=_date_input())


def _fresh_forms() -> dict[str, forms.Form]:
    return {
        "weekly_form": WeeklyWindowForm(prefix="weekly"),
        "extra_form": ExtraWindowForm(prefix="extra"),
        "blackout_form": BlackoutForm(prefix="blackout"),
    }


View = Callable[..., HttpResponse]


def interviewer_required(view: View) -> View:
    """Signed in with an interviewer profile (any vetting status), else sent to the profile."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = signed_in_user(request)
        if not user.is_interviewer:
            messages.info(
                request,
                "Availability is for interviewers: add the interviewer role to your profile "
                "to publish times candidates can book.",
            )
            return redirect("profile")
        return view(request, user, *args, **kwargs)

    return wrapped


@interviewer_required
def availability_page(request: HttpRequest, user: User) -> HttpResponse:
    return render(request, TEMPLATE, _context(user, _fresh_forms()))


@require_POST
@interviewer_required
def add_weekly(request: HtmxHttpRequest, user: User) -> HttpResponse:
    form = WeeklyWindowForm(request.POST, prefix="weekly")
    notice = ""
    if form.is_valid():
        try:
            window = availability.add_weekly_window(
                interviewer=user,
                weekday=form.cleaned_data["weekday"],
                start_time=form.cleaned_data["start"],
                end_time=form.cleaned_data["end"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            notice = f"Added {_describe(window.get_weekday_display(), window)}."
    return _answer(request, user, {"weekly_form": form}, notice)


@require_POST
@interviewer_required
def add_date(request: HtmxHttpRequest, user: User) -> HttpResponse:
    kind = request.POST.get("kind")
    form: ExtraWindowForm | BlackoutForm
    if kind == DateWindowKind.EXTRA:
        form, key = ExtraWindowForm(request.POST, prefix="extra"), "extra_form"
    elif kind == DateWindowKind.BLACKOUT:
        form, key = BlackoutForm(request.POST, prefix="blackout"), "blackout_form"
    else:
        raise Http404
    notice = ""
    if form.is_valid():
        try:
            window = availability.add_date_window(
                interviewer=user,
                kind=kind,
                date=form.cleaned_data["date"],
                start_time=form.cleaned_data.get("start"),
                end_time=form.cleaned_data.get("end"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            day = timefmt.long_day(window.date)
            notice = (
                f"Added an extra window on {_describe(day, window)}."
                if kind == DateWindowKind.EXTRA
                else f"{day} is blacked out."
            )
    return _answer(request, user, {key: form}, notice)


@require_POST
@interviewer_required
def delete(request: HtmxHttpRequest, user: User, kind: str, window_id: int) -> HttpResponse:
    if kind not in ("weekly", "date"):
        raise Http404
    availability.delete_window(
        interviewer=user, kind="weekly" if kind == "weekly" else "date", window_id=window_id
    )
    return _answer(request, user, {}, "Deleted.")


def _answer(
    request: HtmxHttpRequest, user: User, bound: dict[str, forms.Form], notice: str
) -> HttpResponse:
    failed = any(form.errors for form in bound.values())
    if request.htmx:
        # A success clears the forms; a failure keeps the one that failed, as typed.
        ctx = _context(user, _fresh_forms() | (bound if failed else {}), notice=notice)
        return render(request, f"{TEMPLATE}#windows", ctx)
    if failed:
        return render(request, TEMPLATE, _context(user, _fresh_forms() | bound), status=400)
    messages.success(request, notice)
    return redirect("availability")


def _context(
    user: User, page_forms: dict[str, forms.Form], *, notice: str = "", now: datetime | None = None
) -> dict[str, Any]:
    now = now or timezone.now()
    weekly = list(availability.weekly_windows(interviewer=user))
    preview = availability.free_slots(interviewer=user, start=now, end=now + HORIZON, now=now)
    return {
        **page_forms,
        "time_zone": user.time_zone,
        "is_approved": user.interviewer_profile.is_approved,
        "weekly_by_day": [
            (label, [window for window in weekly if window.weekday == value])
            for value, label in Weekday.choices
        ],
        "date_windows": list(availability.upcoming_date_windows(interviewer=user, now=now)),
        "preview": preview[:PREVIEW_SLOTS],
        "end_of_day": END_OF_DAY,
        "notice": notice,
    }


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    # Services name the fields as the forms do; anything else belongs above the form.
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, field_messages)


def _describe(day: str, window: Any) -> str:
    end = "24:00" if window.end_time == END_OF_DAY else timefmt.clock(window.end_time)
    return f"{day} {timefmt.clock(window.start_time)} to {end}"
