from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import (
    CandidateProfile,
    InterviewerProfile,
    SkillArea,
    User,
    VettingStatus,
)
from interviews.models import Session, WeeklyWindow
from studyplans.planning import refresh_plan

PASSWORD = "a-Long-test-pass-42"


class UserFactory(DjangoModelFactory[User]):
    """A person with a verified primary email who can log in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    time_zone = "Europe/London"
    years_experience = 8
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True
    email = factory.Sequence(lambda n: f"staff{n}@example.test")


def skill_areas(*slugs: str) -> list[SkillArea]:
    return list(SkillArea.objects.filter(slug__in=slugs))


class CandidateProfileFactory(DjangoModelFactory[CandidateProfile]):
    class Meta:
        model = CandidateProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, years_experience=3)
    target_level = "senior"
    goal = "Senior at a fintech"

    @factory.post_generation
    def focus_areas(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create:
            self.focus_areas.set(skill_areas(*(extracted or ["caching", "concurrency"])))

    @factory.post_generation
    def study_plan(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        # As sign-up does (accounts.profiles.save_profile): every candidate has a plan.
        if create and extracted is not False:
            refresh_plan(candidate=self.user)


class InterviewerProfileFactory(DjangoModelFactory[InterviewerProfile]):
    class Meta:
        model = InterviewerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, years_experience=12)
    level = "staff"
    bio = "Ran the storage team at a payments company."
    weekly_capacity = 3
    status = VettingStatus.PENDING

    @factory.post_generation
    def expertise(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create:
            self.expertise.set(skill_areas(*(extracted or ["scalability", "caching"])))


class SessionFactory(DjangoModelFactory[Session]):
    """A scheduled 60-minute session tomorrow between two new people; pass times to place it."""

    class Meta:
        model = Session

    interviewer = factory.SubFactory(UserFactory)
    candidate = factory.SubFactory(UserFactory)
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    end = factory.LazyAttribute(lambda session: session.start + timedelta(minutes=60))
    meeting_url = factory.Sequence(lambda n: f"https://meet.example.test/room-{n}")


# --- Feedback (issue 4) ----------------------------------------------------------------------


def complete_feedback_data(*, score: int = 3, prodding: str = "some") -> dict[str, Any]:
    """A feedback body that submits: every criterion of the current rubric scored `score`."""
    from interviews.rubrics import PHASE_SLUGS, get_current_rubric, rubric_criteria

    return {
        "scores": {str(criterion.pk): score for criterion in rubric_criteria(get_current_rubric())},
        "phases": {
            slug: {"prodding": prodding, "notes": f"Notes on {slug}."} for slug in PHASE_SLUGS
        },
        "recommendation": "hire",
        "level": "senior",
        "strengths": "Drove the requirements and the estimate without help.",
        "improvements": "Name the tradeoffs before choosing.",
    }


def review_body(*, rating: int = 4, self_score: int = 3) -> dict[str, Any]:
    """A candidate's review that submits."""
    from interviews.rubrics import PHASE_SLUGS

    return {
        "rating": rating,
        "comment": "Clear hints, fair questions.",
        "would_practise_again": True,
        "self_assessment": dict.fromkeys(PHASE_SLUGS, self_score),
    }


def submitted_feedback(
    session: Session, *, now: Any = None, score: int = 3, prodding: str = "some"
) -> Any:
    """The session's feedback, written and submitted by its interviewer at `now` (the end)."""
    from interviews.feedback import submit_feedback

    return submit_feedback(
        session=session,
        by=session.interviewer,
        data=complete_feedback_data(score=score, prodding=prodding),
        now=now or session.end,
    )


# People and a clock for booking, shared by every test that books ----------------------

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOMORROW_10 = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def approved_interviewer(
    *, capacity: int = 10, zone: str = "Europe/London", meeting_url: str = ""
) -> User:
    """An approved interviewer free 08:00 to 20:00 local every day."""
    user = InterviewerProfileFactory.create(
        status=VettingStatus.APPROVED,
        weekly_capacity=capacity,
        meeting_url=meeting_url,
        user__time_zone=zone,
    ).user
    WeeklyWindow.objects.bulk_create(
        WeeklyWindow(interviewer=user, weekday=day, start_time=time(8), end_time=time(20))
        for day in range(7)
    )
    return user


def candidate_user(*, zone: str = "Europe/London", focus: list[str] | None = None) -> User:
    return CandidateProfileFactory.create(
        user__time_zone=zone, focus_areas=focus or ["caching", "concurrency"]
    ).user
