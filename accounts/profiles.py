"""Writing a person's profiles: one function for sign-up, the profile page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import (
    MIN_INTERVIEWER_YEARS,
    CandidateProfile,
    InterviewerProfile,
    SkillArea,
    User,
    VettingStatus,
)
from studyplans.planning import refresh_plan


@dataclass(frozen=True)
class CandidateData:
    target_level: str
    focus_areas: list[SkillArea]
    goal: str = ""


@dataclass(frozen=True)
class InterviewerData:
    level: str
    expertise: list[SkillArea]
    bio: str
    weekly_capacity: int = 3
    meeting_url: str = ""


@dataclass(frozen=True)
class ProfileData:
    display_name: str
    time_zone: str
    years_experience: int
    candidate: CandidateData | None = None
    interviewer: InterviewerData | None = None


def interviewer_rule_errors(*, years_experience: int | None) -> dict[str, str]:
    """Rules that span the person and the interviewer role, keyed by the field to blame."""
    if years_experience is not None and years_experience < MIN_INTERVIEWER_YEARS:
        return {
            "years_experience": (
                f"Interviewers need at least {MIN_INTERVIEWER_YEARS} years of experience."
            )
        }
    return {}


def save_profile(*, user: User, data: ProfileData) -> User:
    """Write the person's fields and each role given; a role never given is left alone.

    A role is added by giving it; roles are never removed here. An interviewer profile
    created here starts pending review, and one that was rejected goes back to pending when
    its owner edits it, so staff look again.
    """
    if data.interviewer is not None or user.is_interviewer:
        errors = interviewer_rule_errors(years_experience=data.years_experience)
        if errors:
            raise ValidationError(errors)
    with transaction.atomic():
        user.display_name = data.display_name.strip()
        user.time_zone = data.time_zone
        user.years_experience = data.years_experience
        user.full_clean(exclude=["password", "email"])
        user.save(update_fields=["display_name", "time_zone", "years_experience"])
        if data.candidate is not None:
            _save_candidate(user=user, data=data.candidate)
            # The plan starts from the focus areas at sign-up and follows their changes.
            refresh_plan(candidate=user)
        if data.interviewer is not None:
            _save_interviewer(user=user, data=data.interviewer)
    return user


def _save_candidate(*, user: User, data: CandidateData) -> None:
    profile, _ = CandidateProfile.objects.update_or_create(
        user=user, defaults={"target_level": data.target_level, "goal": data.goal.strip()}
    )
    profile.focus_areas.set(data.focus_areas)


def _save_interviewer(*, user: User, data: InterviewerData) -> None:
    profile = InterviewerProfile.objects.filter(user=user).first()
    if profile is None:
        profile = InterviewerProfile(user=user, status=VettingStatus.PENDING)
    elif profile.status == VettingStatus.REJECTED:
        # Edited after a rejection: back in the queue as a fresh application.
        profile.status = VettingStatus.PENDING
        profile.decision_reason = ""
        profile.decided_at = None
        profile.decided_by = None
    profile.level = data.level
    profile.bio = data.bio.strip()
    profile.weekly_capacity = data.weekly_capacity
    profile.meeting_url = data.meeting_url
    profile.full_clean(exclude=["user", "decided_by"])
    profile.save()
    profile.expertise.set(data.expertise)
