from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.core.management import call_command

from accounts import emails


@shared_task
def send_vetting_decision(profile_id: int, decided_at: str) -> bool:
    # The decision time travels with the task so that a redelivered or stale task (the
    # decision changed since) sends nothing.
    return emails.send_vetting_decision(
        profile_id=profile_id, decided_at=datetime.fromisoformat(decided_at)
    )


@shared_task
def clear_expired_sessions() -> None:
    call_command("clearsessions")
