"""Demo data for `seed_demo`: a working week for every demo interviewer, and for every
demo candidate a past session with feedback and review and one awaiting feedback."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import InterviewerProfile, User, VettingStatus
from interviews.booking import meeting_url_for
from interviews.feedback import submit_feedback, submit_review
from interviews.models import (
    DEFAULT_SESSION_MINUTES,
    Criterion,
    Session,
    SessionStatus,
    WeeklyWindow,
)
from interviews.questions import pick_question
from interviews.rubrics import PHASE_SLUGS, current_rubric, rubric_criteria
from studyplans.selectors import weakest_areas_for

BATCH = 5000

# (weekday, start, end) patterns in the interviewer's own zone; rotated per interviewer so
# that the match list has variety across days and hours.
PATTERNS: list[list[tuple[int, time, time]]] = [
    [(0, time(9), time(12)), (2, time(13), time(18)), (4, time(9), time(12))],
    [(1, time(8), time(11)), (3, time(16), time(20)), (5, time(10), time(13))],
    [(0, time(18), time(21)), (1, time(18), time(21)), (3, time(12), time(15))],
    [(2, time(7), time(10)), (4, time(14), time(18)), (6, time(10), time(12))],
]


def seed_availability() -> int:
    """Weekly windows for demo interviewers that have none yet; returns how many got some."""
    profiles = (
        InterviewerProfile.objects.filter(user__email__endswith=f"@{DEMO_DOMAIN}")
        .exclude(user__weekly_windows__isnull=False)
        .values_list("user_id", flat=True)
        .order_by("user_id")
    )
    user_ids = list(profiles)
    windows = [
        WeeklyWindow(interviewer_id=user_id, weekday=weekday, start_time=start, end_time=end)
        for number, user_id in enumerate(user_ids)
        for weekday, start, end in PATTERNS[number % len(PATTERNS)]
    ]
    WeeklyWindow.objects.bulk_create(windows, batch_size=BATCH)
    return len(user_ids)


# --- Past sessions with feedback (SPEC §11) ---------------------------------------------------

# Each demo candidate is weaker in two phases, rotating, so dashboards differ per candidate.
WEAK_PHASE_PAIRS = [
    ("going-deep", "extra-mile"),
    ("functional-spec", "going-deep"),
    ("technical-spec", "extra-mile"),
    ("extra-mile", "communication"),
]
PHASE_NOTES = {
    "functional-spec": "Listed the core use cases quickly; the scale estimate needed a nudge.",
    "technical-spec": "Clear boxes and arrows; the data model came late and stayed thin.",
    "going-deep": "Picked the feed fan-out as the hard part, but stopped at the first design.",
    "extra-mile": "Mentioned metrics but no alerts, no rollout plan, no on-call notes.",
    "communication": "Drove most of the hour; paused for long stretches when challenged.",
}


FIRST_CANDIDATE_HISTORY = 4  # reviewed sessions for candidate1, so the charts show a trend


def seed_past_sessions(*, now: datetime | None = None) -> int:
    """For each demo candidate without past sessions: one with feedback and review (four for
    candidate1, a week apart), and one awaiting feedback.

    Returns how many candidates got them. Rows are written through the feedback services,
    so the rubric's rules, the reveal and the interviewers' running ratings all hold.
    Start times are whole hours, distinct across all demo sessions (even hours for the
    reviewed ones, odd for the awaiting ones), so no two can overlap for anybody.
    """
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    interviewers = list(
        User.objects.filter(
            email__endswith=f"@{DEMO_DOMAIN}",
            interviewer_profile__status=VettingStatus.APPROVED,
        )
        .select_related("interviewer_profile")
        .order_by("pk")
    )
    candidates = list(
        User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", candidate_profile__isnull=False)
        .exclude(sessions_taken__start__lt=now)
        .select_related("candidate_profile")
        .order_by("pk")
    )
    rubric = current_rubric()
    if not interviewers or rubric is None:
        return 0
    criteria = rubric_criteria(rubric)
    # candidate1's earlier sessions go a week apart, past every other demo session's hour.
    step = max(timedelta(days=7), timedelta(hours=2 * len(candidates) + 2))
    for number, candidate in enumerate(candidates):
        others = [person for person in interviewers if person.pk != candidate.pk]
        history = FIRST_CANDIDATE_HISTORY if number == 0 else 1
        weak = WEAK_PHASE_PAIRS[number % len(WEAK_PHASE_PAIRS)]
        for earlier in reversed(range(history)):
            interviewer = others[(number + earlier) % len(others)]
            start = hour - timedelta(days=8, hours=2 * number) - earlier * step
            reviewed = _past_session(candidate, interviewer, start=start)
            progress = history - 1 - earlier  # 0 for the oldest: scores rise over time
            data = _feedback(criteria, weak, progress=progress)
            submit_feedback(session=reviewed, by=interviewer, data=data, now=reviewed.end)
            submit_review(session=reviewed, by=candidate, data=REVIEW, now=reviewed.end)
        # Held and completed; its feedback is still the interviewer's to write.
        interviewer = others[number % len(others)]
        _past_session(candidate, interviewer, start=hour - timedelta(days=1, hours=2 * number + 1))
    return len(candidates)


def _past_session(candidate: User, interviewer: User, *, start: datetime) -> Session:
    return Session.objects.create(
        interviewer=interviewer,
        candidate=candidate,
        start=start,
        end=start + timedelta(minutes=DEFAULT_SESSION_MINUTES),
        status=SessionStatus.COMPLETED,
        question_id=pick_question(
            candidate=candidate, weakest_areas=weakest_areas_for(candidate=candidate)
        ),
        meeting_url=meeting_url_for(interviewer),
        created_at=start - timedelta(days=3),
        updated_at=start + timedelta(minutes=DEFAULT_SESSION_MINUTES),
    )


def _feedback(
    criteria: list[Criterion], weak: tuple[str, str], *, progress: int = 0
) -> dict[str, Any]:
    scores = {}
    for position, criterion in enumerate(criteria):
        # Weak phases score 2 (a 1 among them at first, a 3 now and then later on); the
        # rest 3, with a 4 now and then.
        if criterion.phase in weak:
            low = 1 if progress == 0 and position % 5 == 0 else 2
            scores[str(criterion.pk)] = 3 if progress >= 2 and position % 3 == 0 else low
        else:
            scores[str(criterion.pk)] = 4 if (position + progress) % 4 == 0 else 3
    return {
        "scores": scores,
        "phases": {
            slug: {
                "prodding": "a-lot" if slug in weak and progress < 3 else "some",
                "notes": PHASE_NOTES[slug],
            }
            for slug in PHASE_SLUGS
        },
        "recommendation": "no-hire",
        "level": "mid",
        "strengths": "Structured the first half well and kept the requirements in view.",
        "improvements": (
            "Go deeper on one component before moving on, and name the alerts and rollout "
            "steps without being asked."
        ),
    }


# Candidates rate themselves 3 in every phase, a step above where the interviewer put them
# in their weak ones: the calibration gap the report is there to show.
REVIEW = {
    "rating": 5,
    "comment": "Sharp questions and concrete advice on going deeper.",
    "would_practise_again": True,
    # So the demo interviewers' profile pages show a shared comment.
    "share_comment": True,
    "self_assessment": dict.fromkeys(PHASE_SLUGS, 3),
}
