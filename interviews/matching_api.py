"""`GET /api/v1/matches/?from=&to=&focus=concurrency,caching` (SPEC §5, §10).

Every part of each score comes back with its value and the sentence the pages show, so
a client can explain the ranking as the site does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import signed_in_user
from accounts.models import SkillArea
from config.errors import DomainError
from config.fields import OPTIONAL_INSTANT, InstantField
from interviews.matching import DEFAULT_SEARCH_DAYS, MAX_SEARCH_DAYS, Match, find_matches
from interviews.slots import Slot
from interviews.waking_hours import WakingHours, is_inside_waking_hours, waking_hours_of

DEFAULT_RANGE = timedelta(days=DEFAULT_SEARCH_DAYS)
MAX_RANGE = timedelta(days=MAX_SEARCH_DAYS)


def validate_window(start: datetime, end: datetime) -> None:
    """The API's window: after `from`, at most MAX_SEARCH_DAYS; names the field at fault."""
    if end <= start:
        raise serializers.ValidationError({"to": ["End after `from`."]})
    if end - start > MAX_RANGE:
        raise serializers.ValidationError(
            {"to": [f"Ask for at most {MAX_SEARCH_DAYS} days at a time."]}
        )


def parse_focus(slugs: list[str]) -> list[str]:
    """Known skill-area slugs, in the order given, or a 400 naming `focus`: 1 query."""
    wanted = list(dict.fromkeys(slug for slug in slugs if slug))
    known = set(SkillArea.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    unknown = [slug for slug in wanted if slug not in known]
    if unknown:
        raise serializers.ValidationError(
            {"focus": [f"Unknown skill area: {', '.join(unknown)}. See /api/v1/skill-areas/."]}
        )
    return wanted


class MatchesQuery(serializers.Serializer):
    to = InstantField(required=False)
    focus = serializers.CharField(required=False, allow_blank=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = InstantField(required=False)  # a keyword, so not a class attribute
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("from") or timezone.now()
        end = attrs.get("to") or start + DEFAULT_RANGE
        validate_window(start, end)
        focus = None
        if "focus" in attrs:
            focus = parse_focus(attrs["focus"].split(","))
        return {"from": start, "to": end, "focus": focus or None}


class MatchInterviewerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    expertise = serializers.ListField(child=serializers.CharField())


class PartOutput(serializers.Serializer):
    part = serializers.CharField()
    value = serializers.FloatField(help_text="0 to 1; the score adds weight times value.")
    weight = serializers.FloatField()
    text = serializers.CharField()


class SlotOutput(serializers.Serializer):
    start = serializers.DateTimeField(default_timezone=UTC)
    end = serializers.DateTimeField(default_timezone=UTC)
    in_waking_hours = serializers.BooleanField(
        help_text="Inside your waking hours (`waking_hours_start` to `waking_hours_end` of "
        "`/api/v1/me/`, in your time zone). These slots come first."
    )


class MatchOutput(serializers.Serializer):
    interviewer = MatchInterviewerOutput()
    score = serializers.FloatField(help_text="0 to 1: the weighted sum of the explanation.")
    explanation = PartOutput(many=True)
    next_slots = SlotOutput(
        many=True,
        help_text="Up to 5 slots inside your waking hours, then up to 5 outside them; "
        "each part in time order.",
    )


class MatchesOutput(serializers.Serializer):
    results = MatchOutput(many=True)


def match_data(match: Match, hours: WakingHours) -> dict[str, Any]:
    profile = match.interviewer.interviewer_profile
    return {
        "interviewer": {
            "id": match.interviewer.pk,
            "name": match.interviewer.name,
            "level": profile.level,
            "expertise": [area.slug for area in profile.expertise.all()],
        },
        "score": round(match.score, 4),
        "explanation": [
            {
                "part": part.part,
                "value": round(part.value, 4),
                "weight": part.weight,
                "text": part.text,
            }
            for part in match.explanation
        ],
        "next_slots": [slot_data(slot, hours) for slot in match.next_slots],
    }


def slot_data(slot: Slot, hours: WakingHours) -> dict[str, Any]:
    return {
        "start": slot.start,
        "end": slot.end,
        "in_waking_hours": is_inside_waking_hours(slot, hours),
    }


class Matches(APIView):
    """Interviewers for the signed-in candidate, best first, each score explained."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OPTIONAL_INSTANT, description="Default: now."),
            OpenApiParameter(
                "to",
                OPTIONAL_INSTANT,
                description=(
                    f"Default: from + {DEFAULT_SEARCH_DAYS} days; at most {MAX_SEARCH_DAYS}."
                ),
            ),
            OpenApiParameter(
                "focus",
                str,
                description="Skill-area slugs, comma separated; default: your profile's.",
            ),
        ],
        responses=MatchesOutput,
    )
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        if not user.is_candidate:
            raise DomainError(
                "Matching is for candidates: add a candidate profile first.",
                code="not_a_candidate",
                status=403,
            )
        query = MatchesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        matches = find_matches(
            candidate=user,
            start=query.validated_data["from"],
            end=query.validated_data["to"],
            now=timezone.now(),
            focus=query.validated_data["focus"],
        )
        hours = waking_hours_of(user)
        results = [match_data(match, hours) for match in matches]
        return Response(MatchesOutput({"results": results}).data)
