"""Making and remaking a candidate's study plan (SPEC §8).

`plan_items` is the pure rule; `refresh_plan` loads what it needs, applies it and stores
the weakness ranking it was made from; `apply_feedback` is the once-per-feedback remake
that the Celery task runs when a feedback becomes visible to the candidate.

The rule, with the choices the spec leaves open:
- The plan aims at the `TARGET_AREAS` weakest areas (`studyplans.weakness`). Each gets
  catalogue resources not yet in the plan (whatever their status there: done stays done)
  until it has `OPEN_PER_AREA` open items, then more, round-robin from the weakest, until
  the open items fill `PLAN_WEEKS` weeks at `HOURS_PER_WEEK`; shorter ones first, so each
  area starts with a talk or an article and the books follow.
- Open items are laid out from this week on, about `HOURS_PER_WEEK` a week, round-robin
  over the areas weakest first, so every week touches the weakest one: an item sits in
  the week it starts in, and a long book pushes the next item as many weeks later as it
  takes to read at that pace.
- Remaking keeps every item the candidate touched (done, in progress, skipped) and drops
  untouched items whose area is no longer among the weakest.
- "Book your next practice interview" is in the plan, in this week, while the candidate
  had fewer than `PRACTICE_GOAL` practice interviews in the last 30 days (held sessions:
  completed, or scheduled and ended but not yet marked).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import CandidateProfile, SkillArea, User
from config.errors import DomainError
from interviews.feedback import REVEAL_AFTER
from interviews.models import (
    TOOK_PLACE,
    CriterionScore,
    Feedback,
    FeedbackStatus,
    PhaseNote,
    Review,
    Session,
    SessionStatus,
)
from interviews.rubrics import PHASE_SLUGS, current_rubric
from studyplans.models import (
    AppliedFeedback,
    ItemKind,
    ItemStatus,
    PlanItem,
    Resource,
    StudyPlan,
)
from studyplans.selectors import PHASE_NAMES
from studyplans.weakness import (
    MAX_INTERVIEWS,
    AreaWeakness,
    CriterionResult,
    InterviewScores,
    SelfAssessment,
    rank_areas,
    reason_for,
    weakest,
)

TARGET_AREAS = 3
OPEN_PER_AREA = 2
HOURS_PER_WEEK = 5.0
PLAN_WEEKS = 4  # the plan holds about this many weeks of open reading
PRACTICE_GOAL = 2
PRACTICE_WINDOW = timedelta(days=30)

OPEN = (ItemStatus.TODO, ItemStatus.DOING)


# --- The pure rule --------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueEntry:
    resource_id: int
    title: str
    hours: float
    skill_areas: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """An item as the rule sees it: an existing one (with its id) or one to add (id None)."""

    kind: str
    status: str
    week_start: date
    position: int
    reason: str
    resource_id: int | None = None
    skill_area: str | None = None
    hours: float = 0.0
    item_id: int | None = None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def practice_reason(done: int) -> str:
    interviews = "practice interview" if done == 1 else "practice interviews"
    return (
        f"{done} {interviews} in the last 30 days; "
        f"the goal is at least {PRACTICE_GOAL} a month to turn reading into practice"
    )


def plan_items(
    *,
    weakness: Sequence[AreaWeakness],
    catalogue: Sequence[CatalogueEntry],
    existing: Sequence[Item],
    practice_done: int,
    this_week: date,
    area_names: Mapping[str, str],
    phase_names: Mapping[str, str],
    has_upcoming: bool = False,
) -> list[Item]:
    """The items the plan should hold now; existing items not returned are to be deleted.

    `has_upcoming`: the candidate has a session booked, so "book your next practice
    interview" is already done whatever the count.
    """
    practice_wanted = practice_done < PRACTICE_GOAL and not has_upcoming
    targets = weakest(weakness, TARGET_AREAS)
    reasons = {
        w.skill_area: reason_for(w, area_names=area_names, phase_names=phase_names)
        for w in weakness[:TARGET_AREAS]
    }
    kept = [item for item in existing if _keeps(item, targets, practice_wanted)]
    # Resources already in the plan after this remake (items it drops are free again).
    in_plan = {item.resource_id for item in kept if item.resource_id is not None}
    # Unused catalogue entries per area, shortest first: a talk or an article starts each
    # area, the books follow.
    choices = {
        area: [
            entry
            for entry in sorted(catalogue, key=lambda e: (e.hours, e.title))
            if area in entry.skill_areas and entry.resource_id not in in_plan
        ]
        for area in targets
    }
    open_items = [item for item in kept if item.status in OPEN and item.kind == ItemKind.RESOURCE]
    open_count = {area: sum(1 for i in open_items if i.skill_area == area) for area in targets}
    planned_hours = sum(item.hours for item in open_items)
    added: list[Item] = []

    def take(area: str) -> bool:
        nonlocal planned_hours
        while choices[area]:
            entry = choices[area].pop(0)
            if entry.resource_id in in_plan:
                continue  # taken for a weaker area it also covers
            in_plan.add(entry.resource_id)
            open_count[area] += 1
            planned_hours += entry.hours
            added.append(
                Item(
                    kind=ItemKind.RESOURCE,
                    status=ItemStatus.TODO,
                    week_start=this_week,
                    position=0,
                    reason=reasons[area],
                    resource_id=entry.resource_id,
                    skill_area=area,
                    hours=entry.hours,
                )
            )
            return True
        return False

    # Every area gets its minimum; then round-robin, weakest first, until the open items
    # fill PLAN_WEEKS weeks at the weekly pace (or the catalogue runs out).
    for area in targets:
        while open_count[area] < OPEN_PER_AREA and take(area):
            pass
    budget = PLAN_WEEKS * HOURS_PER_WEEK
    growing = True
    while growing and planned_hours < budget:
        growing = False
        for area in targets:
            if planned_hours < budget and take(area):
                growing = True
    items = [
        replace(item, reason=reasons[item.skill_area])
        if item.status in OPEN and item.skill_area in reasons
        else item
        for item in kept
    ]
    if practice_wanted:
        items = _with_practice(items, practice_done=practice_done, this_week=this_week)
    return _scheduled([*items, *added], targets=targets, this_week=this_week)


def _keeps(item: Item, targets: Sequence[str], practice_wanted: bool) -> bool:
    if item.status != ItemStatus.TODO:
        return True  # touched by the candidate: done, in progress or skipped
    if item.kind == ItemKind.PRACTICE:
        return practice_wanted
    return item.skill_area in targets


def _with_practice(items: list[Item], *, practice_done: int, this_week: date) -> list[Item]:
    reason = practice_reason(practice_done)
    for index, item in enumerate(items):
        if item.kind == ItemKind.PRACTICE and item.status in OPEN:
            items[index] = replace(item, reason=reason)
            return items
        if item.kind == ItemKind.PRACTICE and item.week_start == this_week:
            return items  # checked off or skipped this week: not asked again until Monday
    practice = Item(
        kind=ItemKind.PRACTICE,
        status=ItemStatus.TODO,
        week_start=this_week,
        position=0,
        reason=reason,
    )
    return [practice, *items]


def _scheduled(items: list[Item], *, targets: Sequence[str], this_week: date) -> list[Item]:
    """Open items laid out from this week at about HOURS_PER_WEEK; others keep their week."""
    area_rank = {area: index for index, area in enumerate(targets)}
    open_study = [i for i in items if i.status in OPEN and i.kind == ItemKind.RESOURCE]
    # What the candidate is reading stays first (this week), whatever its area; then the
    # rest round-robin over the areas, weakest first; within an area, the order they
    # already had (new items after the kept ones, shortest first).
    order = sorted(
        (i for i in open_study if i.status == ItemStatus.DOING),
        key=lambda i: (area_rank.get(i.skill_area or "", len(area_rank)), i.position),
    )
    per_area: dict[str | None, list[Item]] = {}
    for item in sorted(
        (i for i in open_study if i.status == ItemStatus.TODO),
        key=lambda i: (i.item_id is None, i.position, i.hours),
    ):
        per_area.setdefault(item.skill_area, []).append(item)
    lanes = sorted(per_area, key=lambda a: area_rank.get(a or "", len(area_rank)))
    while any(per_area[a] for a in lanes):
        for area in lanes:
            if per_area[area]:
                order.append(per_area[area].pop(0))
    placed: dict[int, Item] = {}
    week, used = 0, 0.0
    for position, item in enumerate(order, start=1):
        placed[id(item)] = replace(
            item, week_start=this_week + timedelta(weeks=week), position=position
        )
        used += item.hours
        if used >= HOURS_PER_WEEK:
            full_weeks = math.floor(used / HOURS_PER_WEEK)
            week += full_weeks
            used -= full_weeks * HOURS_PER_WEEK
    result: list[Item] = []
    for item in items:
        if id(item) in placed:
            result.append(placed[id(item)])
        elif item.kind == ItemKind.PRACTICE and item.status in OPEN:
            result.append(replace(item, week_start=this_week, position=0))
        else:
            result.append(item)
    return sorted(result, key=lambda i: (i.week_start, i.position, i.item_id or 0))


# --- Loading what the rule needs ------------------------------------------------------------


def revealed_feedback(prefix: str = "", *, now: datetime) -> Q:
    """Submitted feedback the candidate can see: reviewed, or 72 h after the interviewer
    (`interviews.feedback.feedback_visible_to_candidate`, as a filter). `prefix` is the
    path from the queried model to Feedback, e.g. "feedback__" from CriterionScore."""
    return Q(**{f"{prefix}status": FeedbackStatus.SUBMITTED}) & (
        Q(**{f"{prefix}session__review__isnull": False})
        | Q(**{f"{prefix}submitted_at__lte": now - REVEAL_AFTER})
    )


def load_interviews(*, candidate: User, now: datetime) -> list[InterviewScores]:
    """The latest revealed feedback on the candidate, as criterion results: 3 queries."""
    feedback = list(
        Feedback.objects.filter(revealed_feedback(now=now), session__candidate=candidate)
        .order_by("-session__end", "-pk")
        .values_list("pk", "session__end")[:MAX_INTERVIEWS]
    )
    if not feedback:
        return []
    ids = [pk for pk, _ in feedback]
    prodding = {
        (feedback_id, phase): value
        for feedback_id, phase, value in PhaseNote.objects.filter(feedback_id__in=ids).values_list(
            "feedback_id", "phase", "prodding"
        )
    }
    results: dict[int, list[CriterionResult]] = {pk: [] for pk in ids}
    for feedback_id, phase, area, score in CriterionScore.objects.filter(
        feedback_id__in=ids
    ).values_list("feedback_id", "criterion__phase", "criterion__skill_area__slug", "score"):
        results[feedback_id].append(
            CriterionResult(
                skill_area=area,
                phase=phase,
                score=score,
                prodding=prodding.get((feedback_id, phase), ""),
            )
        )
    return [InterviewScores(ended_at=end, results=tuple(results[pk])) for pk, end in feedback]


def load_self_assessments(*, candidate: User) -> list[SelfAssessment]:
    # A review sent after the reveal carries no self-assessment: it has nothing to fill in.
    reviews = Review.objects.filter(
        session__candidate=candidate, self_functional_spec__isnull=False
    ).select_related("session")
    return [
        SelfAssessment(ended_at=review.session.end, phases=review.self_assessment)
        for review in reviews.order_by("-session__end", "-pk")[:MAX_INTERVIEWS]
    ]


def current_phase_areas() -> dict[str, list[str]]:
    rubric = current_rubric()
    found: dict[str, list[str]] = {}
    for criterion in rubric.criteria.all() if rubric else ():
        areas = found.setdefault(criterion.phase, [])
        if criterion.skill_area.slug not in areas:
            areas.append(criterion.skill_area.slug)
    return found


def weakness_for(
    *, candidate: User, now: datetime, area_order: Sequence[str] | None = None
) -> list[AreaWeakness]:
    """The candidate's areas, weakest first, from everything they can see today."""
    if area_order is None:
        area_order = list(SkillArea.objects.values_list("slug", flat=True))
    focus: list[str] = []
    if candidate.is_candidate:
        focus = list(candidate.candidate_profile.focus_areas.values_list("slug", flat=True))
    self_assessments = load_self_assessments(candidate=candidate)
    return rank_areas(
        interviews=load_interviews(candidate=candidate, now=now),
        self_assessments=self_assessments,
        # Only self-assessments read the rubric's phases. A booking by a candidate without
        # a plan ranks on the spot inside its locked transaction: without one to read, the
        # rubric's two queries are spared.
        phase_areas=current_phase_areas() if self_assessments else {},
        focus_areas=focus,
        area_order=area_order,
        phase_order=PHASE_SLUGS,
    )


