"""Availability and bookable slots over the API (SPEC §10).

`GET /api/v1/availability/` answers the signed-in interviewer's windows, grouped:
    {"time_zone": "Europe/Berlin",
     "weekly": [{"id": "w12", "type": "weekly", "weekday": 1, "weekday_name": "Tuesday",
                 "start": "13:00", "end": "18:00"}],
     "dates": [{"id": "d7", "type": "extra" | "blackout", "date": "2027-03-14",
                "start": "09:00" | null, "end": "12:00" | null}]}
Every item carries the `type` that `POST` takes, so a client can send an item back as it
came. Ids are strings naming their table ("w" weekly, "d" dated), so one route,
`DELETE /api/v1/availability/{id}/`, deletes either kind. Times are "HH:MM" wall-clock
times in the interviewer's zone; an end of "23:59" (or "24:00" on input) means midnight.
`dates` lists today and later, by the interviewer's local date.
"""

from __future__ import annotations

import re
from datetime import UTC, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import signed_in_user
from accounts.models import User, VettingStatus
from config.errors import DomainError
from config.fields import OPTIONAL_INSTANT, InstantField
from interviews import availability
from interviews.models import (
    DEFAULT_SESSION_MINUTES,
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    DateWindow,
    DateWindowKind,
    WeeklyWindow,
)
from interviews.slots import END_OF_DAY, Slot
from interviews.waking_hours import is_inside_waking_hours, waking_first, waking_hours_of

WEEKLY_PREFIX = "w"
DATE_PREFIX = "d"
MAX_SLOT_RANGE = timedelta(days=31)
DEFAULT_SLOT_RANGE = timedelta(days=7)


