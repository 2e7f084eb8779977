"""The rubric of SPEC §4: version 1 as seeded, its API shape, and publishing new versions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from pytest_django import DjangoAssertNumQueries

from config.errors import DomainError
from interviews.models import Criterion, Phase, RubricVersion
from interviews.rubrics import (
    PHASE_SLUGS,
    PHASES,
    copy_rubric_version,
    current_rubric,
    get_current_rubric,
    publish_rubric_version,
    rubric_criteria,
    rubric_data,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# SPEC §4, in order: (phase, skill area) of each criterion of version 1.
SPEC_CRITERIA = [
    ("functional-spec", "requirements"),
    ("functional-spec", "estimation"),
    ("technical-spec", "high-level-design"),
    ("technical-spec", "data-modeling"),
    ("technical-spec", "api-design"),
    ("going-deep", "scalability"),
    ("going-deep", "api-design"),
    ("going-deep", "reliability"),
    ("going-deep", "concurrency"),
    ("extra-mile", "operability"),
    ("extra-mile", "operability"),
    ("communication", "communication"),
    ("communication", "communication"),
]


def new_version(*, publish: bool = True) -> RubricVersion:
    """A copy of the current version, published unless asked not to."""
    draft = copy_rubric_version(rubric=get_current_rubric(), now=NOW)
    return publish_rubric_version(rubric=draft, now=NOW) if publish else draft


def test_it_seeds_version_1_with_the_13_criteria_of_the_spec() -> None:
    rubric = get_current_rubric()

    assert rubric.number == 1
    assert rubric.is_published
    criteria = rubric_criteria(rubric)
    assert [(c.phase, c.skill_area.slug) for c in criteria] == SPEC_CRITERIA


def test_it_describes_every_level_of_every_criterion_in_its_own_words() -> None:
    criteria = rubric_criteria(get_current_rubric())
    every_line = [text for c in criteria for text in c.levels.values()]

    for criterion in criteria:
        assert criterion.text
        assert len(set(criterion.levels.values())) == 4, criterion.text
        assert all(0 < len(text) <= 100 for text in criterion.levels.values()), criterion.text
    # Specific to each criterion: no line is shared between two of them.
    assert len(set(every_line)) == len(every_line)


def test_it_lists_the_phases_in_interview_order_with_their_minutes() -> None:
    assert tuple(Phase.values) == PHASE_SLUGS
    assert [(p.slug, p.name, p.minutes) for p in PHASES] == [
        ("functional-spec", "Functional Spec", 10),
        ("technical-spec", "Technical Spec", 15),
        ("going-deep", "Going Deep", 20),
        ("extra-mile", "Extra Mile: launch", 10),
        ("communication", "Communication", None),
    ]


def test_it_shapes_the_rubric_as_the_api_spec_says() -> None:
    rubric = get_current_rubric()

    data = rubric_data(rubric)

    assert data["version"] == 1
    assert [phase["slug"] for phase in data["phases"]] == list(PHASE_SLUGS)
    assert [len(phase["criteria"]) for phase in data["phases"]] == [2, 3, 4, 2, 2]
    first = data["phases"][0]
    assert set(first) == {"slug", "name", "minutes", "criteria"}
    assert first["minutes"] == 10
    criterion = first["criteria"][0]
    assert set(criterion) == {"id", "skill_area", "text", "levels"}
    assert criterion["skill_area"] == "requirements"
    assert criterion["text"] == "Use cases and scope"
    assert set(criterion["levels"]) == {"1", "2", "3", "4"}
    assert data["phases"][-1]["minutes"] is None


def test_it_reads_the_current_rubric_in_a_fixed_number_of_queries(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(2):  # the version, its criteria with their skill areas
        rubric_data(get_current_rubric())


def test_it_copies_a_version_as_a_new_draft_with_the_same_criteria() -> None:
    current = get_current_rubric()

    draft = copy_rubric_version(rubric=current, now=NOW)

    assert draft.number == 2
    assert not draft.is_published
    assert draft.notes == "Copied from version 1."
    copied = [(c.phase, c.skill_area_id, c.text, c.level_4) for c in rubric_criteria(draft)]
    original = [(c.phase, c.skill_area_id, c.text, c.level_4) for c in rubric_criteria(current)]
    assert copied == original
    assert current_rubric() == current  # a draft is not current


def test_it_makes_a_published_version_the_current_one() -> None:
    draft = new_version(publish=False)
    Criterion.objects.filter(rubric=draft, position=1).update(text="Users and use cases")

    publish_rubric_version(rubric=draft, now=NOW)

    current = get_current_rubric()
    assert current.number == 2
    assert current.published_at == NOW
    assert rubric_criteria(current)[0].text == "Users and use cases"
    assert rubric_criteria(RubricVersion.objects.get(number=1))[0].text == "Use cases and scope"


def test_it_numbers_copies_after_every_version_drafts_included() -> None:
    new_version(publish=False)

    assert new_version(publish=False).number == 3


def test_it_refuses_to_publish_a_version_twice() -> None:
    with pytest.raises(DomainError, check=lambda error: error.code == "rubric_published"):
        publish_rubric_version(rubric=get_current_rubric(), now=NOW)


def test_it_refuses_to_publish_a_version_without_criteria_in_every_phase() -> None:
    draft = new_version(publish=False)
    draft.criteria.filter(phase__in=["extra-mile", "communication"]).delete()

    with pytest.raises(ValidationError, match="no criterion for Extra Mile: launch, Communication"):
        publish_rubric_version(rubric=draft, now=NOW)

    draft.refresh_from_db()
    assert not draft.is_published


def test_it_refuses_to_publish_a_draft_older_than_the_current_version() -> None:
    older = new_version(publish=False)
    new_version()

    with pytest.raises(DomainError, check=lambda error: error.code == "rubric_outdated"):
        publish_rubric_version(rubric=older, now=NOW)

    assert get_current_rubric().number == 3


def test_it_answers_409_when_nothing_is_published() -> None:
    RubricVersion.objects.update(published_at=None)

    assert current_rubric() is None
    with pytest.raises(DomainError, check=lambda error: error.code == "no_rubric"):
        get_current_rubric()