def weakness_before_a_plan(*, candidate: User, now: datetime) -> list[AreaWeakness]:
    """`weakness_for` a candidate without a plan yet, who almost always has nothing but
    focus areas to rank: no submitted feedback and no review.

    Two plain SQL statements find that out (and read the areas' order and the focus
    areas); only a candidate with feedback or a review pays for `weakness_for`'s loading.
    This runs inside a booking's locked transaction, where those ORM queries cost more to
    build than to run. The candidate must have a candidate profile.
    """
    # The skill areas' own order (`SkillArea.Meta.ordering`) ranks ties.
    areas_sql = f"""
        SELECT a.slug, a.id IN (
            SELECT skillarea_id FROM {FOCUS} WHERE candidateprofile_id = %s
        )
        FROM {SKILL_AREAS} a ORDER BY a.position, a.slug
    """  # noqa: S608 - table names are constants; values are parameters
    # Broader than what ranks (revealed feedback, self-assessed reviews): when even this
    # finds nothing, the scores and the self-assessments are certainly empty.
    history_sql = f"""
        SELECT EXISTS (
            SELECT 1 FROM {FEEDBACK} f JOIN {SESSIONS} s ON s.id = f.session_id
            WHERE s.candidate_id = %s AND f.status = %s
        ) OR EXISTS (
            SELECT 1 FROM {REVIEWS} r JOIN {SESSIONS} s ON s.id = r.session_id
            WHERE s.candidate_id = %s
        )
    """  # noqa: S608 - table names are constants; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(areas_sql, [candidate.candidate_profile.pk])
        areas = cursor.fetchall()
        cursor.execute(history_sql, [candidate.pk, FeedbackStatus.SUBMITTED.value, candidate.pk])
        row = cursor.fetchone()
    area_order = [slug for slug, _ in areas]
    if row is not None and row[0]:
        return weakness_for(candidate=candidate, now=now, area_order=area_order)
    return rank_areas(
        interviews=[],
        self_assessments=[],
        phase_areas={},
        focus_areas=[slug for slug, focus in areas if focus],
        area_order=area_order,
        phase_order=PHASE_SLUGS,
    )


