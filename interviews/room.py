"""The session page as the interview room (SPEC §6): join window, agenda, whiteboard.

Pure functions, so the rules are tested without a database:
- The join button is live from 10 minutes before the start until the end, as on
  interviewing.io and cal.com: early enough to check the microphone, not so early that
  one side waits alone for half an hour.
- The agenda gives each phase its clock times in the viewer's zone. A session that
  crosses a daylight-saving change names the zone's abbreviation on every time, because
  "01:55 to 01:15" would otherwise read as going backwards.
- The whiteboard link is made once per session (`interviews.whiteboard`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from interviews.models import DEFAULT_SESSION_MINUTES
from interviews.rubrics import PHASES

JOIN_OPENS_BEFORE = timedelta(minutes=10)
EN_DASH = "\N{EN DASH}"
WRAP_UP_NAME = "Questions and wrap-up"
WRAP_UP_ABOUT = "Questions for each other, and when the feedback will be ready."


class JoinState(enum.StrEnum):
    EARLY = "early"
    OPEN = "open"
    OVER = "over"


def join_opens_at(start: datetime) -> datetime:
    return start - JOIN_OPENS_BEFORE


def join_state(*, start: datetime, end: datetime, now: datetime) -> JoinState:
    if now < join_opens_at(start):
        return JoinState.EARLY
    if now < end:
        return JoinState.OPEN
    return JoinState.OVER


@dataclass(frozen=True)
class AgendaItem:
    slug: str
    name: str
    minutes: int
    about: str
    start: datetime
    end: datetime
    times: str  # "10:00 to 10:10" with an en dash, in the viewer's zone


def agenda(*, start: datetime, end: datetime, zone: str) -> list[AgendaItem]:
    """The timed phases scaled to the session's length, then the minutes left to close it."""
    length = int((end - start).total_seconds() // 60)
    scale = length / DEFAULT_SESSION_MINUTES
    tz = ZoneInfo(zone)
    crosses_change = start.astimezone(tz).utcoffset() != end.astimezone(tz).utcoffset()
    items: list[AgendaItem] = []
    at = start
    # Communication has no minutes of its own: it is scored across the whole session.
    for phase in PHASES:
        if phase.minutes is None:
            continue
        minutes = round(phase.minutes * scale)
        until = at + timedelta(minutes=minutes)
        items.append(
            AgendaItem(
                phase.slug,
                phase.name,
                minutes,
                phase.about,
                at,
                until,
                _times(at, until, tz, crosses_change),
            )
        )
        at = until
    left = int((end - at).total_seconds() // 60)
    if left > 0:
        items.append(
            AgendaItem(
                "wrap-up",
                WRAP_UP_NAME,
                left,
                WRAP_UP_ABOUT,
                at,
                end,
                _times(at, end, tz, crosses_change),
            )
        )
    return items


def current_item(items: list[AgendaItem], now: datetime) -> AgendaItem | None:
    return next((item for item in items if item.start <= now < item.end), None)


def _times(start: datetime, end: datetime, tz: ZoneInfo, with_zone: bool) -> str:
    pattern = "%H:%M %Z" if with_zone else "%H:%M"
    return f"{start.astimezone(tz):{pattern}}{EN_DASH}{end.astimezone(tz):{pattern}}"
