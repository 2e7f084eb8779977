"""Input that once answered 500 on the pages (issue 10, finding 2): now the form with the error.

NUL bytes only fail on PostgreSQL (SQLite stores them), so run these there too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from interviews.booking import book_session
from interviews.feedback import save_feedback_draft
from interviews.models import Criterion, Feedback, Review, Session
from interviews.rubrics import get_current_rubric, rubric_criteria
from tests.factories import (
    NOW,
    TOMORROW_10,
    SessionFactory,
    approved_interviewer,
    candidate_user,
    review_body,
)

pytestmark = pytest.mark.django_db

NUL = "before\x00after"
HUGE = "1" * 5_000
SUPERSCRIPT_TWO = "²"
LATE = "9999-12-31T23:00:00Z"
EARLY = "0001-01-01T00:00:00+01:00"


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The interviewer's feedback form --------------------------------------------------------


@pytest.fixture
def held() -> Iterator[Session]:
    """A session that has started, with a draft the interviewer saved earlier."""
    start = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    session = SessionFactory.create(start=start, end=start + timedelta(hours=1))
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        save_feedback_draft(
            session=session,
            by=session.interviewer,
            revision=0,
            data={
                "scores": {str(_first().pk): 2},
                "phases": {"functional-spec": {"notes": "Kept notes."}},
                "strengths": "Kept strengths.",
                "improvements": "Kept improvements.",
            },
        )
        yield session


def _first() -> Criterion:
    return rubric_criteria(get_current_rubric())[0]


def _assert_draft_kept(session: Session) -> None:
    feedback = Feedback.objects.get(session=session)
    assert feedback.revision == 1
    assert (feedback.strengths, feedback.improvements) == ("Kept strengths.", "Kept improvements.")
    assert feedback.phase_notes.get(phase="functional-spec").notes == "Kept notes."
    assert feedback.scores.get().score == 2


@pytest.mark.parametrize(
    ("step", "posted", "invalid_id"),
    [
        ("overall", {"strengths": NUL}, "strengths"),
        ("overall", {"improvements": NUL}, "improvements"),
        ("functional-spec", {"notes-functional-spec": NUL}, "notes-functional-spec"),
        ("functional-spec", {"score-{criterion}": SUPERSCRIPT_TWO}, "criterion-{criterion}"),
        ("functional-spec", {"score-{criterion}": HUGE}, "criterion-{criterion}"),
        ("functional-spec", {"score-abc": "3"}, None),
        ("functional-spec", {f"score-{SUPERSCRIPT_TWO}": "3"}, None),
        ("functional-spec", {f"score-{HUGE}": "3"}, None),
    ],
)
def test_it_shows_the_form_again_with_the_error_by_the_field(
    held: Session, step: str, posted: dict[str, str], invalid_id: str | None
) -> None:
    criterion = str(_first().pk)
    data = {
        "step": step,
        "revision": "1",
        **{key.replace("{criterion}", criterion): value for key, value in posted.items()},
    }

    # As a browser posts a form: the test client's multipart limits the size of a name.
    response = _as(held.interviewer).post(
        f"/sessions/{held.pk}/feedback/",
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Not saved:" in page
    if invalid_id is not None:
        assert f'id="{invalid_id.replace("{criterion}", criterion)}"' in page
        element = page.split(f'id="{invalid_id.replace("{criterion}", criterion)}"')[1]
        assert element.split(">")[0].count('aria-invalid="true"') == 1
    _assert_draft_kept(held)


@pytest.mark.parametrize("revision", [SUPERSCRIPT_TWO, HUGE])
@pytest.mark.parametrize("path", ["feedback/", "feedback/submit/"])
def test_it_reads_a_garbled_revision_as_a_stale_page(
    held: Session, path: str, revision: str
) -> None:
    data = {"step": "overall", "revision": revision, "strengths": "Overwritten?"}

    response = _as(held.interviewer).post(f"/sessions/{held.pk}/{path}", data)

    assert response.status_code == 409
    _assert_draft_kept(held)


# --- The candidate's review -----------------------------------------------------------------


def _review_post(**change: str) -> dict[str, str]:
    body = review_body()
    posted = {
        "rating": str(body["rating"]),
        "comment": body["comment"],
        "would_practise_again": "yes",
        **{f"self-{slug}": str(score) for slug, score in body["self_assessment"].items()},
    }
    return posted | change


@pytest.mark.parametrize(
    ("change", "error_id"),
    [
        ({"comment": NUL}, "comment-error"),
        ({"rating": SUPERSCRIPT_TWO}, "field-rating"),
        ({"rating": HUGE}, "field-rating"),
        ({"self-going-deep": SUPERSCRIPT_TWO}, "field-self-going-deep"),
    ],
)
def test_it_shows_the_review_again_with_the_error_by_the_field(
    held: Session, change: dict[str, str], error_id: str
) -> None:
    response = _as(held.candidate).post(f"/sessions/{held.pk}/review/", _review_post(**change))

    page = response.content.decode()
    assert response.status_code == 400
    assert f'href="#{error_id}"' in page or f'id="{error_id}"' in page
    assert not Review.objects.exists()


# --- Finding an interviewer and booking ------------------------------------------------------


@pytest.fixture
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"start": "9999-12-31", "end": "9999-12-31"}, ["start", "end"]),
        ({"start": "2026-03-22", "end": "9999-12-31"}, ["end"]),
        ({"start": "9999-12-31"}, ["start", "end"]),
        ({"start": "0001-01-01", "end": "2026-03-28"}, ["start"]),
    ],
)
def test_it_shows_find_form_errors_for_dates_at_the_edges(
    params: dict[str, str], fields: list[str]
) -> None:
    response = _as(candidate_user()).get("/find/", params)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == fields


def _book_url(**query: Any) -> str:
    return "/sessions/new/?" + urlencode(query)


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({"start": LATE}, "Start"),
        ({"start": EARLY}, "Start"),
        ({"start": "9999-12-31T23:59:59+00:00"}, "Start"),
        ({"start": TOMORROW_10.isoformat(), "length": SUPERSCRIPT_TWO}, "Length in minutes"),
        ({"start": TOMORROW_10.isoformat(), "length": HUGE}, "Length in minutes"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_names_what_is_wrong_with_a_booking_link(
    method: str, query: dict[str, str], label: str
) -> None:
    interviewer = approved_interviewer()

    response = getattr(_as(candidate_user()), method)(
        _book_url(interviewer=interviewer.pk, **query)
    )

    assert response.status_code == 400
    assert f"{label}:" in response.context["error"]
    assert "Confirm booking</button>" not in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize("interviewer", [SUPERSCRIPT_TWO, HUGE])
def test_it_answers_404_for_a_booking_link_without_a_real_interviewer(interviewer: str) -> None:
    response = _as(candidate_user()).get(
        _book_url(interviewer=interviewer, start=TOMORROW_10.isoformat())
    )

    assert response.status_code == 404


@pytest.mark.usefixtures("_frozen")
@pytest.mark.parametrize("start", [LATE, EARLY])
def test_it_refuses_to_reschedule_to_the_edges_of_time(start: str) -> None:
    interviewer, candidate = approved_interviewer(), candidate_user()
    booked = book_session(
        candidate=candidate, interviewer_id=interviewer.pk, start=TOMORROW_10, now=NOW
    )

    response = _as(candidate).post(f"/sessions/{booked.pk}/reschedule/", {"start": start})

    assert response.status_code == 404
    assert Session.objects.get().start == TOMORROW_10


def test_it_answers_a_form_over_the_upload_limit_with_a_page_that_says_so(
    held: Session, settings: Any
) -> None:
    settings.DEBUG = False
    client = _as(held.interviewer)
    client.raise_request_exception = False

    response = client.post(
        f"/sessions/{held.pk}/feedback/", {"strengths": "x" * 3_000_000, "revision": "1"}
    )

    assert response.status_code == 413
    assert b"That was too much to send at once" in response.content
    assert b"at most 2.5 MB" in response.content
    assert Feedback.objects.get(session=held).strengths != "x" * 3_000_000
