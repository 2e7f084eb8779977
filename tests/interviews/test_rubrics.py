"""The rubric of SPEC §4: version 1 as seeded, its API shape, new versions, and the admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse, reverse_lazy
from pytest_django import DjangoAssertNumQueries

from config.errors import DomainError
from interviews.feedback import submit_review
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
from tests.factories import SessionFactory, StaffFactory, review_body, submitted_feedback

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


# --- The admin: versions, their criteria, and the two actions ------------------------------


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(StaffFactory.create(is_superuser=True))
    return client


CHANGELIST = reverse_lazy("admin:interviews_rubricversion_changelist")


def _act(client: Client, action: str, *versions: RubricVersion) -> list[str]:
    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [v.pk for v in versions]}, follow=True
    )
    assert response.status_code == 200
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_it_copies_a_version_as_a_new_draft_from_the_admin(staff_client: Client) -> None:
    messages = _act(staff_client, "copy_as_draft", get_current_rubric())

    assert messages == ["Version 1 copied as draft version 2."]
    draft = RubricVersion.objects.get(number=2)
    assert not draft.is_published
    assert draft.criteria.count() == 13


def test_it_publishes_a_draft_from_the_admin(staff_client: Client) -> None:
    draft = new_version(publish=False)

    messages = _act(staff_client, "publish", draft)

    assert messages == ["Version 2 is published: new feedback uses it from now on."]
    assert get_current_rubric().number == 2


def test_it_explains_in_the_admin_why_a_version_cannot_be_published(
    staff_client: Client,
) -> None:
    draft = new_version(publish=False)
    draft.criteria.filter(phase="communication").delete()

    messages = _act(staff_client, "publish", get_current_rubric(), draft)

    assert messages == [
        "Version 1 is already published.",
        "Version 2 has no criterion for Communication; every phase needs at least one.",
    ]
    assert get_current_rubric().number == 1


def test_it_shows_a_published_version_read_only(staff_client: Client) -> None:
    published = get_current_rubric()
    change = reverse("admin:interviews_rubricversion_change", args=[published.pk])

    page = staff_client.get(change).content.decode()
    staff_client.post(change, {"notes": "Rewritten.", "number": 7})

    assert 'name="criteria-0-text"' not in page
    assert 'name="notes"' not in page
    assert "Use cases and scope" in page
    published.refresh_from_db()
    assert (published.number, published.notes) == (1, "The default rubric of SPEC §4.")
    delete = reverse("admin:interviews_rubricversion_delete", args=[published.pk])
    assert staff_client.get(delete).status_code == 403


def test_it_lets_staff_edit_a_drafts_criteria(staff_client: Client) -> None:
    draft = new_version(publish=False)

    page = staff_client.get(
        reverse("admin:interviews_rubricversion_change", args=[draft.pk])
    ).content.decode()

    assert 'name="criteria-0-text"' in page
    assert 'name="criteria-0-level_4"' in page
    assert 'name="notes"' in page


def test_it_shows_feedback_and_reviews_to_staff_read_only(staff_client: Client) -> None:
    session = SessionFactory.create(start=NOW, end=NOW + timedelta(hours=1))
    feedback = submitted_feedback(session)
    review = submit_review(
        session=session, by=session.candidate, data=review_body(), now=session.end
    )

    for model, obj in (("feedback", feedback), ("review", review)):
        listed = staff_client.get(reverse(f"admin:interviews_{model}_changelist"))
        shown = staff_client.get(reverse(f"admin:interviews_{model}_change", args=[obj.pk]))
        assert listed.status_code == shown.status_code == 200
        assert 'name="_save"' not in shown.content.decode()
    assert (
        "Use cases and scope"
        in staff_client.get(
            reverse("admin:interviews_feedback_change", args=[feedback.pk])
        ).content.decode()
    )
