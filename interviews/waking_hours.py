"""Waking hours: which offered slots a person sees first (SPEC §1, §5).

Every list of slots (the match cards, the fresh slots after "just taken", the reschedule
list, the alternatives after a cancel, the API) puts the slots inside the viewer's own
waking hours first and groups them by the viewer's local day; the others wait behind a
"Show times outside 08:00 to 22:00" disclosure. One pure function decides "inside", so the
pages, the API and the matching score never disagree.

The hours are wall-clock times in the viewer's zone, read with the zone's rules on the
slot's own date: 08:00 stays 08:00 local on both sides of a daylight-saving change. A
slot is inside when it starts at or after the start and ends at or before the end of the
same local day. An end of 23:59 means midnight, as for availability windows, because a
time of day cannot say 24:00.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from config import timefmt
from interviews.slots import END_OF_DAY, Slot

if TYPE_CHECKING:
    from accounts.models import User

DEFAULT_STARTS = time(8, 0)
DEFAULT_ENDS = time(22, 0)
MINUTES_A_DAY = 24 * 60
DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class WakingHours:
    tz: ZoneInfo
    starts: time = DEFAULT_STARTS
    ends: time = DEFAULT_ENDS

    @property
    def label(self) -> str:
        """ "08:00" EN DASH "22:00", as the disclosure shows it."""
        return f"{timefmt.clock(self.starts)}{DASH}{self._ends_text}"

    @property
    def words(self) -> str:
        """ "08:00 to 22:00", for sentences."""
        return f"{timefmt.clock(self.starts)} to {self._ends_text}"

    @property
    def _ends_text(self) -> str:
        return "24:00" if self.ends == END_OF_DAY else timefmt.clock(self.ends)


def waking_hours_of(user: User) -> WakingHours:
    return WakingHours(
        tz=ZoneInfo(user.time_zone), starts=user.waking_hours_start, ends=user.waking_hours_end
    )


def is_inside_waking_hours(slot: Slot, hours: WakingHours) -> bool:
    start = slot.start.astimezone(hours.tz)
    end = slot.end.astimezone(hours.tz)
    # Minutes from the local midnight that starts the slot's day; a slot crossing
    # midnight ends past 24:00 and so after any end of the day.
    start_minute = start.hour * 60 + start.minute
    end_minute = (end.date() - start.date()).days * MINUTES_A_DAY + end.hour * 60 + end.minute
    ends = MINUTES_A_DAY if hours.ends == END_OF_DAY else hours.ends.hour * 60 + hours.ends.minute
    return start_minute >= hours.starts.hour * 60 + hours.starts.minute and end_minute <= ends


def waking_first(slots: Iterable[Slot], hours: WakingHours) -> list[Slot]:
    """The slots inside the waking hours, then the others, each part in time order."""
    ordered = sorted(slots)
    return [slot for slot in ordered if is_inside_waking_hours(slot, hours)] + [
        slot for slot in ordered if not is_inside_waking_hours(slot, hours)
    ]


@dataclass(frozen=True)
class SlotChoice:
    """One slot as a page offers it: a link to the booking page, or a start to post."""

    slot: Slot
    label: str  # "14:00" EN DASH "15:00", local to the viewer
    url: str = ""

    @property
    def start_iso(self) -> str:
        return self.slot.start.isoformat()


@dataclass(frozen=True)
class Day:
    day: date
    heading: str  # "Tue 3 Dec"
    items: list[SlotChoice]


@dataclass(frozen=True)
class SlotOffer:
    """Slot buttons for a page: those inside the waking hours and the others, by local day."""

    hours: WakingHours
    inside: list[Day] = field(default_factory=list)
    outside: list[Day] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.inside and not self.outside


def choices(
    slots: Iterable[Slot],
    hours: WakingHours,
    *,
    url_for: Callable[[Slot], str] | None = None,
    limit: int | None = None,
) -> SlotOffer:
    """The page's slot buttons, waking hours apart, grouped by the viewer's local day.

    `limit` caps each part on its own, so night slots never crowd out day ones nor the
    reverse.
    """
    made = [_choice(slot, hours, url_for) for slot in sorted(slots)]
    inside = [item for item in made if is_inside_waking_hours(item.slot, hours)]
    outside = [item for item in made if not is_inside_waking_hours(item.slot, hours)]
    if limit is not None:
        inside, outside = inside[:limit], outside[:limit]
    return SlotOffer(
        hours=hours, inside=_by_day(inside, hours.tz), outside=_by_day(outside, hours.tz)
    )


def _choice(slot: Slot, hours: WakingHours, url_for: Callable[[Slot], str] | None) -> SlotChoice:
    label = f"{timefmt.clock(slot.start, hours.tz)}{DASH}{timefmt.clock(slot.end, hours.tz)}"
    return SlotChoice(slot, label, url_for(slot) if url_for is not None else "")


def _by_day(items: Sequence[SlotChoice], tz: ZoneInfo) -> list[Day]:
    days: list[Day] = []
    for item in items:
        local = item.slot.start.astimezone(tz)
        if not days or days[-1].day != local.date():
            days.append(Day(local.date(), timefmt.day(local.date(), tz), []))
        days[-1].items.append(item)
    return days
