"""Reading interviewers' availability from the database into `slots.Availability`.

Selectors here cost a fixed number of queries whatever the number of interviewers or
sessions, so the slot list and the match list do not slow down as bookings grow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.db.models import Q

from accounts.models import User
from interviews.models import HOLDS_TIME, DateWindow, DateWindowKind, Session, WeeklyWindow
from interviews.slots import (
    DEFAULT_LENGTH,
    Availability,
    ExtraWindow,
    Slot,
    WeeklyRule,
    generate_slots,
)

# Local dates around a UTC range: a zone is at most 14 hours from UTC.
DATE_MARGIN = timedelta(days=1)


def availabilities(
    *, interviewers: Sequence[User], start: datetime, end: datetime
) -> dict[int, Availability]:
    """Each interviewer's windows, blackouts and busy time around [start, end): 3 queries."""
    ids = [interviewer.pk for interviewer in interviewers]
    weekly: dict[int, list[WeeklyRule]] = defaultdict(list)
    for row in WeeklyWindow.objects.filter(interviewer_id__in=ids).values_list(
        "interviewer_id", "weekday", "start_time", "end_time"
    ):
        weekly[row[0]].append(WeeklyRule(row[1], row[2], row[3]))
    extra: dict[int, list[ExtraWindow]] = defaultdict(list)
    blackouts: dict[int, set[date]] = defaultdict(set)
    first_day = (start - DATE_MARGIN).date()
    last_day = (end + DATE_MARGIN).date()
    for interviewer_id, kind, day, begins, ends in DateWindow.objects.filter(
        interviewer_id__in=ids, date__gte=first_day, date__lte=last_day
    ).values_list("interviewer_id", "kind", "date", "start_time", "end_time"):
        if kind == DateWindowKind.BLACKOUT:
            blackouts[interviewer_id].add(day)
        elif begins is not None and ends is not None:  # always, by a check constraint
            extra[interviewer_id].append(ExtraWindow(day, begins, ends))
    busy = busy_intervals(user_ids=ids, start=start, end=end)
    return {
        interviewer.pk: Availability(
            time_zone=interviewer.time_zone,
            weekly=weekly[interviewer.pk],
            extra=extra[interviewer.pk],
            blackouts=frozenset(blackouts[interviewer.pk]),
            busy=busy[interviewer.pk],
        )
        for interviewer in interviewers
    }


def busy_intervals(
    *, user_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Time held by each user's sessions (as interviewer or candidate) near [start, end)."""
    ids = list(user_ids)
    found: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    wanted = set(ids)
    rows = Session.objects.filter(
        HOLDS_TIME,
        Q(interviewer_id__in=ids) | Q(candidate_id__in=ids),
        start__lt=end + DATE_MARGIN,
        end__gt=start - DATE_MARGIN,
    ).values_list("interviewer_id", "candidate_id", "start", "end")
    for interviewer_id, candidate_id, begins, ends in rows:
        for user_id in {interviewer_id, candidate_id} & wanted:
            found[user_id].append((begins, ends))
    return found


def free_slots_for(
    *,
    interviewers: Sequence[User],
    start: datetime,
    end: datetime,
    now: datetime,
    length: timedelta = DEFAULT_LENGTH,
    also_busy: Sequence[tuple[datetime, datetime]] = (),
) -> dict[int, list[Slot]]:
    """Free slots per interviewer; `also_busy` is the candidate's own booked time."""
    found = availabilities(interviewers=interviewers, start=start, end=end)
    return {
        interviewer_id: generate_slots(
            Availability(
                time_zone=availability.time_zone,
                weekly=availability.weekly,
                extra=availability.extra,
                blackouts=availability.blackouts,
                busy=[*availability.busy, *also_busy],
            ),
            start=start,
            end=end,
            now=now,
            length=length,
        )
        for interviewer_id, availability in found.items()
    }


def free_slots(
    *,
    interviewer: User,
    start: datetime,
    end: datetime,
    now: datetime,
    length: timedelta = DEFAULT_LENGTH,
    also_busy: Sequence[tuple[datetime, datetime]] = (),
) -> list[Slot]:
    return free_slots_for(
        interviewers=[interviewer],
        start=start,
        end=end,
        now=now,
        length=length,
        also_busy=also_busy,
    )[interviewer.pk]
