"""The feedback pages: the interviewer's stepper with autosave, the review, the report."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from interviews.feedback import save_feedback_draft, submit_review
from interviews.models import Criterion, Feedback, Review, Session, SessionStatus
from interviews.rubrics import get_current_rubric, rubric_criteria
from tests.factories import (
    SessionFactory,
    UserFactory,
    complete_feedback_data,
    review_body,
    submitted_feedback,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]

# Monday 2 March 2026, 11:00 UTC (London is on GMT): the session below ended an hour ago.
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session() -> Session:
    return SessionFactory.create(
        interviewer=UserFactory.create(display_name="Iris Interviewer"),
        candidate=UserFactory.create(display_name="Cato Candidate", time_zone="America/New_York"),
        start=NOW - timedelta(hours=2),
        end=NOW - timedelta(hours=1),
    )


@pytest.fixture
def criteria() -> list[Criterion]:
    return rubric_criteria(get_current_rubric())


def _as(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _url(session: Session, path: str = "feedback") -> str:
    return f"/sessions/{session.pk}/{path}/"


def _in_phase(criteria: list[Criterion], phase: str) -> list[Criterion]:
    return [criterion for criterion in criteria if criterion.phase == phase]


def _phase_post(criteria: list[Criterion], phase: str, **extra: str) -> dict[str, str]:
    return {
        "step": phase,
        **{f"score-{criterion.pk}": "3" for criterion in _in_phase(criteria, phase)},
        f"prodding-{phase}": "some",
        f"notes-{phase}": "Asked good questions about scale.",
        **extra,
    }


def _feedback(session: Session) -> Feedback:
    return Feedback.objects.get(session=session)


# --- Who may open what ---------------------------------------------------------------------------

PAGES = [
    ("get", "feedback"),
    ("post", "feedback"),
    ("post", "feedback/submit"),
    ("get", "review"),
    ("post", "review"),
    ("get", "report"),
]


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_it_answers_404_for_sessions_that_are_not_yours(
    client: Client, session: Session, method: str, path: str
) -> None:
    response = getattr(_as(client, UserFactory.create()), method)(_url(session, path))

    assert response.status_code == 404
    assert "belongs to someone else" in response.content.decode()
    assert not Feedback.objects.exists() and not Review.objects.exists()


@pytest.mark.parametrize(("method", "path"), [("get", "feedback"), ("post", "feedback/submit")])
def test_it_keeps_the_candidate_out_of_the_form(
    client: Client, session: Session, method: str, path: str
) -> None:
    response = getattr(_as(client, session.candidate), method)(_url(session, path))

    assert response.status_code == 403
    assert "This page is not yours to open" in response.content.decode()


def test_it_keeps_the_interviewer_out_of_the_review(client: Client, session: Session) -> None:
    client = _as(client, session.interviewer)

    assert client.get(_url(session, "review")).status_code == 403
    assert client.post(_url(session, "review"), {"rating": "5"}).status_code == 403
    assert not Review.objects.exists()


@pytest.mark.parametrize("path", ["feedback", "review", "report"])
def test_it_sends_strangers_to_log_in(client: Client, session: Session, path: str) -> None:
    response = client.get(_url(session, path))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The interviewer's form ----------------------------------------------------------------------


def test_it_shows_each_criterion_with_its_four_levels_as_the_radio_labels(
    client: Client, session: Session, criteria: list[Criterion]
) -> None:
    page = _as(client, session.interviewer).get(_url(session)).content.decode()

    assert "Feedback for Cato Candidate" in page
    for criterion in _in_phase(criteria, "functional-spec"):
        assert criterion.text in page
        for number, text in criterion.levels.items():
            label = re.search(
                rf'<label><input type="radio" name="score-{criterion.pk}" value="{number}">'
                rf" <span[^>]*>{number}</span> <span>([^<]*)</span></label>",
                page,
            )
            assert label is not None, (criterion.pk, number)
            assert label.group(1) == text.replace("'", "&#x27;").replace('"', "&quot;")
    assert 'aria-current="step"' in page
    assert 'name="revision" id="feedback-revision" value="0"' in page
    assert "Due Tuesday 3 March 2026, 10:00 GMT" in page
    assert "Overdue" not in page
    assert not Feedback.objects.exists()  # GET never writes


def test_it_keeps_the_pages_inside_the_content_security_policy(
    client: Client, session: Session
) -> None:
    submitted_feedback(session, now=NOW)
    responses = [
        _as(Client(), session.interviewer).get(_url(session)),
        _as(Client(), session.interviewer).get(_url(session, "report")),
        _as(Client(), session.candidate).get(_url(session, "review")),
    ]

    for response in responses:
        assert response.status_code == 200
        page = response.content.decode()
        assert "style=" not in page
        assert not re.search(r"<[^>]+\son[a-z]+=", page)  # no inline event handlers
        for script in re.findall(r"<script[^>]*>", page):
            assert "nonce=" in script and "src=" in script


def test_it_says_when_the_form_opens_before_the_session_starts(client: Client) -> None:
    later = SessionFactory.create(start=NOW + timedelta(hours=3), end=NOW + timedelta(hours=4))

    page = _as(client, later.interviewer).get(_url(later)).content.decode()

    assert "The feedback opens when the session starts, Monday 2 March 2026, 14:00" in page
    assert 'id="feedback-form"' not in page


def test_it_has_no_form_for_a_cancelled_session(client: Client, session: Session) -> None:
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)

    page = _as(client, session.interviewer).get(_url(session)).content.decode()

    assert "This session was cancelled: there is no feedback." in page
    assert 'id="feedback-form"' not in page


def test_it_autosaves_and_answers_the_status_and_revision_out_of_band(
    client: Client, session: Session, criteria: list[Criterion]
) -> None:
    client = _as(client, session.interviewer)
    first = _in_phase(criteria, "functional-spec")[0]

    response = client.post(
        _url(session),
        {"step": "functional-spec", "revision": "0", f"score-{first.pk}": "2"},
        **HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert _feedback(session).scores.get().score == 2
    assert _feedback(session).revision == 1
    assert 'id="feedback-revision" value="1" hx-swap-oob="true"' in body
    assert 'id="save-status" role="status" data-saved="true" hx-swap-oob="true"' in body
    assert "Saved at 11:00 GMT" in body
    assert 'id="feedback-alert" role="alert" hx-swap-oob="true"' in body
    assert "<nav" not in body  # only the out-of-band pieces

    notes = client.post(
        _url(session),
        {"step": "functional-spec", "revision": "1", "notes-functional-spec": "Clear scope."},
        **HTMX,
    )

    assert 'value="2"' in notes.content.decode()
    assert _feedback(session).phase_notes.get().notes == "Clear scope."
    assert _feedback(session).scores.get().score == 2  # a partial save merges


def test_it_refuses_a_save_from_a_stale_tab_and_keeps_the_stored_draft(
    client: Client, session: Session, criteria: list[Criterion]
) -> None:
    first = _in_phase(criteria, "functional-spec")[0]
    save_feedback_draft(
        session=session, by=session.interviewer, data={"scores": {str(first.pk): 4}}, revision=0
    )
    save_feedback_draft(
        session=session,
        by=session.interviewer,
        data={"phases": {"functional-spec": {"notes": "From the other tab."}}},
        revision=1,
    )
    stale = {
        "step": "functional-spec",
        "revision": "1",
        f"score-{first.pk}": "1",
        "notes-functional-spec": "Typed in the stale tab.",
    }
    client = _as(client, session.interviewer)

    autosave = client.post(_url(session), stale, **HTMX).content.decode()
    plain = client.post(_url(session), {**stale, "go": "technical-spec"})

    assert 'role="alert"' in autosave
    assert "saved from another tab or window at 11:00 (Europe/London)" in autosave
    assert 'data-saved="false"' in autosave and "Not saved" in autosave
    assert 'value="1" hx-swap-oob="true"' in autosave  # still stale: no silent retry
    assert plain.status_code == 409
    page = plain.content.decode()
    assert "another tab or window" in page
    assert "Typed in the stale tab." in page  # what was typed stays on the page
    assert "Reload this step" in page
    feedback = _feedback(session)
    assert feedback.revision == 2
    assert feedback.scores.get().score == 4
    assert feedback.phase_notes.get().notes == "From the other tab."


def test_it_saves_and_continues_without_javascript(
    client: Client, session: Session, criteria: list[Criterion]
) -> None:
    response = _as(client, session.interviewer).post(
        _url(session), _phase_post(criteria, "functional-spec", revision="0", go="technical-spec")
    )

    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/feedback/?step=technical-spec"
    feedback = _feedback(session)
    assert {score.score for score in feedback.scores.all()} == {3}
    assert feedback.scores.count() == len(_in_phase(criteria, "functional-spec"))
    assert feedback.phase_notes.get().prodding == "some"


def test_it_swaps_in_the_next_step_with_htmx(
    client: Client, session: Session, criteria: list[Criterion]
) -> None:
    response = _as(client, session.interviewer).post(
        _url(session),
        _phase_post(criteria, "functional-spec", revision="0", go="technical-spec"),
        **HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"/sessions/{session.pk}/feedback/?step=technical-spec"
    assert body.lstrip().startswith('<div id="feedback-step">')
    assert '<h2 id="step-heading" tabindex="-1">Technical Spec</h2>' in body
    assert 'id="feedback-revision" value="1"' in body
    assert '1. Functional Spec <span class="step-state">(done)</span>' in body
    for criterion in _in_phase(criteria, "technical-spec"):
        assert f'name="score-{criterion.pk}"' in body


def test_it_finds_the_draft_again_after_a_reload(
    client: Client, session: Session, criteria: list[Criterion]
) -> None:
    client = _as(client, session.interviewer)
    client.post(_url(session), _phase_post(criteria, "functional-spec", revision="0"), **HTMX)

    page = client.get(_url(session) + "?step=functional-spec").content.decode()

    for criterion in _in_phase(criteria, "functional-spec"):
        assert f'name="score-{criterion.pk}" value="3" checked' in page
    assert 'name="prodding-functional-spec" value="some" checked' in page
    assert "Asked good questions about scale.</textarea>" in page
    assert "Saved at 11:00 GMT" in page


def test_it_shows_a_bad_value_beside_its_field(
    client: Client, session: Session, criteria: list[Criterion]
) -> None:
    first = _in_phase(criteria, "functional-spec")[0]

    response = _as(client, session.interviewer).post(
        _url(session),
        {"step": "functional-spec", "revision": "0", f"score-{first.pk}": "9", "go": "overall"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="criterion-{first.pk}" aria-invalid="true"' in page
    assert "Score 1 to 4." in page
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("prodding", ["bogus", "x" * 5000, "some\x00"])
def test_it_shows_a_bad_prodding_value_beside_its_field_and_keeps_the_notes(
    client: Client, session: Session, criteria: list[Criterion], prodding: str
) -> None:
    response = _as(client, session.interviewer).post(
        _url(session),
        {
            "step": "functional-spec",
            "revision": "0",
            "prodding-functional-spec": prodding,
            "notes-functional-spec": "Clarified the read path first.",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Clarified the read path first.</textarea>" in page
    assert 'name="prodding-functional-spec" value="some" checked' not in page
    assert 'id="prodding-functional-spec" aria-invalid="true"' in page
    assert 'id="prodding-functional-spec-error"' in page
    assert not Feedback.objects.exists()


def test_it_lists_every_missing_item_with_a_link_to_its_step(
    client: Client, session: Session, criteria: list[Criterion]
) -> None:
    client = _as(client, session.interviewer)
    client.post(_url(session), _phase_post(criteria, "functional-spec", revision="0"))

    response = client.post(_url(session, "feedback/submit"), {"revision": "1"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "The feedback is incomplete" in page
    for criterion in criteria:
        link = f'href="?step={criterion.phase}#criterion-{criterion.pk}"'
        assert (link in page) is (criterion.phase != "functional-spec"), criterion.text
    assert 'href="?step=technical-spec#prodding-technical-spec"' in page
    assert 'href="?step=functional-spec#prodding-functional-spec"' not in page
    for name in ("recommendation", "level", "strengths", "improvements"):
        assert f'href="?step=overall#field-{name}"' in page
    assert _feedback(session).status == "draft"
    assert client.get(_url(session) + "?step=submit").content.decode().count("<li><a href") == (
        page.count("<li><a href")
    )


def test_it_names_each_phase_once_in_the_missing_items(
    client: Client, session: Session, criteria: list[Criterion]
) -> None:
    client = _as(client, session.interviewer)

    page = html.unescape(
        client.post(_url(session, "feedback/submit"), {"revision": "0"}).content.decode()
    )

    first = next(criterion for criterion in criteria if criterion.phase == "functional-spec")
    assert f"Functional Spec: Score “{first.text}”.</a>" in page
    assert "Functional Spec: Say how much prodding it needed.</a>" in page
    assert "(Functional Spec)" not in page


def test_it_submits_complete_feedback_and_then_shows_it_read_only(
    client: Client, session: Session
) -> None:
    save_feedback_draft(
        session=session, by=session.interviewer, data=complete_feedback_data(), revision=0
    )
    client = _as(client, session.interviewer)
    ready = client.get(_url(session) + "?step=submit").content.decode()

    response = client.post(_url(session, "feedback/submit"), {"revision": "1"}, follow=True)

    assert 'id="ready-to-submit"' in ready
    assert response.redirect_chain[-1][0] == f"/sessions/{session.pk}/report/"
    assert "Feedback submitted" in response.content.decode()
    assert _feedback(session).status == "submitted"
    locked = client.get(_url(session)).content.decode()
    assert 'id="feedback-locked"' in locked
    assert 'type="radio"' not in locked and "<textarea" not in locked
    assert "Submitted Monday 2 March 2026, 11:00 GMT" in locked
    refused = client.post(
        _url(session), {"step": "functional-spec", "revision": "2", "notes-functional-spec": "x"}
    )
    assert refused.status_code == 409
    assert "can no longer change" in refused.content.decode()


def test_it_marks_overdue_feedback_in_words(client: Client, session: Session) -> None:
    client = _as(client, session.interviewer)

    with time_machine.travel(session.end + timedelta(hours=24, minutes=1), tick=False):
        form = client.get(_url(session)).content.decode()
        detail = client.get(f"/sessions/{session.pk}/").content.decode()

    assert '<strong class="overdue-marker" id="overdue">Overdue</strong>' in form
    assert "Overdue" in detail


def test_it_costs_a_fixed_number_of_queries(
    client: Client,
    session: Session,
    criteria: list[Criterion],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    save_feedback_draft(
        session=session, by=session.interviewer, data=complete_feedback_data(), revision=0
    )
    client = _as(client, session.interviewer)

    with django_assert_max_num_queries(9):
        client.get(_url(session) + "?step=going-deep")
    with django_assert_max_num_queries(13):
        client.post(_url(session), _phase_post(criteria, "going-deep", revision="1"), **HTMX)
    with django_assert_max_num_queries(9):
        client.get(_url(session) + "?step=submit")


# --- The candidate's review ----------------------------------------------------------------------


def _review_post(**extra: str) -> dict[str, str]:
    return {
        "rating": "4",
        "would_practise_again": "yes",
        "comment": "Fair and clear.",
        **{
            f"self-{slug}": "3"
            for slug in (
                "functional-spec",
                "technical-spec",
                "going-deep",
                "extra-mile",
                "communication",
            )
        },
        **extra,
    }


def test_it_shows_the_review_with_the_level_wording(client: Client, session: Session) -> None:
    page = _as(client, session.candidate).get(_url(session, "review")).content.decode()

    assert "Review your session with Iris Interviewer" in page
    assert '<input type="radio" name="self-going-deep" value="2"> 2 · partly, with heavy' in page
    assert 'name="rating" value="5"' in page
    assert 'name="would_practise_again" value="no"' in page
    assert '<label for="comment">' in page


def test_it_takes_the_review_once(client: Client, session: Session) -> None:
    client = _as(client, session.candidate)

    response = client.post(_url(session, "review"), _review_post())
    again = client.post(_url(session, "review"), _review_post(rating="1"))

    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/report/"
    review = Review.objects.get()
    assert review.rating == 4 and review.would_practise_again is True
    assert review.self_assessment["going-deep"] == 3
    assert again.status_code == 200
    assert "You reviewed this session" in again.content.decode()
    assert Review.objects.get().rating == 4


def test_it_asks_before_sharing_the_comment_on_the_interviewers_profile(
    client: Client, session: Session
) -> None:
    client = _as(client, session.candidate)
    page = client.get(_url(session, "review")).content.decode()

    client.post(_url(session, "review"), _review_post(share_comment="yes"))

    assert "Share my comment (without my name) on Iris Interviewer's profile" in page
    assert 'name="share_comment" value="yes">' in page  # not ticked for them
    assert Review.objects.get().share_comment is True


def test_it_keeps_the_comment_private_when_the_box_is_left_unticked(
    client: Client, session: Session
) -> None:
    _as(client, session.candidate).post(_url(session, "review"), _review_post())

    assert Review.objects.get().share_comment is False


def test_it_names_every_unanswered_question_and_keeps_the_answers(
    client: Client, session: Session
) -> None:
    body = _review_post(comment="Kept as typed.")
    del body["rating"], body["self-extra-mile"]

    response = _as(client, session.candidate).post(_url(session, "review"), body)

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="field-rating" aria-invalid="true"' in page
    assert 'id="field-self-extra-mile" aria-invalid="true"' in page
    assert 'href="#field-self-extra-mile"' in page
    assert 'name="self-going-deep" value="3" checked' in page
    assert "Kept as typed.</textarea>" in page
    assert not Review.objects.exists()


def test_it_asks_for_a_yes_or_no_in_plain_words(client: Client, session: Session) -> None:
    body = _review_post()
    del body["would_practise_again"], body["self-extra-mile"]

    response = _as(client, session.candidate).post(_url(session, "review"), body)

    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    name = session.interviewer.name
    assert f"Would you practise with {name} again?: Choose yes or no.</a>" in page
    assert "Extra Mile: launch: Choose a score.</a>" in page
    assert "true or false" not in page


def test_it_opens_the_review_at_the_session_start(client: Client) -> None:
    later = SessionFactory.create(start=NOW + timedelta(hours=3), end=NOW + timedelta(hours=4))
    client = _as(client, later.candidate)

    page = client.get(_url(later, "review")).content.decode()
    client.post(_url(later, "review"), _review_post())

    assert "The review opens when the session starts" in page
    assert not Review.objects.exists()


# --- The report ----------------------------------------------------------------------------------


def test_it_hides_the_report_until_the_candidate_reviews(client: Client, session: Session) -> None:
    submitted_feedback(session, now=NOW, score=2)
    client = _as(client, session.candidate)

    hidden = client.get(_url(session, "report")).content.decode()
    client.post(_url(session, "review"), _review_post())
    shown = html.unescape(client.get(_url(session, "report")).content.decode())

    assert "Submit your review to see it now, or it opens on Thursday 5 March 2026, 06:00" in hidden
    assert 'id="review-invite"' in hidden
    assert "Notes on going-deep." not in hidden and "Strong no hire" not in hidden
    assert "Notes on going-deep." in shown
    assert "Your interviewer's 2.0 is 1.0 lower than your own 3." in shown
    assert (
        """<td data-label="Interviewer's average">2.0</td><td data-label="Your own">3</td>"""
        '<td data-label="Gap">+1.0: you scored higher</td>'
    ) in shown
    assert '<dd id="report-recommendation">Hire</dd>' in shown
    assert '<dd id="report-level">Senior</dd>' in shown
    assert "2 of 4" in shown
    assert "Fair and clear." not in shown  # the rating of the interviewer stays private


def test_it_reveals_the_report_72_hours_after_the_interviewer_submits(
    client: Client, session: Session
) -> None:
    submitted_feedback(session, now=NOW)
    client = _as(client, session.candidate)

    with time_machine.travel(NOW + timedelta(hours=71, minutes=59), tick=False):
        before = client.get(_url(session, "report")).content.decode()
    with time_machine.travel(NOW + timedelta(hours=72), tick=False):
        after = client.get(_url(session, "report")).content.decode()

    assert 'id="report-hidden"' in before
    assert 'id="report-hidden"' not in after
    assert "No comparison: you did not score yourself before the feedback was revealed." in after
    assert "You did not score yourself before the feedback was revealed" in after


def test_it_stops_asking_for_the_self_assessment_at_the_reveal(
    client: Client, session: Session
) -> None:
    submitted_feedback(session, now=NOW)
    client = _as(client, session.candidate)
    rating_only = {"rating": "5", "would_practise_again": "yes", "comment": "Kind."}

    with time_machine.travel(NOW + timedelta(hours=71, minutes=59), tick=False):
        before = client.get(_url(session, "review"))
    with time_machine.travel(NOW + timedelta(hours=72), tick=False):
        after = client.get(_url(session, "review"))
        session_page = client.get(f"/sessions/{session.pk}/").content.decode()
        sent = client.post(_url(session, "review"), rating_only)
        report = html.unescape(client.get(_url(session, "report")).content.decode())
        interviewer_report = html.unescape(
            _as(Client(), session.interviewer).get(_url(session, "report")).content.decode()
        )

    assert before.status_code == 200
    assert 'name="self-going-deep"' in before.content.decode()
    assert 'id="field-self_assessment"' not in before.content.decode()
    page = html.unescape(after.content.decode())
    assert after.status_code == 200
    assert 'name="self-going-deep"' not in page
    assert "feedback is already open to you, so this review only rates them" in page
    assert "the review no longer asks you to score yourself" in session_page
    assert sent.status_code == 302
    review = Review.objects.get()
    assert review.rating == 5
    assert review.self_assessment == {}
    assert "You did not score yourself before the feedback was revealed" in report
    assert (
        """<td data-label="Interviewer's average">3.0</td>"""
        '<td data-label="Your own">not given</td><td data-label="Gap">No self-assessment</td>'
    ) in report
    assert "The candidate did not score themselves before your feedback was revealed" in (
        interviewer_report
    )
    assert "The candidate gave no self-assessment before the feedback was revealed." in (
        interviewer_report
    )


def test_it_refuses_a_self_assessment_posted_after_the_reveal(
    client: Client, session: Session
) -> None:
    # The form was shown before the reveal and sent after it.
    submitted_feedback(session, now=NOW)

    with time_machine.travel(NOW + timedelta(hours=72), tick=False):
        response = _as(client, session.candidate).post(_url(session, "review"), _review_post())

    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert 'href="#field-self_assessment"' in page
    assert "no longer takes a self-assessment" in page
    assert 'name="self-going-deep"' not in page
    assert 'name="rating" value="4" checked' in page
    assert not Review.objects.exists()


def test_it_tells_the_candidate_when_the_interviewer_has_not_submitted(
    client: Client, session: Session
) -> None:
    page = _as(client, session.candidate).get(_url(session, "report")).content.decode()

    assert "has not submitted feedback yet" in page
    assert 'id="review-invite"' in page


def test_it_shows_the_interviewer_the_report_only_after_submitting(
    client: Client, session: Session
) -> None:
    client = _as(client, session.interviewer)
    before = client.get(_url(session, "report")).content.decode()
    submitted_feedback(session, now=NOW)
    submit_review(session=session, by=session.candidate, data=review_body(self_score=4), now=NOW)

    after = client.get(_url(session, "report")).content.decode()

    assert "No report yet" in before
    assert "The candidate scored themselves 4, 1.0 higher than your average 3.0." in after
    assert (
        """<td data-label="Your average">3.0</td><td data-label="Candidate's own">4</td>"""
        '<td data-label="Gap">+1.0: the candidate scored higher</td>'
    ) in after


def test_it_reads_the_report_in_a_fixed_number_of_queries(
    client: Client, session: Session, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    submitted_feedback(session, now=NOW)
    submit_review(session=session, by=session.candidate, data=review_body(), now=NOW)
    client = _as(client, session.candidate)

    with django_assert_max_num_queries(11):
        response = client.get(_url(session, "report"))

    assert response.status_code == 200
    assert 'id="report-overall"' in response.content.decode()


def test_it_prints_the_report_without_navigation_or_buttons() -> None:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    rules = css[css.index("@media print {\n") :]

    assert "@page" in rules
    assert "nav" in rules and "button" in rules
    assert "page-break-inside: avoid" in rules and "break-inside: avoid" in rules


# --- From the session page -----------------------------------------------------------------------


def test_it_links_both_sides_from_the_session_page(client: Client, session: Session) -> None:
    interviewer = _as(Client(), session.interviewer).get(f"/sessions/{session.pk}/")
    candidate = _as(client, session.candidate).get(f"/sessions/{session.pk}/")

    assert f'href="/sessions/{session.pk}/feedback/"' in interviewer.content.decode()
    assert "Write your feedback" in interviewer.content.decode()
    page = candidate.content.decode()
    assert f'href="/sessions/{session.pk}/review/"' in page
    assert f'href="/sessions/{session.pk}/feedback/"' not in page
    assert "has not submitted feedback yet" in page


def test_it_shows_no_feedback_section_before_the_start(client: Client) -> None:
    later = SessionFactory.create(start=NOW + timedelta(hours=3), end=NOW + timedelta(hours=4))

    response = _as(client, later.interviewer).get(f"/sessions/{later.pk}/")

    assert response.status_code == 200
    assert 'id="feedback"' not in response.content.decode()
