"""Sessions under /api/v1/sessions/: list, book (with Idempotency-Key), read, change, ICS.

Every session is looked up through `get_session_for_user`, so one that is not the
caller's answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import signed_in_user
from accounts.models import User
from config.api import Pagination, exception_handler
from config.fields import validate_instant_in_range
from interviews import booking
from interviews.calendar import ics_filename, session_ics
from interviews.feedback import feedback_status_for, review_status_for
from interviews.models import DEFAULT_SESSION_MINUTES, NoShowParty, Session
from interviews.selectors import get_session_for_user, sessions_of

MAX_KEY_LENGTH = 200


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FollowUpSerializer(serializers.Serializer):
    phase = serializers.CharField()
    text = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    prompt = serializers.CharField()
    hints = serializers.CharField()
    skill_areas = serializers.SerializerMethodField()
    follow_ups = FollowUpSerializer(many=True, source="follow_ups.all")

    def get_skill_areas(self, question: Any) -> list[str]:
        return [area.slug for area in question.skill_areas.all()]


@extend_schema_field(QuestionSerializer(allow_null=True))
class InterviewerOnlyQuestionField(serializers.Field):
    """The session's question for its interviewer; for anyone else the key is left out, so a
    candidate never learns the question, not even its id. Not required, as the schema says."""

    def __init__(self) -> None:
        super().__init__(required=False)

    def get_attribute(self, instance: Session) -> Any:
        if self.context["viewer"].pk != instance.interviewer_id:
            raise serializers.SkipField
        return instance.question

    def to_representation(self, value: Any) -> dict[str, Any]:
        return dict(QuestionSerializer(value).data)


class UtcDateTimeField(serializers.DateTimeField):
    # Times go out in UTC whatever zone the request activated, so clients see one format.
    def to_representation(self, value: Any) -> str:
        return str(value.astimezone(UTC).isoformat())


class SessionSerializer(serializers.Serializer):
    """SPEC §10's session; `question` is there only for the interviewer."""

    id = serializers.IntegerField()
    interviewer = PersonSerializer()
    candidate = PersonSerializer()
    start = UtcDateTimeField()
    end = UtcDateTimeField()
    status = serializers.CharField()
    meeting_url = serializers.URLField()
    whiteboard_url = serializers.URLField()
    feedback_status = serializers.SerializerMethodField()
    review_status = serializers.SerializerMethodField()
    rescheduled_from = serializers.IntegerField(source="rescheduled_from_id", allow_null=True)
    late_cancel = serializers.BooleanField()
    cancelled_by = serializers.IntegerField(source="cancelled_by_id", allow_null=True)
    no_show_party = serializers.CharField()
    question = InterviewerOnlyQuestionField()

    # A session just booked has neither yet; asking would cost two queries per booking.
    def get_feedback_status(self, session: Session) -> str:
        return "none" if self.context.get("just_booked") else feedback_status_for(session=session)

    def get_review_status(self, session: Session) -> str:
        return "none" if self.context.get("just_booked") else review_status_for(session=session)


def session_data(session: Session, viewer: User, *, just_booked: bool = False) -> dict[str, Any]:
    context = {"viewer": viewer, "just_booked": just_booked}
    return dict(SessionSerializer(session, context=context).data)


class BookingRequest(serializers.Serializer):
    interviewer = serializers.IntegerField()
    start = serializers.DateTimeField(validators=[validate_instant_in_range])
    length = serializers.IntegerField(required=False, default=DEFAULT_SESSION_MINUTES)


class RescheduleRequest(serializers.Serializer):
    start = serializers.DateTimeField(validators=[validate_instant_in_range])


class NoShowRequest(serializers.Serializer):
    party = serializers.ChoiceField(choices=NoShowParty.choices, required=False)


def _error(exc: Exception) -> tuple[int, dict[str, Any]]:
    """A refusal in the API's one error shape, to store beside an idempotency key."""
    response = exception_handler(exc, {})
    if response is None:  # pragma: no cover - only domain refusals reach here
        raise exc
    return response.status_code, dict(response.data)


