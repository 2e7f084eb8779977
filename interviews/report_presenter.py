"""What the report and the session page say about feedback, in words, for each reader.

The services (`interviews.feedback`) hold the facts: scores, averages, the candidate's
own scores, the state of the feedback. This module turns them into what a page shows.
The calibration gap has one sign convention throughout, `calibration_gap`: the
candidate's own score minus the interviewer's average, so a positive gap means the
candidate scored themselves higher, whoever reads it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from accounts.models import User
from interviews import feedback as service
from interviews.feedback import FeedbackState, PhaseReport
from interviews.models import Review, Session


def calibration_gap(*, average: float | None, self_score: int | None) -> float | None:
    """The candidate's own score minus the interviewer's average, to 0.1; None without both."""
    if average is None or self_score is None:
        return None
    return round(self_score - average, 1)


def gap_words(
    *, average: float | None, self_score: int | None, is_interviewer: bool, missed: bool
) -> str:
    """The calibration gap in the summary table: a signed number and who scored higher."""
    if self_score is None and missed:
        return "No self-assessment"
    gap = calibration_gap(average=average, self_score=self_score)
    if gap is None:
        return "No comparison"
    if gap == 0:
        return "0: the same"
    who = "the candidate" if is_interviewer else "you"
    direction = "higher" if gap > 0 else "lower"
    return f"{gap:+.1f}: {who} scored {direction}"


def candidate_calibration(*, average: float | None, self_score: int | None) -> str:
    """The gap as the candidate reads it: their interviewer's average beside their own.

    The candidate's report exists only once the feedback is revealed, when a missing
    self-assessment can no longer come.
    """
    if self_score is None:
        return "No comparison: you did not score yourself before the feedback was revealed."
    gap = calibration_gap(average=average, self_score=self_score)
    if average is None or gap is None:
        return "No comparison: a score is missing."
    if gap == 0:
        return f"Your own {self_score} matches your interviewer's {average:.1f}."
    direction = "lower" if gap > 0 else "higher"  # the interviewer's, against your own
    return (
        f"Your interviewer's {average:.1f} is {abs(gap):.1f} {direction} "
        f"than your own {self_score}."
    )


def interviewer_calibration(*, average: float | None, self_score: int | None, missed: bool) -> str:
    """The gap as the interviewer reads it: their average beside the candidate's own."""
    if average is None:
        return "No scores in this phase."
    if self_score is None and missed:
        return (
            f"Your average: {average:.1f}. The candidate gave no self-assessment before "
            "the feedback was revealed."
        )
    gap = calibration_gap(average=average, self_score=self_score)
    if self_score is None or gap is None:
        return f"Your average: {average:.1f}. The candidate has not scored themselves yet."
    if gap == 0:
        return f"Your average {average:.1f} matches the candidate's own {self_score}."
    direction = "higher" if gap > 0 else "lower"
    return (
        f"The candidate scored themselves {self_score}, {abs(gap):.1f} {direction} "
        f"than your average {average:.1f}."
    )


def report(
    state: FeedbackState, review: Review | None, *, is_interviewer: bool, missed: bool
) -> dict[str, Any]:
    """The report page's content. `missed`: there is no self-assessment and none can come,
    the feedback being revealed."""
    feedback = state.feedback
    assert feedback is not None  # noqa: S101 - only submitted feedback is reported
    phases = [
        _worded(phase, is_interviewer=is_interviewer, missed=missed)
        for phase in service.report_phases(state=state, review=review)
    ]
    return {
        "rubric_version": state.rubric.number,
        "submitted_at": state.submitted_at,
        "recommendation": feedback.get_recommendation_display(),
        "level": feedback.get_level_display(),
        "strengths": state.strengths,
        "improvements": state.improvements,
        "no_self_assessment": _no_self_assessment(is_interviewer=is_interviewer) if missed else "",
        "phases": phases,
    }


def _worded(phase: PhaseReport, *, is_interviewer: bool, missed: bool) -> PhaseReport:
    average, own = phase.average, phase.self_score
    if is_interviewer:
        calibration = interviewer_calibration(average=average, self_score=own, missed=missed)
    else:
        calibration = candidate_calibration(average=average, self_score=own)
    gap = gap_words(average=average, self_score=own, is_interviewer=is_interviewer, missed=missed)
    return replace(phase, calibration=calibration, gap=gap)


def _no_self_assessment(*, is_interviewer: bool) -> str:
    if is_interviewer:
        return (
            "The candidate did not score themselves before your feedback was revealed "
            "to them, so there is no calibration gap to show."
        )
    return (
        "You did not score yourself before the feedback was revealed, so there "
        "is no calibration gap to show."
    )


def feedback_panel(*, session: Session, user: User, now: datetime) -> dict[str, Any] | None:
    """What the session page says about feedback and the review, with links; None: nothing."""
    if not service.feedback_is_open(session=session, now=now):
        return None
    if user.pk == session.interviewer_id:
        feedback = service.get_feedback(session=session)
        submitted = feedback is not None and feedback.is_submitted
        return {
            "side": "interviewer",
            "status": "none" if feedback is None else feedback.status,
            "submitted_at": feedback.submitted_at if feedback is not None else None,
            "due_at": service.feedback_due_at(session_end=session.end),
            "overdue": service.is_feedback_overdue(
                session_end=session.end, submitted=submitted, now=now
            ),
        }
    view = service.feedback_for_candidate(session=session, user=user, now=now)
    return {
        "side": "candidate",
        "reviewed": view.review is not None,
        "visible": view.visible,
        "message": view.message,
    }
