"""The booking rules in plain words, for anyone, signed in or not.

Every number on the page comes from the constants the rules themselves use, so the page
cannot drift from what the code enforces.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from interviews import booking
from interviews.feedback import FEEDBACK_DUE_AFTER, REVEAL_AFTER
from interviews.slots import HORIZON, LEAD_TIME
from notifications.sessions import REMINDERS


def _hours(length: timedelta) -> int:
    return int(length.total_seconds() // 3600)


def booking_help(request: HttpRequest) -> HttpResponse:
    ctx = {
        "lead_hours": _hours(LEAD_TIME),
        "horizon_weeks": HORIZON.days // 7,
        "max_upcoming": booking.MAX_UPCOMING,
        "notice_hours": _hours(booking.FREE_CANCEL_NOTICE),
        "grace_hours": _hours(booking.CHANGE_GRACE),
        "no_show_window_days": booking.NO_SHOW_WINDOW.days,
        "no_show_block_days": booking.NO_SHOW_BLOCK.days,
        "feedback_due_hours": _hours(FEEDBACK_DUE_AFTER),
        "reveal_hours": _hours(REVEAL_AFTER),
        "reminder_hours": [_hours(before) for _, before in REMINDERS],
    }
    return render(request, "interviews/help_booking.html", ctx)