FOCUS = CandidateProfile.focus_areas.through._meta.db_table
SKILL_AREAS = SkillArea._meta.db_table
FEEDBACK = Feedback._meta.db_table
REVIEWS = Review._meta.db_table
SESSIONS = Session._meta.db_table


def practice_done(*, candidate: User, now: datetime) -> int:
    """Practice interviews held in the last 30 days (completed, or ended and not marked)."""
    return Session.objects.filter(
        candidate=candidate, status__in=TOOK_PLACE, end__lte=now, end__gt=now - PRACTICE_WINDOW
    ).count()


def _catalogue() -> list[CatalogueEntry]:
    resources = Resource.objects.filter(is_active=True).prefetch_related("skill_areas")
    return [
        CatalogueEntry(
            resource_id=resource.pk,
            title=resource.title,
            hours=float(resource.hours),
            skill_areas=tuple(area.slug for area in resource.skill_areas.all()),
        )
        for resource in resources
    ]


def _existing(plan: StudyPlan) -> list[Item]:
    rows = plan.items.select_related("resource", "skill_area")
    return [
        Item(
            kind=row.kind,
            status=row.status,
            week_start=row.week_start,
            position=row.position,
            reason=row.reason,
            resource_id=row.resource_id,
            skill_area=row.skill_area.slug if row.skill_area else None,
            hours=float(row.resource.hours) if row.resource else 0.0,
            item_id=row.pk,
        )
        for row in rows
    ]


