"""Reads of the study plan for other apps: the weakest areas, for booking and matching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import Http404
from django.utils import timezone

from accounts.models import SkillArea, User
from interviews.rubrics import PHASES
from studyplans.models import PlanItem, StudyPlan
from studyplans.weakness import WEAKEST_COUNT, AreaWeakness, reason_for, weakest

PHASE_NAMES = {phase.slug: phase.name for phase in PHASES}


def weakest_areas_for(
    *, candidate: User, now: datetime | None = None, measured_only: bool = False
) -> list[str]:
    """The candidate's weakest skill areas (up to 3 slugs), weakest first.

    `measured_only` leaves out areas known only as focus areas: matching scores the focus
    areas as a part of their own, and must not count them twice.

    Read from the ranking stored on the plan (one indexed row: this runs inside every
    booking's locked transaction and every match list). The plan is remade whenever the
    ranking can change (profile saved, feedback revealed, review given), so the two agree.
    A candidate without a plan yet gets the same ranking computed on the spot.
    """
    if not candidate.is_candidate:
        return []
    stored = StudyPlan.objects.filter(candidate=candidate).values_list("weakness", flat=True)
    ranking: list[AreaWeakness] | None = None
    for entries in stored:
        ranking = [AreaWeakness.from_json(entry) for entry in entries]
    if ranking is None:
        # Imported here: planning reads feedback, which reads matching, which reads this.
        from studyplans.planning import weakness_before_a_plan

        ranking = weakness_before_a_plan(candidate=candidate, now=now or timezone.now())
    if measured_only:
        ranking = [entry for entry in ranking if entry.source != "focus"]
    return weakest(ranking)


def area_names() -> dict[str, str]:
    return dict(SkillArea.objects.values_list("slug", "name"))


def get_plan_item_for_user(*, user: User, item_id: int) -> PlanItem:
    """One item of the user's own plan; anyone else's, or none, is a 404 (no existence leak)."""
    item = (
        PlanItem.objects.filter(pk=item_id, plan__candidate=user)
        .select_related("plan", "resource", "skill_area")
        .first()
    )
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class PlanWeek:
    week_start: date
    items: list[PlanItem]

    @property
    def hours(self) -> float:
        return sum(float(item.resource.hours) for item in self.items if item.resource)


@dataclass(frozen=True)
class PlanView:
    plan: StudyPlan | None
    weeks: list[PlanWeek]
    ranking: list[AreaWeakness]
    this_week: date

    @property
    def weakest(self) -> list[str]:
        return weakest(self.ranking)

    def reasons(self) -> list[str]:
        """Why each targeted area is in the plan, weakest first."""
        names = area_names()
        return [
            reason_for(entry, area_names=names, phase_names=PHASE_NAMES)
            for entry in self.ranking[:WEAKEST_COUNT]
        ]


def plan_with_items(*, candidate: User, now: datetime) -> PlanView:
    """The whole plan, week by week, in 2 queries."""
    plan = StudyPlan.objects.filter(candidate=candidate).first()
    items = list(plan.items.select_related("resource", "skill_area")) if plan else []
    weeks: dict[date, list[PlanItem]] = {}
    for item in items:
        weeks.setdefault(item.week_start, []).append(item)
    today = now.astimezone(ZoneInfo(candidate.time_zone)).date()
    return PlanView(
        plan=plan,
        weeks=[PlanWeek(week, found) for week, found in sorted(weeks.items())],
        ranking=[AreaWeakness.from_json(entry) for entry in plan.weakness] if plan else [],
        this_week=today - timedelta(days=today.weekday()),
    )
