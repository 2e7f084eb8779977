"""Interviewers' availability: reading it into `slots.Availability`, and editing it.

Selectors here cost a fixed number of queries whatever the number of interviewers or
sessions, so the slot list and the match list do not slow down as bookings grow.

Editing rules (the services at the bottom):
- Times are wall-clock times in the interviewer's own zone, on the 30-minute grid
  (:00 or :30), because slots start on that grid and a window off it would only waste
  minutes. A time of day cannot say 24:00, so an end of 23:59 means "until midnight"
  (`slots.END_OF_DAY`); it is the one end allowed off the grid.
- Weekly windows on one weekday never overlap: an overlap is refused with a message
  naming the window it hits, rather than merged, so nothing changes that the
  interviewer did not ask for. Extra windows on one date follow the same rule.
- Extra windows and blackouts are never in the past, judged by the interviewer's local
  date; a date holds at most one blackout.
- Errors name the fields as the page and the API call them: weekday, date, start, end.
- Anyone with an interviewer profile may edit, whatever its vetting status, so pending
  interviewers can prepare their week before they are approved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from operator import attrgetter
from typing import Literal
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from config import (
    lookups,  # noqa: F401  # registers `__any_of`
    timefmt,
)
from interviews.models import HOLDS_TIME, DateWindow, DateWindowKind, Session, WeeklyWindow
from interviews.slots import (
    DEFAULT_LENGTH,
    END_OF_DAY,
    GRID,
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
    weekly = weekly_rules(ids)
    extra, blackouts = date_changes(start=start, end=end, interviewer_ids=ids)
    busy = busy_intervals(user_ids=ids, start=start, end=end)
    return {
        interviewer.pk: Availability(
            time_zone=interviewer.time_zone,
            weekly=weekly[interviewer.pk],
            extra=extra.get(interviewer.pk, []),
            blackouts=frozenset(blackouts.get(interviewer.pk, ())),
            busy=busy[interviewer.pk],
        )
        for interviewer in interviewers
    }


def weekly_rules(interviewer_ids: Sequence[int]) -> dict[int, tuple[WeeklyRule, ...]]:
    """Each interviewer's weekly windows, sorted (equal patterns compare equal): 1 query.

    The one reader of weekly windows for the slot lists and matching; booking reads the
    same rows with its one-off windows in a single statement (`_windows_around`), and a
    test holds the two to the same answer.
    """
    found: dict[int, list[WeeklyRule]] = defaultdict(list)
    for interviewer_id, weekday, begins, ends in WeeklyWindow.objects.filter(
        interviewer_id__any_of=interviewer_ids
    ).values_list("interviewer_id", "weekday", "start_time", "end_time"):
        found[interviewer_id].append(WeeklyRule(weekday, begins, ends))
    order = attrgetter("weekday", "start", "end")
    return defaultdict(tuple, {pk: tuple(sorted(rules, key=order)) for pk, rules in found.items()})


def date_changes(
    *, start: datetime, end: datetime, interviewer_ids: Sequence[int] | None = None
) -> tuple[dict[int, list[ExtraWindow]], dict[int, set[date]]]:
    """Extra windows and blackouts by interviewer on the local dates around [start, end).

    One query; every interviewer's when `interviewer_ids` is None (the match list).
    """
    extra: dict[int, list[ExtraWindow]] = defaultdict(list)
    blackouts: dict[int, set[date]] = defaultdict(set)
    rows = DateWindow.objects.filter(
        date__gte=(start - DATE_MARGIN).date(), date__lte=(end + DATE_MARGIN).date()
    )
    if interviewer_ids is not None:
        rows = rows.filter(interviewer_id__any_of=interviewer_ids)
    for interviewer_id, kind, day, begins, ends in rows.values_list(
        "interviewer_id", "kind", "date", "start_time", "end_time"
    ):
        if kind == DateWindowKind.BLACKOUT:
            blackouts[interviewer_id].add(day)
        elif begins is not None and ends is not None:  # always, by a check constraint
            extra[interviewer_id].append(ExtraWindow(day, begins, ends))
    return dict(extra), dict(blackouts)


SessionRow = tuple[int, int, datetime, datetime]  # interviewer id, candidate id, start, end


def sessions_holding_time(
    *, user_ids: Sequence[int], since: datetime, until: datetime
) -> list[SessionRow]:
    """Sessions that hold time of any of these people, as interviewer or as candidate, and
    overlap [since, until): one query, one row per session."""
    return list(
        Session.objects.filter(
            HOLDS_TIME,
            Q(interviewer_id__any_of=user_ids) | Q(candidate_id__any_of=user_ids),
            start__lt=until,
            end__gt=since,
        ).values_list("interviewer_id", "candidate_id", "start", "end")
    )


def busy_by_person(
    rows: Iterable[SessionRow], user_ids: Iterable[int]
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each person's busy time: every session they are in, in either role (one account may
    interview and practise). The rule booking's SQL also applies; a test holds them equal."""
    wanted = set(user_ids)
    found: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for interviewer_id, candidate_id, begins, ends in rows:
        for user_id in {interviewer_id, candidate_id} & wanted:
            found[user_id].append((begins, ends))
    return found


