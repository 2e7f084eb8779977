"""Reading feedback and reviews out of a request: one parser for the API and the pages.

The parsers are DRF serializers, and the API's schema describes these same classes, so the
documented body is the one that is read. They are run by the feedback service rather than
by the views, under the session's lock, because what is valid depends on what that lock
reads: the rubric version the draft pinned (which criteria exist) and whether the
self-assessment is still open (SPEC §7). The pages turn their posted form into the API's
shape first, so a page and a client get the same errors, named the same way: one dotted
name per bad value ("scores.12", "phases.design.notes"), every one at once.

Refused: text that is not a string, a NUL byte (PostgreSQL refuses it), numbers outside
their range or too long to be one ("²", 5,000 digits), booleans posing as numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from config.fields import MAX_DATABASE_INTEGER
from interviews.models import (
    MAX_RATING,
    MAX_SCORE,
    MIN_RATING,
    MIN_SCORE,
    LevelShown,
    Prodding,
    Recommendation,
)
from interviews.rubrics import PHASE_BY_SLUG, PHASE_SLUGS, PHASES

MAX_TEXT = 10_000
SELF_ASSESSMENT_CLOSED = (
    "Your feedback is already open to you, so the review no longer takes a self-assessment: "
    "send it without one."
)
SHARE_COMMENT_ERROR = (
    "Say whether your comment may appear, without your name, on the interviewer's profile: "
    "true or false."
)
NUMBER_ERRORS = ("invalid", "min_value", "max_value", "max_string_length", "null", "required")


# --- Fields -------------------------------------------------------------------------------


def _errors(message: str, *codes: str) -> dict[str, Any]:
    """One message for every way a value can be wrong: the field's name says the rest."""
    return dict.fromkeys(codes or NUMBER_ERRORS, message)


class NumberField(serializers.IntegerField):
    """A whole number, or None for null and "" where `allow_null` (a cleared score)."""

    def run_validation(self, data: Any = empty) -> Any:
        if data == "" and self.allow_null:
            return None
        return super().run_validation(data)


