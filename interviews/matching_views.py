"""The "Find an interviewer" page: focus areas and dates in, explained matches out.

The form submits with GET, so a search is a link a candidate can keep or share, and GET
never writes. Dates are the candidate's local dates: the window runs from local midnight
of the first day to local midnight after the last.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any, cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access import signed_in_user
from accounts.models import SkillArea, User
from config.fields import validate_date_in_range
from interviews.booking import LIMIT_REACHED, MAX_UPCOMING
from interviews.interviewers import interviewer_summary
from interviews.links import booking_url
from interviews.matching import DEFAULT_SEARCH_DAYS, MAX_SEARCH_DAYS, Match, find_matches
from interviews.selectors import upcoming_bookings_count
from interviews.waking_hours import WakingHours, choices, waking_hours_of

# The page shows the best ten, and the next ten on request: twenty cards of slots at once
# were more than anyone compares, and half the page's time went to drawing them.
SHOWN_MATCHES = 10
MORE_MATCHES = 20


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class FindForm(forms.Form):
    focus = forms.MultipleChoiceField(
        label="Focus areas",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Interviewers who know these areas rank higher.",
    )
    start = forms.DateField(label="From", widget=_date_input(), validators=[validate_date_in_range])
    end = forms.DateField(
        label="Until",
        widget=_date_input(),
        help_text="Included.",
        validators=[validate_date_in_range],
    )
    more = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, areas: list[SkillArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        focus = cast(forms.MultipleChoiceField, self.fields["focus"])
        focus.choices = [(area.slug, area.name) for area in areas]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "Pick a last day on or after the first.")
            elif (end - start).days + 1 > MAX_SEARCH_DAYS:
                self.add_error("end", f"Search at most {MAX_SEARCH_DAYS} days at a time.")
        return data


@login_required
def find_interviewer(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not user.is_candidate:
        messages.error(request, "Add a candidate profile to find an interviewer.")
        return redirect("profile")
    tz = ZoneInfo(user.time_zone)
    now = timezone.now()
    areas = list(SkillArea.objects.all())
    today = now.astimezone(tz).date()
    form = FindForm(request.GET or _defaults(user, today=today), areas=areas)
    results: list[dict[str, Any]] | None = None
    more_url = ""
    if form.is_valid():
        start = _local_midnight(form.cleaned_data["start"], tz)
        end = _local_midnight(form.cleaned_data["end"] + timedelta(days=1), tz)
        shown = MORE_MATCHES if form.cleaned_data["more"] else SHOWN_MATCHES
        # One more than shown tells whether a "show more" link would lead anywhere.
        matches = find_matches(
            candidate=user,
            start=start,
            end=end,
            now=now,
            focus=form.cleaned_data["focus"],
            limit=shown + 1,
        )
        hours = waking_hours_of(user)
        results = [_result(match, hours=hours) for match in matches[:shown]]
        if len(matches) > shown and shown < MORE_MATCHES:
            more_url = f"?{_with_more(form.cleaned_data)}#match-{matches[shown].interviewer.pk}"
    at_limit = upcoming_bookings_count(candidate=user, now=now) >= MAX_UPCOMING
    ctx = {
        "form": form,
        "results": results,
        "time_zone": user.time_zone,
        # Said before the search, so nobody picks a slot the confirm page will refuse.
        "limit_reached": LIMIT_REACHED if at_limit else "",
        "more_url": more_url,
        "more_count": MORE_MATCHES - SHOWN_MATCHES,
    }
    return render(request, "interviews/find.html", ctx, status=400 if form.errors else 200)


def _with_more(data: dict[str, Any]) -> str:
    """The same search's query string, asking for the longer list."""
    return urlencode(
        {
            "focus": data["focus"],
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "more": "on",
        },
        doseq=True,
    )


def _defaults(user: User, *, today: date) -> dict[str, Any]:
    focus = list(user.candidate_profile.focus_areas.values_list("slug", flat=True))
    return {
        "focus": focus,
        "start": today.isoformat(),
        "end": (today + timedelta(days=DEFAULT_SEARCH_DAYS - 1)).isoformat(),
    }


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    # Where clocks jump at midnight (Santiago, Beirut), 00:00 does not exist; with
    # `fold=0` it is read with the offset before the jump, which is the jump's instant:
    # still the first instant of that local date.
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _result(match: Match, *, hours: WakingHours) -> dict[str, Any]:
    return {
        "interviewer": match.interviewer,
        "summary": interviewer_summary(match.interviewer),
        # Formatted here: twenty matches of seven numbers through `floatformat`, which
        # localizes each one, cost more than the rest of the page's rendering.
        "score": f"{match.score:.2f}",
        "explanation": " · ".join(part.text for part in match.explanation),
        "parts": [
            {"text": part.text, "value": f"{part.value:.2f}", "weight": f"{part.weight:.2f}"}
            for part in match.explanation
        ],
        "slots": choices(
            match.next_slots, hours, url_for=partial(booking_url, match.interviewer.pk)
        ),
    }