def local_today(user: User, now: datetime) -> date:
    return now.astimezone(ZoneInfo(user.time_zone)).date()


# --- Writing ---------------------------------------------------------------------------------


def _locked_plan(candidate: User, now: datetime) -> StudyPlan:
    # The row lock serialises two remakes of one plan (a feedback and a review at once).
    plan, _ = StudyPlan.objects.select_for_update().get_or_create(
        candidate=candidate,
        defaults={"starts_on": monday_of(local_today(candidate, now)), "created_at": now},
    )
    return plan


def refresh_plan(*, candidate: User, now: datetime | None = None) -> StudyPlan:
    """Make or remake the candidate's plan from what they can see today (idempotent)."""
    now = now or timezone.now()
    # One read of the skill areas: their order ranks ties, their names go into the reasons,
    # their ids into the new items.
    areas = list(SkillArea.objects.values_list("slug", "name", "pk"))
    with transaction.atomic():
        plan = _locked_plan(candidate, now)
        ranking = weakness_for(candidate=candidate, now=now, area_order=[row[0] for row in areas])
        this_week = monday_of(local_today(candidate, now))
        existing = _existing(plan)
        wanted = plan_items(
            weakness=ranking,
            catalogue=_catalogue(),
            existing=existing,
            practice_done=practice_done(candidate=candidate, now=now),
            has_upcoming=Session.objects.filter(
                candidate=candidate, status=SessionStatus.SCHEDULED, start__gt=now
            ).exists(),
            this_week=this_week,
            area_names={slug: name for slug, name, _ in areas},
            phase_names=PHASE_NAMES,
        )
        area_ids = {slug: pk for slug, _, pk in areas}
        _store(plan, existing=existing, wanted=wanted, area_ids=area_ids, now=now)
        plan.weakness = [w.as_json() for w in ranking]
        plan.starts_on = this_week
        plan.updated_at = now
        plan.save(update_fields=["weakness", "starts_on", "updated_at"])
    return plan