# "HH:MM", which is not OpenAPI's `format: time` (that has seconds and an offset).
@extend_schema_field({"type": "string", "pattern": r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"})
class WallClockField(serializers.TimeField):
    """A local time "HH:MM"; also takes "24:00", the end of the day, stored as 23:59."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)

    def to_internal_value(self, value: Any) -> time:
        if isinstance(value, str) and value.strip() in {"24:00", "24:00:00"}:
            return END_OF_DAY
        return super().to_internal_value(value)


class WeeklyWindowOutput(serializers.Serializer):
    id = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    weekday = serializers.IntegerField()
    weekday_name = serializers.CharField(source="get_weekday_display")
    start = WallClockField(source="start_time")
    end = WallClockField(source="end_time")

    def get_id(self, window: WeeklyWindow) -> str:
        return f"{WEEKLY_PREFIX}{window.pk}"

    def get_type(self, window: WeeklyWindow) -> str:
        return "weekly"


class DateWindowOutput(serializers.Serializer):
    id = serializers.SerializerMethodField()
    type = serializers.ChoiceField(source="kind", choices=DateWindowKind.choices)
    date = serializers.DateField()
    start = WallClockField(source="start_time", allow_null=True)
    end = WallClockField(source="end_time", allow_null=True)

    def get_id(self, window: DateWindow) -> str:
        return f"{DATE_PREFIX}{window.pk}"


class AvailabilityOutput(serializers.Serializer):
    time_zone = serializers.CharField()
    weekly = WeeklyWindowOutput(many=True)
    dates = DateWindowOutput(many=True)


class WindowInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=["weekly", *DateWindowKind.values])
    weekday = serializers.IntegerField(min_value=0, max_value=6, required=False)
    date = serializers.DateField(required=False)
    start = WallClockField(required=False, allow_null=True)
    end = WallClockField(required=False, allow_null=True)

    REQUIRED = {
        "weekly": ("weekday", "start", "end"),
        DateWindowKind.EXTRA: ("date", "start", "end"),
        DateWindowKind.BLACKOUT: ("date",),
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        missing = {
            name: [f"This field is required for a {attrs['type']} window."]
            for name in self.REQUIRED[attrs["type"]]
            if attrs.get(name) is None
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


def _interviewer(request: Request) -> User:
    user = signed_in_user(request)
    if not user.is_interviewer:
        raise DomainError(
            "Only interviewers publish availability: add an interviewer profile first.",
            code="not_interviewer",
            status=403,
        )
    return user


class AvailabilityList(APIView):
    @extend_schema(responses=AvailabilityOutput)
    def get(self, request: Request) -> Response:
        user = _interviewer(request)
        data = {
            "time_zone": user.time_zone,
            "weekly": availability.weekly_windows(interviewer=user),
            "dates": availability.upcoming_date_windows(interviewer=user),
        }
        return Response(AvailabilityOutput(data).data)

    @extend_schema(
        request=WindowInput,
        responses={
            201: PolymorphicProxySerializer(
                component_name="AvailabilityWindow",
                serializers=[WeeklyWindowOutput, DateWindowOutput],
                resource_type_field_name=None,
            )
        },
    )
    def post(self, request: Request) -> Response:
        user = _interviewer(request)
        given = WindowInput(data=request.data)
        given.is_valid(raise_exception=True)
        attrs = given.validated_data
        if attrs["type"] == "weekly":
            weekly = availability.add_weekly_window(
                interviewer=user,
                weekday=attrs["weekday"],
                start_time=attrs["start"],
                end_time=attrs["end"],
            )
            return Response(WeeklyWindowOutput(weekly).data, status=201)
        dated = availability.add_date_window(
            interviewer=user,
            kind=attrs["type"],
            date=attrs["date"],
            start_time=attrs.get("start"),
            end_time=attrs.get("end"),
        )
        return Response(DateWindowOutput(dated).data, status=201)


class AvailabilityDetail(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "window_id",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description='"w12" for a weekly window, "d7" for an extra window or blackout.',
            )
        ],
        responses={204: None},
    )
    def delete(self, request: Request, window_id: str) -> Response:
        user = _interviewer(request)
        match = re.fullmatch(rf"({WEEKLY_PREFIX}|{DATE_PREFIX})([0-9]{{1,18}})", window_id)
        if match is None:
            raise Http404
        availability.delete_window(
            interviewer=user,
            kind="weekly" if match[1] == WEEKLY_PREFIX else "date",
            window_id=int(match[2]),
        )
        return Response(status=204)


class InterviewerSlotsQuery(serializers.Serializer):
    """`from` defaults to now and `to` to a week after `from`; at most 31 days apart."""

    to = InstantField(required=False)
    length = serializers.IntegerField(
        min_value=MIN_SESSION_MINUTES, max_value=MAX_SESSION_MINUTES, required=False
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = InstantField(required=False)  # a keyword, so not a class attribute
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("from") or timezone.now()
        end = attrs.get("to") or start + DEFAULT_SLOT_RANGE
        if end <= start:
            raise serializers.ValidationError({"to": ["End after `from`."]})
        if end - start > MAX_SLOT_RANGE:
            raise serializers.ValidationError({"to": ["Ask for at most 31 days at a time."]})
        return {
            "from": start,
            "to": end,
            "length": attrs.get("length") or DEFAULT_SESSION_MINUTES,
        }


class LocalSlotOutput(serializers.Serializer):
    start = serializers.DateTimeField(default_timezone=UTC)
    end = serializers.DateTimeField(default_timezone=UTC)
    local_start = serializers.SerializerMethodField()
    local_end = serializers.SerializerMethodField()
    in_waking_hours = serializers.SerializerMethodField(
        help_text="Inside the waking hours of the signed-in person (see `/api/v1/me/`), in "
        "their time zone. These slots come first."
    )

    def get_in_waking_hours(self, slot: Slot) -> bool:
        return is_inside_waking_hours(slot, self.context["hours"])

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_local_start(self, slot: Slot) -> str:
        return slot.start.astimezone(self.context["tz"]).isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_local_end(self, slot: Slot) -> str:
        return slot.end.astimezone(self.context["tz"]).isoformat()


class InterviewerSlotsOutput(serializers.Serializer):
    interviewer = serializers.IntegerField()
    time_zone = serializers.CharField(help_text="The interviewer's zone: local times are in it.")
    length = serializers.IntegerField(help_text="Minutes.")
    slots = LocalSlotOutput(
        many=True,
        help_text="Those inside your waking hours first, then the others; each part in time order.",
    )


class InterviewerSlots(APIView):
    """Free slots of an approved interviewer, in UTC and in the interviewer's local time.

    Ordered for the person asking: the slots inside their waking hours first.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OPTIONAL_INSTANT, description="Default: now."),
            OpenApiParameter("to", OPTIONAL_INSTANT, description="Default: from + 7 days."),
            OpenApiParameter("length", int, description="Minutes, 45 to 90; default 60."),
        ],
        responses=InterviewerSlotsOutput,
    )
    def get(self, request: Request, interviewer_id: int) -> Response:
        query = InterviewerSlotsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        interviewer = User.objects.filter(
            pk=interviewer_id, interviewer_profile__status=VettingStatus.APPROVED
        ).first()
        if interviewer is None:
            raise Http404
        slots = availability.free_slots(
            interviewer=interviewer,
            start=query.validated_data["from"],
            end=query.validated_data["to"],
            now=timezone.now(),
            length=timedelta(minutes=query.validated_data["length"]),
        )
        hours = waking_hours_of(signed_in_user(request))
        data = {
            "interviewer": interviewer.pk,
            "time_zone": interviewer.time_zone,
            "length": query.validated_data["length"],
            "slots": waking_first(slots, hours),
        }
        context = {"tz": ZoneInfo(interviewer.time_zone), "hours": hours}
        return Response(InterviewerSlotsOutput(data, context=context).data)
