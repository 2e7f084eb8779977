"""The study plan under /api/v1/ (SPEC §10).

`GET study-plan/` and `PATCH study-plan/items/{id}/` {status}. Only a candidate has a
plan (403 otherwise); another candidate's item is a 404, like any object not the caller's.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import signed_in_user
from accounts.models import User
from config.errors import DomainError
from studyplans import planning
from studyplans.models import ItemKind, ItemStatus, PlanItem, ResourceKind
from studyplans.selectors import get_plan_item_for_user, plan_with_items

PRACTICE_TITLE = "Book your next practice interview"


class ResourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()
    kind = serializers.ChoiceField(choices=[*ResourceKind.values, "practice"])
    hours = serializers.FloatField()
    author = serializers.CharField()
    description = serializers.CharField()


class PlanItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ItemKind.values)
    skill_area = serializers.CharField(allow_null=True)
    resource = ResourceSerializer()
    reason = serializers.CharField()
    status = serializers.ChoiceField(choices=ItemStatus.values)
    week = serializers.IntegerField(
        help_text=(
            "1 is the plan's first week (the week it was last remade in); items done under "
            "an earlier plan keep their own week, numbered 0 or less."
        )
    )
    week_start = serializers.DateField(help_text="The Monday of that week, in your time zone.")


class AreaSerializer(serializers.Serializer):
    skill_area = serializers.CharField()
    value = serializers.FloatField(help_text="1 to 4, lower is weaker.")
    # A field named like DRF's own `Field.source` attribute, which mypy sees through.
    source = serializers.ChoiceField(choices=["scores", "self-assessment", "focus"])  # type: ignore[assignment]
    interviews = serializers.IntegerField()


class PracticeSerializer(serializers.Serializer):
    done_last_30_days = serializers.IntegerField()
    goal = serializers.IntegerField()


class StudyPlanSerializer(serializers.Serializer):
    items = PlanItemSerializer(many=True)
    weakness = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Skill area slug to its level, 1 to 4 (lower is weaker), weakest first.",
    )
    weakest = serializers.ListField(child=serializers.CharField())
    areas = AreaSerializer(many=True)
    practice = PracticeSerializer()
    starts_on = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)


class ItemStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ItemStatus.values)


def item_data(item: PlanItem, *, starts_on: Any, request: Request) -> dict[str, Any]:
    if item.resource is not None:
        resource = {
            "title": item.resource.title,
            "url": item.resource.url,
            "kind": item.resource.kind,
            "hours": float(item.resource.hours),
            "author": item.resource.author,
            "description": item.resource.description,
        }
    else:
        resource = {
            "title": PRACTICE_TITLE,
            "url": request.build_absolute_uri(reverse("find_interviewer")),
            "kind": "practice",
            "hours": 1.0,
            "author": "",
            "description": "Sixty minutes with a senior engineer, scored phase by phase.",
        }
    return {
        "id": item.pk,
        "kind": item.kind,
        "skill_area": item.skill_area.slug if item.skill_area else None,
        "resource": resource,
        "reason": item.reason,
        "status": item.status,
        "week": (item.week_start - starts_on).days // 7 + 1,
        "week_start": item.week_start.isoformat(),
    }


def _candidate(request: Request) -> User:
    user = signed_in_user(request)
    if not user.is_candidate:
        raise DomainError(
            "Only candidates have a study plan: add a candidate profile first.",
            code="not_a_candidate",
            status=403,
        )
    return user


class StudyPlanView(APIView):
    @extend_schema(responses=StudyPlanSerializer, summary="Your study plan")
    def get(self, request: Request) -> Response:
        user = _candidate(request)
        now = timezone.now()
        view = plan_with_items(candidate=user, now=now)
        plan = view.plan
        return Response(
            {
                "items": [
                    item_data(item, starts_on=plan.starts_on, request=request)
                    for week in view.weeks
                    for item in week.items
                ]
                if plan is not None
                else [],
                "weakness": {entry.skill_area: entry.value for entry in view.ranking},
                "weakest": view.weakest,
                "areas": [
                    {
                        "skill_area": entry.skill_area,
                        "value": entry.value,
                        "source": entry.source,
                        "interviews": entry.interviews,
                    }
                    for entry in view.ranking
                ],
                "practice": {
                    "done_last_30_days": planning.practice_done(candidate=user, now=now),
                    "goal": planning.PRACTICE_GOAL,
                },
                "starts_on": plan.starts_on.isoformat() if plan else None,
                "updated_at": plan.updated_at.isoformat() if plan else None,
            }
        )


class StudyPlanItemView(APIView):
    @extend_schema(
        request=ItemStatusSerializer, responses=PlanItemSerializer, summary="Set an item's status"
    )
    def patch(self, request: Request, item_id: int) -> Response:
        user = _candidate(request)
        item = get_plan_item_for_user(user=user, item_id=item_id)
        given = ItemStatusSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        item = planning.set_item_status(item=item, status=given.validated_data["status"])
        return Response(item_data(item, starts_on=item.plan.starts_on, request=request))
