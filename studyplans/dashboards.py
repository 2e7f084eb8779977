"""What the two dashboards show (SPEC §8), each in a fixed number of queries.

Nothing here grows with a person's history: charts read the latest `CHART_SESSIONS`
revealed reports through grouped queries, lists are sliced in the database, and the skill
area chart reads the ranking stored on the plan.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.ratings import RatingSummary, rating_summary
from config import timefmt
from interviews.availability import free_slots
from interviews.capacity import week_bounds
from interviews.feedback import (
    FeedbackStep,
    feedback_due_at,
    feedback_step,
)
from interviews.models import (
    HOLDS_TIME,
    TOOK_PLACE,
    CriterionScore,
    FeedbackStatus,
    Session,
    SessionStatus,
)
from interviews.rubrics import PHASES
from interviews.selectors import upcoming_sessions
from studyplans.models import ItemStatus, PlanItem, StudyPlan
from studyplans.planning import (
    PRACTICE_GOAL,
    local_today,
    monday_of,
    practice_done,
    revealed_feedback,
)
from studyplans.selectors import PHASE_NAMES, area_names
from studyplans.weakness import AreaWeakness, weakest

CHART_SESSIONS = 12
REPORTS_SHOWN_FOR = timedelta(days=14)  # "report ready" stays news for two weeks
OWED_LOOKBACK = 20
UPCOMING_SHOWN = 5
AVAILABILITY_DAYS = 14
WEAKEST_PHASES = 2
SOLID = 3.0  # "solid, light prompting": a phase averaging below it is a weak one


# --- Candidate ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owed:
    session: Session
    step: FeedbackStep


@dataclass(frozen=True)
class PhaseSeries:
    """Per revealed report, oldest first: its date and each phase's average score."""

    sessions: list[tuple[Session, date]]
    averages: dict[str, list[float | None]]  # phase slug -> one value per session

    def chart(self) -> dict[str, Any]:
        return {
            "type": "line",
            "labels": [timefmt.day(day) for _, day in self.sessions],
            "datasets": [
                {"label": PHASE_NAMES[slug], "data": values}
                for slug, values in self.averages.items()
            ],
            "yMin": 1,
            "yMax": 4,
            "yTitle": "Average score (1 to 4)",
        }

    def rows(self) -> list[tuple[date, list[float | None]]]:
        return [
            (day, [self.averages[slug][index] for slug in self.averages])
            for index, (_, day) in enumerate(self.sessions)
        ]


@dataclass(frozen=True)
class AreaRow:
    slug: str
    name: str
    weakness: AreaWeakness
    targeted: bool


@dataclass
class CandidateDashboard:
    next_session: Session | None
    upcoming_count: int
    owed: list[Owed]
    plan: StudyPlan | None
    this_week: list[PlanItem]
    later_count: int
    done_count: int
    phases: PhaseSeries
    areas: list[AreaRow]
    practice_done: int
    practice_goal: int
    weakest: list[str]
    has_history: bool
    week_start: date
    reports: list[Owed] = field(default_factory=list)

    def area_chart(self) -> dict[str, Any]:
        return {
            "type": "bar",
            "horizontal": True,
            "labels": [row.name for row in self.areas],
            "datasets": [
                {
                    "label": "Your level (1 to 4, lower is weaker)",
                    "data": [row.weakness.value for row in self.areas],
                }
            ],
            "yMin": 1,
            "yMax": 4,
            "yTitle": "Level (1 to 4)",
        }


