"""The expertise column matching ranks with (accounts.expertise) never disagrees with the
many-to-many it mirrors, whichever way the expertise changes."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts import expertise
from accounts.models import InterviewerProfile, SkillArea
from interviews import matching
from tests.factories import InterviewerProfileFactory, skill_areas

pytestmark = pytest.mark.django_db


def _column(profile: InterviewerProfile) -> str:
    return InterviewerProfile.objects.values_list("expertise_slugs", flat=True).get(pk=profile.pk)


def _slugs(profile: InterviewerProfile) -> list[str]:
    """The column's slugs, checking its shape; in any order (SQLite before 3.44 cannot sort)."""
    column = _column(profile)
    if not column:
        return []
    assert column.startswith(",") and column.endswith(","), column
    return sorted(column[1:-1].split(","))


def _mirrored(profile: InterviewerProfile) -> list[str]:
    return sorted(profile.expertise.values_list("slug", flat=True))


def test_it_writes_the_slugs_wrapped_in_commas_sorted_where_the_database_can() -> None:
    profile = InterviewerProfileFactory(expertise=["real-time", "concurrency", "caching"])

    assert _slugs(profile) == ["caching", "concurrency", "real-time"]
    if connection.features.supports_aggregate_order_by_clause:
        assert _column(profile) == ",caching,concurrency,real-time,"


def test_it_follows_every_change_through_the_many_to_many() -> None:
    profile = InterviewerProfileFactory(expertise=["caching"])

    profile.expertise.add(*skill_areas("real-time", "api-design"))
    assert _slugs(profile) == ["api-design", "caching", "real-time"]
    profile.expertise.remove(*skill_areas("caching"))
    assert _slugs(profile) == ["api-design", "real-time"]
    profile.expertise.clear()
    assert _column(profile) == ""


def test_it_follows_an_interviewer_editing_their_expertise_in_the_api() -> None:
    profile = InterviewerProfileFactory(expertise=["caching"], status="approved")
    client = APIClient()
    client.force_authenticate(profile.user)

    response = client.patch(
        "/api/v1/me/",
        {"interviewer": {"expertise": ["estimation", "reliability"]}},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert _slugs(profile) == ["estimation", "reliability"]


def test_it_follows_a_renamed_skill_area() -> None:
    profile = InterviewerProfileFactory(expertise=["caching", "concurrency"])
    other = InterviewerProfileFactory(expertise=["estimation"])
    area = SkillArea.objects.get(slug="caching")

    area.slug = "caching-and-cdns"
    area.save()

    assert _slugs(profile) == ["caching-and-cdns", "concurrency"]
    assert _slugs(other) == ["estimation"]


def test_it_rebuilds_after_bulk_inserts_that_send_no_signal() -> None:
    profile = InterviewerProfileFactory(expertise=["estimation"])
    through = InterviewerProfile.expertise.through
    links = [
        through(interviewerprofile_id=profile.pk, skillarea=area) for area in skill_areas("caching")
    ]
    through.objects.bulk_create(links)
    assert _slugs(profile) == ["estimation"]  # what the seeds would leave without `refresh`

    expertise.refresh([profile.pk])

    assert _slugs(profile) == ["caching", "estimation"]


def test_it_ranks_with_the_same_overlaps_and_bound_in_the_database_as_in_python() -> None:
    # Random expertise, focus, weakest areas and reviews: the database's counts (from the
    # column) and bound must equal what the Python parts compute, or the branch and bound
    # in matching could stop before a better match.
    slugs = list(SkillArea.objects.values_list("slug", flat=True))
    chooser = random.Random(12)
    profiles = []
    for level in ("staff", "principal") * 6:
        profile = InterviewerProfileFactory(
            level=level, status="approved", expertise=chooser.sample(slugs, chooser.randint(0, 5))
        )
        count = chooser.randint(0, 30)
        profile.review_count, profile.review_stars = count, chooser.randint(count, 5 * count)
        profile.save(update_fields=["review_count", "review_stars"])
        profiles.append(profile)
    for _ in range(20):
        focus = chooser.sample(slugs, chooser.randint(0, 4))
        weakest = chooser.sample(slugs, chooser.randint(0, 3))
        rows = matching._ranked_query(target_level="senior", focus=focus, weakest_areas=weakest)
        ranked = {row[0]: matching._Ranked(*row) for row in rows}
        for profile in profiles:
            have = set(profile.expertise.values_list("slug", flat=True))
            assert _slugs(profile) == _mirrored(profile)
            found = ranked[profile.user_id]
            assert (found.focus_overlap, found.weak_overlap) == (
                len(have & set(focus)),
                len(have & set(weakest)),
            )
            assert found.bound == pytest.approx(_python_bound(profile, have, focus, weakest))


def _python_bound(
    profile: InterviewerProfile, have: set[str], focus: list[str], weakest: list[str]
) -> float:
    """The parts as the Python side scores them, with load, novelty and time zone at best."""
    weights = matching.WEIGHTS
    mean = profile.review_stars / profile.review_count if profile.review_count else None
    return (
        weights["expertise"]
        * matching.expertise_value(
            focus_overlap=len(have & set(focus)),
            focus_count=len(focus),
            weak_overlap=len(have & set(weakest)),
            weak_count=len(weakest),
        )
        + weights["seniority"]
        * matching.seniority_value(target_level="senior", interviewer_level=profile.level)
        + weights["rating"] * matching.rating_value(count=profile.review_count, mean=mean)
        + weights["load"]
        + weights["novelty"]
        + weights["time_zone"]
    )
