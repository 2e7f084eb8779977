"""`manage.py seed_scale`: bulk data at any size that keeps every rule and serves the pages."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum
from django.test import Client
from django.utils import timezone

from accounts.models import CandidateProfile, InterviewerProfile, User
from interviews.models import (
    CriterionScore,
    Feedback,
    PhaseNote,
    Review,
    Session,
    SessionStatus,
    WeeklyWindow,
)
from interviews.rubrics import PHASE_SLUGS, get_current_rubric, rubric_criteria

pytestmark = pytest.mark.django_db

INTERVIEWERS, CANDIDATES, SESSIONS = 20, 40, 200


def _seed(**sizes: float) -> str:
    out = StringIO()
    options = {"interviewers": INTERVIEWERS, "candidates": CANDIDATES, "sessions": SESSIONS}
    call_command("seed_scale", **{**options, **sizes}, stdout=out)
    return out.getvalue()


def test_it_creates_the_people_sessions_and_feedback_asked_for() -> None:
    output = _seed()

    approved = InterviewerProfile.objects.filter(status="approved")
    assert approved.count() == INTERVIEWERS
    assert CandidateProfile.objects.count() == CANDIDATES
    with_windows = WeeklyWindow.objects.values("interviewer").distinct().count()
    assert with_windows == INTERVIEWERS
    past = Session.objects.filter(status=SessionStatus.COMPLETED)
    assert past.count() == SESSIONS
    assert Session.objects.filter(status=SessionStatus.SCHEDULED).exists()
    # About 30% by default, each submitted, complete and reviewed.
    reviewed = Feedback.objects.filter(status="submitted").count()
    assert abs(reviewed - SESSIONS * 0.3) <= 3
    assert Feedback.objects.exclude(status="submitted").count() == 0
    assert Review.objects.count() == reviewed
    criteria = len(rubric_criteria(get_current_rubric()))
    assert CriterionScore.objects.count() == criteria * reviewed
    assert PhaseNote.objects.count() == len(PHASE_SLUGS) * reviewed
    assert "past sessions, feedback, reviews:" in output
    assert "seed_scale done in" in output


def test_the_feedback_share_is_configurable() -> None:
    _seed(feedback_share=0.5)

    assert abs(Feedback.objects.count() - SESSIONS // 2) <= 3


def test_nobody_has_two_sessions_at_once() -> None:
    _seed()

    for field in ("interviewer", "candidate"):
        seen: dict[int, list[tuple]] = {}
        for person, start, end in Session.objects.values_list(field, "start", "end"):
            for other_start, other_end in seen.get(person, []):
                assert end <= other_start or start >= other_end
            seen.setdefault(person, []).append((start, end))
        assert max(len(times) for times in seen.values()) > 1


def test_the_interviewers_review_totals_match_their_reviews() -> None:
    _seed()

    totals = Review.objects.values("session__interviewer").annotate(n=Count("pk"), s=Sum("rating"))
    expected = {row["session__interviewer"]: (row["n"], row["s"]) for row in totals}
    assert expected
    for profile in InterviewerProfile.objects.all():
        assert (profile.review_count, profile.review_stars) == expected.get(profile.user_id, (0, 0))


def test_it_refuses_to_seed_twice() -> None:
    _seed(sessions=10)

    with pytest.raises(CommandError, match="already"):
        _seed(sessions=10)


def test_the_seeded_people_can_use_the_pages() -> None:
    _seed()
    candidate = User.objects.get(email="scale-candidate1@scale.test")
    interviewer = User.objects.get(email="scale-interviewer1@scale.test")
    client = Client()

    client.force_login(candidate)
    assert client.get("/sessions/").status_code == 200
    assert client.get("/find/").status_code == 200
    assert client.get("/dashboard/candidate/").status_code == 200
    reviewed = Session.objects.filter(candidate=candidate, feedback__isnull=False).first()
    assert reviewed is not None
    assert client.get(f"/sessions/{reviewed.pk}/report/").status_code == 200

    client.force_login(interviewer)
    assert client.get("/dashboard/interviewer/").status_code == 200
    awaiting = Session.objects.filter(interviewer=interviewer, feedback__isnull=True).first()
    assert awaiting is not None
    assert client.get(f"/sessions/{awaiting.pk}/feedback/").status_code == 200


def test_the_past_sessions_spread_over_the_last_year() -> None:
    _seed()

    now = timezone.now()
    starts = Session.objects.filter(status=SessionStatus.COMPLETED).values_list("start", flat=True)
    assert max(starts) < now - timedelta(days=1)
    assert now - timedelta(days=366) < min(starts) < now - timedelta(days=300)
