"""The seeded study catalogue (SPEC §8), as migration studyplans 0002 leaves it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import SkillArea
from studyplans.models import Resource

# SPEC §8 names these; each must carry at least the areas the spec gives it.
SPEC_RESOURCES = [
    ("Seven Databases in Seven Weeks", "book", {"data-modeling"}),
    ("Seven Concurrency Models in Seven Weeks", "book", {"concurrency"}),
    ("Scaling Pinterest", "talk", {"scalability"}),
    ("Scaling Dropbox", "talk", {"scalability"}),
    ("Timelines at Scale", "talk", {"real-time", "caching"}),
    ("Simple Made Easy", "talk", {"high-level-design", "data-modeling"}),
    ("The Value of Values", "talk", {"high-level-design", "data-modeling"}),
    ("Are We There Yet?", "talk", {"high-level-design", "data-modeling"}),
]


@pytest.mark.django_db
def test_it_gives_every_skill_area_three_resources() -> None:
    counts = {
        area.slug: area.resources.filter(is_active=True).count() for area in SkillArea.objects.all()
    }

    assert len(counts) == 12
    assert {slug: count for slug, count in counts.items() if count < 3} == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("title", "kind", "areas"), SPEC_RESOURCES)
def test_it_seeds_the_resources_the_spec_names(title: str, kind: str, areas: set[str]) -> None:
    resource = Resource.objects.get(title=title)

    assert resource.kind == kind
    assert resource.is_active
    assert areas <= set(resource.skill_areas.values_list("slug", flat=True))


@pytest.mark.django_db
def test_it_puts_the_spec_talks_on_infoq() -> None:
    talks = Resource.objects.filter(
        title__in=[title for title, kind, _ in SPEC_RESOURCES if kind == "talk"]
    )

    assert talks.count() == 6
    assert all(talk.url.startswith("https://www.infoq.com/presentations/") for talk in talks)


@pytest.mark.django_db
def test_it_links_every_resource_over_https() -> None:
    assert [r.title for r in Resource.objects.all() if not r.url.startswith("https://")] == []


@pytest.mark.django_db
def test_it_keeps_hours_within_the_allowed_range() -> None:
    assert [
        r.title for r in Resource.objects.all() if not Decimal(0) < r.hours <= Decimal(200)
    ] == []


@pytest.mark.django_db
def test_it_describes_every_resource_in_one_short_line() -> None:
    for resource in Resource.objects.all():
        assert resource.description.strip(), resource.title
        assert len(resource.description) < 240, resource.title
        assert "\n" not in resource.description, resource.title
        assert resource.author.strip(), resource.title


@pytest.mark.django_db
def test_it_seeds_rows_that_pass_model_validation() -> None:
    # The migration writes straight to the table; full_clean catches a bad URL or kind.
    for resource in Resource.objects.all():
        resource.full_clean()


@pytest.mark.django_db
def test_it_seeds_at_least_twenty_five_resources() -> None:
    assert Resource.objects.filter(is_active=True).count() >= 25


@pytest.mark.django_db
def test_it_gives_every_resource_a_skill_area() -> None:
    assert (
        list(Resource.objects.filter(skill_areas__isnull=True).values_list("title", flat=True))
        == []
    )
