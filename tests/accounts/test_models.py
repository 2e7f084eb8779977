"""Rules the database keeps on its own, time-zone names, and the seeded skill areas."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import InterviewerProfile, SkillArea, User, VettingStatus
from accounts.timezones import validate_time_zone
from tests.factories import UserFactory

# SPEC §3, in the order the spec lists them.
SKILL_AREA_SLUGS = [
    "requirements",
    "estimation",
    "high-level-design",
    "api-design",
    "data-modeling",
    "scalability",
    "caching",
    "concurrency",
    "real-time",
    "reliability",
    "operability",
    "communication",
]


def _interviewer_profile(user: User, **fields: object) -> InterviewerProfile:
    # Straight to the database: no form or full_clean stands in front of the constraint.
    values: dict[str, object] = {"level": "senior", "bio": "Ran things.", **fields}
    return InterviewerProfile.objects.create(user=user, **values)


@pytest.mark.django_db
def test_it_refuses_a_rejection_without_a_reason() -> None:
    user = UserFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        _interviewer_profile(user, status=VettingStatus.REJECTED, decision_reason="")

    assert not InterviewerProfile.objects.exists()


@pytest.mark.django_db
def test_it_accepts_a_rejection_with_a_reason() -> None:
    profile = _interviewer_profile(
        UserFactory.create(), status=VettingStatus.REJECTED, decision_reason="Too short."
    )

    assert profile.pk is not None


@pytest.mark.django_db
@pytest.mark.parametrize("capacity", [0, 21])
def test_it_refuses_a_weekly_capacity_out_of_range(capacity: int) -> None:
    user = UserFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        _interviewer_profile(user, weekly_capacity=capacity)


@pytest.mark.django_db
@pytest.mark.parametrize("capacity", [1, 20])
def test_it_accepts_the_weekly_capacity_limits(capacity: int) -> None:
    assert _interviewer_profile(UserFactory.create(), weekly_capacity=capacity).pk is not None


@pytest.mark.django_db
def test_it_refuses_an_unknown_interviewer_level() -> None:
    user = UserFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        _interviewer_profile(user, level="junior")


@pytest.mark.django_db
def test_it_refuses_more_than_sixty_years_of_experience() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="old@example.test", years_experience=61)

    assert User.objects.create(email="sixty@example.test", years_experience=60).pk is not None


@pytest.mark.django_db
def test_it_refuses_two_users_whose_emails_differ_only_in_case() -> None:
    User.objects.create(email="ann@example.test")

    # objects.create skips the manager's lowercasing: only the constraint stands in the way.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Ann@Example.TEST")

    assert User.objects.count() == 1


@pytest.mark.django_db
def test_it_stores_emails_in_lower_case_through_the_manager() -> None:
    user = User.objects.create_user("Ann@Example.TEST", password=None)

    assert user.email == "ann@example.test"


@pytest.mark.parametrize("name", ["America/New_York", "Europe/London", "Asia/Kolkata", "UTC"])
def test_it_accepts_iana_time_zone_names(name: str) -> None:
    validate_time_zone(name)


@pytest.mark.parametrize("name", ["Mars/Olympus", "+02:00", "GMT+2", "", "europe/london"])
def test_it_rejects_what_is_not_an_iana_time_zone_name(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_time_zone(name)

    assert error.value.code == "invalid_time_zone"


@pytest.mark.django_db
def test_it_seeds_the_twelve_skill_areas_in_spec_order() -> None:
    assert list(SkillArea.objects.values_list("slug", flat=True)) == SKILL_AREA_SLUGS
    assert list(SkillArea.objects.values_list("position", flat=True)) == list(range(1, 13))
    assert all(SkillArea.objects.values_list("name", flat=True))
