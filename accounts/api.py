from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import signed_in_user
from accounts.models import (
    MAX_WEEKLY_CAPACITY,
    MAX_YEARS_EXPERIENCE,
    CandidateLevel,
    InterviewerLevel,
    InterviewerProfile,
    SkillArea,
    User,
    VettingStatus,
)
from accounts.profiles import (
    CandidateData,
    InterviewerData,
    ProfileData,
    is_approved_interviewer,
    save_profile,
    validate_meeting_url,
)
from accounts.timezones import validate_time_zone
from config.errors import DomainError


class SkillAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkillArea
        fields = ["slug", "name", "description"]


class SkillAreaList(generics.ListAPIView):
    serializer_class = SkillAreaSerializer
    pagination_class = None  # twelve fixed rows: one page is the whole answer

    def get_queryset(self) -> QuerySet[SkillArea]:
        return SkillArea.objects.all()


class TokenRequest(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, write_only=True)


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()


class ObtainToken(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "auth"

    @extend_schema(request=TokenRequest, responses={200: TokenResponse})
    def post(self, request: Request) -> Response:
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=data.validated_data["email"].lower(),
            password=data.validated_data["password"],
        )
        # One message for a wrong email and a wrong password, so the endpoint does not tell
        # which accounts exist.
        if user is None or not user.is_active:
            raise DomainError(
                "The email or password is not right.", code="invalid_credentials", status=400
            )
        if not EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists():
            raise DomainError(
                "Verify your email address first: follow the link we sent you.",
                code="email_not_verified",
                status=403,
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class CandidateSerializer(serializers.Serializer):
    target_level = serializers.ChoiceField(choices=CandidateLevel.choices)
    focus_areas = serializers.SlugRelatedField(
        slug_field="slug", queryset=SkillArea.objects.all(), many=True, allow_empty=False
    )
    goal = serializers.CharField(max_length=140, allow_blank=True, required=False, default="")


class InterviewerSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=InterviewerLevel.choices)
    expertise = serializers.SlugRelatedField(
        slug_field="slug", queryset=SkillArea.objects.all(), many=True, allow_empty=False
    )
    bio = serializers.CharField(max_length=2000)
    weekly_capacity = serializers.IntegerField(min_value=1, max_value=MAX_WEEKLY_CAPACITY)
    meeting_url = serializers.URLField(
        allow_blank=True,
        required=False,
        default="",
        validators=[validate_meeting_url],
        help_text="https on an allowed host (Zoom, Google Meet, Teams, Jitsi, Whereby by "
        "default), or empty for a generated room per session.",
    )
    status = serializers.CharField(read_only=True)
    decision_reason = serializers.CharField(read_only=True)
    status_message = serializers.SerializerMethodField(
        help_text="The review status in words, and what changing level or expertise does."
    )

    def get_status_message(self, profile: InterviewerProfile) -> str:
        if profile.status == VettingStatus.APPROVED:
            return (
                "Approved: candidates can be matched with you and book you. Changing your "
                "level or expertise sends your profile back to review."
            )
        if profile.status == VettingStatus.REJECTED:
            return (
                "Not approved (see decision_reason). Edit your profile to ask for another review."
            )
        if self.context.get("sent_back"):
            return (
                "Your level or expertise changed, so your profile is back in review: "
                "candidates cannot book you until staff approve it again. Sessions already "
                "booked stay."
            )
        return "Pending review: candidates can book you once staff approve your profile."


class MeSerializer(serializers.Serializer):
    """The signed-in person. PATCH with `candidate` or `interviewer` adds or edits that role."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    display_name = serializers.CharField(max_length=80)
    time_zone = serializers.CharField(max_length=64, validators=[validate_time_zone])
    years_experience = serializers.IntegerField(min_value=0, max_value=MAX_YEARS_EXPERIENCE)
    roles = serializers.SerializerMethodField()
    candidate = CandidateSerializer(source="candidate_profile", required=False, allow_null=True)
    interviewer = InterviewerSerializer(
        source="interviewer_profile", required=False, allow_null=True
    )

    def get_roles(self, user: User) -> list[str]:
        return [
            role
            for role, has in (
                ("candidate", user.is_candidate),
                ("interviewer", user.is_interviewer),
            )
            if has
        ]


class Me(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(_me_data(signed_in_user(request)))

    @extend_schema(
        request=MeSerializer,
        responses=MeSerializer,
        description=(
            "Changing an approved interviewer's level or expertise sends the profile back "
            "to review (status pending: not matched or bookable until staff approve it "
            "again; sessions already booked stay)."
        ),
    )
    def patch(self, request: Request) -> Response:
        user = signed_in_user(request)
        serializer = MeSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        attrs = serializer.validated_data
        was_approved = is_approved_interviewer(user)
        save_profile(
            user=user,
            data=ProfileData(
                display_name=attrs.get("display_name", user.display_name),
                time_zone=attrs.get("time_zone", user.time_zone),
                years_experience=attrs.get("years_experience", user.years_experience),
                candidate=_candidate_data(user, attrs.get("candidate_profile")),
                interviewer=_interviewer_data(user, attrs.get("interviewer_profile")),
            ),
        )
        sent_back = was_approved and not is_approved_interviewer(user)
        return Response(_me_data(User.objects.get(pk=user.pk), sent_back=sent_back))


def _me_data(user: User, *, sent_back: bool = False) -> dict[str, Any]:
    return dict(MeSerializer(user, context={"sent_back": sent_back}).data)


CANDIDATE_REQUIRED = ("target_level", "focus_areas")
INTERVIEWER_REQUIRED = ("level", "expertise", "bio", "weekly_capacity")


def _candidate_data(user: User, given: dict[str, Any] | None) -> CandidateData | None:
    """A PATCH edits the fields it names; adding the role needs the required ones."""
    # An empty object (or one holding only read-only fields such as `status`) changes
    # nothing for a role the person holds; for a role they lack it is an attempt to add it,
    # which must name what is missing instead of answering 200 with nothing added.
    if given is None or (not given and user.is_candidate):
        return None
    current: dict[str, Any] = {}
    if user.is_candidate:
        profile = user.candidate_profile
        current = {
            "target_level": profile.target_level,
            "focus_areas": list(profile.focus_areas.all()),
            "goal": profile.goal,
        }
    merged = current | given
    _require("candidate", merged, CANDIDATE_REQUIRED)
    return CandidateData(**merged)


def _interviewer_data(user: User, given: dict[str, Any] | None) -> InterviewerData | None:
    if given is None or (not given and user.is_interviewer):  # as for candidates
        return None
    current: dict[str, Any] = {}
    if user.is_interviewer:
        profile = user.interviewer_profile
        current = {
            "level": profile.level,
            "expertise": list(profile.expertise.all()),
            "bio": profile.bio,
            "weekly_capacity": profile.weekly_capacity,
            "meeting_url": profile.meeting_url,
        }
    merged = current | given
    _require("interviewer", merged, INTERVIEWER_REQUIRED)
    return InterviewerData(**merged)


def _require(role: str, values: dict[str, Any], names: tuple[str, ...]) -> None:
    missing = {name: ["This field is required."] for name in names if name not in values}
    if missing:
        raise serializers.ValidationError({role: missing})
