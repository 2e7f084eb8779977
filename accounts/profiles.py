"""Writing a person's profiles: one function for sign-up, the profile page and the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from urllib.parse import urlsplit

from django.conf import settings
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
    # (start, end) in the person's zone; None leaves them as they are (sign-up has none).
    waking_hours: tuple[time, time] | None = None


def interviewer_rule_errors(*, years_experience: int | None) -> dict[str, str]:
    """Rules that span the person and the interviewer role, keyed by the field to blame."""
    if years_experience is not None and years_experience < MIN_INTERVIEWER_YEARS:
        return {
            "years_experience": (
                f"Interviewers need at least {MIN_INTERVIEWER_YEARS} years of experience."
            )
        }
    return {}


def waking_hours_errors(*, starts: time | None, ends: time | None) -> dict[str, str]:
    """The rule the profile form and the API share, keyed by the field to blame."""
    if starts is not None and ends is not None and ends <= starts:
        return {"waking_hours_end": "End your waking hours after they start, on the same day."}
    return {}


def meeting_host_allowed(host: str, allowed: Sequence[str]) -> bool:
    """`host` is one of `allowed`, where ".zoom.us" stands for zoom.us and its subdomains."""
    host = host.lower().rstrip(".")
    for entry in allowed:
        entry = entry.lower()
        if entry.startswith("."):
            if host == entry[1:] or host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


def validate_meeting_url(url: str) -> None:
    """A personal meeting URL is https on a host of settings.MEETING_HOSTS, or empty.

    Candidates open this link to join, so a link to any other page (a look-alike login
    page, say) is refused; without one each session gets a generated room.
    """
    if url and not _is_allowed_meeting_url(url):
        hosts = ", ".join(host.lstrip(".") for host in settings.MEETING_HOSTS)
        raise ValidationError(
            f"Use an https link on one of {hosts}, or leave this empty and each session "
            "gets its own generated room.",
            code="meeting_host",
        )


def _is_allowed_meeting_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a malformed host or port
        return False
    return (
        parts.scheme == "https"
        and parts.hostname is not None
        and parts.username is None  # "https://zoom.us@elsewhere.test" goes elsewhere
        and port in (None, 443)
        and meeting_host_allowed(parts.hostname, settings.MEETING_HOSTS)
    )


def needs_review_again(*, profile: InterviewerProfile, data: InterviewerData) -> bool:
    """An approved interviewer who changes level or expertise goes back to staff (SPEC §1)."""
    if profile.status != VettingStatus.APPROVED:
        return False
    expertise = {area.pk for area in profile.expertise.all()}
    return data.level != profile.level or {area.pk for area in data.expertise} != expertise


def is_approved_interviewer(user: User) -> bool:
    """Read fresh from the database, so a caller can compare before and after a save."""
    return InterviewerProfile.objects.filter(user=user, status=VettingStatus.APPROVED).exists()


def save_profile(*, user: User, data: ProfileData) -> User:
    """Write the person's fields and each role given; a role never given is left alone.

    A role is added by giving it; roles are never removed here. An interviewer profile
    created here starts pending review, and one that was rejected goes back to pending when
    its owner edits it, so staff look again. So does an approved one whose level or
    expertise changes: it is not matched or bookable until staff approve it again, and
    the sessions already booked stay.
    """
    if data.interviewer is not None or user.is_interviewer:
        errors = interviewer_rule_errors(years_experience=data.years_experience)
        if errors:
            raise ValidationError(errors)
    with transaction.atomic():
        user.display_name = data.display_name.strip()
        user.time_zone = data.time_zone
        user.years_experience = data.years_experience
        if data.waking_hours is not None:
            user.waking_hours_start, user.waking_hours_end = data.waking_hours
        user.full_clean(exclude=["password", "email"])
        user.save(
            update_fields=[
                "display_name",
                "time_zone",
                "years_experience",
                "waking_hours_start",
                "waking_hours_end",
            ]
        )
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
    # The form and the serializer name this field already; checked again here because
    # the link goes out to candidates whichever way it was written.
    try:
        validate_meeting_url(data.meeting_url)
    except ValidationError as error:
        raise ValidationError({"meeting_url": error.messages}) from error
    # Locked: a staff decision made meanwhile is read, not overwritten by this save.
    profile = InterviewerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = InterviewerProfile(user=user, status=VettingStatus.PENDING)
    elif profile.status == VettingStatus.REJECTED or needs_review_again(profile=profile, data=data):
        # Back in the queue as a fresh application; a decision email not yet sent is
        # dropped, since it no longer stands (notifications.dispatch checks decided_at).
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
