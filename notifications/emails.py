"""Each notification as an email: text and HTML parts from templates/emails/, times in the
recipient's zone with the zone named, absolute links, the session's ICS where the calendar
must change, and for the optional kinds a one-click unsubscribe (link and header)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config import timefmt
from interviews.calendar import ics_filename, session_ics
from interviews.feedback import feedback_due_at
from interviews.models import Session
from notifications.mime import NotificationEmail
from notifications.models import OPTIONAL, Kind, Notification
from notifications.preferences import unsubscribe_path
from notifications.selectors import reminders_coming

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
    Kind.WEEKLY_DIGEST: "weekly-digest",
    Kind.VETTING_DECISION: "vetting-decision",
}


def local_time(moment: Any, time_zone: str) -> str:
    """ "Tuesday 3 March 2026, 10:00 GMT (Europe/London)": the zone named, never assumed."""
    return timefmt.full(moment, time_zone)


def local_range(session: Session, time_zone: str) -> str:
    """ "Tuesday 3 March 2026, 10:00 to 11:00 GMT (Europe/London)"."""
    return timefmt.full_range(session.start, session.end, time_zone)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def session_context(row: Notification, session: Session) -> dict[str, Any]:
    recipient = row.recipient
    assert recipient is not None  # noqa: S101 - a session's mail goes to one of its people
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
        # Only the confirmation promises reminders: no other kind spends the two reads.
        "reminders": (
            reminders_coming(session=session, user=recipient)
            if row.kind == Kind.BOOKING_CONFIRMED
            else []
        ),
        "ends": timefmt.clock(session.end, recipient.time_zone),
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


def vetting_context(row: Notification) -> dict[str, Any]:
    assert row.recipient is not None  # noqa: S101 - a decision is about an account
    profile = row.recipient.interviewer_profile
    return {
        "user": row.recipient,
        "profile": profile,
        "profile_url": absolute(reverse("profile")),
    }


def digest_context(row: Notification) -> dict[str, Any]:
    # Imported here: the digest reads the study plan, which reads feedback and matching.
    from studyplans.digest import digest_for

    assert row.recipient is not None  # noqa: S101 - a plan belongs to a candidate
    recipient = row.recipient
    digest = digest_for(
        candidate=recipient, week=date.fromisoformat(row.payload["week"]), now=timezone.now()
    )
    upcoming = digest.next_session
    return {
        "recipient": recipient,
        "digest": digest,
        "week": timefmt.day(digest.week, recipient.time_zone),
        "next_when": local_range(upcoming, recipient.time_zone) if upcoming else "",
        "plan_url": absolute(reverse("study_plan")),
        "find_url": absolute(reverse("find_interviewer")),
    }


def _context(row: Notification) -> dict[str, Any]:
    if row.kind == Kind.VETTING_DECISION:
        return vetting_context(row)
    if row.kind == Kind.WEEKLY_DIGEST:
        return digest_context(row)
    assert row.session is not None  # noqa: S101 - every other kind is about a session
    return session_context(row, row.session)


def _footer(row: Notification) -> dict[str, str]:
    """Links to the preferences, and for an optional kind the one-click unsubscribe."""
    assert row.recipient is not None  # noqa: S101 - only account mail has none
    footer = {"preferences_url": absolute(reverse("notification_preferences"))}
    if row.kind in OPTIONAL:
        path = unsubscribe_path(user_id=row.recipient.pk, kind=row.kind)
        footer |= {"unsubscribe_url": absolute(path), "kind_label": row.get_kind_display()}
    return footer


def _headers(row: Notification, footer: dict[str, str]) -> dict[str, str]:
    # The same id every time this row is sent: should a worker die after the mail server
    # took the message but before the row was marked sent, the resend is recognisably the
    # same message.
    headers = {"Message-ID": f"<notification-{row.pk}@{urlsplit(settings.SITE_URL).hostname}>"}
    if "unsubscribe_url" in footer:
        # RFC 8058: mail clients show their own "Unsubscribe" and post to the link.
        headers["List-Unsubscribe"] = f"<{footer['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def account_message(row: Notification) -> NotificationEmail:
    """Account mail as allauth rendered it when it was asked for (`accounts.adapter`)."""
    payload = row.payload
    message = NotificationEmail(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload.get("from_email") or None,
        to=[row.to_address],
        headers=_headers(row, {}),
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    return message


def build_message(row: Notification) -> NotificationEmail:
    if row.kind == Kind.ACCOUNT:
        return account_message(row)
    template = TEMPLATES[Kind(row.kind)]
    footer = _footer(row)
    ctx = {"site_url": settings.SITE_URL, **_context(row), **footer}
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", ctx).split())
    message = NotificationEmail(
        subject=subject,
        body=render_to_string(f"emails/{template}-body.txt", ctx),
        to=[row.to_address],
        headers=_headers(row, footer),
    )
    message.attach_alternative(render_to_string(f"emails/{template}-body.html", ctx), "text/html")
    if row.kind in WITH_CALENDAR and row.session is not None and row.recipient is not None:
        session = row.session
        method = "CANCEL" if row.kind == Kind.SESSION_CANCELLED else "PUBLISH"
        message.attach(
            ics_filename(session),
            session_ics(session, viewer=row.recipient),
            f"text/calendar; charset=utf-8; method={method}",
        )
    return message