def busy_intervals(
    *, user_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Time held by each user's sessions (as interviewer or candidate) near [start, end)."""
    ids = list(user_ids)
    rows = sessions_holding_time(user_ids=ids, since=start - DATE_MARGIN, until=end + DATE_MARGIN)
    return busy_by_person(rows, ids)


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


def is_offered(*, interviewer: User, start: datetime, length: timedelta, now: datetime) -> bool:
    """Whether the interviewer's windows offer a slot at `start`, busy time aside.

    The booking's own check, inside its locked transaction: one query for the windows
    around that day (the booking rules already read the sessions), then the same pure slot
    generation the pages show, so a booking accepts exactly the slots that were offered.
    """
    weekly, extra, blackouts = _windows_around(interviewer_id=interviewer.pk, moment=start)
    availability = Availability(
        time_zone=interviewer.time_zone, weekly=weekly, extra=extra, blackouts=blackouts
    )
    offered = generate_slots(
        availability, start=start, end=start + timedelta(minutes=1), now=now, length=length
    )
    return any(slot.start == start for slot in offered)


def _windows_around(
    *, interviewer_id: int, moment: datetime
) -> tuple[list[WeeklyRule], list[ExtraWindow], frozenset[date]]:
    # Plain SQL, one statement for both tables: this runs in every booking's locked
    # transaction, where two ORM queries cost more to build than to run.
    sql = f"""
        SELECT NULL, weekday, NULL, start_time, end_time FROM {WEEKLY_TABLE}
        WHERE interviewer_id = %s
        UNION ALL
        SELECT kind, NULL, date, start_time, end_time FROM {DATED_TABLE}
        WHERE interviewer_id = %s AND date >= %s AND date <= %s
    """  # noqa: S608 - table names are constants; values are parameters
    first, last = (moment - DATE_MARGIN).date(), (moment + DATE_MARGIN).date()
    with connection.cursor() as cursor:
        cursor.execute(sql, [interviewer_id, interviewer_id, first, last])
        rows = cursor.fetchall()
    weekly: list[WeeklyRule] = []
    extra: list[ExtraWindow] = []
    blackouts: set[date] = set()
    for kind, weekday, day, begins, ends in rows:
        # SQLite types a UNION's columns by its first SELECT, so the dates come back as
        # text there: normalise.
        if kind is None:
            weekly.append(WeeklyRule(weekday, _as_time(begins), _as_time(ends)))
        elif kind == DateWindowKind.BLACKOUT:
            blackouts.add(_as_date(day))
        else:
            extra.append(ExtraWindow(_as_date(day), _as_time(begins), _as_time(ends)))
    return weekly, extra, frozenset(blackouts)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_time(value: time | str) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


WEEKLY_TABLE = WeeklyWindow._meta.db_table
DATED_TABLE = DateWindow._meta.db_table


# --- Editing availability ----------------------------------------------------------------

WindowKind = Literal["weekly", "date"]


def weekly_windows(*, interviewer: User) -> QuerySet[WeeklyWindow]:
    return WeeklyWindow.objects.filter(interviewer=interviewer).order_by(
        "weekday", "start_time", "pk"
    )


def upcoming_date_windows(
    *, interviewer: User, now: datetime | None = None
) -> QuerySet[DateWindow]:
    """Extra windows and blackouts from the interviewer's local today on."""
    today = _local_today(interviewer, now)
    return DateWindow.objects.filter(interviewer=interviewer, date__gte=today).order_by(
        "date", "start_time", "pk"
    )


def add_weekly_window(
    *, interviewer: User, weekday: int, start_time: time, end_time: time
) -> WeeklyWindow:
    _require_interviewer(interviewer)
    errors: dict[str, str] = {}
    if not 0 <= weekday <= 6:
        errors["weekday"] = "Pick a day of the week."
    errors |= _time_errors(start_time, end_time)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_availability(interviewer)
        clash = (
            weekly_windows(interviewer=interviewer)
            .filter(weekday=weekday, start_time__lt=end_time, end_time__gt=start_time)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: f"This overlaps your {_describe(clash)} window; "
                    "change or delete that one first."
                }
            )
        return WeeklyWindow.objects.create(
            interviewer=interviewer, weekday=weekday, start_time=start_time, end_time=end_time
        )


