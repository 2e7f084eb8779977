"""Feedback and reviews (SPEC §4, §7): drafts, submitting, the candidate's review, the reveal.

The interviewer writes the rubric from the session's start, as drafts saved as they go.
Every save runs in one transaction holding the session's row lock, so two tabs take turns;
each save raises the feedback's `revision`, and a save that names an older revision than
the stored one came from a stale tab: it is refused (409 `feedback_conflict`) rather than
silently overwriting the other tab's work. Submitting checks completeness, naming every
missing item at once, and locks the feedback forever (the database refuses changes too:
triggers in migration 0003).

Choices where the spec is silent:
- Submitting needs every criterion scored, the recommendation, the level shown, the
  prodding of every phase (the study plan weighs it), and the strengths and the things to
  improve (the candidate learns most from these). Phase notes are optional.
- A draft pins the rubric version current at its first save; a version published later
  applies to feedback started later.
- No feedback or review for a cancelled session or a no-show (either side). A session still
  "scheduled" after its end takes feedback: completing it is booking's business, and
  submitting feedback does not change the session.
- Feedback stays writable when overdue (24 hours after the end): late feedback beats none.
  It is only marked overdue.
- A draft save (`data`) merges: what is given replaces what was saved, what is not given
  stays; a score or a prodding of null or "" clears it.
- The candidate's review needs the rating, "would practise again" and a self-assessment
  for all five phases; the comment is optional. It opens at the session's start too.
- Once the feedback is revealed to the candidate (72 hours after the interviewer submitted,
  without a review), the review still rates the interviewer but takes no self-assessment:
  scores given after reading the interviewer's would measure nothing (SPEC §7). One sent
  then is a 400 naming `self_assessment`; the report says none was given before the reveal.
- Reveal (SPEC §7): the candidate sees submitted feedback once they have submitted their
  review, or 72 hours after the interviewer submitted, whichever is first.
- The interviewer's rating is a Bayesian average (`accounts.ratings`), read from running
  totals on the interviewer's profile that each review raises in its own transaction, so
  matching can rank by it in SQL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from accounts.models import InterviewerProfile, User
from config import timefmt
from config.errors import DomainError
from interviews.feedback_input import parse_feedback_data, parse_review_data
from interviews.models import (
    TOOK_PLACE,
    Criterion,
    CriterionScore,
    Feedback,
    FeedbackStatus,
    PhaseNote,
    Prodding,
    Review,
    RubricVersion,
    Session,
)
from interviews.rubrics import (
    PHASE_SLUGS,
    PHASES,
    get_current_rubric,
    get_rubric,
    rubric_criteria,
)

logger = logging.getLogger(__name__)

FEEDBACK_DUE_AFTER = timedelta(hours=24)
REVEAL_AFTER = timedelta(hours=72)


FeedbackStatusName = Literal["none", "draft", "submitted"]
ReviewStatusName = Literal["none", "submitted"]


# --- Pure rules ---------------------------------------------------------------------------


def feedback_due_at(*, session_end: datetime) -> datetime:
    return session_end + FEEDBACK_DUE_AFTER


def is_feedback_overdue(*, session_end: datetime, submitted: bool, now: datetime) -> bool:
    return not submitted and now > feedback_due_at(session_end=session_end)


def feedback_visible_at(
    *, feedback_submitted_at: datetime | None, review_submitted_at: datetime | None
) -> datetime | None:
    """When the candidate sees the feedback: both submitted, or 72 h after the interviewer."""
    if feedback_submitted_at is None:
        return None
    opens = feedback_submitted_at + REVEAL_AFTER
    if review_submitted_at is not None:
        return min(opens, max(feedback_submitted_at, review_submitted_at))
    return opens


def feedback_visible_to_candidate(
    *, feedback_submitted_at: datetime | None, review_submitted: bool, now: datetime
) -> bool:
    if feedback_submitted_at is None:
        return False
    return review_submitted or now >= feedback_submitted_at + REVEAL_AFTER


def self_assessment_open(*, feedback_submitted_at: datetime | None, now: datetime) -> bool:
    """Whether a review sent at `now` may carry a self-assessment: the feedback is still hidden.

    Asked before any review exists, so only the 72-hour reveal can have opened it.
    """
    return not feedback_visible_to_candidate(
        feedback_submitted_at=feedback_submitted_at, review_submitted=False, now=now
    )


def self_assessment_missed(
    *, feedback_submitted_at: datetime | None, review: Review | None, now: datetime
) -> bool:
    """No self-assessment, and none can come any more: the feedback was revealed first."""
    if review is not None and review.self_assessment:
        return False
    return feedback_visible_to_candidate(
        feedback_submitted_at=feedback_submitted_at, review_submitted=review is not None, now=now
    )


@dataclass(frozen=True)
class FeedbackStep:
    """What a session's feedback needs next, from one side, for the sessions list."""

    text: str
    link: str  # "feedback", "review", "report" or "" (nothing to open)
    due_at: datetime | None = None  # the interviewer's deadline, while it matters
    overdue: bool = False


