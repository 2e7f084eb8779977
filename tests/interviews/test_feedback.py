"""Feedback and reviews at the service level (SPEC §4, §7): drafts, two tabs, version pinning,
submitting and its lock (in the database too), reviews, the blind reveal, ratings."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from accounts.ratings import PRIOR_MEAN, bayesian_rating, interviewer_ratings
from config.errors import DomainError
from interviews.feedback import (
    FeedbackState,
    PhaseEntry,
    feedback_due_at,
    feedback_for_candidate,
    feedback_for_interviewer,
    feedback_status_for,
    feedback_step,
    feedback_visible_at,
    feedback_visible_to_candidate,
    is_feedback_overdue,
    missing_items,
    report_phases,
    review_status_for,
    save_feedback_draft,
    submit_feedback,
    submit_review,
)
from interviews.feedback_input import parse_feedback_data, parse_review_data
from interviews.models import (
    CriterionScore,
    Feedback,
    PhaseNote,
    Review,
    RubricVersion,
    Session,
    SessionStatus,
)
from interviews.report_presenter import candidate_calibration
from interviews.rubrics import (
    PHASE_SLUGS,
    copy_rubric_version,
    get_current_rubric,
    publish_rubric_version,
    rubric_criteria,
)
from tests.factories import (
    InterviewerProfileFactory,
    SessionFactory,
    UserFactory,
    complete_feedback_data,
    review_body,
    submitted_feedback,
)

pytestmark = pytest.mark.django_db

# The session ran 10:00 to 11:00 UTC on Monday 2 March 2026 (London is on GMT: local = UTC).
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
DURING = START + timedelta(minutes=30)


def _refusal(code: str) -> pytest.RaisesExc[DomainError]:
    return pytest.raises(DomainError, check=lambda error: error.code == code)


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


@pytest.fixture
def session() -> Session:
    return SessionFactory.create(start=START, end=END)


def criterion_ids() -> list[int]:
    return [criterion.pk for criterion in rubric_criteria(get_current_rubric())]


def save(session: Session, data: dict[str, Any], *, revision: int | None = None, **kw: Any) -> Any:
    return save_feedback_draft(
        session=session,
        by=session.interviewer,
        data=data,
        revision=revision,
        now=kw.get("now", DURING),
    )


# --- Pure rules ---------------------------------------------------------------------------


def test_it_makes_feedback_due_24_hours_after_the_end() -> None:
    assert feedback_due_at(session_end=END) == END + timedelta(hours=24)


@pytest.mark.parametrize(
    ("after_end", "submitted", "overdue"),
    [
        (timedelta(hours=23, minutes=59), False, False),
        (timedelta(hours=24), False, False),
        (timedelta(hours=24, seconds=1), False, True),
        (timedelta(days=5), True, False),
    ],
)
def test_it_marks_feedback_overdue_only_after_the_due_time(
    after_end: timedelta, submitted: bool, overdue: bool
) -> None:
    assert is_feedback_overdue(session_end=END, submitted=submitted, now=END + after_end) is overdue


SUBMITTED = END + timedelta(hours=2)


@pytest.mark.parametrize(
    ("review_at", "visible_at"),
    [
        (None, SUBMITTED + timedelta(hours=72)),
        (END, SUBMITTED),  # the candidate reviewed first: open when the interviewer submits
        (SUBMITTED + timedelta(hours=5), SUBMITTED + timedelta(hours=5)),
        (SUBMITTED + timedelta(hours=80), SUBMITTED + timedelta(hours=72)),  # 72 h came first
    ],
)
def test_it_reveals_at_both_submitted_or_72_hours_whichever_is_first(
    review_at: datetime | None, visible_at: datetime
) -> None:
    assert (
        feedback_visible_at(feedback_submitted_at=SUBMITTED, review_submitted_at=review_at)
        == visible_at
    )


@pytest.mark.parametrize(
    ("submitted_at", "reviewed", "now", "visible"),
    [
        (None, True, END + timedelta(days=30), False),
        (SUBMITTED, False, SUBMITTED + timedelta(hours=72) - timedelta(seconds=1), False),
        (SUBMITTED, False, SUBMITTED + timedelta(hours=72), True),
        (SUBMITTED, True, SUBMITTED, True),
    ],
)
def test_it_decides_the_reveal_from_both_sides_and_time(
    submitted_at: datetime | None, reviewed: bool, now: datetime, visible: bool
) -> None:
    assert (
        feedback_visible_to_candidate(
            feedback_submitted_at=submitted_at, review_submitted=reviewed, now=now
        )
        is visible
    )
    assert feedback_visible_at(feedback_submitted_at=None, review_submitted_at=END) is None


@pytest.mark.parametrize(
    ("average", "own", "text"),
    [
        (2.0, 3, "Your interviewer's 2.0 is 1.0 lower than your own 3."),
        (3.5, 3, "Your interviewer's 3.5 is 0.5 higher than your own 3."),
        (3.0, 3, "Your own 3 matches your interviewer's 3.0."),
        (None, 3, "No comparison: a score is missing."),
        (3.0, None, "No comparison: you did not score yourself before the feedback was revealed."),
    ],
)
def test_it_puts_the_calibration_gap_in_words(
    average: float | None, own: int | None, text: str
) -> None:
    assert candidate_calibration(average=average, self_score=own) == text


def test_it_names_every_missing_item_in_form_order() -> None:
    criteria = rubric_criteria(get_current_rubric())
    scored = {criterion.pk: 3 for criterion in criteria[1:]}

    missing = missing_items(
        criteria=criteria,
        scores=scored,
        phases={"going-deep": PhaseEntry("a-lot", "")},
        recommendation="",
        level="staff",
        strengths="  ",
        improvements="Depth.",
    )

    assert list(missing) == [
        f"scores.{criteria[0].pk}",
        "phases.functional-spec.prodding",
        "phases.technical-spec.prodding",
        "phases.extra-mile.prodding",
        "phases.communication.prodding",
        "recommendation",
        "strengths",
    ]
    assert missing[f"scores.{criteria[0].pk}"] == ["Score “Use cases and scope” (Functional Spec)."]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scores": {"999999": 3}}, "scores.999999"),
        ({"scores": {"first": 3}}, "scores.first"),
        ({"scores": {"{first}": 0}}, "scores.{first}"),
        ({"scores": {"{first}": 5}}, "scores.{first}"),
        ({"scores": {"{first}": True}}, "scores.{first}"),
        ({"scores": [3, 3]}, "scores"),
        ({"phases": {"warm-up": {"prodding": "none"}}}, "phases.warm-up"),
        ({"phases": {"going-deep": {"prodding": "lots"}}}, "phases.going-deep.prodding"),
        ({"phases": {"going-deep": {"notes": 42}}}, "phases.going-deep.notes"),
        ({"phases": {"going-deep": "some"}}, "phases.going-deep"),
        ({"recommendation": "maybe"}, "recommendation"),
        ({"level": "principal"}, "level"),
        ({"strengths": "x" * 10_001}, "strengths"),
    ],
)
def test_it_names_the_field_of_each_bad_part(data: dict[str, Any], field: str) -> None:
    rubric = get_current_rubric()
    first = str(rubric_criteria(rubric)[0].pk)
    if "scores" in data and isinstance(data["scores"], dict):
        data = {"scores": {k.replace("{first}", first): v for k, v in data["scores"].items()}}
        field = field.replace("{first}", first)

    with pytest.raises(ValidationError) as error:
        parse_feedback_data(
            data=data, criterion_ids={c.pk for c in rubric.criteria.all()}, rubric_number=1
        )

    assert list(_fields(error)) == [field]


def test_it_accepts_form_strings_and_blanks_in_a_draft() -> None:
    rubric = get_current_rubric()
    first, second = (criterion.pk for criterion in rubric_criteria(rubric)[:2])

    changes = parse_feedback_data(
        data={
            "scores": {str(first): "4", str(second): ""},
            "phases": {"going-deep": {"prodding": None, "notes": "Good."}},
            "level": "",
            "status": "draft",  # read-only parts sent back are ignored
            "revision": 7,
        },
        criterion_ids={c.pk for c in rubric.criteria.all()},
        rubric_number=1,
    )

    assert changes.scores == {first: 4, second: None}
    assert changes.phases == {"going-deep": {"prodding": "", "notes": "Good."}}
    assert changes.overall == {"level": ""}


def test_it_names_every_bad_or_missing_field_of_a_review() -> None:
    with pytest.raises(ValidationError) as error:
        parse_review_data(
            data={
                "rating": 6,
                "would_practise_again": "perhaps",
                "self_assessment": {"going-deep": 5, "warm-up": 2, "communication": 3},
            },
            takes_self_assessment=True,
        )

    assert set(_fields(error)) == {
        "rating",
        "would_practise_again",
        "self_assessment.warm-up",
        "self_assessment.functional-spec",
        "self_assessment.technical-spec",
        "self_assessment.going-deep",
        "self_assessment.extra-mile",
    }


# --- Drafts -------------------------------------------------------------------------------


def test_it_saves_a_draft_from_the_session_start(session: Session) -> None:
    first = criterion_ids()[0]

    feedback = save(
        session,
        {"scores": {str(first): 2}, "phases": {"functional-spec": {"notes": "Skipped scale."}}},
        revision=0,
        now=START,
    )

    assert feedback.status == "draft"
    assert feedback.revision == 1
    assert feedback.rubric == get_current_rubric()
    assert feedback.created_at == feedback.updated_at == START
    assert dict(feedback.scores.values_list("criterion_id", "score")) == {first: 2}
    note = feedback.phase_notes.get()
    assert (note.phase, note.prodding, note.notes) == ("functional-spec", "", "Skipped scale.")


def test_it_refuses_feedback_before_the_session_starts(session: Session) -> None:
    with _refusal("feedback_not_open") as error:
        save(session, {"level": "senior"}, now=START - timedelta(seconds=1))

    assert error.value.status == 409
    assert "Monday 2 March 2026, 10:00 GMT (Europe/London)" in error.value.message
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.NO_SHOW])
def test_it_refuses_feedback_for_sessions_that_did_not_take_place(status: str) -> None:
    session = SessionFactory.create(start=START, end=END, status=status)

    with _refusal("session_not_held"):
        save(session, {"level": "senior"})


def test_it_lets_only_the_interviewer_write_feedback(session: Session) -> None:
    for someone in (session.candidate, UserFactory.create()):
        with _refusal("not_interviewer") as error:
            save_feedback_draft(
                session=session, by=someone, data={"level": "mid"}, revision=None, now=DURING
            )
        assert error.value.status == 403


def test_it_merges_partial_drafts_and_raises_the_revision_each_time(session: Session) -> None:
    first, second = criterion_ids()[:2]

    save(session, {"scores": {str(first): 2, str(second): 3}, "strengths": "Scope."})
    save(session, {"scores": {str(first): 4}, "phases": {"going-deep": {"prodding": "some"}}})
    feedback = save(
        session,
        {"scores": {str(second): None}, "phases": {"going-deep": {"notes": "Sharding."}}},
        revision=2,
    )

    assert feedback.revision == 3
    assert feedback.strengths == "Scope."
    assert dict(feedback.scores.values_list("criterion_id", "score")) == {first: 4}
    note = feedback.phase_notes.get()
    assert (note.prodding, note.notes) == ("some", "Sharding.")


def test_it_keeps_what_was_saved_when_a_save_has_a_bad_field(session: Session) -> None:
    first = criterion_ids()[0]
    save(session, {"scores": {str(first): 2}, "level": "mid"})

    with pytest.raises(ValidationError):
        save(session, {"scores": {str(first): 3}, "level": "wizard"})

    feedback = Feedback.objects.get()
    assert (feedback.level, feedback.revision) == ("mid", 1)
    assert feedback.scores.get().score == 2


def test_it_refuses_the_later_save_of_two_tabs(session: Session) -> None:
    first = criterion_ids()[0]
    save(session, {"level": "mid"}, revision=0)  # both tabs load revision 1
    save(session, {"scores": {str(first): 4}}, revision=1, now=DURING + timedelta(minutes=2))

    with _refusal("feedback_conflict") as error:
        save(session, {"scores": {str(first): 1}, "level": "staff"}, revision=1)

    assert error.value.status == 409
    assert error.value.message == (
        "This feedback was saved from another tab or window at 10:32 (Europe/London); "
        "reload to see the latest version before saving again."
    )
    assert error.value.fields == {"revision": ["The latest revision is 2."]}
    feedback = Feedback.objects.get()
    assert (feedback.level, feedback.revision, feedback.scores.get().score) == ("mid", 2, 4)


def test_it_writes_the_conflict_time_in_the_interviewers_zone() -> None:
    session = SessionFactory.create(start=START, end=END, interviewer__time_zone="America/New_York")
    save(session, {"level": "mid"}, revision=0)

    with _refusal("feedback_conflict") as error:
        save(session, {"level": "staff"}, revision=0)

    assert "at 05:30 (America/New_York)" in error.value.message


# --- Rubric versions ----------------------------------------------------------------------


def test_it_keeps_a_draft_on_its_version_when_a_new_one_is_published(session: Session) -> None:
    version_1 = get_current_rubric()
    old_first = rubric_criteria(version_1)[0].pk
    save(session, {"scores": {str(old_first): 3}})
    version_2 = publish_rubric_version(rubric=copy_rubric_version(rubric=version_1), now=DURING)
    new_first = rubric_criteria(get_current_rubric())[0].pk

    with pytest.raises(ValidationError) as error:
        save(session, {"scores": {str(new_first): 3}})
    assert _fields(error) == {
        f"scores.{new_first}": [f"Rubric version 1 has no criterion {new_first}."]
    }

    # It finishes and submits against version 1; a new session's feedback takes version 2.
    feedback = submitted_feedback_on(session, version_1.pk)
    assert feedback.rubric == version_1
    assert feedback.scores.count() == 13
    later = SessionFactory.create(start=START + timedelta(hours=2), end=END + timedelta(hours=2))
    assert save(later, {"level": "mid"}, now=END + timedelta(hours=2)).rubric == version_2


def submitted_feedback_on(session: Session, rubric_id: int) -> Feedback:
    """Complete and submit a draft against the version it was pinned to."""
    data = complete_feedback_data()
    data["scores"] = {
        str(criterion.pk): 3
        for criterion in rubric_criteria(RubricVersion.objects.get(pk=rubric_id))
    }
    return submit_feedback(session=session, by=session.interviewer, data=data, now=END)


# --- Submitting ---------------------------------------------------------------------------


def test_it_names_every_missing_item_when_submitting(session: Session) -> None:
    ids = criterion_ids()
    data = complete_feedback_data()
    del data["scores"][str(ids[0])], data["scores"][str(ids[-1])]
    data["phases"]["extra-mile"]["prodding"] = ""
    data["recommendation"] = ""
    save(session, data)

    with _refusal("feedback_incomplete") as error:
        submit_feedback(session=session, by=session.interviewer, now=END)

    assert error.value.status == 400
    assert error.value.message == "The feedback is incomplete: 4 items are missing."
    assert error.value.fields == {
        f"scores.{ids[0]}": ["Score “Use cases and scope” (Functional Spec)."],
        "phases.extra-mile.prodding": ["Say how much prodding Extra Mile: launch needed."],
        f"scores.{ids[-1]}": ["Score “Handling challenges” (Communication)."],
        "recommendation": ["Choose a recommendation."],
    }
    assert Feedback.objects.get().status == "draft"


def test_it_names_everything_when_submitting_an_empty_form(session: Session) -> None:
    with _refusal("feedback_incomplete") as error:
        submit_feedback(session=session, by=session.interviewer, now=END)

    assert len(error.value.fields) == 13 + 5 + 4
    assert not Feedback.objects.exists()


def test_it_submits_complete_feedback_and_leaves_the_session_to_booking(
    session: Session,
) -> None:
    feedback = submitted_feedback(session, now=END + timedelta(hours=3))

    assert feedback.status == "submitted"
    assert feedback.submitted_at == END + timedelta(hours=3)
    assert feedback.revision == 2  # the save, then the submit
    assert feedback.scores.count() == 13
    assert feedback.phase_notes.count() == 5
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_it_keeps_the_draft_when_a_submit_with_data_is_incomplete(session: Session) -> None:
    with _refusal("feedback_incomplete"):
        submit_feedback(
            session=session, by=session.interviewer, data={"strengths": "Scope."}, now=END
        )

    assert Feedback.objects.get().strengths == "Scope."


def test_it_locks_submitted_feedback_forever(session: Session) -> None:
    submitted_feedback(session)

    with _refusal("feedback_submitted") as error:
        submit_feedback(session=session, by=session.interviewer, now=END + timedelta(hours=1))
    assert error.value.status == 409
    with _refusal("feedback_submitted"):
        save(session, {"strengths": "Rewritten."}, now=END + timedelta(days=400))

    assert Feedback.objects.get().strengths.startswith("Drove")


def test_it_refuses_a_submit_from_a_stale_tab(session: Session) -> None:
    save(session, complete_feedback_data())
    save(session, {"strengths": "Better wording."}, revision=1)

    with _refusal("feedback_conflict"):
        submit_feedback(session=session, by=session.interviewer, revision=1, now=END)

    assert Feedback.objects.get().status == "draft"


def test_it_still_takes_overdue_feedback_and_says_so(session: Session) -> None:
    late = END + timedelta(days=3)
    save(session, {"level": "mid"}, now=late)

    state = feedback_for_interviewer(session=session, user=session.interviewer, now=late)

    assert state.overdue
    submitted_feedback(session, now=late)
    state = feedback_for_interviewer(session=session, user=session.interviewer, now=late)
    assert not state.overdue
    assert not state.editable


# --- The database's own lock --------------------------------------------------------------


def _assert_the_database_refuses_changes(feedback: Feedback) -> None:
    score = feedback.scores.first()
    note = feedback.phase_notes.first()
    assert score is not None and note is not None
    unscored = copy_rubric_version(rubric=feedback.rubric).criteria.all()[0]
    changes = [
        lambda: Feedback.objects.filter(pk=feedback.pk).update(strengths="Rewritten."),
        lambda: Feedback.objects.filter(pk=feedback.pk).update(status="draft", submitted_at=None),
        lambda: Feedback.objects.filter(pk=feedback.pk).delete(),
        lambda: CriterionScore.objects.filter(pk=score.pk).update(score=1),
        lambda: CriterionScore.objects.filter(pk=score.pk).delete(),
        lambda: PhaseNote.objects.filter(pk=note.pk).update(notes="Rewritten."),
        lambda: PhaseNote.objects.filter(pk=note.pk).delete(),
        lambda: Session.objects.filter(pk=feedback.session_id).delete(),
    ]
    inserts = [
        lambda: CriterionScore.objects.create(feedback=feedback, criterion=unscored, score=4),
        lambda: PhaseNote.objects.create(feedback=feedback, phase="going-deep"),
    ]
    for change in changes + inserts:
        # The trigger's own words: not a unique or foreign key constraint refusing instead.
        with pytest.raises(IntegrityError, match=REFUSAL), transaction.atomic():
            change()
    stored = Feedback.objects.get(pk=feedback.pk)
    assert (stored.status, stored.strengths) == ("submitted", feedback.strengths)
    assert stored.scores.get(pk=score.pk).score == score.score


REFUSAL = "submitted feedback cannot change"


def test_it_refuses_raw_changes_to_submitted_feedback_in_the_database(session: Session) -> None:
    _assert_the_database_refuses_changes(submitted_feedback(session))


@pytest.mark.postgres
def test_it_refuses_raw_changes_to_submitted_feedback_in_postgresql(session: Session) -> None:
    assert connection.vendor == "postgresql"
    _assert_the_database_refuses_changes(submitted_feedback(session))


def test_it_lets_the_database_change_drafts(session: Session) -> None:
    feedback = save(session, complete_feedback_data())

    Feedback.objects.filter(pk=feedback.pk).update(strengths="Raw.")
    CriterionScore.objects.filter(feedback=feedback).update(score=4)
    PhaseNote.objects.filter(feedback=feedback).delete()

    assert Feedback.objects.get().strengths == "Raw."


@pytest.fixture
def _release_before_flush() -> Iterator[None]:
    yield
    migration = importlib.import_module("interviews.migrations.0003_feedback")
    migration.release_submitted_feedback(connection)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_release_before_flush")
def test_it_lets_a_test_flush_the_database_after_submitted_feedback() -> None:
    # The browser tests' conftest does the same before each flush (SQLite's is DELETE).
    # A transactional test may run after another one emptied the seeded rows.
    importlib.import_module("accounts.migrations.0002_skill_areas").add_skill_areas(
        django_apps, None
    )
    importlib.import_module("interviews.migrations.0004_rubric_version_1").add_rubric_version_1(
        django_apps, None
    )
    session = SessionFactory.create(start=START, end=END)
    feedback = submitted_feedback(session)

    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.filter(pk=feedback.pk).update(strengths="Rewritten.")


# --- Reviews ------------------------------------------------------------------------------


def review(session: Session, body: dict[str, Any] | None = None, *, now: datetime = END) -> Review:
    return submit_review(session=session, by=session.candidate, data=body or review_body(), now=now)


def test_it_takes_the_candidates_review_once_from_the_start(session: Session) -> None:
    given = review(session, review_body(rating=5, self_score=2), now=START)

    assert (given.rating, given.would_practise_again, given.created_at) == (5, True, START)
    assert given.self_assessment == dict.fromkeys(PHASE_SLUGS, 2)
    with _refusal("review_submitted") as error:
        review(session, now=END)
    assert error.value.status == 409
    assert Review.objects.count() == 1


def test_it_takes_the_self_assessment_only_until_the_72_hour_reveal(session: Session) -> None:
    submitted_feedback(session, now=END)
    reveal = END + timedelta(hours=72)
    without = review_body()
    del without["self_assessment"]

    with pytest.raises(ValidationError) as refused:
        review(session, now=reveal)
    given = review(session, without, now=reveal)

    assert list(refused.value.message_dict) == ["self_assessment"]
    assert given.self_assessment == {}
    assert given.self_functional_spec is None


def test_it_keeps_a_self_assessment_whole_or_empty_in_the_database(session: Session) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            session=session, rating=4, would_practise_again=True, self_going_deep=3
        )


def test_it_refuses_a_review_before_the_start(session: Session) -> None:
    with _refusal("review_not_open") as error:
        review(session, now=START - timedelta(minutes=1))

    assert error.value.status == 409
    assert not Review.objects.exists()


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.NO_SHOW])
def test_it_refuses_a_review_of_a_session_that_did_not_take_place(status: str) -> None:
    session = SessionFactory.create(start=START, end=END, status=status)

    with _refusal("session_not_held"):
        review(session)


def test_it_lets_only_the_candidate_review(session: Session) -> None:
    with _refusal("not_candidate") as error:
        submit_review(session=session, by=session.interviewer, data=review_body(), now=END)

    assert error.value.status == 403


def test_it_names_the_bad_fields_of_a_review_and_saves_nothing(session: Session) -> None:
    with pytest.raises(ValidationError) as error:
        review(session, {**review_body(), "rating": 0})

    assert list(_fields(error)) == ["rating"]
    assert not Review.objects.exists()


# --- The blind reveal, over time ----------------------------------------------------------


def _candidate_view(session: Session) -> Any:
    return feedback_for_candidate(session=session, user=session.candidate)


def test_it_hides_feedback_until_both_have_submitted(session: Session) -> None:
    with time_machine.travel(END + timedelta(hours=1), tick=False):
        submitted_feedback(session, now=END + timedelta(hours=1))
        hidden = _candidate_view(session)
        assert not hidden.visible
        assert hidden.state is None
        assert hidden.visible_at == END + timedelta(hours=73)
        assert hidden.message == (
            "Submit your review to see it now, or it opens on "
            "Thursday 5 March 2026, 12:00 GMT (Europe/London)."
        )

    with time_machine.travel(END + timedelta(hours=2), tick=False):
        review(session, now=END + timedelta(hours=2))
        shown = _candidate_view(session)
        assert shown.visible
        assert shown.visible_at == END + timedelta(hours=2)
        assert isinstance(shown.state, FeedbackState)
        assert shown.state.recommendation == "hire"


def test_it_reveals_72_hours_after_the_interviewer_submits_without_a_review(
    session: Session,
) -> None:
    submitted_at = END + timedelta(hours=1)
    submitted_feedback(session, now=submitted_at)

    with time_machine.travel(submitted_at + timedelta(hours=72) - timedelta(seconds=1), tick=False):
        assert not _candidate_view(session).visible
    with time_machine.travel(submitted_at + timedelta(hours=72), tick=False):
        assert _candidate_view(session).visible


def test_it_tells_the_candidate_what_to_wait_for_before_the_interviewer_submits(
    session: Session,
) -> None:
    with time_machine.travel(END + timedelta(days=10), tick=False):
        save(session, complete_feedback_data())  # a draft is not shown, ever
        waiting = _candidate_view(session)
        assert not waiting.visible
        assert waiting.visible_at is None
        assert "due by Tuesday 3 March 2026, 11:00 GMT (Europe/London). Submit" in waiting.message
        assert "))" not in waiting.message
        assert "Submit your review meanwhile" in waiting.message

        review(session, now=END + timedelta(days=10))
        waiting = _candidate_view(session)
        assert not waiting.visible
        assert "as soon as it is submitted" in waiting.message


def test_it_keeps_each_side_to_its_own_view(session: Session) -> None:
    with _refusal("not_candidate"):
        feedback_for_candidate(session=session, user=session.interviewer, now=END)
    with _refusal("not_interviewer"):
        feedback_for_interviewer(session=session, user=session.candidate, now=END)


# --- Statuses, reports and ratings --------------------------------------------------------


def test_it_gives_the_session_api_its_statuses_without_queries(
    session: Session, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    loaded = Session.objects.select_related("feedback", "review").get(pk=session.pk)
    with django_assert_num_queries(0):
        assert (feedback_status_for(session=loaded), review_status_for(session=loaded)) == (
            "none",
            "none",
        )

    save(session, {"level": "mid"})
    review(session)
    loaded = Session.objects.select_related("feedback", "review").get(pk=session.pk)
    assert (feedback_status_for(session=loaded), review_status_for(session=loaded)) == (
        "draft",
        "submitted",
    )
    submit_feedback(session=session, by=session.interviewer, data=complete_feedback_data(), now=END)
    loaded = Session.objects.select_related("feedback").get(pk=session.pk)
    assert feedback_status_for(session=loaded) == "submitted"


def test_it_reports_each_phase_beside_the_self_assessment(session: Session) -> None:
    data = complete_feedback_data(score=2)
    ids = criterion_ids()
    data["scores"][str(ids[0])] = 3  # functional spec: 3 and 2, an average of 2.5
    submit_feedback(session=session, by=session.interviewer, data=data, now=END)
    given = review(session, review_body(self_score=3))

    state = feedback_for_interviewer(session=session, user=session.interviewer, now=END)
    phases = report_phases(state=state, review=given)

    assert [phase.slug for phase in phases] == list(PHASE_SLUGS)
    functional = phases[0]
    assert [item.score for item in functional.criteria] == [3, 2]
    assert functional.criteria[0].level_text == functional.criteria[0].criterion.level_3
    assert (functional.average, functional.self_score) == (2.5, 3)
    assert candidate_calibration(average=functional.average, self_score=functional.self_score) == (
        "Your interviewer's 2.5 is 0.5 lower than your own 3."
    )
    assert (functional.prodding, functional.prodding_label) == ("some", "Some")
    assert functional.notes == "Notes on functional-spec."


def _reviewed(interviewer: User, ratings: list[int]) -> None:
    for day, rating in enumerate(ratings):
        held = SessionFactory.create(
            interviewer=interviewer,
            start=START + timedelta(days=day),
            end=END + timedelta(days=day),
        )
        review(held, review_body(rating=rating), now=held.end)


def test_it_rates_interviewers_with_a_bayesian_average_in_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    rated, lucky, newcomer = (InterviewerProfileFactory.create().user for _ in range(3))
    _reviewed(rated, [5, 4, 3, 5, 5, 4, 5, 5, 4, 5])
    _reviewed(lucky, [5])

    with django_assert_num_queries(1):
        ratings = interviewer_ratings(interviewer_ids=[rated.pk, lucky.pk, newcomer.pk])

    assert (ratings[rated.pk].count, ratings[rated.pk].mean) == (10, pytest.approx(4.5))
    # The prior counts as 5 reviews of 4 stars: one 5-star review does not top the list.
    assert ratings[rated.pk].bayesian == pytest.approx((5 * 4.0 + 45) / 15)
    assert ratings[lucky.pk].bayesian == pytest.approx((5 * 4.0 + 5) / 6)
    assert ratings[lucky.pk].bayesian < ratings[rated.pk].bayesian
    assert (ratings[newcomer.pk].count, ratings[newcomer.pk].mean) == (0, None)
    assert ratings[newcomer.pk].bayesian == PRIOR_MEAN == 4.0
    # The same formula as matching's ranking.
    assert ratings[rated.pk].bayesian == bayesian_rating(count=10, mean=4.5)


def test_it_keeps_the_profile_totals_equal_to_the_reviews() -> None:
    interviewers = [InterviewerProfileFactory.create().user for _ in range(3)]
    for interviewer, ratings in zip(interviewers, [[1, 2, 5], [4], []], strict=True):
        _reviewed(interviewer, ratings)
    unprofiled = SessionFactory.create(start=START, end=END)  # no interviewer profile: no totals
    review(unprofiled)

    summed = {
        row["session__interviewer_id"]: (row["count"], row["stars"])
        for row in Review.objects.values("session__interviewer_id").annotate(
            count=Count("pk"), stars=Sum("rating")
        )
    }
    ratings = interviewer_ratings(interviewer_ids=[user.pk for user in interviewers])
    for user in interviewers:
        count, stars = summed.get(user.pk, (0, 0))
        assert ratings[user.pk].count == count
        assert ratings[user.pk].mean == (stars / count if count else None)


# --- The next step, for the sessions list ---------------------------------------------------

STEP_END = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("as_interviewer", "submitted", "draft", "reviewed", "after", "text", "link"),
    [
        (True, False, False, False, timedelta(hours=1), "Feedback to write", "feedback"),
        (True, False, True, False, timedelta(hours=23), "Draft saved", "feedback"),
        (True, False, True, False, timedelta(hours=25), "Feedback overdue", "feedback"),
        (True, True, True, False, timedelta(hours=25), "Feedback submitted", "report"),
        (False, False, False, False, timedelta(hours=1), "Review your interviewer", "review"),
        (
            False,
            False,
            False,
            True,
            timedelta(hours=30),
            "Waiting for your interviewer's feedback",
            "",
        ),
        (False, True, True, False, timedelta(hours=2), "Review your interviewer", "review"),
        (False, True, True, True, timedelta(hours=2), "Report ready", "report"),
        # 72 hours after the interviewer submitted, the report opens without the review.
        (False, True, True, False, timedelta(hours=73), "Report ready", "report"),
    ],
)
def test_it_names_the_next_feedback_step(
    as_interviewer: bool,
    submitted: bool,
    draft: bool,
    reviewed: bool,
    after: timedelta,
    text: str,
    link: str,
) -> None:
    step = feedback_step(
        as_interviewer=as_interviewer,
        session_end=STEP_END,
        feedback_submitted_at=STEP_END if submitted else None,
        has_draft=draft,
        review_submitted=reviewed,
        now=STEP_END + after,
    )

    assert (step.text, step.link) == (text, link)
    assert step.overdue == (text == "Feedback overdue")
