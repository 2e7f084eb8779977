from __future__ import annotations

from celery import shared_task

from studyplans import digest, planning


@shared_task
def remake_plan_after_session(session_id: int) -> bool:
    # Sent on commit of a submitted feedback or review. Safe to run twice: a feedback is
    # applied once (`AppliedFeedback`), and a remake from the same data changes nothing.
    return planning.apply_session(session_id=session_id)


@shared_task
def apply_revealed_feedback() -> int:
    return planning.apply_revealed_feedback()


@shared_task
def refresh_practice_plans() -> int:
    return planning.refresh_practice_plans()


@shared_task
def queue_weekly_digests() -> int:
    return digest.queue_weekly_digests()