def add_date_window(
    *,
    interviewer: User,
    kind: str,
    date: date,
    start_time: time | None = None,
    end_time: time | None = None,
    now: datetime | None = None,
) -> DateWindow:
    """An extra window (with times) or a blackout of a whole day (without) on a local date."""
    _require_interviewer(interviewer)
    errors: dict[str, str] = {}
    if kind not in DateWindowKind.values:
        raise ValidationError({"kind": "Choose an extra window or a blackout."})
    if date < _local_today(interviewer, now):
        errors["date"] = "Pick today or a later date."
    if kind == DateWindowKind.EXTRA:
        if start_time is None:
            errors["start"] = "Give the time the window starts."
        if end_time is None:
            errors["end"] = "Give the time the window ends."
        if start_time is not None and end_time is not None:
            errors |= _time_errors(start_time, end_time)
    elif start_time is not None or end_time is not None:
        errors["start"] = "A blackout covers the whole day: leave the times out."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_availability(interviewer)
        same_day = DateWindow.objects.filter(interviewer=interviewer, date=date, kind=kind)
        if kind == DateWindowKind.BLACKOUT and same_day.exists():
            raise ValidationError({"date": f"{_day(date)} is already a blackout date."})
        if kind == DateWindowKind.EXTRA:
            clash = same_day.filter(start_time__lt=end_time, end_time__gt=start_time).first()
            if clash is not None:
                raise ValidationError(
                    {
                        NON_FIELD_ERRORS: f"This overlaps your extra window {_describe(clash)}; "
                        "change or delete that one first."
                    }
                )
        return DateWindow.objects.create(
            interviewer=interviewer,
            kind=kind,
            date=date,
            start_time=start_time,
            end_time=end_time,
        )


def delete_window(*, interviewer: User, kind: WindowKind, window_id: int) -> None:
    """Delete one of the interviewer's windows; anyone else's, or none, is a 404."""
    model: type[WeeklyWindow] | type[DateWindow]
    if kind == "weekly":
        model = WeeklyWindow
    elif kind == "date":
        model = DateWindow
    else:
        raise Http404
    with transaction.atomic():
        deleted, _ = model.objects.filter(interviewer=interviewer, pk=window_id).delete()
    if not deleted:
        raise Http404


def _require_interviewer(user: User) -> None:
    if not user.is_interviewer:
        raise PermissionDenied("Only interviewers publish availability.")


def _lock_availability(interviewer: User) -> None:
    # Two requests adding overlapping windows at once would both pass the overlap check;
    # locking the interviewer's row makes them take turns. (SQLite's IMMEDIATE
    # transactions already serialise writers; this is for PostgreSQL.)
    User.objects.select_for_update().filter(pk=interviewer.pk).values_list("pk").first()


def _on_grid(moment: time) -> bool:
    minutes = timedelta(hours=moment.hour, minutes=moment.minute)
    return moment.second == 0 and moment.microsecond == 0 and minutes % GRID == timedelta(0)


def _time_errors(start_time: time, end_time: time) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not _on_grid(start_time):
        errors["start"] = "Start on the hour or the half hour, such as 13:00 or 13:30."
    if not (_on_grid(end_time) or end_time == END_OF_DAY):
        errors["end"] = "End on the hour or the half hour, or at 23:59 for midnight."
    elif end_time <= start_time:
        errors["end"] = "End after the start."
    return errors


def _local_today(interviewer: User, now: datetime | None) -> date:
    return (now or timezone.now()).astimezone(ZoneInfo(interviewer.time_zone)).date()


def _describe(window: WeeklyWindow | DateWindow) -> str:
    start = timefmt.clock(window.start_time) if window.start_time else ""
    end = timefmt.clock(window.end_time) if window.end_time else ""
    end = "24:00" if window.end_time == END_OF_DAY else end
    if isinstance(window, WeeklyWindow):
        return f"{window.get_weekday_display()} {start} to {end}"
    return f"{_day(window.date)} {start} to {end}"


def _day(moment: date) -> str:
    return timefmt.long_date(moment)
