"""The candidate's brief on the interviewer's session page and feedback form (issue 11, item 3)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import SkillArea, User
from interviews.feedback import submit_review
from interviews.models import Session
from studyplans.planning import refresh_plan
from studyplans.selectors import weakest_areas_for
from tests.factories import (
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
    review_body,
    submitted_feedback,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]

NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


@pytest.fixture
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def candidate() -> User:
    return CandidateProfileFactory(
        user__display_name="Cato Candidate",
        target_level="staff",
        goal="Staff at a streaming company by summer",
        focus_areas=["caching", "data-modeling"],
    ).user


@pytest.fixture
def session(candidate: User) -> Session:
    # Ended an hour ago: the feedback form is open.
    return SessionFactory(
        candidate=candidate,
        interviewer=InterviewerProfileFactory().user,
        start=NOW - timedelta(hours=2),
        end=NOW - timedelta(hours=1),
    )


def _text(client: Client, user: User, path: str) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _weak_spots(candidate: User) -> list[str]:
    """An earlier interview, scored low and revealed by the review, then the plan remade."""
    earlier = SessionFactory(
        candidate=candidate,
        start=NOW - timedelta(days=7, hours=1),
        end=NOW - timedelta(days=7),
    )
    submitted_feedback(earlier, score=1)
    submit_review(session=earlier, by=candidate, data=review_body(self_score=2), now=earlier.end)
    refresh_plan(candidate=candidate, now=NOW)
    slugs = weakest_areas_for(candidate=candidate, measured_only=True)
    assert slugs
    names = dict(SkillArea.objects.values_list("slug", "name"))
    return [names[slug] for slug in slugs]


@pytest.mark.parametrize("path", ["/sessions/{}/", "/sessions/{}/feedback/?step=overall"])
def test_it_briefs_the_interviewer_on_the_candidate(
    client: Client, session: Session, path: str
) -> None:
    text = _text(client, session.interviewer, path.format(session.pk))

    assert "About Cato Candidate" in text
    assert "Target level Staff" in text
    assert "Goal Staff at a streaming company by summer" in text
    assert "Focus areas Data modeling, Caching" in text  # in catalogue order
    assert "Not known yet: no earlier feedback or self-assessment." in text


@pytest.mark.parametrize("path", ["/sessions/{}/", "/sessions/{}/feedback/?step=overall"])
def test_it_names_the_weakest_areas_from_the_study_plan(
    client: Client, session: Session, candidate: User, path: str
) -> None:
    weakest = _weak_spots(candidate)

    text = _text(client, session.interviewer, path.format(session.pk))

    assert f"Weakest areas so far {', '.join(weakest)} (from their study plan" in text


def test_it_puts_the_brief_beside_the_level_question(client: Client, session: Session) -> None:
    client.force_login(session.interviewer)

    page = client.get(f"/sessions/{session.pk}/feedback/?step=overall").content.decode()
    phase_page = client.get(f"/sessions/{session.pk}/feedback/?step=going-deep").content.decode()

    assert page.index('id="candidate-brief"') < page.index("Level demonstrated")
    assert 'id="candidate-brief"' not in phase_page


def test_it_keeps_the_brief_from_the_candidate(client: Client, session: Session) -> None:
    text = _text(client, session.candidate, f"/sessions/{session.pk}/")

    assert "Staff at a streaming company" not in text
    assert "Target level" not in text