def feedback_step(
    *,
    as_interviewer: bool,
    session_end: datetime,
    feedback_submitted_at: datetime | None,
    has_draft: bool,
    review_submitted: bool,
    now: datetime,
) -> FeedbackStep:
    """The next feedback step for a held session, in words (never colour alone)."""
    due = feedback_due_at(session_end=session_end)
    if as_interviewer:
        if feedback_submitted_at is not None:
            return FeedbackStep("Feedback submitted", "report")
        if now > due:
            return FeedbackStep("Feedback overdue", "feedback", due, overdue=True)
        return FeedbackStep("Draft saved" if has_draft else "Feedback to write", "feedback", due)
    if feedback_visible_to_candidate(
        feedback_submitted_at=feedback_submitted_at, review_submitted=review_submitted, now=now
    ):
        return FeedbackStep("Report ready", "report")
    if not review_submitted:
        return FeedbackStep("Review your interviewer", "review")
    return FeedbackStep("Waiting for your interviewer's feedback", "")


@dataclass(frozen=True)
class PhaseEntry:
    prodding: str = ""
    notes: str = ""


def missing_items(
    *,
    criteria: Iterable[Criterion],
    scores: Mapping[int, int],
    phases: Mapping[str, PhaseEntry],
    recommendation: str,
    level: str,
    strengths: str,
    improvements: str,
) -> dict[str, list[str]]:
    """Everything submitting still needs, each under the field that needs it, in form order."""
    missing: dict[str, list[str]] = {}
    by_phase: dict[str, list[Criterion]] = {slug: [] for slug in PHASE_SLUGS}
    for criterion in criteria:
        by_phase.setdefault(criterion.phase, []).append(criterion)
    for phase in PHASES:
        for criterion in by_phase[phase.slug]:
            if criterion.pk not in scores:
                missing[f"scores.{criterion.pk}"] = [f"Score “{criterion.text}” ({phase.name})."]
        if not phases.get(phase.slug, PhaseEntry()).prodding:
            missing[f"phases.{phase.slug}.prodding"] = [
                f"Say how much prodding {phase.name} needed."
            ]
    if not recommendation:
        missing["recommendation"] = ["Choose a recommendation."]
    if not level:
        missing["level"] = ["Choose the level the candidate showed."]
    if not strengths.strip():
        missing["strengths"] = ["Write the candidate's top strengths."]
    if not improvements.strip():
        missing["improvements"] = ["Write the most important things to improve."]
    return missing


# --- Reading ------------------------------------------------------------------------------


def _local(moment: datetime, user: User) -> str:
    return timefmt.full(moment, user.time_zone)


def feedback_is_open(*, session: Session, now: datetime) -> bool:
    """The interviewer may write feedback (and the candidate a review) from the start."""
    return session.status in TOOK_PLACE and now >= session.start


def get_feedback(*, session: Session) -> Feedback | None:
    """The session's feedback with its scores, notes and pinned rubric (criteria included)."""
    return (
        Feedback.objects.filter(session=session)
        .select_related("rubric")
        .prefetch_related(
            "scores",
            "phase_notes",
            Prefetch("rubric__criteria", queryset=Criterion.objects.select_related("skill_area")),
        )
        .first()
    )


def get_review(*, session: Session) -> Review | None:
    return Review.objects.filter(session=session).first()


