"""`GET|PATCH /api/v1/me/notifications/`: which kinds of email the caller gets (SPEC §10).

GET answers `{"opted_out": [kind], "kinds": {kind: bool}, "always_sent": [kind]}`. PATCH
takes `opted_out` (the whole list, replacing it) or `kinds` (only the kinds named, true to
receive), or both; a kind that cannot be turned off is a 400 naming it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import signed_in_user
from accounts.models import User
from notifications import preferences
from notifications.models import ALWAYS_SENT, OPTIONAL, Kind

CANNOT = "Confirmations, cancellations, moves, vetting decisions and account email are always sent."


class NotificationSettingsSerializer(serializers.Serializer):
    opted_out = serializers.ListField(
        child=serializers.ChoiceField(choices=Kind.values),
        required=False,
        max_length=len(Kind.values),
        help_text="The kinds you do not want; PATCH replaces the whole list.",
    )
    kinds = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        help_text="Every kind: true when you get it. PATCH changes only the kinds named.",
    )
    always_sent = serializers.ListField(child=serializers.CharField(), read_only=True)

    def validate_opted_out(self, value: list[str]) -> list[str]:
        if fixed := sorted(set(value) & ALWAYS_SENT):
            raise serializers.ValidationError(f"{', '.join(fixed)}: {CANNOT}")
        return value

    def validate_kinds(self, value: dict[str, bool]) -> dict[str, bool]:
        if unknown := sorted(set(value) - set(Kind.values)):
            raise serializers.ValidationError(
                {kind[:40]: "Not a kind of notification." for kind in unknown[:10]}
            )
        if fixed := sorted(
            kind for kind, wanted in value.items() if kind in ALWAYS_SENT and not wanted
        ):
            raise serializers.ValidationError({kind: CANNOT for kind in fixed})
        return value


def settings_data(user: User) -> dict[str, Any]:
    opted_out = preferences.opted_out(user)
    return {
        "opted_out": [kind for kind in OPTIONAL if kind in opted_out],
        "kinds": {kind: kind not in opted_out for kind in Kind.values},
        "always_sent": [kind for kind in Kind.values if kind in ALWAYS_SENT],
    }


class MyNotifications(APIView):
    @extend_schema(responses=NotificationSettingsSerializer)
    def get(self, request: Request) -> Response:
        return Response(settings_data(signed_in_user(request)))

    @extend_schema(request=NotificationSettingsSerializer, responses=NotificationSettingsSerializer)
    def patch(self, request: Request) -> Response:
        user = signed_in_user(request)
        serializer = NotificationSettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        attrs = serializer.validated_data
        opted_out = set(attrs.get("opted_out", preferences.opted_out(user)))
        for kind, wanted in attrs.get("kinds", {}).items():
            if kind in ALWAYS_SENT:
                continue
            if wanted:
                opted_out.discard(kind)
            else:
                opted_out.add(kind)
        preferences.set_opted_out(user=user, kinds=opted_out)
        return Response(settings_data(user))
