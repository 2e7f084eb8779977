"""The booking link: one slot of one interviewer, to the page that confirms it.

`/sessions/new/?interviewer=<id>&start=<UTC, ISO 8601>[&length=<minutes>]`. The find page,
the fresh slots after a lost race and the alternatives after a cancel all offer slots
through it, and the confirmation page parses the same three fields.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from config import timefmt
from interviews.models import DEFAULT_SESSION_MINUTES
from interviews.slots import Slot


def booking_url(interviewer_id: int, slot: Slot, *, length: int = DEFAULT_SESSION_MINUTES) -> str:
    query: dict[str, object] = {"interviewer": interviewer_id, "start": timefmt.iso_utc(slot.start)}
    if length != DEFAULT_SESSION_MINUTES:
        query["length"] = length
    return f"{reverse('book_session')}?{urlencode(query)}"
