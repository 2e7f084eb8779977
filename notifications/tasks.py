from __future__ import annotations

from celery import shared_task

from notifications import dispatch


@shared_task
def dispatch_due_notifications() -> int:
    # The minute beat: everything due, whoever queued it.
    return dispatch.dispatch_due()


@shared_task
def dispatch_key(key: str, kind: str) -> int:
    # Sent on commit for the kinds people wait for; a redelivery finds the rows sent.
    return dispatch.dispatch_due(key=key, kind=kind)
