"""An interviewer's expertise as one short string on the profile, for ranking in one pass.

Matching ranks every eligible interviewer by how many of the candidate's areas they know
(SPEC §5). Counting that through the many-to-many table costs one subquery per interviewer,
which grows with the number of interviewers; a column read in the same scan does not.
`InterviewerProfile.expertise_slugs` holds the slugs as ",caching,concurrency," (sorted,
wrapped in commas so that `contains(",slug,")` matches whole slugs only), and is rewritten
from the many-to-many table by one UPDATE whenever it changes, so the two never disagree:

- `expertise.set/add/remove/clear` anywhere (forms, API, admin): the `m2m_changed` receiver;
- bulk inserts into the through table (the demo and scale seeds): they call `refresh`;
- a renamed skill area: the `post_save` receiver refreshes its interviewers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from accounts.models import InterviewerProfile, SkillArea

SEPARATOR = ","


def contains_lookup(slug: str) -> str:
    """The `expertise_slugs__contains` argument that matches `slug` and no other."""
    return f"{SEPARATOR}{slug}{SEPARATOR}"


def refresh(
    profile_ids: Iterable[int] | None = None,
    *,
    model: type[InterviewerProfile] = InterviewerProfile,
) -> int:
    """Rewrite the column from the many-to-many table (all profiles when ids is None).

    `model` lets the migration that adds the column pass its historical model.
    """
    through = model.expertise.through
    # Sorted where the database can order inside an aggregate (SQLite from 3.44); the order
    # is for people reading the column, `contains` matches in any order.
    ordered = "skillarea__slug" if connection.features.supports_aggregate_order_by_clause else None
    wrapped = (
        through.objects.filter(interviewerprofile_id=OuterRef("pk"))
        .order_by()
        .values("interviewerprofile_id")
        .annotate(
            slugs=Concat(
                Value(SEPARATOR),
                StringAgg("skillarea__slug", Value(SEPARATOR), order_by=ordered),
                Value(SEPARATOR),
                output_field=CharField(),
            )
        )
        .values("slugs")  # type: ignore[misc]  # django-stubs cannot see the annotation
    )
    # No expertise: the grouped subquery has no row, NULL, stored as "".
    key = Coalesce(Subquery(wrapped, output_field=CharField()), Value(""))
    profiles = model.objects.all()
    if profile_ids is not None:
        profiles = profiles.filter(pk__in=list(profile_ids))
    return profiles.update(expertise_slugs=key)


def on_expertise_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    # From a skill area's side, pk_set names the interviewers touched (None: all of them).
    refresh(pk_set if reverse else [instance.pk])


def on_skill_area_saved(sender: Any, instance: SkillArea, created: bool, **kwargs: Any) -> None:
    if created:
        return
    refresh(
        InterviewerProfile.expertise.through.objects.filter(skillarea_id=instance.pk).values_list(
            "interviewerprofile_id", flat=True
        )
    )