def _request_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class SessionList(APIView):
    # Declared on the view so the schema documents the paginated envelope, not a bare list.
    pagination_class = Pagination

    @extend_schema(
        responses=SessionSerializer(many=True),
        parameters=[
            OpenApiParameter("page", int, description="A page number, from 1."),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description="Sessions per page; more than 200 counts as 200.",
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            sessions_of(user=user).order_by("-start", "-pk"), request, view=self
        )
        return paginator.get_paginated_response(
            [session_data(session, user) for session in page or []]
        )

    @extend_schema(
        request=BookingRequest,
        responses={201: SessionSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request: Request) -> Response:
        candidate = signed_in_user(request)
        given = BookingRequest(data=request.data)
        given.is_valid(raise_exception=True)
        interviewer_id = given.validated_data["interviewer"]
        start = given.validated_data["start"].astimezone(UTC)
        length = given.validated_data["length"]
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > MAX_KEY_LENGTH:
            raise serializers.ValidationError(
                {"Idempotency-Key": [f"Use at most {MAX_KEY_LENGTH} characters."]}
            )
        if not key:
            session = booking.book_session(
                candidate=candidate,
                interviewer_id=interviewer_id,
                start=start,
                length_minutes=length,
            )
            # The booker is the candidate: the answer needs nothing the service did not load.
            return Response(session_data(session, candidate, just_booked=True), status=201)
        status, body, replayed = booking.book_session_once(
            candidate=candidate,
            interviewer_id=interviewer_id,
            start=start,
            length_minutes=length,
            key=key,
            request_hash=_request_hash(dict(request.data)),
            render=lambda session: session_data(session, candidate, just_booked=True),
            render_error=_error,
        )
        response = Response(body, status=status)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


def _fresh(session: Session, viewer: User) -> Session:
    # The service's instance lacks the prefetched question areas the serializer reads.
    return get_session_for_user(user=viewer, session_id=session.pk)


class SessionDetail(APIView):
    @extend_schema(responses=SessionSerializer)
    def get(self, request: Request, session_id: int) -> Response:
        user = signed_in_user(request)
        return Response(session_data(get_session_for_user(user=user, session_id=session_id), user))


class SessionCancel(APIView):
    @extend_schema(request=None, responses=SessionSerializer)
    def post(self, request: Request, session_id: int) -> Response:
        user = signed_in_user(request)
        session = get_session_for_user(user=user, session_id=session_id)
        booking.cancel_session(session=session, by=user)
        return Response(session_data(_fresh(session, user), user))


class SessionReschedule(APIView):
    @extend_schema(request=RescheduleRequest, responses={201: SessionSerializer})
    def post(self, request: Request, session_id: int) -> Response:
        user = signed_in_user(request)
        session = get_session_for_user(user=user, session_id=session_id)
        given = RescheduleRequest(data=request.data)
        given.is_valid(raise_exception=True)
        replacement = booking.reschedule_session(
            session=session, by=user, start=given.validated_data["start"].astimezone(UTC)
        )
        return Response(session_data(_fresh(replacement, user), user), status=201)


class SessionComplete(APIView):
    @extend_schema(request=None, responses=SessionSerializer)
    def post(self, request: Request, session_id: int) -> Response:
        user = signed_in_user(request)
        session = get_session_for_user(user=user, session_id=session_id)
        booking.complete_session(session=session, by=user)
        return Response(session_data(_fresh(session, user), user))


class SessionNoShow(APIView):
    @extend_schema(request=NoShowRequest, responses=SessionSerializer)
    def post(self, request: Request, session_id: int) -> Response:
        user = signed_in_user(request)
        session = get_session_for_user(user=user, session_id=session_id)
        given = NoShowRequest(data=request.data)
        given.is_valid(raise_exception=True)
        booking.mark_no_show(session=session, by=user, party=given.validated_data.get("party"))
        return Response(session_data(_fresh(session, user), user))


class SessionCalendar(APIView):
    @extend_schema(responses={(200, "text/calendar"): bytes})
    def get(self, request: Request, session_id: int) -> HttpResponse:
        user = signed_in_user(request)
        session = get_session_for_user(user=user, session_id=session_id)
        response = HttpResponse(session_ics(session, viewer=user), content_type="text/calendar")
        response["Content-Disposition"] = f'attachment; filename="{ics_filename(session)}"'
        return response

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # Success is the ICS file whatever the Accept header says; errors are JSON in the
        # API's one shape, so a client asking for text/calendar gets no 406.
        return super().perform_content_negotiation(request, force=True)