def feedback_submitted_at(*, session: Session) -> datetime | None:
    """When the session's feedback was submitted; None while there is none or a draft."""
    return (
        Feedback.objects.filter(session=session, status=FeedbackStatus.SUBMITTED)
        .values_list("submitted_at", flat=True)
        .first()
    )


def feedback_status_for(*, session: Session) -> FeedbackStatusName:
    """For SPEC §10's session: free of queries when the session was loaded with
    `select_related("feedback")`."""
    try:
        feedback = session.feedback
    except Feedback.DoesNotExist:
        return "none"
    return "submitted" if feedback.is_submitted else "draft"


def review_status_for(*, session: Session) -> ReviewStatusName:
    """As `feedback_status_for`, with `select_related("review")`."""
    try:
        session.review  # noqa: B018 - the reverse one-to-one raises when there is none
    except Review.DoesNotExist:
        return "none"
    return "submitted"


@dataclass(frozen=True)
class FeedbackState:
    """Everything the form, the report and the API show of one session's feedback."""

    session: Session
    rubric: RubricVersion  # the pinned version, or the current one before the first save
    criteria: list[Criterion]  # in interview order
    feedback: Feedback | None
    scores: dict[int, int]
    phases: dict[str, PhaseEntry]  # every phase, blank where nothing was saved
    recommendation: str
    level: str
    strengths: str
    improvements: str
    due_at: datetime
    overdue: bool
    is_open: bool  # the session has started and took place

    @property
    def status(self) -> FeedbackStatusName:
        if self.feedback is None:
            return "none"
        return "submitted" if self.feedback.is_submitted else "draft"

    @property
    def revision(self) -> int:
        return self.feedback.revision if self.feedback is not None else 0

    @property
    def submitted_at(self) -> datetime | None:
        return self.feedback.submitted_at if self.feedback is not None else None

    @property
    def updated_at(self) -> datetime | None:
        return self.feedback.updated_at if self.feedback is not None else None

    @property
    def editable(self) -> bool:
        return self.is_open and self.status != "submitted"

    @property
    def missing(self) -> dict[str, list[str]]:
        return missing_items(
            criteria=self.criteria,
            scores=self.scores,
            phases=self.phases,
            recommendation=self.recommendation,
            level=self.level,
            strengths=self.strengths,
            improvements=self.improvements,
        )


def feedback_state(*, session: Session, now: datetime | None = None) -> FeedbackState:
    """The session's feedback as it stands, for whoever may see it (no permission check)."""
    now = now or timezone.now()
    feedback = get_feedback(session=session)
    rubric = feedback.rubric if feedback is not None else get_current_rubric()
    phases = {slug: PhaseEntry() for slug in PHASE_SLUGS}
    scores: dict[int, int] = {}
    if feedback is not None:
        scores = {score.criterion_id: score.score for score in feedback.scores.all()}
        for note in feedback.phase_notes.all():
            phases[note.phase] = PhaseEntry(note.prodding, note.notes)
    submitted = feedback is not None and feedback.is_submitted
    return FeedbackState(
        session=session,
        rubric=rubric,
        criteria=rubric_criteria(rubric),
        feedback=feedback,
        scores=scores,
        phases=phases,
        recommendation=feedback.recommendation if feedback else "",
        level=feedback.level if feedback else "",
        strengths=feedback.strengths if feedback else "",
        improvements=feedback.improvements if feedback else "",
        due_at=feedback_due_at(session_end=session.end),
        overdue=session.status in TOOK_PLACE
        and is_feedback_overdue(session_end=session.end, submitted=submitted, now=now),
        is_open=feedback_is_open(session=session, now=now),
    )


def _require_session_interviewer(session: Session, user: User) -> None:
    if user.pk != session.interviewer_id:
        raise DomainError(
            "Only the session's interviewer writes its feedback.",
            code="not_interviewer",
            status=403,
        )


def _require_candidate(session: Session, user: User) -> None:
    if user.pk != session.candidate_id:
        raise DomainError(
            "Only the session's candidate reviews the interviewer.",
            code="not_candidate",
            status=403,
        )


def feedback_for_interviewer(
    *, session: Session, user: User, now: datetime | None = None
) -> FeedbackState:
    """What the interviewer's form needs; the candidate goes through `feedback_for_candidate`."""
    _require_session_interviewer(session, user)
    return feedback_state(session=session, now=now)


