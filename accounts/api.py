from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.authentication import BaseAuthentication
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
    waking_hours_errors,
)
from accounts.timezones import validate_time_zone
from accounts.tokens import issue_token, revoke_token
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
    throttle_scope = "auth"

    def get_authenticators(self) -> list[BaseAuthentication]:
        # Asking for a token takes no credentials but the password: a stale token or a
        # session sent along must neither refuse the request nor demand a CSRF token.
        if self._asks_for_a_token():
            return []
        return super().get_authenticators()

    def get_permissions(self) -> Sequence[Any]:
        if self._asks_for_a_token():
            return [AllowAny()]
        return super().get_permissions()

    def _asks_for_a_token(self) -> bool:
        # drf-spectacular asks for the authenticators before it has set a request.
        return self.request is not None and self.request.method == "POST"

    @extend_schema(
        request=TokenRequest,
        responses={200: TokenResponse},
        description=(
            "Your API token. It stays the same until it expires, you change your password or"
            " you revoke it; then this gives a new one. Five wrong passwords for one account"
            " within 5 minutes, here and on the login page together, lock it for the rest of"
            " those minutes (429)."
        ),
    )
    def post(self, request: Request) -> Response:
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        user = _authenticate(
            request, email=data.validated_data["email"], password=data.validated_data["password"]
        )
        if not EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists():
            raise DomainError(
                "Verify your email address first: follow the link we sent you.",
                code="email_not_verified",
                status=403,
            )
        return Response({"token": issue_token(user=user).key})

    @extend_schema(
        request=None,
        responses={204: None},
        description="Revoke your API token: it answers 401 from now on.",
    )
    def delete(self, request: Request) -> Response:
        revoke_token(user=signed_in_user(request))
        return Response(status=204)


def _authenticate(request: Request, *, email: str, password: str) -> User:
    """The person with these credentials, counting a failure as the login form does."""
    try:
        # allauth's adapter keeps the login form's count of failed attempts (per address
        # and per account, in the cache); going through it makes both share one limit.
        user = get_adapter(request._request).authenticate(
            request._request, email=email.lower(), password=password
        )
    except DjangoValidationError as error:
        if error.code != "too_many_login_attempts":
            raise
        raise DomainError(
            "Too many failed attempts to sign in to this account. Wait 5 minutes and try"
            " again, or reset your password.",
            code="too_many_login_attempts",
            status=429,
        ) from None
    # One message for a wrong email and a wrong password, so the endpoint does not tell
    # which accounts exist.
    if not isinstance(user, User) or not user.is_active:
        raise DomainError(
            "The email or password is not right.", code="invalid_credentials", status=400
        )
    return user


class SkillAreaSlugField(serializers.SlugRelatedField):
    """A skill area named by its slug."""

    def to_internal_value(self, data: Any) -> SkillArea:
        # Read as a slug before the lookup: PostgreSQL refuses a NUL byte in a query with an
        # error, not with "no such row".
        serializers.SlugField().run_validation(data)
        return super().to_internal_value(data)


class CandidateSerializer(serializers.Serializer):
    target_level = serializers.ChoiceField(choices=CandidateLevel.choices)
    focus_areas = SkillAreaSlugField(
        slug_field="slug", queryset=SkillArea.objects.all(), many=True, allow_empty=False
    )
    goal = serializers.CharField(max_length=140, allow_blank=True, required=False, default="")


class InterviewerSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=InterviewerLevel.choices)
    expertise = SkillAreaSlugField(
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


# "HH:MM", which is not OpenAPI's `format: time` (that has seconds and an offset).
@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"})
class WakingTimeField(serializers.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


class MeSerializer(serializers.Serializer):
    """The signed-in person. PATCH with `candidate` or `interviewer` adds or edits that role."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    display_name = serializers.CharField(max_length=80)
    time_zone = serializers.CharField(max_length=64, validators=[validate_time_zone])
    years_experience = serializers.IntegerField(min_value=0, max_value=MAX_YEARS_EXPERIENCE)
    waking_hours_start = WakingTimeField(
        help_text="HH:MM in your time zone. Slots inside your waking hours are offered "
        "first (`in_waking_hours` on each slot). Default 08:00."
    )
    waking_hours_end = WakingTimeField(
        help_text="HH:MM in your time zone, after `waking_hours_start`; 23:59 means "
        "midnight. Default 22:00."
    )
    roles = serializers.SerializerMethodField()
    candidate = CandidateSerializer(source="candidate_profile", required=False, allow_null=True)
    interviewer = InterviewerSerializer(
        source="interviewer_profile", required=False, allow_null=True
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.instance
        errors = waking_hours_errors(
            starts=attrs.get("waking_hours_start", getattr(user, "waking_hours_start", None)),
            ends=attrs.get("waking_hours_end", getattr(user, "waking_hours_end", None)),
        )
        if errors:
            raise serializers.ValidationError({name: [text] for name, text in errors.items()})
        return attrs

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
                waking_hours=(
                    attrs.get("waking_hours_start", user.waking_hours_start),
                    attrs.get("waking_hours_end", user.waking_hours_end),
                ),
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
