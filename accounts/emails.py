from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse

from accounts.models import InterviewerProfile
from config.mail import send_templated_email


def send_vetting_decision(*, profile_id: int, decided_at: datetime) -> bool:
    """Email the interviewer the staff decision; False when there is nothing (new) to say."""
    with transaction.atomic():
        profile = (
            InterviewerProfile.objects.select_for_update()
            .select_related("user")
            .filter(pk=profile_id)
            .first()
        )
        # A stale task (the decision changed since) or a redelivered one (already sent)
        # sends nothing: the row, not the broker, says what is due.
        if profile is None or profile.decided_at != decided_at:
            return False
        if profile.decision_notified_at == profile.decided_at:
            return False
        send_templated_email(
            to=profile.user.email,
            template="vetting-decision",
            context={"profile": profile, "user": profile.user, "profile_url": reverse("profile")},
        )
        profile.decision_notified_at = profile.decided_at
        profile.save(update_fields=["decision_notified_at"])
    return True
