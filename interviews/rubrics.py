"""The rubric (SPEC §4): its fixed phases, its versions, and publishing a new one.

Versions: staff copy the current version as a draft in the admin, edit its criteria and
publish it. A published version is frozen (the admin shows it read-only and this module
refuses to change it), so feedback written against it always means what it meant. The
current rubric is the published version with the highest number; a new feedback draft
pins the current version at its first save and keeps it (interviews.feedback).

Choices where the spec is silent:
- A version can be published only if every phase has at least one criterion, and only if
  its number is above the current version's (a stale draft is copied again instead, so
  "current" never goes backwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from config.errors import DomainError
from interviews.models import Criterion, Phase, RubricVersion


@dataclass(frozen=True)
class PhaseInfo:
    slug: str
    name: str
    minutes: int | None  # suggested minutes in a 60-minute session; None: the whole session
    about: str


# SPEC §2 and §4, in interview order. Communication is scored across the whole session.
PHASES: tuple[PhaseInfo, ...] = (
    PhaseInfo(
        Phase.FUNCTIONAL_SPEC,
        Phase.FUNCTIONAL_SPEC.label,
        10,
        "Users, use cases, scope, non-functional needs, rough scale.",
    ),
    PhaseInfo(
        Phase.TECHNICAL_SPEC,
        Phase.TECHNICAL_SPEC.label,
        15,
        "Components, data model, APIs, how data flows.",
    ),
    PhaseInfo(
        Phase.GOING_DEEP,
        Phase.GOING_DEEP.label,
        20,
        "The critical problems specified in depth, with their tradeoffs.",
    ),
    PhaseInfo(
        Phase.EXTRA_MILE,
        Phase.EXTRA_MILE.label,
        10,
        "Testing, deployment, alerts, the on-call document.",
    ),
    PhaseInfo(
        Phase.COMMUNICATION,
        Phase.COMMUNICATION.label,
        None,
        "Across the whole session: does the candidate drive, or need prodding?",
    ),
)
PHASE_SLUGS: tuple[str, ...] = tuple(phase.slug for phase in PHASES)
PHASE_BY_SLUG: dict[str, PhaseInfo] = {phase.slug: phase for phase in PHASES}

# SPEC §4's scale; each criterion says what it means for itself in `level_1` .. `level_4`.
SCORE_MEANINGS: dict[int, str] = {
    1: "not shown",
    2: "partly, with heavy prodding",
    3: "solid, light prompting",
    4: "strong, unprompted",
}


def criteria_in_order(criteria: list[Criterion]) -> list[Criterion]:
    """Criteria in interview order: by phase, then by their position within it."""
    order = {slug: index for index, slug in enumerate(PHASE_SLUGS)}
    return sorted(criteria, key=lambda c: (order.get(c.phase, len(order)), c.position, c.pk))


def _with_criteria() -> Prefetch:
    return Prefetch("criteria", queryset=Criterion.objects.select_related("skill_area"))


def current_rubric() -> RubricVersion | None:
    """The published version with the highest number, with its criteria and skill areas."""
    return (
        RubricVersion.objects.filter(published_at__isnull=False)
        .prefetch_related(_with_criteria())
        .order_by("-number")
        .first()
    )


def get_current_rubric() -> RubricVersion:
    """`current_rubric`, or a 409 when no version has been published (a broken install)."""
    rubric = current_rubric()
    if rubric is None:
        raise DomainError(
            "No rubric has been published yet; ask staff to publish one.", code="no_rubric"
        )
    return rubric


def get_rubric(*, rubric_id: int) -> RubricVersion:
    return RubricVersion.objects.prefetch_related(_with_criteria()).get(pk=rubric_id)


def rubric_criteria(rubric: RubricVersion) -> list[Criterion]:
    return criteria_in_order(list(rubric.criteria.all()))


def rubric_data(rubric: RubricVersion) -> dict[str, Any]:
    """SPEC §10's rubric: `{"version", "phases": [{"slug", "name", "minutes", "criteria"}]}`."""
    by_phase: dict[str, list[Criterion]] = {slug: [] for slug in PHASE_SLUGS}
    for criterion in rubric_criteria(rubric):
        by_phase[criterion.phase].append(criterion)
    return {
        "version": rubric.number,
        "published_at": rubric.published_at.isoformat() if rubric.published_at else None,
        "scale": {str(score): meaning for score, meaning in SCORE_MEANINGS.items()},
        "phases": [
            {
                "slug": phase.slug,
                "name": phase.name,
                "minutes": phase.minutes,
                "criteria": [
                    {
                        "id": criterion.pk,
                        "skill_area": criterion.skill_area.slug,
                        "text": criterion.text,
                        "levels": {str(n): text for n, text in criterion.levels.items()},
                    }
                    for criterion in by_phase[phase.slug]
                ],
            }
            for phase in PHASES
        ],
    }


# --- Staff: new versions -----------------------------------------------------------------


def copy_rubric_version(*, rubric: RubricVersion, now: datetime | None = None) -> RubricVersion:
    """A new draft numbered after every existing version, with a copy of `rubric`'s criteria."""
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the newest version so two copies at once do not both take its number + 1
        # (the unique number would refuse the second anyway, as an error instead of a wait).
        list(RubricVersion.objects.select_for_update().order_by("-number").values("pk")[:1])
        highest = RubricVersion.objects.aggregate(highest=Max("number"))["highest"] or 0
        draft = RubricVersion.objects.create(
            number=highest + 1, created_at=now, notes=f"Copied from version {rubric.number}."
        )
        Criterion.objects.bulk_create(
            Criterion(
                rubric=draft,
                phase=criterion.phase,
                skill_area_id=criterion.skill_area_id,
                text=criterion.text,
                level_1=criterion.level_1,
                level_2=criterion.level_2,
                level_3=criterion.level_3,
                level_4=criterion.level_4,
                position=criterion.position,
            )
            for criterion in rubric.criteria.all().order_by("position", "pk")
        )
    return draft


def publish_rubric_version(*, rubric: RubricVersion, now: datetime | None = None) -> RubricVersion:
    """Freeze a draft and make it the current rubric for feedback started from now on."""
    now = now or timezone.now()
    with transaction.atomic():
        draft = RubricVersion.objects.select_for_update().get(pk=rubric.pk)
        if draft.is_published:
            raise DomainError(
                f"Version {draft.number} is already published.", code="rubric_published"
            )
        current = current_rubric()
        if current is not None and current.number > draft.number:
            raise DomainError(
                f"Version {draft.number} is older than the current version {current.number}; "
                f"copy version {current.number} as a new draft instead.",
                code="rubric_outdated",
            )
        phases = set(draft.criteria.values_list("phase", flat=True))
        missing = [phase.name for phase in PHASES if phase.slug not in phases]
        if missing:
            raise ValidationError(
                f"Version {draft.number} has no criterion for {', '.join(missing)}; "
                "every phase needs at least one."
            )
        draft.published_at = now
        draft.save(update_fields=["published_at"])
    rubric.published_at = draft.published_at
    return draft
