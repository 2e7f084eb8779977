"""The question bank and the pick made at booking (SPEC §6)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from accounts.models import SkillArea, User
from interviews.models import Question, SessionStatus
from interviews.questions import pick_question
from studyplans.selectors import weakest_areas_for
from tests.factories import CandidateProfileFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

SEED = importlib.import_module("interviews.migrations.0002_questions")


def _only(*questions: tuple[str, list[str]]) -> dict[str, Question]:
    """Replace the seeded bank with these (slug, skill areas) questions."""
    Question.objects.all().delete()
    made = {}
    for slug, areas in questions:
        question = Question.objects.create(
            slug=slug, title=slug.title(), prompt="Design it.", hints="Probe it."
        )
        question.skill_areas.set(SkillArea.objects.filter(slug__in=areas))
        made[slug] = question
    return made


def _candidate() -> User:
    return CandidateProfileFactory.create(focus_areas=["caching", "concurrency"]).user


def test_it_seeds_at_least_12_questions_with_skill_areas_and_hints() -> None:
    questions = Question.objects.prefetch_related("skill_areas")

    assert questions.count() >= 12
    for question in questions:
        assert question.prompt and question.hints and question.is_active
        assert len(question.skill_areas.all()) >= 2, question.slug
    assert {area.slug for q in questions for area in q.skill_areas.all()} >= {
        "caching",
        "concurrency",
        "real-time",
        "operability",
    }


def test_it_seeds_again_without_duplicates_or_overwriting_staff_edits() -> None:
    Question.objects.filter(slug="chat").update(title="Chat, edited by staff")
    count = Question.objects.count()

    SEED.add_questions(django_apps, None)

    assert Question.objects.count() == count
    assert Question.objects.get(slug="chat").title == "Chat, edited by staff"


def test_it_prefers_the_question_covering_most_weak_areas() -> None:
    made = _only(
        ("one", ["caching"]),
        ("both", ["caching", "concurrency"]),
        ("none", ["requirements"]),
    )

    picked = pick_question(candidate=_candidate(), weakest_areas=["caching", "concurrency"])

    assert picked == made["both"].pk


@pytest.mark.parametrize("status", [SessionStatus.SCHEDULED, SessionStatus.CANCELLED])
def test_it_never_gives_a_candidate_a_question_they_have_had(status: str) -> None:
    made = _only(("both", ["caching", "concurrency"]), ("one", ["caching"]))
    candidate = _candidate()
    SessionFactory.create(candidate=candidate, question=made["both"], status=status)

    picked = pick_question(candidate=candidate, weakest_areas=["caching", "concurrency"])

    assert picked == made["one"].pk


def test_it_breaks_ties_the_same_way_for_one_candidate_and_differently_across_them() -> None:
    made = _only(*((f"q{n}", ["caching"]) for n in range(8)))
    candidates = [_candidate() for _ in range(6)]

    first = [pick_question(candidate=c, weakest_areas=["caching"]) for c in candidates]
    again = [pick_question(candidate=c, weakest_areas=["caching"]) for c in candidates]

    assert first == again
    assert all(picked in {q.pk for q in made.values()} for picked in first)
    # Ties spread across the bank instead of always handing out the lowest id.
    assert len(set(first)) > 1


def test_it_skips_inactive_questions() -> None:
    made = _only(("best", ["caching", "concurrency"]), ("other", ["caching"]))
    Question.objects.filter(pk=made["best"].pk).update(is_active=False)

    assert pick_question(candidate=_candidate(), weakest_areas=["caching"]) == made["other"].pk


def test_it_gives_none_when_the_candidate_has_had_every_question() -> None:
    made = _only(("only", ["caching"]))
    candidate = _candidate()
    SessionFactory.create(candidate=candidate, question=made["only"])

    assert pick_question(candidate=candidate, weakest_areas=["caching"]) is None


def test_it_picks_in_one_query(django_assert_num_queries: object) -> None:
    candidate = _candidate()

    with django_assert_num_queries(1):  # type: ignore[operator]
        pick_question(candidate=candidate, weakest_areas=["caching"])


def test_it_takes_focus_areas_as_the_weakest_until_feedback_exists() -> None:
    assert sorted(weakest_areas_for(candidate=_candidate())) == ["caching", "concurrency"]
    assert weakest_areas_for(candidate=UserFactory.create()) == []
