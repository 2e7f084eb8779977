"""`GET /api/v1/interviewers/{id}/`: an approved interviewer's public profile (SPEC §5, §10).

The same facts the profile page shows a candidate before booking; an interviewer who is
not approved (or unknown) is a 404, so the endpoint does not reveal who applied.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import signed_in_user
from accounts.ratings import PRIOR_MEAN, PRIOR_WEIGHT
from interviews.interviewers import (
    InterviewerSummary,
    SharedComment,
    get_public_interviewer,
    interviewer_summary,
    shared_comments,
)


class RatingOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text="Reviews received.")
    mean = serializers.FloatField(allow_null=True, help_text="The plain average; null without.")
    bayesian = serializers.FloatField(
        help_text=(
            f"What matching ranks by: the average as if {PRIOR_WEIGHT} more reviews of "
            f"{PRIOR_MEAN} stars were given, so a few reviews move it gently."
        )
    )
    text = serializers.CharField(help_text='As the pages say it: "4.3★ from 12 reviews".')


class SharedCommentOutput(serializers.Serializer):
    comment = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM, in UTC: when the review was given.")


class InterviewerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    years_experience = serializers.IntegerField()
    expertise = serializers.ListField(child=serializers.CharField(), help_text="Skill-area slugs.")
    bio = serializers.CharField(allow_blank=True)
    rating = RatingOutput()
    shared_comments = SharedCommentOutput(
        many=True,
        help_text=(
            "The latest review comments (at most 5, newest first) whose authors agreed to "
            "share them; never with a name."
        ),
    )


def interviewer_data(summary: InterviewerSummary, comments: list[SharedComment]) -> dict[str, Any]:
    rating = summary.rating
    return {
        "id": summary.interviewer.pk,
        "name": summary.interviewer.name,
        "level": summary.level,
        "years_experience": summary.years_experience,
        "expertise": [area.slug for area in summary.expertise],
        "bio": summary.bio,
        "rating": {
            "count": rating.count,
            "mean": round(rating.mean, 2) if rating.mean is not None else None,
            "bayesian": round(rating.bayesian, 2),
            "text": summary.rating.text,
        },
        "shared_comments": [
            {"comment": item.comment, "month": f"{item.created_at.astimezone(UTC):%Y-%m}"}
            for item in comments
        ],
    }


class InterviewerDetail(APIView):
    """An approved interviewer's public profile, for any signed-in user."""

    @extend_schema(responses=InterviewerOutput)
    def get(self, request: Request, interviewer_id: int) -> Response:
        signed_in_user(request)
        interviewer = get_public_interviewer(interviewer_id=interviewer_id)
        data = interviewer_data(
            interviewer_summary(interviewer), shared_comments(interviewer=interviewer)
        )
        return Response(InterviewerOutput(data).data)