def _store(
    plan: StudyPlan,
    *,
    existing: Sequence[Item],
    wanted: Sequence[Item],
    area_ids: Mapping[str, int],
    now: datetime,
) -> None:
    keep = {item.item_id for item in wanted if item.item_id is not None}
    dropped = [item.item_id for item in existing if item.item_id and item.item_id not in keep]
    if dropped:
        PlanItem.objects.filter(pk__in=dropped).delete()
    before = {item.item_id: item for item in existing}
    changed = [
        PlanItem(
            pk=item.item_id, reason=item.reason, week_start=item.week_start, position=item.position
        )
        for item in wanted
        if item.item_id is not None and item != before[item.item_id]
    ]
    if changed:
        PlanItem.objects.bulk_update(changed, ["reason", "week_start", "position"])
    PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=plan,
                kind=item.kind,
                resource_id=item.resource_id,
                skill_area_id=area_ids[item.skill_area] if item.skill_area else None,
                reason=item.reason,
                status=item.status,
                week_start=item.week_start,
                position=item.position,
                created_at=now,
            )
            for item in wanted
            if item.item_id is None
        ]
    )


def apply_feedback(*, feedback_id: int, now: datetime | None = None) -> bool:
    """Remake the plan for one feedback once it is visible to the candidate; once only.

    False when there is nothing to do: the feedback is missing, a draft, still hidden from
    the candidate (the review or the 72-hour sweep applies it later), or already applied.
    """
    now = now or timezone.now()
    with transaction.atomic():
        feedback = (
            Feedback.objects.filter(revealed_feedback(now=now), pk=feedback_id)
            .select_related("session__candidate")
            .first()
        )
        if feedback is None:
            return False
        candidate = feedback.session.candidate
        plan = _locked_plan(candidate, now)
        if AppliedFeedback.objects.filter(feedback_id=feedback_id).exists():
            return False
        refresh_plan(candidate=candidate, now=now)
        AppliedFeedback.objects.create(feedback_id=feedback_id, plan=plan, applied_at=now)
    return True


