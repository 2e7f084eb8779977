"""One session as an iCalendar file (RFC 5545), built with the `icalendar` package.

- UID: the session's `ics_uid` at our domain. A rescheduled session hands its UID to its
  replacement (see `interviews.booking`), so importing the new file moves the event.
- SEQUENCE: `ics_sequence`, raised by every change a calendar must pick up (a cancel, a
  reschedule). Completing a session or marking a no-show changes nothing in a calendar.
- Times are UTC (`...Z`): never floating, so every client places them right.
- A cancelled session is `METHOD:CANCEL` with `STATUS:CANCELLED`; a live one is
  `METHOD:PUBLISH` (a file to import, not an invitation that expects replies).
- DTSTAMP is the session's last change, so downloading twice gives the same file.
"""

from __future__ import annotations

from datetime import UTC
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress

from accounts.models import User
from interviews.models import Session, SessionStatus

PRODUCT_ID = "-//Mockloop//Mock interviews//EN"
UID_DOMAIN = "mockloop"


def session_uid(session: Session) -> str:
    return f"{session.ics_uid}@{UID_DOMAIN}"


def session_ics(session: Session, *, viewer: User) -> bytes:
    """The file `viewer` downloads; the summary names the other person."""
    cancelled = session.status == SessionStatus.CANCELLED
    other = session.candidate if viewer.pk == session.interviewer_id else session.interviewer
    role = "candidate" if viewer.pk == session.interviewer_id else "interviewer"
    page = settings.SITE_URL.rstrip("/") + reverse("session_detail", args=[session.pk])

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")

    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.ics_sequence)
    event.add("dtstamp", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.start.astimezone(UTC))
    event.add("dtend", session.end.astimezone(UTC))
    event.add("summary", f"Mock system design interview with {other.name}")
    event.add(
        "description",
        f"Practice interview on Mockloop; your {role} is {other.name}.\n"
        f"Join: {session.meeting_url}\nWhiteboard: {session.whiteboard_url}\n"
        f"Session page: {page}",
    )
    event.add("location", session.meeting_url)
    event.add("url", page)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # iTIP wants an organizer on a CANCEL; our no-reply address, so no one's email leaks.
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = "Mockloop"
    event.add("organizer", organizer)
    calendar.add_component(event)
    return calendar.to_ical()


def ics_filename(session: Session) -> str:
    return f"mockloop-session-{session.pk}.ics"