def _lean(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Only what the dashboard shows of a session: a candidate's page reads many of them,
    and the full rows with every joined column cost more to build than to fetch."""
    return sessions.select_related("interviewer", "feedback", "review").only(
        "start",
        "end",
        "status",
        "meeting_url",
        "candidate_id",
        "interviewer__display_name",
        "interviewer__email",
        "feedback__submitted_at",
        "feedback__status",
        "review__id",
    )


def _owed(user: User, now: datetime) -> tuple[list[Owed], list[Owed]]:
    """Held sessions of the candidate with a step left (review) or a report to read."""
    recent = _lean(
        Session.objects.filter(candidate=user, status__in=TOOK_PLACE, start__lte=now)
    ).order_by("-start", "-pk")[:OWED_LOOKBACK]
    owed: list[Owed] = []
    reports: list[Owed] = []
    for session in recent:
        feedback = getattr(session, "feedback", None)
        step = feedback_step(
            as_interviewer=False,
            session_end=session.end,
            feedback_submitted_at=feedback.submitted_at if feedback else None,
            has_draft=feedback is not None,
            review_submitted=getattr(session, "review", None) is not None,
            now=now,
        )
        if step.link == "review":
            owed.append(Owed(session, step))
        elif step.link == "report" and session.end > now - REPORTS_SHOWN_FOR:
            reports.append(Owed(session, step))
    return owed, reports


def _phase_series(user: User, now: datetime) -> PhaseSeries:
    latest = list(
        Session.objects.filter(revealed_feedback("feedback__", now=now), candidate=user).order_by(
            "-end", "-pk"
        )[:CHART_SESSIONS]
    )
    latest.reverse()
    position = {session.pk: index for index, session in enumerate(latest)}
    averages: dict[str, list[float | None]] = {phase.slug: [None] * len(latest) for phase in PHASES}
    rows = (
        CriterionScore.objects.filter(feedback__session_id__in=list(position))
        .values("feedback__session_id", "criterion__phase")
        .annotate(average=Avg("score"))
        .order_by()
    )
    for row in rows:
        index = position[row["feedback__session_id"]]
        averages[row["criterion__phase"]][index] = round(float(row["average"]), 2)
    zone = timezone.get_current_timezone()
    return PhaseSeries(
        sessions=[(session, session.start.astimezone(zone).date()) for session in latest],
        averages=averages,
    )


def _plan(user: User) -> tuple[StudyPlan | None, list[PlanItem]]:
    plan = StudyPlan.objects.filter(candidate=user).first()
    if plan is None:
        return None, []
    items = list(plan.items.select_related("resource", "skill_area"))
    return plan, items


def candidate_dashboard(*, user: User, now: datetime | None = None) -> CandidateDashboard:
    now = now or timezone.now()
    upcoming = list(
        _lean(
            Session.objects.filter(candidate=user, status=SessionStatus.SCHEDULED, end__gt=now)
        ).order_by("start", "pk")[:UPCOMING_SHOWN]
    )
    owed, reports = _owed(user, now)
    plan, items = _plan(user)
    week_start = monday_of(local_today(user, now))
    this_week = [
        item
        for item in items
        if item.week_start <= week_start
        and (item.status in (ItemStatus.TODO, ItemStatus.DOING) or item.week_start == week_start)
    ]
    ranking = [AreaWeakness.from_json(entry) for entry in plan.weakness] if plan else []
    names = area_names()
    chosen = set(weakest(ranking))
    has_history = bool(upcoming) or Session.objects.filter(candidate=user).exists()
    return CandidateDashboard(
        next_session=upcoming[0] if upcoming else None,
        upcoming_count=len(upcoming),
        owed=owed,
        reports=reports,
        plan=plan,
        this_week=this_week,
        later_count=sum(
            1
            for item in items
            if item.week_start > week_start and item.status in (ItemStatus.TODO, ItemStatus.DOING)
        ),
        done_count=sum(1 for item in items if item.status == ItemStatus.DONE),
        phases=_phase_series(user, now),
        areas=[
            AreaRow(w.skill_area, names.get(w.skill_area, w.skill_area), w, w.skill_area in chosen)
            for w in ranking
        ],
        practice_done=practice_done(candidate=user, now=now),
        practice_goal=PRACTICE_GOAL,
        weakest=weakest(ranking),
        has_history=has_history,
        week_start=week_start,
    )


# --- Interviewer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Brief:
    session: Session
    target_level: str
    goal: str
    focus: list[str]
    weakest_phases: list[tuple[str, float]]  # (phase name, average), weakest first
    reports: int


@dataclass(frozen=True)
class FeedbackOwed:
    session: Session
    due_at: datetime
    overdue: bool
    has_draft: bool


@dataclass
class InterviewerDashboard:
    briefs: list[Brief]
    owed: list[FeedbackOwed]
    rating: RatingSummary
    free_hours: float
    availability_days: int
    is_approved: bool
    status_label: str


def _briefs(user: User, now: datetime) -> list[Brief]:
    upcoming = list(
        upcoming_sessions(user=user, now=now)
        .filter(interviewer=user)
        .select_related("candidate__candidate_profile")
        .prefetch_related("candidate__candidate_profile__focus_areas")[:UPCOMING_SHOWN]
    )
    # The phases each candidate is weakest in, over the reports they have received: one
    # grouped query for everyone on the list.
    averages: dict[int, dict[str, float]] = {}
    reports: dict[int, int] = {}
    for row in (
        CriterionScore.objects.filter(
            revealed_feedback("feedback__", now=now),
            feedback__session__candidate_id__in={s.candidate_id for s in upcoming},
        )
        .values("feedback__session__candidate_id", "criterion__phase")
        .annotate(average=Avg("score"), reports=Count("feedback_id", distinct=True))
        .order_by()
    ):
        candidate_id = row["feedback__session__candidate_id"]
        averages.setdefault(candidate_id, {})[row["criterion__phase"]] = float(row["average"])
        reports[candidate_id] = max(reports.get(candidate_id, 0), row["reports"])
    briefs = []
    for session in upcoming:
        profile = getattr(session.candidate, "candidate_profile", None)
        ranked = sorted(
            averages.get(session.candidate_id, {}).items(), key=lambda item: (item[1], item[0])
        )
        briefs.append(
            Brief(
                session=session,
                target_level=profile.get_target_level_display() if profile else "",
                goal=profile.goal if profile else "",
                focus=[area.name for area in profile.focus_areas.all()] if profile else [],
                weakest_phases=[
                    (PHASE_NAMES.get(phase, phase), round(value, 1))
                    for phase, value in ranked[:WEAKEST_PHASES]
                    if value < SOLID
                ],
                reports=reports.get(session.candidate_id, 0),
            )
        )
    return briefs


def _feedback_owed(user: User, now: datetime) -> list[FeedbackOwed]:
    sessions = (
        Session.objects.filter(interviewer=user, status__in=TOOK_PLACE, end__lte=now)
        .exclude(feedback__status=FeedbackStatus.SUBMITTED)
        .select_related("candidate", "feedback")
        .order_by("end", "pk")[:OWED_LOOKBACK]
    )
    owed = []
    for session in sessions:
        due = feedback_due_at(session_end=session.end)
        owed.append(
            FeedbackOwed(
                session=session,
                due_at=due,
                overdue=now > due,
                has_draft=getattr(session, "feedback", None) is not None,
            )
        )
    return owed


def free_hours(
    *, user: User, now: datetime, weekly_capacity: int, days: int = AVAILABILITY_DAYS
) -> float:
    """Bookable time in the next `days`: free slots, counted once where they overlap, cut at
    the end of the period, and none in a week already at the interviewer's capacity (booking
    refuses those, in the interviewer's local Monday-to-Monday week)."""
    until = now + timedelta(days=days)
    slots = free_slots(interviewer=user, start=now, end=until, now=now)
    held = Session.objects.filter(
        HOLDS_TIME, interviewer=user, start__gte=now - timedelta(days=7), start__lt=until
    ).values_list("start", flat=True)
    per_week = Counter(week_bounds(start, user.time_zone)[0] for start in held)
    total = timedelta()
    covered_until = now
    for slot in sorted(slots, key=lambda s: s.start):
        if per_week[week_bounds(slot.start, user.time_zone)[0]] >= weekly_capacity:
            continue
        begin, end = max(slot.start, covered_until), min(slot.end, until)
        if end > begin:
            total += end - begin
        covered_until = max(covered_until, slot.end)
    return total.total_seconds() / 3600


def interviewer_dashboard(*, user: User, now: datetime | None = None) -> InterviewerDashboard:
    now = now or timezone.now()
    profile = user.interviewer_profile
    return InterviewerDashboard(
        briefs=_briefs(user, now),
        owed=_feedback_owed(user, now),
        rating=rating_summary(count=profile.review_count, stars=profile.review_stars),
        free_hours=free_hours(user=user, now=now, weekly_capacity=profile.weekly_capacity),
        availability_days=AVAILABILITY_DAYS,
        is_approved=profile.is_approved,
        status_label=profile.get_status_display(),
    )