@dataclass(frozen=True)
class CandidateFeedback:
    """The candidate's view: the feedback once revealed, otherwise when and why not yet."""

    visible: bool
    visible_at: datetime | None
    message: str
    state: FeedbackState | None  # only when visible
    review: Review | None


def feedback_for_candidate(
    *, session: Session, user: User, now: datetime | None = None
) -> CandidateFeedback:
    _require_candidate(session, user)
    now = now or timezone.now()
    feedback = Feedback.objects.filter(session=session).first()
    review = get_review(session=session)
    submitted_at = feedback.submitted_at if feedback is not None else None
    visible_at = feedback_visible_at(
        feedback_submitted_at=submitted_at,
        review_submitted_at=review.created_at if review is not None else None,
    )
    if feedback_visible_to_candidate(
        feedback_submitted_at=submitted_at, review_submitted=review is not None, now=now
    ):
        return CandidateFeedback(
            True, visible_at, "", feedback_state(session=session, now=now), review
        )
    if session.status not in TOOK_PLACE:
        message = f"There is no feedback: this session was {session.get_status_display().lower()}."
    elif visible_at is not None:
        message = f"Submit your review to see it now, or it opens on {_local(visible_at, user)}."
    elif review is None:
        message = (
            "Your interviewer has not submitted feedback yet; it is due by "
            f"{_local(feedback_due_at(session_end=session.end), user)}. Submit your review "
            "meanwhile: you see the feedback as soon as both are in."
        )
    else:
        message = (
            "Your interviewer has not submitted feedback yet; it is due by "
            f"{_local(feedback_due_at(session_end=session.end), user)}. You see it as soon "
            "as it is submitted."
        )
    return CandidateFeedback(False, visible_at, message, None, review)


@dataclass(frozen=True)
class ScoredCriterion:
    criterion: Criterion
    score: int | None
    level_text: str  # what the score means for this criterion; blank without a score


@dataclass(frozen=True)
class PhaseReport:
    slug: str
    name: str
    criteria: list[ScoredCriterion]
    average: float | None  # the interviewer's scores in this phase
    self_score: int | None  # the candidate's own, from the review
    prodding: str
    prodding_label: str
    notes: str
    # In words for the reader, filled by `report_presenter`: blank from the service.
    calibration: str = ""
    gap: str = ""


def report_phases(*, state: FeedbackState, review: Review | None) -> list[PhaseReport]:
    """Per phase, the interviewer's scores beside the candidate's own: the calibration gap."""
    own = review.self_assessment if review is not None else {}
    reports = []
    for phase in PHASES:
        scored = [
            ScoredCriterion(
                criterion,
                state.scores.get(criterion.pk),
                criterion.levels.get(state.scores.get(criterion.pk, 0), ""),
            )
            for criterion in state.criteria
            if criterion.phase == phase.slug
        ]
        given = [item.score for item in scored if item.score is not None]
        average = round(sum(given) / len(given), 1) if given else None
        entry = state.phases.get(phase.slug, PhaseEntry())
        reports.append(
            PhaseReport(
                slug=phase.slug,
                name=phase.name,
                criteria=scored,
                average=average,
                self_score=own.get(phase.slug),
                prodding=entry.prodding,
                prodding_label=Prodding(entry.prodding).label if entry.prodding else "",
                notes=entry.notes,
            )
        )
    return reports


# --- Writing ------------------------------------------------------------------------------


def _lock_session(session: Session) -> Session:
    # Only the session's row: the nullable question join cannot be locked on PostgreSQL.
    return Session.objects.select_for_update(of=("self",)).get(pk=session.pk)


def not_open_reason(*, session: Session, now: datetime, user: User, what: str) -> str:
    """Why `what` ("feedback" or "review") cannot be written yet or at all; "" once it can.

    The one wording for the pages and the API: the session did not take place, or it has
    not started (in the reader's zone).
    """
    if session.status not in TOOK_PLACE:
        return f"This session was {session.get_status_display().lower()}: there is no {what}."
    if now < session.start:
        return f"The {what} opens when the session starts, {_local(session.start, user)}."
    return ""


