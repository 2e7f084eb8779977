"""Feedback, reviews and the rubric under /api/v1/ (SPEC §10).

`GET|PUT sessions/{id}/feedback/`, `POST sessions/{id}/feedback/submit/`,
`POST sessions/{id}/review/`, `GET rubrics/current/`. Another user's session is a 404
(`get_session_for_user`); the rules live in interviews.feedback, which answers 409 for
feedback before the start, a stale revision, or anything after the submit, and 400 naming
each missing or bad field.

Layers: the request bodies are read by the serializers of `interviews.feedback_input`
(the schema names those same classes), run by the services under the session's lock and
shared with the page's form, so both give the same errors; the serializers here turn the
services' results into the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import signed_in_user
from accounts.models import User
from interviews.feedback import (
    CandidateFeedback,
    feedback_for_candidate,
    feedback_for_interviewer,
    save_feedback_draft,
    submit_feedback,
    submit_review,
)
from interviews.feedback_input import FeedbackRequest, ReviewInput, parse_revision
from interviews.models import LevelShown, Prodding, Recommendation, Session
from interviews.rubrics import get_current_rubric, rubric_data
from interviews.selectors import get_session_for_user

WRITABLE = ("scores", "phases", "recommendation", "level", "strengths", "improvements")


# --- Shapes ------------------------------------------------------------------------------------


class InstantField(serializers.DateTimeField):
    """An instant as ISO 8601 in UTC with "+00:00", as every answer of this API gives it."""

    def to_representation(self, value: datetime) -> str:
        return value.astimezone(UTC).isoformat()


class PhaseEntrySerializer(serializers.Serializer):
    prodding = serializers.ChoiceField(choices=["", *Prodding.values])
    notes = serializers.CharField(allow_blank=True)


class FeedbackSerializer(serializers.Serializer):
    """SPEC §10's feedback, from a `FeedbackState`, with what a client needs to edit it
    (`revision`) and when it is due."""

    session = serializers.IntegerField(source="session.pk")
    status = serializers.ChoiceField(choices=["none", "draft", "submitted"])
    revision = serializers.IntegerField()
    rubric_version = serializers.IntegerField(source="rubric.number")
    scores = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=4))
    phases = serializers.DictField(child=PhaseEntrySerializer())
    recommendation = serializers.ChoiceField(choices=["", *Recommendation.values])
    level = serializers.ChoiceField(choices=["", *LevelShown.values])
    strengths = serializers.CharField(allow_blank=True)
    improvements = serializers.CharField(allow_blank=True)
    opens_at = InstantField(source="session.start")
    due_at = InstantField()
    overdue = serializers.BooleanField()
    editable = serializers.BooleanField(required=False, help_text="For the interviewer only.")
    updated_at = InstantField(allow_null=True)
    submitted_at = InstantField(allow_null=True)
    visible_at = InstantField(required=False, allow_null=True, help_text="For the candidate only.")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        data.pop("visible_at", None)  # the candidate's answer adds it, see `_for_candidate`
        return data


class HiddenFeedbackSerializer(serializers.Serializer):
    """The candidate's answer before the blind reveal."""

    status = serializers.ChoiceField(choices=["hidden"])
    visible_at = serializers.DateTimeField(allow_null=True)
    message = serializers.CharField()


FEEDBACK_OR_HIDDEN = PolymorphicProxySerializer(
    component_name="FeedbackOrHidden",
    serializers=[FeedbackSerializer, HiddenFeedbackSerializer],
    resource_type_field_name=None,
)