class TextField(serializers.CharField):
    """Text kept exactly as typed; null reads as "". A number is refused, not read as its
    digits: a client that sends one made a mistake."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        message = f"Write {what} as text of at most {MAX_TEXT:,} characters."
        kwargs.setdefault("required", False)
        super().__init__(
            allow_blank=True,
            allow_null=True,
            trim_whitespace=False,
            max_length=MAX_TEXT,
            error_messages={"invalid": message, "max_length": message},
            **kwargs,
        )

    def run_validation(self, data: Any = empty) -> Any:
        return super().run_validation("" if data is None else data)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class BlankableChoiceField(serializers.ChoiceField):
    """One of `choices`, or "" (null too) to clear what was chosen."""

    def __init__(self, *, choices: Collection[str], message: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            choices=list(choices),
            allow_blank=True,
            allow_null=True,
            error_messages=_errors(message, "invalid_choice"),
            **kwargs,
        )

    def run_validation(self, data: Any = empty) -> Any:
        return super().run_validation("" if data is None else data)


def revision_field(**kwargs: Any) -> NumberField:
    return NumberField(
        min_value=0,
        max_value=MAX_DATABASE_INTEGER,
        error_messages=_errors("Send the revision you last read, a whole number."),
        **kwargs,
    )


CRITERION_ID = NumberField(min_value=1, max_value=MAX_DATABASE_INTEGER)


def _criterion_id(key: Any) -> int | None:
    try:
        return int(CRITERION_ID.run_validation(key))
    except serializers.ValidationError:
        return None


class ScoresField(serializers.DictField):
    """Criterion id to score; every key must be a criterion of the rubric in the context."""

    child = NumberField(
        min_value=MIN_SCORE,
        max_value=MAX_SCORE,
        allow_null=True,
        error_messages=_errors(f"Score {MIN_SCORE} to {MAX_SCORE}."),
    )
    default_error_messages = {
        "not_a_dict": "Send the scores as an object of criterion id to score."
    }

    def to_internal_value(self, data: Any) -> dict[int, int | None]:
        if not isinstance(data, Mapping):
            self.fail("not_a_dict")
        criterion_ids, number = self.context["criterion_ids"], self.context["rubric_number"]
        scores: dict[int, int | None] = {}
        errors: dict[str, Any] = {}
        for key, value in data.items():
            criterion_id = _criterion_id(key)
            if criterion_id is None or criterion_id not in criterion_ids:
                errors[str(key)] = [f"Rubric version {number} has no criterion {key}."]
                continue
            try:
                scores[criterion_id] = self.child.run_validation(value)
            except serializers.ValidationError as error:
                errors[str(key)] = error.detail
        if errors:
            raise serializers.ValidationError(errors)
        return scores


class PhaseInput(serializers.Serializer):
    """What a draft gives for one phase: only the parts sent."""

    prodding = BlankableChoiceField(choices=Prodding.values, message="Choose none, some or a-lot.")
    notes = TextField(what="the notes")


def _no_phase(slug: object) -> str:
    return f"No phase “{slug}”; use one of {', '.join(PHASE_SLUGS)}."


class PhasesField(serializers.DictField):
    """Phase slug to `PhaseInput`."""

    child = PhaseInput()
    default_error_messages = {"not_a_dict": "Send the phases as an object keyed by phase slug."}

    def to_internal_value(self, data: Any) -> dict[str, dict[str, str]]:
        if not isinstance(data, Mapping):
            self.fail("not_a_dict")
        phases: dict[str, dict[str, str]] = {}
        errors: dict[str, Any] = {}
        for slug, entry in data.items():
            if slug not in PHASE_BY_SLUG:
                errors[str(slug)] = [_no_phase(slug)]
            elif not isinstance(entry, Mapping):
                errors[slug] = ["Send prodding and notes as an object."]
            else:
                try:
                    phases[slug] = dict(self.child.run_validation(entry))
                except serializers.ValidationError as error:
                    errors[slug] = error.detail
        if errors:
            raise serializers.ValidationError(errors)
        return phases


# --- The feedback -------------------------------------------------------------------------


class FeedbackInput(serializers.Serializer):
    """A draft save, any part of it: what is given replaces what was saved. Keys outside
    these (`status`, `revision`, `due_at`...) are ignored, so a client may send back what
    it read. Context: `criterion_ids` and `rubric_number` of the draft's rubric."""

    scores = ScoresField(
        required=False, help_text='Criterion id to score 1..4, e.g. {"12": 3}; null clears a score.'
    )
    phases = PhasesField(required=False, help_text='Phase slug to {"prodding", "notes"}.')
    recommendation = BlankableChoiceField(
        choices=Recommendation.values,
        message="Choose strong-no-hire, no-hire, hire or strong-hire.",
    )
    level = BlankableChoiceField(choices=LevelShown.values, message="Choose mid, senior or staff.")
    strengths = TextField(what="this")
    improvements = TextField(what="this")


# The schema names the request bodies after what they carry, as clients read them.
@extend_schema_serializer(component_name="FeedbackDraft")
class FeedbackRequest(FeedbackInput):
    """The API's body: a draft and the revision it was read at."""

    revision = revision_field(
        required=False,
        allow_null=True,
        help_text="The revision last read (0 before the first save); an older one is a 409.",
    )


@dataclass
class FeedbackChanges:
    """A validated draft save: only what the request gave."""

    scores: dict[int, int | None] = field(default_factory=dict)  # None clears a score
    phases: dict[str, dict[str, str]] = field(default_factory=dict)  # slug -> given fields
    overall: dict[str, str] = field(default_factory=dict)  # recommendation, level, texts


def parse_feedback_data(
    *, data: Mapping[str, Any], criterion_ids: Collection[int], rubric_number: int
) -> FeedbackChanges:
    """Check a draft save against its rubric; every bad field is named at once."""
    parser = FeedbackInput(
        data=data, context={"criterion_ids": criterion_ids, "rubric_number": rubric_number}
    )
    given = dict(_validated(parser))
    scores, phases = given.pop("scores", {}), given.pop("phases", {})
    return FeedbackChanges(scores=scores, phases=phases, overall=given)


def parse_revision(value: Any) -> int | None:
    """The revision a client says it last read: absent means "do not check"."""
    if value is None or value == "":
        return None
    try:
        return int(revision_field().run_validation(value))
    except serializers.ValidationError as error:
        raise DjangoValidationError({"revision": _dotted(error.detail)[""]}) from error