def _require_held_and_started(session: Session, now: datetime, user: User, what: str) -> None:
    reason = not_open_reason(session=session, now=now, user=user, what=what)
    if not reason:
        return
    if session.status not in TOOK_PLACE:
        code = "session_not_held"
    else:
        code = "feedback_not_open" if what == "feedback" else "review_not_open"
    raise DomainError(reason, code=code)


def _require_draft(feedback: Feedback | None) -> None:
    if feedback is not None and feedback.is_submitted:
        raise DomainError(
            "This feedback is submitted and can no longer change.", code="feedback_submitted"
        )


def _require_fresh(feedback: Feedback | None, revision: int | None, user: User) -> None:
    if feedback is None or revision is None or revision == feedback.revision:
        return
    raise DomainError(
        "This feedback was saved from another tab or window at "
        f"{timefmt.clock(feedback.updated_at, user.time_zone)} ({user.time_zone}); "
        "reload to see the latest version before saving again.",
        code="feedback_conflict",
        fields={"revision": [f"The latest revision is {feedback.revision}."]},
    )


def save_feedback_draft(
    *,
    session: Session,
    by: User,
    data: Mapping[str, Any],
    revision: int | None,
    now: datetime | None = None,
) -> Feedback:
    """Merge `data` into the session's draft (made on the first save), raising its revision.

    `revision` is the one the client last read (0 before the first save); None skips the
    two-tab check, for clients that do not track it.
    """
    now = now or timezone.now()
    _require_session_interviewer(session, by)
    with transaction.atomic():
        current = _lock_session(session)
        _require_held_and_started(current, now, by, "feedback")
        feedback = Feedback.objects.select_for_update().filter(session=current).first()
        _require_draft(feedback)
        _require_fresh(feedback, revision, by)
        rubric = get_rubric(rubric_id=feedback.rubric_id) if feedback else get_current_rubric()
        changes = parse_feedback_data(
            data=data,
            criterion_ids={criterion.pk for criterion in rubric.criteria.all()},
            rubric_number=rubric.number,
        )
        if feedback is None:
            feedback = Feedback(session=current, rubric=rubric, created_at=now)
        for name, value in changes.overall.items():
            setattr(feedback, name, value)
        feedback.revision += 1
        feedback.updated_at = now
        feedback.save()
        _apply_scores(feedback, changes.scores)
        _apply_phases(feedback, changes.phases)
    return feedback


def _apply_scores(feedback: Feedback, scores: Mapping[int, int | None]) -> None:
    if not scores:
        return
    existing = {score.criterion_id: score for score in feedback.scores.all()}
    cleared = [
        existing[cid].pk for cid, value in scores.items() if value is None and cid in existing
    ]
    changed = []
    added = []
    for criterion_id, value in scores.items():
        if value is None:
            continue
        if criterion_id in existing:
            if existing[criterion_id].score != value:
                existing[criterion_id].score = value
                changed.append(existing[criterion_id])
        else:
            added.append(CriterionScore(feedback=feedback, criterion_id=criterion_id, score=value))
    if cleared:
        CriterionScore.objects.filter(pk__in=cleared).delete()
    if changed:
        CriterionScore.objects.bulk_update(changed, ["score"])
    if added:
        CriterionScore.objects.bulk_create(added)


def _apply_phases(feedback: Feedback, phases: Mapping[str, Mapping[str, str]]) -> None:
    if not phases:
        return
    existing = {note.phase: note for note in feedback.phase_notes.all()}
    changed = []
    added = []
    for slug, given in phases.items():
        if not given:
            continue
        note = existing.get(slug)
        if note is None:
            added.append(PhaseNote(feedback=feedback, phase=slug, **given))
        elif any(getattr(note, name) != value for name, value in given.items()):
            for name, value in given.items():
                setattr(note, name, value)
            changed.append(note)
    if changed:
        PhaseNote.objects.bulk_update(changed, ["prodding", "notes"])
    if added:
        PhaseNote.objects.bulk_create(added)