class ReviewSerializer(serializers.Serializer):
    """SPEC §10's review, as answered (the request body is `feedback_input.ReviewInput`)."""

    session = serializers.IntegerField(source="session_id", read_only=True)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True)
    would_practise_again = serializers.BooleanField()
    share_comment = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Show the comment, without the candidate's name, on the interviewer's public "
            "profile (GET /api/v1/interviewers/{id}/). Off unless sent as true."
        ),
    )
    self_assessment = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=4),
        required=False,
        allow_null=True,
        help_text=(
            "Every phase slug to the candidate's own score 1..4: required while the feedback "
            "is hidden from the candidate, refused (400) once it is revealed; null in a "
            "review sent after the reveal."
        ),
    )
    created_at = InstantField(read_only=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        # None: the review came after the reveal, without one.
        data["self_assessment"] = instance.self_assessment or None
        return data


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    skill_area = serializers.CharField()
    text = serializers.CharField()
    levels = serializers.DictField(child=serializers.CharField(), help_text='Keys "1" to "4".')


class RubricPhaseSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    minutes = serializers.IntegerField(allow_null=True)
    criteria = CriterionSerializer(many=True)


class RubricSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    scale = serializers.DictField(child=serializers.CharField())
    phases = RubricPhaseSerializer(many=True)


# --- Endpoints ------------------------------------------------------------------------------


def _body(request: Request) -> Mapping[str, Any]:
    if not isinstance(request.data, Mapping):
        raise serializers.ValidationError("Send a JSON object.")
    return request.data


def _parts(body: Mapping[str, Any]) -> dict[str, Any]:
    return {name: body[name] for name in WRITABLE if name in body}


def _for_interviewer(*, session: Session, user: User) -> dict[str, Any]:
    return dict(FeedbackSerializer(feedback_for_interviewer(session=session, user=user)).data)


def _for_candidate(view: CandidateFeedback) -> dict[str, Any]:
    """Before the reveal only when and why; after it the whole feedback."""
    visible_at = InstantField().to_representation(view.visible_at) if view.visible_at else None
    if not view.visible or view.state is None:
        return {"status": "hidden", "visible_at": visible_at, "message": view.message}
    data = dict(FeedbackSerializer(view.state).data)
    del data["editable"]
    data["visible_at"] = visible_at
    return data


class FeedbackDetail(APIView):
    @extend_schema(
        responses=FEEDBACK_OR_HIDDEN,
        description=(
            "The interviewer gets the draft (status none before the first save) with its "
            "revision. The candidate gets the feedback once revealed (both sides submitted, "
            "or 72 hours after the interviewer submitted); before that only "
            '`{"status": "hidden", "visible_at", "message"}`.'
        ),
    )
    def get(self, request: Request, session_id: int) -> Response:
        user = signed_in_user(request)
        session = get_session_for_user(user=user, session_id=session_id)
        if user.pk == session.interviewer_id:
            return Response(_for_interviewer(session=session, user=user))
        return Response(_for_candidate(feedback_for_candidate(session=session, user=user)))

    @extend_schema(request=FeedbackRequest, responses=FeedbackSerializer)
    def put(self, request: Request, session_id: int) -> Response:
        user = signed_in_user(request)
        session = get_session_for_user(user=user, session_id=session_id)
        body = _body(request)
        save_feedback_draft(
            session=session,
            by=user,
            data=_parts(body),
            revision=parse_revision(body.get("revision")),
        )
        return Response(_for_interviewer(session=session, user=user))


class FeedbackSubmit(APIView):
    @extend_schema(
        request=FeedbackRequest,
        responses=FeedbackSerializer,
        description=(
            "Locks the feedback for good. Parts sent along are saved first, as a PUT would. "
            "Anything missing is a 400 `feedback_incomplete` naming every item in `fields`."
        ),
    )
    def post(self, request: Request, session_id: int) -> Response:
        user = signed_in_user(request)
        session = get_session_for_user(user=user, session_id=session_id)
        body = _body(request)
        parts = _parts(body)
        submit_feedback(
            session=session,
            by=user,
            revision=parse_revision(body.get("revision")),
            data=parts or None,
        )
        return Response(_for_interviewer(session=session, user=user))


class ReviewCreate(APIView):
    @extend_schema(request=ReviewInput, responses={201: ReviewSerializer})
    def post(self, request: Request, session_id: int) -> Response:
        user = signed_in_user(request)
        session = get_session_for_user(user=user, session_id=session_id)
        review = submit_review(session=session, by=user, data=_body(request))
        return Response(ReviewSerializer(review).data, status=201)


class CurrentRubric(APIView):
    @extend_schema(responses=RubricSerializer)
    def get(self, request: Request) -> Response:
        signed_in_user(request)
        return Response(rubric_data(get_current_rubric()))
