"""Each notification as an email: text and HTML parts from templates/emails/, times in the
recipient's zone with the zone named, absolute links, and the session's ICS where the
calendar must change."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from interviews.calendar import ics_filename, session_ics
from interviews.feedback import feedback_due_at
from interviews.models import Session
from notifications.models import Kind, Notification, State

# Kinds that change the recipient's calendar carry the session's ICS file.
WITH_CALENDAR = frozenset({Kind.BOOKING_CONFIRMED, Kind.SESSION_CANCELLED, Kind.SESSION_MOVED})
TEMPLATES = {
    Kind.BOOKING_CONFIRMED: "booking-confirmed",
    Kind.REMINDER_24H: "session-reminder",
    Kind.REMINDER_1H: "session-reminder",
    Kind.SESSION_CANCELLED: "session-cancelled",
    Kind.SESSION_MOVED: "session-moved",
    Kind.FEEDBACK_DUE: "feedback-due",
    Kind.FEEDBACK_OVERDUE: "feedback-due",
    Kind.RATE_INTERVIEWER: "rate-interviewer",
    Kind.FEEDBACK_AVAILABLE: "feedback-available",
}


def local_time(moment: Any, time_zone: str) -> str:
    """ "Tuesday 3 March 2026, 10:00 (Europe/London)": the zone named, never assumed."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({time_zone})"


def local_range(session: Session, time_zone: str) -> str:
    """ "Tuesday 3 March 2026, 10:00 to 11:00 (Europe/London)"; the end's date only when it
    falls on another local day."""
    zone = ZoneInfo(time_zone)
    start, end = session.start.astimezone(zone), session.end.astimezone(zone)
    ends = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%A} {end.day} {end:%B, %H:%M}"
    return f"{start:%A} {start.day} {start:%B %Y, %H:%M} to {ends} ({time_zone})"


def _reminders_still_due(row: Notification, session: Session) -> list[str]:
    # Only what will really come: a reminder whose moment passed at booking is skipped.
    kinds = set(
        Notification.objects.filter(
            session=session, recipient=row.recipient, state=State.PENDING
        ).values_list("kind", flat=True)
    )
    return [
        text
        for kind, text in ((Kind.REMINDER_24H, "24 hours"), (Kind.REMINDER_1H, "1 hour"))
        if kind in kinds
    ]


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def session_context(row: Notification, session: Session) -> dict[str, Any]:
    recipient = row.recipient
    as_interviewer = recipient.pk == session.interviewer_id
    other = session.candidate if as_interviewer else session.interviewer
    previous = session.rescheduled_from if row.kind == Kind.SESSION_MOVED else None
    return {
        "recipient": recipient,
        "other": other,
        "as_interviewer": as_interviewer,
        "session": session,
        "when": local_time(session.start, recipient.time_zone),
        "when_range": local_range(session, recipient.time_zone),
        "reminders": _reminders_still_due(row, session),
        "ends": f"{session.end.astimezone(ZoneInfo(recipient.time_zone)):%H:%M}",
        "previous_when": local_time(previous.start, recipient.time_zone) if previous else "",
        "hours_before": 24 if row.kind == Kind.REMINDER_24H else 1,
        "minutes": int((session.end - session.start).total_seconds() // 60),
        "session_url": absolute(reverse("session_detail", args=[session.pk])),
        "find_url": absolute(reverse("find_interviewer")),
        "feedback_url": absolute(reverse("feedback_form", args=[session.pk])),
        "review_url": absolute(reverse("review_session", args=[session.pk])),
        "report_url": absolute(reverse("feedback_report", args=[session.pk])),
        "overdue": row.kind == Kind.FEEDBACK_OVERDUE,
        "feedback_due": local_time(feedback_due_at(session_end=session.end), recipient.time_zone),
        "cancelled_by_other": session.cancelled_by_id == other.pk,
    }


def build_message(row: Notification) -> EmailMultiAlternatives:
    session = row.session
    assert session is not None  # noqa: S101 - every kind so far is about a session
    template = TEMPLATES[Kind(row.kind)]
    ctx = {"site_url": settings.SITE_URL, **session_context(row, session)}
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", ctx).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}-body.txt", ctx),
        to=[row.recipient.email],
        # The same id every time this row is sent: should a worker die after the mail
        # server took the message but before the row was marked sent, the resend is
        # recognisably the same message.
        headers={"Message-ID": f"<notification-{row.pk}@{urlsplit(settings.SITE_URL).hostname}>"},
    )
    message.attach_alternative(render_to_string(f"emails/{template}-body.html", ctx), "text/html")
    if row.kind in WITH_CALENDAR:
        method = "CANCEL" if row.kind == Kind.SESSION_CANCELLED else "PUBLISH"
        message.attach(
            ics_filename(session),
            session_ics(session, viewer=row.recipient),
            f"text/calendar; charset=utf-8; method={method}",
        )
    return message