def _tell_candidate_when_visible(
    session: Session, *, feedback_submitted_at: datetime, now: datetime
) -> None:
    # Imported here: notifications render sessions' emails from this module's rules.
    from notifications.sessions import feedback_available

    review_at = Review.objects.filter(session=session).values_list("created_at", flat=True)
    visible_at = feedback_visible_at(
        feedback_submitted_at=feedback_submitted_at, review_submitted_at=review_at.first()
    )
    assert visible_at is not None  # noqa: S101 - the feedback is submitted
    feedback_available(session=session, visible_at=max(visible_at, now), now=now)


def _remake_plan_on_commit(session_id: int) -> None:
    # The study plan follows the feedback the candidate can see (SPEC §8); a task, so the
    # remake never holds this request.
    transaction.on_commit(partial(_send_remake, session_id))


def _send_remake(session_id: int) -> None:
    # Imported here: studyplans reads this module. A broker that is down must not turn a
    # saved feedback into an error page: the five-minute sweep applies it anyway.
    from studyplans.tasks import remake_plan_after_session

    try:
        remake_plan_after_session.delay(session_id)
    except Exception:
        logger.warning("Could not queue the plan remake for session %s", session_id, exc_info=True)


def submit_feedback(
    *,
    session: Session,
    by: User,
    revision: int | None = None,
    data: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Feedback:
    """Check completeness, naming every missing item, and lock the feedback for good.

    With `data`, it is first saved as a draft (kept even when the submit is refused).
    """
    now = now or timezone.now()
    _require_session_interviewer(session, by)
    if data is not None:
        revision = save_feedback_draft(
            session=session, by=by, data=data, revision=revision, now=now
        ).revision
    with transaction.atomic():
        current = _lock_session(session)
        _require_held_and_started(current, now, by, "feedback")
        feedback = Feedback.objects.select_for_update().filter(session=current).first()
        _require_draft(feedback)
        _require_fresh(feedback, revision, by)
        state = feedback_state(session=current, now=now)
        missing = state.missing
        if missing:
            count = len(missing)
            raise DomainError(
                f"The feedback is incomplete: {count} item{'' if count == 1 else 's'} "
                f"{'is' if count == 1 else 'are'} missing.",
                code="feedback_incomplete",
                status=400,
                fields=missing,
            )
        assert feedback is not None  # noqa: S101 - an empty form always misses something
        feedback.status = FeedbackStatus.SUBMITTED
        feedback.submitted_at = now
        feedback.updated_at = now
        feedback.revision += 1
        feedback.save(update_fields=["status", "submitted_at", "updated_at", "revision"])
        _tell_candidate_when_visible(current, feedback_submitted_at=now, now=now)
        _remake_plan_on_commit(current.pk)
    return feedback


def submit_review(
    *, session: Session, by: User, data: Mapping[str, Any], now: datetime | None = None
) -> Review:
    """The candidate's rating of the interviewer and self-assessment: once, from the start."""
    now = now or timezone.now()
    _require_candidate(session, by)
    already = DomainError(
        "You have already reviewed this session; a review cannot change.",
        code="review_submitted",
    )
    try:
        with transaction.atomic():
            current = _lock_session(session)
            _require_held_and_started(current, now, by, "review")
            if Review.objects.filter(session=current).exists():
                raise already
            submitted = feedback_submitted_at(session=current)
            given = parse_review_data(
                data=data,
                takes_self_assessment=self_assessment_open(
                    feedback_submitted_at=submitted, now=now
                ),
            )
            review = Review.objects.create(
                session=current,
                rating=given.rating,
                comment=given.comment,
                would_practise_again=given.would_practise_again,
                share_comment=given.share_comment,
                created_at=now,
                **{
                    Review.SELF_FIELDS[slug]: score for slug, score in given.self_assessment.items()
                },
            )
            # The interviewer's running totals move in the same transaction as the review, by
            # one atomic UPDATE, so they always equal the sums over the reviews.
            InterviewerProfile.objects.filter(user_id=current.interviewer_id).update(
                review_count=F("review_count") + 1, review_stars=F("review_stars") + given.rating
            )
            if submitted is not None:
                _tell_candidate_when_visible(current, feedback_submitted_at=submitted, now=now)
            _remake_plan_on_commit(current.pk)
            return review
    except IntegrityError as error:
        # Only a writer that skipped the session lock could get here first.
        raise already from error