def clean_score(value: Any) -> int | None:
    """A score as the parser reads it, or None: for showing back a refused form."""
    try:
        score = ScoresField.child.run_validation(value)
    except serializers.ValidationError:
        return None
    return None if score is None else int(score)


def clean_criterion_id(value: Any) -> int | None:
    return _criterion_id(value)


# --- The review ---------------------------------------------------------------------------


class SelfAssessmentField(serializers.DictField):
    """Phase slug to the candidate's own score for it: all five while the self-assessment
    is open (context `takes_self_assessment`), none after the reveal (absent, null and {}
    all mean none)."""

    child = NumberField(min_value=MIN_SCORE, max_value=MAX_SCORE)
    default_error_messages = {
        "not_a_dict": "Score yourself 1 to 4 for each phase, as an object keyed by phase slug."
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_null=True, **kwargs)

    def run_validation(self, data: Any = empty) -> Any:
        if not self.context["takes_self_assessment"]:
            if data is not empty and data:
                raise serializers.ValidationError(SELF_ASSESSMENT_CLOSED)
            return {}
        if data is empty or data is None:
            self.fail("not_a_dict")  # required while open, with the message that says how
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> dict[str, int]:
        if not isinstance(data, Mapping):
            self.fail("not_a_dict")
        errors: dict[str, Any] = {
            str(slug): [_no_phase(slug)] for slug in data if slug not in PHASE_BY_SLUG
        }
        scores: dict[str, int] = {}
        for phase in PHASES:
            try:
                scores[phase.slug] = int(self.child.run_validation(data.get(phase.slug)))
            except serializers.ValidationError:
                errors[phase.slug] = [
                    f"Score yourself {MIN_SCORE} to {MAX_SCORE} for {phase.name}."
                ]
        if errors:
            raise serializers.ValidationError(errors)
        return scores


@extend_schema_serializer(component_name="Review")
class ReviewInput(serializers.Serializer):
    """The candidate's review. Context: `takes_self_assessment`."""

    rating = NumberField(
        min_value=MIN_RATING,
        max_value=MAX_RATING,
        error_messages=_errors(f"Rate your interviewer from {MIN_RATING} to {MAX_RATING}."),
    )
    comment = TextField(what="the comment", default="")
    would_practise_again = serializers.BooleanField(
        error_messages=_errors("Choose yes or no.", "invalid", "null", "required")
    )
    share_comment = serializers.BooleanField(
        default=False,
        help_text=(
            "Show the comment, without the candidate's name, on the interviewer's public "
            "profile (GET /api/v1/interviewers/{id}/). Off unless sent as true."
        ),
        error_messages=_errors(SHARE_COMMENT_ERROR, "invalid", "null"),
    )
    self_assessment = SelfAssessmentField(
        help_text=(
            "Every phase slug to the candidate's own score 1..4: required while the feedback "
            "is hidden from the candidate, refused (400) once it is revealed."
        )
    )


@dataclass(frozen=True)
class ReviewGiven:
    rating: int
    comment: str
    would_practise_again: bool
    self_assessment: dict[str, int]
    share_comment: bool = False


def parse_review_data(*, data: Mapping[str, Any], takes_self_assessment: bool) -> ReviewGiven:
    """Check a review; every bad or missing field is named at once."""
    parser = ReviewInput(data=data, context={"takes_self_assessment": takes_self_assessment})
    given = _validated(parser)
    return ReviewGiven(
        rating=given["rating"],
        comment=given["comment"],
        would_practise_again=given["would_practise_again"],
        self_assessment=given.get("self_assessment") or {},
        share_comment=given["share_comment"],
    )


# --- Errors -------------------------------------------------------------------------------


def _validated(parser: serializers.Serializer) -> dict[str, Any]:
    """The parsed values, or Django's ValidationError with one dotted name per bad value:
    the services raise Django's, which the API's handler and the pages both read."""
    if not parser.is_valid():
        raise DjangoValidationError(_dotted(parser.errors))
    return dict(parser.validated_data)


def _dotted(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as {"scores.12": [...]}; a list's messages stay together."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = prefix if key == api_settings.NON_FIELD_ERRORS_KEY else key
            flat.update(_dotted(value, f"{prefix}.{name}" if prefix and name != prefix else name))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix: [str(message) for message in messages]}
