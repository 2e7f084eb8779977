"""The weekly plan digest: every candidate with a plan hears from it on Monday at 08:00 in
their own zone (SPEC §9).

A beat task every 15 minutes asks which zones are now between Monday 08:00 and 12:00 and
writes one outbox row per candidate there, keyed by plan and Monday, due at 08:00 local.
The key makes a repeat a no-op; the four-hour window lets a beat that was down catch up
(and zones with a :30 or :45 offset are met within 15 minutes of their 08:00).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from interviews.models import Session, SessionStatus
from notifications.models import Kind
from notifications.outbox import notify
from studyplans.models import ItemStatus, PlanItem, StudyPlan
from studyplans.planning import PRACTICE_GOAL, monday_of, practice_done
from studyplans.selectors import plan_with_items

SEND_AT = time(8, 0)
CATCH_UP = timedelta(hours=4)
OPEN = (ItemStatus.TODO, ItemStatus.DOING)


def digest_due_at(*, monday: date, time_zone: str) -> datetime:
    """08:00 on that Monday in the zone, as an aware moment (a Monday 08:00 always exists:
    no zone changes its clocks then)."""
    return datetime.combine(monday, SEND_AT, tzinfo=ZoneInfo(time_zone))


def zones_at_digest_time(*, zones: set[str], now: datetime) -> dict[str, date]:
    """The zones where it is now Monday between 08:00 and the end of the catch-up window,
    with that Monday's date."""
    found = {}
    for name in zones:
        local = now.astimezone(ZoneInfo(name))
        monday = local.date()
        if (
            local.weekday() == 0
            and timedelta() <= local - digest_due_at(monday=monday, time_zone=name) < CATCH_UP
        ):
            found[name] = monday
    return found


def queue_weekly_digests(*, now: datetime | None = None) -> int:
    """Write this Monday's digest row for every candidate it is due for; returns how many
    candidates were considered (a repeat writes nothing new)."""
    now = now or timezone.now()
    plans = StudyPlan.objects.select_related("candidate")
    zones = set(plans.values_list("candidate__time_zone", flat=True).distinct())
    due_zones = zones_at_digest_time(zones=zones, now=now)
    count = 0
    for plan in plans.filter(candidate__time_zone__in=due_zones).iterator():
        zone = plan.candidate.time_zone
        monday = due_zones[zone]
        notify(
            kind=Kind.WEEKLY_DIGEST,
            recipients=[plan.candidate],
            key=f"plan:{plan.pk}:{monday.isoformat()}",
            due_at=digest_due_at(monday=monday, time_zone=zone),
            now=now,
            payload={"week": monday.isoformat()},
        )
        count += 1
    return count


@dataclass(frozen=True)
class Digest:
    week: date
    items: list[PlanItem]
    done_this_week: int
    reasons: list[str]
    practice_done: int
    practice_goal: int
    next_session: Session | None


def digest_for(*, candidate: User, week: date, now: datetime) -> Digest:
    """What the digest says: the week's open items, why, and the practice count."""
    view = plan_with_items(candidate=candidate, now=now)
    this_week = [item for week_items in view.weeks for item in week_items.items]
    this_week = [item for item in this_week if monday_of(item.week_start) == week]
    upcoming = Session.objects.filter(
        candidate=candidate, status=SessionStatus.SCHEDULED, start__gt=now
    ).select_related("interviewer")
    return Digest(
        week=week,
        items=[item for item in this_week if item.status in OPEN],
        done_this_week=sum(item.status == ItemStatus.DONE for item in this_week),
        reasons=view.reasons(),
        practice_done=practice_done(candidate=candidate, now=now),
        practice_goal=PRACTICE_GOAL,
        next_session=upcoming.order_by("start").first(),
    )
