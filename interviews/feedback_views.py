"""Feedback pages: the interviewer's form, the candidate's review, and the report.

The form is a stepper over the five rubric phases, then "Overall", then "Submit". One
form per step posts to the page's own URL:
- with htmx and no `go`, it is an autosave (on every change, and 800 ms after typing
  stops) answered only by out-of-band fragments: the "Saved at" status, the new revision
  and the alert;
- with a `go` (the step links, "Save and continue") it saves, then answers the `step`
  fragment of the step asked for, swapped in place;
- without JavaScript it saves and redirects to that step (post/redirect/get).
Every save sends the revision the page was rendered with; a save from a stale tab is
refused by the service and the page says so in an alert, keeping what was typed and
leaving the stored draft alone. htmx answers are 200 even when refused, because htmx
does not swap other statuses.

Choices where the spec is silent:
- The candidate asking for the form, or the interviewer for the review page, gets a 403:
  the session is theirs, so nothing leaks, but the page is not for them. Anyone else
  gets the usual 404.
- The report is the interviewer's too once they have submitted (their scores beside the
  candidate's self-assessment); it never shows the candidate's rating of the interviewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import push_url

from accounts.access import signed_in_user
from accounts.models import User
from config.errors import DomainError
from config.htmx import HtmxHttpRequest
from interviews import feedback as service
from interviews import feedback_input
from interviews import report_presenter as presenter
from interviews.briefs import candidate_brief
from interviews.feedback import FeedbackState, PhaseEntry
from interviews.models import (
    DEFAULT_SESSION_MINUTES,
    Criterion,
    LevelShown,
    Prodding,
    Recommendation,
    Review,
    Session,
)
from interviews.rubrics import PHASE_BY_SLUG, PHASES, SCORE_MEANINGS
from interviews.selectors import get_session_for_user

FORM_TEMPLATE = "interviews/feedback.html"
REVIEW_TEMPLATE = "interviews/review.html"
REPORT_TEMPLATE = "interviews/report.html"

OVERALL = "overall"
SUBMIT = "submit"
STEP_NAMES: dict[str, str] = {
    **{phase.slug: phase.name for phase in PHASES},
    OVERALL: "Overall",
    SUBMIT: "Submit",
}
STEP_ORDER: list[str] = list(STEP_NAMES)

OVERALL_CHOICES = (
    ("recommendation", "Recommendation", Recommendation.choices),
    ("level", "Level demonstrated", LevelShown.choices),
)
OVERALL_TEXTS = (
    ("strengths", "Top strengths"),
    ("improvements", "The most important things to improve"),
)
RATING_CHOICES = [
    ("1", "1 · poor"),
    ("2", "2 · below what I hoped for"),
    ("3", "3 · fine"),
    ("4", "4 · good"),
    ("5", "5 · excellent"),
]


# --- The interviewer's form ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feedback_form(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    session = _session_for(user, session_id, side="interviewer")
    if request.method == "GET":
        step = _step(request.GET.get("step", ""))
        state = service.feedback_for_interviewer(session=session, user=user)
        page = _FormPage(state=state, user=user, step=step)
        template = f"{FORM_TEMPLATE}#step" if request.htmx else FORM_TEMPLATE
        return render(request, template, page.context())

    step = _step(request.POST.get("step", ""))
    go = request.POST.get("go", "")
    autosave = bool(request.htmx) and not go
    data = _posted_feedback(request.POST)
    revision = _revision(request.POST.get("revision", ""))
    refusal: DomainError | ValidationError | None = None
    saved_at: datetime | None = None
    if data:
        try:
            saved = service.save_feedback_draft(
                session=session, by=user, data=data, revision=revision
            )
        except (DomainError, ValidationError) as error:
            refusal = error
        else:
            revision, saved_at = saved.revision, saved.updated_at

    if autosave:
        if not data:
            return HttpResponse("")
        ctx = {
            "oob": True,
            "revision": revision,
            "saved_ok": refusal is None,
            "saved_at": saved_at,
            **_refusal_context(refusal),
        }
        html = "".join(
            render_to_string(f"{FORM_TEMPLATE}#{name}", ctx, request=request)
            for name in ("alert", "revision", "save-status")
        )
        return HttpResponse(html)

    if refusal is None:
        target = _step(go) if go else step
        if not request.htmx:
            return redirect(_step_url(session, target))
        fresh = service.feedback_for_interviewer(session=session, user=user)
        page = _FormPage(state=fresh, user=user, step=target)
        return push_url(
            render(request, f"{FORM_TEMPLATE}#step", page.context()), _step_url(session, target)
        )

    # Refused: the same step again, as typed, with the reason.
    page = _FormPage(
        state=service.feedback_for_interviewer(session=session, user=user),
        user=user,
        step=step,
        posted=data,
        refusal=refusal,
        revision=_revision(request.POST.get("revision", "")),
    )
    if request.htmx:
        return render(request, f"{FORM_TEMPLATE}#step", page.context())
    return render(request, FORM_TEMPLATE, page.context(), status=_status(refusal))


@login_required
@require_POST
def feedback_submit(request: HttpRequest, session_id: int) -> HttpResponse:
    """Submit (a plain POST, htmx or not): the report on success, else the missing items."""
    user = signed_in_user(request)
    session = _session_for(user, session_id, side="interviewer")
    try:
        service.submit_feedback(
            session=session, by=user, revision=_revision(request.POST.get("revision", ""))
        )
    except (DomainError, ValidationError) as refusal:
        # Incomplete: the submit step lists every missing item with a link to its step.
        state = service.feedback_for_interviewer(session=session, user=user)
        conflict = isinstance(refusal, DomainError) and refusal.code == "feedback_conflict"
        page = _FormPage(
            state=state,
            user=user,
            step=SUBMIT,
            refusal=refusal,
            revision=_revision(request.POST.get("revision", "")) if conflict else None,
        )
        return render(request, FORM_TEMPLATE, page.context(), status=_status(refusal))
    messages.success(
        request,
        f"Feedback submitted. It is locked now; {session.candidate.name} sees it once they "
        "have reviewed the session, or 72 hours from now.",
    )
    return redirect("feedback_report", session_id=session.pk)


@dataclass(frozen=True)
class LevelChoice:
    number: int
    text: str


@dataclass(frozen=True)
class CriterionRow:
    id: int
    text: str
    skill_area: str
    levels: list[LevelChoice]
    score: int | None
    chosen: str
    error: str


@dataclass(frozen=True)
class StepLink:
    slug: str
    name: str
    current: bool
    state: str


@dataclass(frozen=True)
class MissingItem:
    step: str
    step_name: str
    anchor: str
    text: str


@dataclass
class StepView:
    slug: str
    name: str
    kind: str  # "phase", "overall" or "submit"
    next: str
    minutes: int | None = None
    criteria: list[CriterionRow] = field(default_factory=list)
    prodding: str = ""
    prodding_label: str = ""
    notes: str = ""
    prodding_error: str = ""
    notes_error: str = ""


@dataclass
class _FormPage:
    """The form's context: the stored feedback, overlaid with what a refused save posted."""

    state: FeedbackState
    user: User
    step: str
    posted: dict[str, Any] | None = None
    refusal: DomainError | ValidationError | None = None
    revision: int | None = None

    def context(self) -> dict[str, Any]:
        state = self.state
        scores, phases, overall = self._values()
        errors = _field_errors(self.refusal)
        ctx: dict[str, Any] = {
            "session": state.session,
            "rubric_version": state.rubric.number,
            "locked": state.status == "submitted",
            "submitted_at": state.submitted_at,
            "due_at": state.due_at,
            "overdue": state.overdue,
            "closed_reason": _closed_reason(state, self.user),
            "revision": state.revision if self.revision is None else self.revision,
            # Nothing is saved from the submit step: a refused submit is no failed save.
            "saved_ok": self.refusal is None or self.step == SUBMIT,
            "saved_at": state.updated_at,
            "steps": [
                StepLink(slug, name, slug == self.step, _step_state(slug, state))
                for slug, name in STEP_NAMES.items()
            ],
            "step": self._step_view(scores, phases, errors),
            "prodding_choices": Prodding.choices,
            "overall_choices": [
                {
                    "name": name,
                    "label": label,
                    "choices": choices,
                    "value": overall.get(name, ""),
                    "chosen": dict(choices).get(overall.get(name, ""), ""),
                    "error": errors.get(name, ""),
                }
                for name, label, choices in OVERALL_CHOICES
            ],
            "overall_texts": [
                {
                    "name": name,
                    "label": label,
                    "value": overall.get(name, ""),
                    "error": errors.get(name, ""),
                }
                for name, label in OVERALL_TEXTS
            ],
            "missing": _missing(state) if self.step == SUBMIT else [],
            # Beside the "level demonstrated" question: what the candidate aims for.
            "brief": (
                candidate_brief(candidate=state.session.candidate, now=timezone.now())
                if self.step == OVERALL
                else None
            ),
            **_refusal_context(self.refusal),
        }
        return ctx

    def _values(self) -> tuple[dict[int, int], dict[str, PhaseEntry], dict[str, str]]:
        state = self.state
        scores = dict(state.scores)
        phases = dict(state.phases)
        overall = {
            "recommendation": state.recommendation,
            "level": state.level,
            "strengths": state.strengths,
            "improvements": state.improvements,
        }
        posted = self.posted or {}
        for key, value in posted.get("scores", {}).items():
            # A refused save may have posted anything: show back only what reads as a score.
            criterion_id = feedback_input.clean_criterion_id(key)
            score = feedback_input.clean_score(value)
            if criterion_id is not None and score is not None:
                scores[criterion_id] = score
        for slug, given in posted.get("phases", {}).items():
            entry = phases.get(slug, PhaseEntry())
            prodding = given.get("prodding", entry.prodding)
            # As with scores: a refused value is not shown back as if it were chosen.
            if prodding not in Prodding.values:
                prodding = ""
            phases[slug] = PhaseEntry(prodding, given.get("notes", entry.notes))
        overall.update({name: posted[name] for name in overall if name in posted})
        return scores, phases, overall

    def _step_view(
        self, scores: dict[int, int], phases: dict[str, PhaseEntry], errors: dict[str, str]
    ) -> StepView:
        slug = self.step
        index = STEP_ORDER.index(slug)
        following = STEP_ORDER[min(index + 1, len(STEP_ORDER) - 1)]
        if slug == OVERALL:
            return StepView(slug, STEP_NAMES[slug], "overall", following)
        if slug == SUBMIT:
            return StepView(slug, "Check and submit", "submit", following)
        phase = PHASE_BY_SLUG[slug]
        entry = phases.get(slug, PhaseEntry())
        length = int(self.state.session.duration.total_seconds() // 60)
        return StepView(
            slug=slug,
            name=phase.name,
            kind="phase",
            next=following,
            minutes=(
                round(phase.minutes * length / DEFAULT_SESSION_MINUTES) if phase.minutes else None
            ),
            criteria=[
                _criterion_row(criterion, scores.get(criterion.pk), errors)
                for criterion in self.state.criteria
                if criterion.phase == slug
            ],
            prodding=entry.prodding,
            prodding_label=Prodding(entry.prodding).label if entry.prodding else "",
            notes=entry.notes,
            prodding_error=errors.get(f"phases.{slug}.prodding", ""),
            notes_error=errors.get(f"phases.{slug}.notes", ""),
        )


def _criterion_row(criterion: Criterion, score: int | None, errors: dict[str, str]) -> CriterionRow:
    levels = criterion.levels
    return CriterionRow(
        id=criterion.pk,
        text=criterion.text,
        skill_area=criterion.skill_area.name,
        levels=[LevelChoice(number, text) for number, text in levels.items()],
        score=score,
        chosen=levels.get(score, "") if score else "",
        error=errors.get(f"scores.{criterion.pk}", ""),
    )


def _step_state(slug: str, state: FeedbackState) -> str:
    """What the stepper says beside a step: text, so it is not told by colour alone."""
    if slug == SUBMIT:
        return "submitted" if state.status == "submitted" else ""
    if slug == OVERALL:
        given = [state.recommendation, state.level, state.strengths, state.improvements]
        return "done" if all(value.strip() for value in given) else ""
    criteria = [criterion for criterion in state.criteria if criterion.phase == slug]
    scored = sum(1 for criterion in criteria if criterion.pk in state.scores)
    if scored == len(criteria) and state.phases.get(slug, PhaseEntry()).prodding:
        return "done"
    return f"{scored} of {len(criteria)} scored" if scored else ""


def _missing(state: FeedbackState) -> list[MissingItem]:
    """Every item submitting still needs, each with the step (and the spot) to fix it at."""
    by_id = {criterion.pk: criterion for criterion in state.criteria}
    items = []
    for key, texts in state.missing.items():
        # Each item is shown under its step's name, so a phase's items leave out the phase
        # that the API's messages name (they have no step to stand under).
        text = " ".join(texts)
        if key.startswith("scores."):
            criterion = by_id.get(int(key.split(".")[1]))
            step, anchor = criterion.phase if criterion else OVERALL, f"criterion-{key[7:]}"
            text = f"Score “{criterion.text}”." if criterion else text
        elif key.startswith("phases."):
            step = key.split(".")[1]
            anchor, text = f"prodding-{step}", "Say how much prodding it needed."
        else:
            step, anchor = OVERALL, f"field-{key}"
        items.append(MissingItem(step, STEP_NAMES.get(step, ""), anchor, text))
    return items


def _posted_feedback(post: QueryDict) -> dict[str, Any]:
    """SPEC §10's feedback shape from the form: only the parts this step's form sent.

    Radios left unchosen send nothing, so they leave what was saved alone.
    """
    data: dict[str, Any] = {}
    scores: dict[str, str] = {}
    phases: dict[str, dict[str, str]] = {}
    for key in post:
        kind, _, name = key.partition("-")
        if kind == "score" and name:
            scores[name] = post.get(key, "")
        elif kind in ("prodding", "notes") and name in PHASE_BY_SLUG:
            phases.setdefault(name, {})[kind] = post.get(key, "")
    if scores:
        data["scores"] = scores
    if phases:
        data["phases"] = phases
    for name in ("recommendation", "level", "strengths", "improvements"):
        if name in post:
            data[name] = post[name]
    return data


def _field_errors(refusal: DomainError | ValidationError | None) -> dict[str, str]:
    if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
        return {name: " ".join(texts) for name, texts in refusal.message_dict.items()}
    if isinstance(refusal, DomainError):
        return {name: " ".join(texts) for name, texts in refusal.fields.items()}
    return {}


def _refusal_context(refusal: DomainError | ValidationError | None) -> dict[str, Any]:
    if refusal is None:
        return {"alert": "", "conflict": False}
    if isinstance(refusal, DomainError):
        return {"alert": refusal.message, "conflict": refusal.code == "feedback_conflict"}
    return {
        "alert": "Not saved: " + " ".join(refusal.messages),
        "conflict": False,
    }


def _closed_reason(state: FeedbackState, user: User) -> str:
    session = state.session
    if state.is_open or state.status == "submitted":
        return ""
    return service.not_open_reason(session=session, now=timezone.now(), user=user, what="feedback")


def _step(raw: str) -> str:
    return raw if raw in STEP_NAMES else STEP_ORDER[0]


def _step_url(session: Session, step: str) -> str:
    return reverse("feedback_form", args=[session.pk]) + "?" + urlencode({"step": step})


def _revision(raw: str) -> int:
    # A page always sends one. An absent or garbled one counts as 0, the revision of a page
    # rendered before the first save, so it cannot skip the two-tab check.
    try:
        return feedback_input.parse_revision(raw) or 0
    except ValidationError:
        return 0


def _status(refusal: DomainError | ValidationError) -> int:
    return refusal.status if isinstance(refusal, DomainError) else 400


# --- The candidate's review ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    session = _session_for(user, session_id, side="candidate")
    now = timezone.now()
    existing = service.get_review(session=session)
    posted = request.POST if request.method == "POST" else QueryDict()
    errors: dict[str, str] = {}
    closed = ""
    status = 200
    # Once the feedback is revealed the form no longer asks for a self-assessment; one
    # posted from a form shown before the reveal is refused by the service, by name.
    asks_self = service.self_assessment_open(
        feedback_submitted_at=service.feedback_submitted_at(session=session), now=now
    )
    if existing is None and not service.feedback_is_open(session=session, now=now):
        closed = _review_closed_reason(session, user)
    elif request.method == "POST" and existing is None:
        try:
            service.submit_review(session=session, by=user, data=_posted_review(posted), now=now)
        except ValidationError as error:
            errors = _review_errors(error)
            status = 400
        except DomainError as error:
            closed, status = error.message, error.status
        else:
            messages.success(request, "Thank you: your review is in.")
            return redirect("feedback_report", session_id=session.pk)
    ctx = {
        "session": session,
        "review": existing,
        "closed_reason": closed,
        "asks_self": asks_self,
        "choice_fields": _review_fields(session, posted, errors),
        "comment": posted.get("comment", ""),
        "comment_error": errors.get("comment", ""),
        "share_comment": posted.get("share_comment") == "yes",
        "errors": [
            {"anchor": f"field-{name}", "label": label, "message": errors[name]}
            for name, label in _review_labels(session).items()
            if name in errors
        ],
    }
    return render(request, REVIEW_TEMPLATE, ctx, status=status)


def _review_labels(session: Session) -> dict[str, str]:
    return {
        "rating": f"How was {session.interviewer.name} as an interviewer?",
        "would_practise_again": f"Would you practise with {session.interviewer.name} again?",
        "comment": "Comment",
        "share_comment": "Share my comment",
        "self_assessment": "Your own performance",
        **{f"self-{phase.slug}": phase.name for phase in PHASES},
    }


def _review_help(name: str) -> str:
    slug = name.removeprefix("self-")
    return PHASE_BY_SLUG[slug].about if slug in PHASE_BY_SLUG else ""


def _review_fields(
    session: Session, posted: QueryDict, errors: dict[str, str]
) -> list[dict[str, Any]]:
    labels = _review_labels(session)
    scale = [(str(number), f"{number} · {meaning}") for number, meaning in SCORE_MEANINGS.items()]
    fields = [
        ("interviewer", "rating", RATING_CHOICES),
        ("interviewer", "would_practise_again", [("yes", "Yes"), ("no", "No")]),
        *(("self", f"self-{phase.slug}", scale) for phase in PHASES),
    ]
    return [
        {
            "section": section,
            "name": name,
            "label": labels[name],
            "help": _review_help(name),
            "choices": choices,
            "value": posted.get(name, ""),
            "error": errors.get(name, ""),
        }
        for section, name, choices in fields
    ]


def _posted_review(post: QueryDict) -> dict[str, Any]:
    """SPEC §10's review shape from the form; an unanswered question is sent as missing."""
    return {
        "rating": post.get("rating"),
        "comment": post.get("comment", ""),
        "would_practise_again": post.get("would_practise_again"),
        # An unticked checkbox is not posted at all: that is a no.
        "share_comment": post.get("share_comment", "no"),
        "self_assessment": {
            phase.slug: post[f"self-{phase.slug}"]
            for phase in PHASES
            if f"self-{phase.slug}" in post
        },
    }


def _review_errors(error: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, texts in error.message_dict.items():
        prefix, _, slug = name.partition(".")
        if prefix == "self_assessment" and slug in PHASE_BY_SLUG:
            # Shown under the phase's name, which the service's message repeats.
            errors[f"self-{slug}"] = "Choose a score."
        else:
            errors[f"self-{slug}" if prefix == "self_assessment" and slug else name] = " ".join(
                texts
            )
    return errors


def _review_closed_reason(session: Session, user: User) -> str:
    return service.not_open_reason(session=session, now=timezone.now(), user=user, what="review")


# --- The report ----------------------------------------------------------------------------


@login_required
def report(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user=user, session_id=session_id)
    now = timezone.now()
    is_interviewer = user.pk == session.interviewer_id
    ctx: dict[str, Any] = {"session": session, "is_interviewer": is_interviewer, "report": None}
    state: FeedbackState | None
    review: Review | None
    if is_interviewer:
        state = service.feedback_for_interviewer(session=session, user=user, now=now)
        review = service.get_review(session=session) if state.status == "submitted" else None
        if state.status != "submitted":
            state = None
    else:
        view = service.feedback_for_candidate(session=session, user=user, now=now)
        state, review = view.state, view.review
        ctx |= {
            "message": view.message,
            "visible_at": view.visible_at,
            "reviewed": review is not None,
            "can_review": service.feedback_is_open(session=session, now=now),
        }
    if state is not None:
        missed = service.self_assessment_missed(
            feedback_submitted_at=state.submitted_at, review=review, now=now
        )
        ctx["report"] = presenter.report(
            state, review, is_interviewer=is_interviewer, missed=missed
        )
    return render(request, REPORT_TEMPLATE, ctx)


# --- Helpers -------------------------------------------------------------------------------


def _session_for(user: User, session_id: int, *, side: str) -> Session:
    session = get_session_for_user(user=user, session_id=session_id)
    own = session.interviewer_id if side == "interviewer" else session.candidate_id
    if user.pk != own:
        raise PermissionDenied
    return session