def apply_session(*, session_id: int, now: datetime | None = None) -> bool:
    """After a feedback or a review on the session: apply the feedback once it is visible;
    with only the candidate's self-assessment so far, remake the plan from that."""
    now = now or timezone.now()
    feedback_id = (
        Feedback.objects.filter(session_id=session_id).values_list("pk", flat=True).first()
    )
    if feedback_id is not None and apply_feedback(feedback_id=feedback_id, now=now):
        return True
    session = Session.objects.select_related("candidate").filter(pk=session_id).first()
    if session is None or not Review.objects.filter(session_id=session_id).exists():
        return False
    if feedback_id is not None and AppliedFeedback.objects.filter(feedback_id=feedback_id).exists():
        return False
    refresh_plan(candidate=session.candidate, now=now)
    return True


REVEAL_SWEEP_BATCH = 500


def apply_revealed_feedback(*, now: datetime | None = None) -> int:
    """The safety net behind the tasks sent on commit, and the 72-hour reveal: apply every
    visible feedback not applied yet. Returns how many plans were remade."""
    now = now or timezone.now()
    pending = list(
        Feedback.objects.filter(revealed_feedback(now=now))
        .exclude(pk__in=AppliedFeedback.objects.values("feedback_id"))
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)[:REVEAL_SWEEP_BATCH]
    )
    return sum(apply_feedback(feedback_id=pk, now=now) for pk in pending)


PRACTICE_SWEEP_OVERLAP = timedelta(hours=2)


def refresh_practice_plans(*, now: datetime | None = None) -> int:
    """Remake the plans whose practice item may have changed since the last hourly run: a
    session that just ended (one more held), one that just left the 30 days (one less), one
    just booked, cancelled or marked a no-show (the next one is booked, or no longer).
    The windows overlap the last run's by an hour; a remake from the same data is a no-op."""
    now = now or timezone.now()
    edge = now - PRACTICE_WINDOW
    recently = now - PRACTICE_SWEEP_OVERLAP
    candidate_ids = (
        Session.objects.filter(
            Q(status__in=TOOK_PLACE, end__gt=recently, end__lte=now)
            | Q(status__in=TOOK_PLACE, end__gt=edge - PRACTICE_SWEEP_OVERLAP, end__lte=edge)
            # Booked, cancelled or marked lately: "book your next practice interview" follows.
            | Q(created_at__gt=recently)
            | Q(updated_at__gt=recently)
        )
        .values_list("candidate_id", flat=True)
        .distinct()
    )
    candidates = User.objects.filter(pk__in=candidate_ids, candidate_profile__isnull=False)
    count = 0
    for candidate in candidates.select_related("candidate_profile"):
        refresh_plan(candidate=candidate, now=now)
        count += 1
    return count


def set_item_status(*, item: PlanItem, status: str, now: datetime | None = None) -> PlanItem:
    """The candidate checks an item off, starts, skips or reopens it.

    A plan holds one open "book your next practice interview" at a time (a constraint):
    reopening a closed one takes the place of a newer untouched one, and is refused while
    the newer one is in progress.
    """
    if status not in ItemStatus.values:
        raise ValueError(f"Unknown plan item status: {status!r}")
    if item.status == status:
        return item
    with transaction.atomic():
        if item.kind == ItemKind.PRACTICE and status in OPEN and item.status not in OPEN:
            others = PlanItem.objects.select_for_update().filter(
                plan_id=item.plan_id, kind=ItemKind.PRACTICE, status__in=OPEN
            )
            if any(other.status == ItemStatus.DOING for other in others):
                raise DomainError(
                    'Another "book your next practice interview" is in progress; '
                    "finish or skip that one first.",
                    code="practice_item_open",
                )
            others.delete()
        item.status = status
        item.status_changed_at = now or timezone.now()
        item.save(update_fields=["status", "status_changed_at"])
    return item


def seed_plans(*, emails_ending: str, now: datetime | None = None) -> int:
    """Plans for demo candidates (bulk-created, so sign-up never made theirs): every revealed
    feedback applied, then a plan for anyone still without one. Returns how many plans."""
    now = now or timezone.now()
    apply_revealed_feedback(now=now)
    missing = User.objects.filter(
        email__endswith=emails_ending, candidate_profile__isnull=False, study_plan__isnull=True
    ).select_related("candidate_profile")
    for candidate in missing:
        refresh_plan(candidate=candidate, now=now)
    return StudyPlan.objects.filter(candidate__email__endswith=emails_ending).count()
