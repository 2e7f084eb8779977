"""Staff decide whether an interviewer may be matched and booked."""

from __future__ import annotations

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import InterviewerProfile, User, VettingDecision, VettingStatus
from notifications.models import Kind
from notifications.outbox import notify

# A web address as people paste it into a bio; the punctuation that usually follows one in a
# sentence (a full stop, a closing bracket) is not part of it.
_LINK = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")


def pending_interviewers() -> QuerySet[InterviewerProfile]:
    """The vetting queue, oldest application first, with each profile's earlier decisions."""
    history = VettingDecision.objects.select_related("decided_by").order_by("-decided_at", "-pk")
    return (
        InterviewerProfile.objects.filter(status=VettingStatus.PENDING)
        .select_related("user")
        .prefetch_related("expertise", Prefetch("decisions", queryset=history))
        .order_by("created_at", "pk")
    )


def links_in(text: str) -> list[str]:
    """The web addresses in an applicant's text, each once, in the order given."""
    return list(dict.fromkeys(_LINK.findall(text)))


def approve_interviewer(
    *, profile_id: int, decided_by: User, now: datetime | None = None
) -> InterviewerProfile:
    return _decide(
        profile_id=profile_id,
        status=VettingStatus.APPROVED,
        reason="",
        decided_by=decided_by,
        now=now,
    )


def reject_interviewer(
    *, profile_id: int, decided_by: User, reason: str, now: datetime | None = None
) -> InterviewerProfile:
    if not reason.strip():
        raise ValidationError({"reason": "Say why, so the interviewer knows what to change."})
    return _decide(
        profile_id=profile_id,
        status=VettingStatus.REJECTED,
        reason=reason.strip(),
        decided_by=decided_by,
        now=now,
    )


def _decide(
    *,
    profile_id: int,
    status: VettingStatus,
    reason: str,
    decided_by: User,
    now: datetime | None,
) -> InterviewerProfile:
    if not decided_by.is_staff:
        raise ValidationError("Only staff decide on interviewers.")
    with transaction.atomic():
        # The row lock makes two staff deciding at once apply one after the other, so the
        # interviewer is told the decision that stands, once.
        profile = InterviewerProfile.objects.select_for_update().get(pk=profile_id)
        if profile.user_id == decided_by.pk:
            raise ValidationError("You cannot vet your own interviewer profile.")
        if profile.status == status and profile.decision_reason == reason:
            return profile
        profile.status = status
        profile.decision_reason = reason
        profile.decided_at = now or timezone.now()
        profile.decided_by = decided_by
        profile.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
        VettingDecision.objects.create(
            profile=profile,
            decided_by=decided_by,
            status=status,
            reason=reason,
            decided_at=profile.decided_at,
        )
        _tell_interviewer(profile)
    return profile


def _tell_interviewer(profile: InterviewerProfile) -> None:
    # One row per decision, written with it: the broker being down at this moment delays
    # the email to the next minute's dispatch and never loses it. The sender checks the
    # decision still stands, so a reversal made before it went out sends only the last.
    assert profile.decided_at is not None  # noqa: S101 - set with the decision
    decided_at = profile.decided_at.isoformat()
    notify(
        kind=Kind.VETTING_DECISION,
        recipients=[profile.user],
        key=f"vetting:{profile.pk}:{decided_at}",
        now=profile.decided_at,
        payload={"decided_at": decided_at},
    )
