"""The API's front door: tokens, who am I, editing my profile, and the skill areas."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import CandidateProfile, InterviewerProfile, User, VettingStatus
from config.authentication import TokenAuthentication
from tests.api import api_error
from tests.factories import (
    PASSWORD,
    CandidateProfileFactory,
    InterviewerProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"
SKILL_AREAS_URL = "/api/v1/skill-areas/"

# SPEC §3, in the order the spec lists them.
SKILL_AREA_SLUGS = [
    "requirements",
    "estimation",
    "high-level-design",
    "api-design",
    "data-modeling",
    "scalability",
    "caching",
    "concurrency",
    "real-time",
    "reliability",
    "operability",
    "communication",
]

SignIn = Callable[[User], APIClient]

FULL_INTERVIEWER = {
    "level": "senior",
    "expertise": ["caching", "reliability"],
    "bio": "Built the payments ledger.",
    "weekly_capacity": 2,
}


@pytest.fixture
def candidate() -> User:
    return CandidateProfileFactory(
        user__years_experience=8,
        target_level="staff",
        goal="Staff at a fintech in March",
        focus_areas=["caching", "concurrency"],
    ).user


@pytest.fixture
def client_of(api_client: APIClient) -> SignIn:
    def sign_in(user: User) -> APIClient:
        api_client.force_authenticate(user)
        return api_client

    return sign_in


# --- POST /api/v1/auth/token/ ---------------------------------------------------------------


@pytest.mark.parametrize("email", ["ann@example.test", "Ann@Example.TEST", " ann@example.test "])
def test_it_gives_a_verified_user_their_token(api_client: APIClient, email: str) -> None:
    user = UserFactory(email="ann@example.test")

    response = api_client.post(TOKEN_URL, {"email": email, "password": PASSWORD})

    assert response.status_code == 200, response.json()
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_it_gives_the_same_token_twice(api_client: APIClient, user: User) -> None:
    first = api_client.post(TOKEN_URL, {"email": user.email, "password": PASSWORD})
    second = api_client.post(TOKEN_URL, {"email": user.email, "password": PASSWORD})

    assert first.json()["token"] == second.json()["token"]


def test_it_answers_a_wrong_password_and_an_unknown_email_alike(api_client: APIClient) -> None:
    UserFactory(email="ann@example.test")
    UserFactory(email="gone@example.test", is_active=False)

    attempts = [
        {"email": "ann@example.test", "password": "not-the-password"},
        {"email": "nobody@example.test", "password": PASSWORD},
        {"email": "gone@example.test", "password": PASSWORD},
    ]
    responses = [api_client.post(TOKEN_URL, attempt) for attempt in attempts]

    errors = [api_error(response, 400) for response in responses]
    assert errors[0]["code"] == "invalid_credentials"
    assert errors[1] == errors[0]
    assert errors[2] == errors[0]
    assert not Token.objects.exists()


@pytest.mark.parametrize("has_unverified_address", [False, True])
def test_it_refuses_a_token_until_the_email_is_verified(
    api_client: APIClient, has_unverified_address: bool
) -> None:
    user = UserFactory(email="ann@example.test", verified=False)
    if has_unverified_address:
        EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = api_client.post(TOKEN_URL, {"email": user.email, "password": PASSWORD})

    assert api_error(response, 403)["code"] == "email_not_verified"
    assert not Token.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({}, {"email", "password"}),
        ({"email": "ann@example.test"}, {"password"}),
        ({"password": PASSWORD}, {"email"}),
        ({"email": "not-an-email", "password": PASSWORD}, {"email"}),
    ],
)
def test_it_names_the_missing_token_fields(
    api_client: APIClient, payload: dict[str, str], named: set[str]
) -> None:
    response = api_client.post(TOKEN_URL, payload)

    error = api_error(response, 400)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == named


def test_it_authenticates_with_the_token_it_gave(api_client: APIClient, user: User) -> None:
    token = api_client.post(TOKEN_URL, {"email": user.email, "password": PASSWORD}).json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get(ME_URL)

    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_it_rejects_an_unknown_token(api_client: APIClient, user: User) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = api_client.get(ME_URL)

    assert api_error(response, 401)["code"] == "authentication_failed"


def test_it_asks_anonymous_callers_to_authenticate(api_client: APIClient) -> None:
    response = api_client.get(ME_URL)

    assert api_error(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


# --- Session auth and CSRF -----------------------------------------------------------------


def test_it_accepts_a_browser_session(api_client: APIClient, user: User) -> None:
    api_client.force_login(user)

    response = api_client.get(ME_URL)

    assert response.status_code == 200
    assert response.json()["id"] == user.pk


def test_it_requires_the_csrf_token_for_a_session_write(user: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    client.cookies["csrftoken"] = secret

    refused = client.patch(ME_URL, {"display_name": "Forged"})
    accepted = client.patch(ME_URL, {"display_name": "Mine"}, HTTP_X_CSRFTOKEN=secret)

    error = api_error(refused, 403)
    assert error["code"] == "permission_denied"
    assert "CSRF" in error["message"]
    assert accepted.status_code == 200, accepted.json()
    user.refresh_from_db()
    assert user.display_name == "Mine"


# --- GET /api/v1/me/ -----------------------------------------------------------------------


def test_it_shows_a_person_without_roles(client_of: SignIn) -> None:
    user = UserFactory(
        email="ann@example.test",
        display_name="Ann",
        time_zone="America/New_York",
        years_experience=4,
    )

    body = client_of(user).get(ME_URL).json()

    assert body == {
        "id": user.pk,
        "email": "ann@example.test",
        "display_name": "Ann",
        "time_zone": "America/New_York",
        "years_experience": 4,
        "waking_hours_start": "08:00",
        "waking_hours_end": "22:00",
        "roles": [],
        "candidate": None,
        "interviewer": None,
    }


def test_it_shows_both_roles(client_of: SignIn, candidate: User) -> None:
    InterviewerProfileFactory(
        user=candidate,
        level="senior",
        expertise=["reliability"],
        bio="On call for a decade.",
        weekly_capacity=4,
        status=VettingStatus.REJECTED,
        decision_reason="Tell us more about the systems you ran.",
    )

    body = client_of(candidate).get(ME_URL).json()

    assert body["roles"] == ["candidate", "interviewer"]
    assert body["candidate"] == {
        "target_level": "staff",
        "focus_areas": ["caching", "concurrency"],
        "goal": "Staff at a fintech in March",
    }
    assert body["interviewer"] == {
        "level": "senior",
        "expertise": ["reliability"],
        "bio": "On call for a decade.",
        "weekly_capacity": 4,
        "meeting_url": "",
        "status": "rejected",
        "decision_reason": "Tell us more about the systems you ran.",
        "status_message": "Not approved (see decision_reason). "
        "Edit your profile to ask for another review.",
    }


# --- PATCH /api/v1/me/ ---------------------------------------------------------------------


def test_it_edits_the_name_and_time_zone(client_of: SignIn, user: User) -> None:
    response = client_of(user).patch(
        ME_URL, {"display_name": "Ann Lee", "time_zone": "Asia/Kolkata"}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["display_name"] == "Ann Lee"
    assert response.json()["time_zone"] == "Asia/Kolkata"
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Ann Lee", "Asia/Kolkata")


def test_it_edits_the_waking_hours(client_of: SignIn, user: User) -> None:
    response = client_of(user).patch(
        ME_URL, {"waking_hours_start": "06:30", "waking_hours_end": "23:59"}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["waking_hours_start"] == "06:30"
    assert response.json()["waking_hours_end"] == "23:59"
    user.refresh_from_db()
    assert (user.waking_hours_start, user.waking_hours_end) == (time(6, 30), time(23, 59))


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"waking_hours_start": "22:00", "waking_hours_end": "07:00"}, "waking_hours_end"),
        ({"waking_hours_start": "09:00", "waking_hours_end": "09:00"}, "waking_hours_end"),
        # Only one end given: compared with the other end as saved (22:00).
        ({"waking_hours_start": "23:00"}, "waking_hours_end"),
        ({"waking_hours_start": "25:00"}, "waking_hours_start"),
        ({"waking_hours_end": "late"}, "waking_hours_end"),
    ],
)
def test_it_rejects_waking_hours_that_do_not_end_after_they_start(
    client_of: SignIn, user: User, given: dict[str, str], field: str
) -> None:
    response = client_of(user).patch(ME_URL, given)

    assert set(api_error(response, 400)["fields"]) == {field}
    user.refresh_from_db()
    assert (user.waking_hours_start, user.waking_hours_end) == (time(8), time(22))


@pytest.mark.parametrize("time_zone", ["Mars/Olympus_Mons", "+02:00", ""])
def test_it_rejects_an_unknown_time_zone_and_saves_nothing(
    client_of: SignIn, user: User, time_zone: str
) -> None:
    before = (user.display_name, user.time_zone)

    response = client_of(user).patch(ME_URL, {"display_name": "Ann Lee", "time_zone": time_zone})

    assert set(api_error(response, 400)["fields"]) == {"time_zone"}
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == before


def test_it_adds_the_interviewer_role_pending_review(client_of: SignIn, candidate: User) -> None:
    response = client_of(candidate).patch(ME_URL, {"interviewer": FULL_INTERVIEWER})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["roles"] == ["candidate", "interviewer"]
    assert body["interviewer"]["status"] == "pending"
    profile = InterviewerProfile.objects.get(user=candidate)
    assert profile.status == VettingStatus.PENDING
    assert profile.level == "senior"
    assert sorted(profile.expertise.values_list("slug", flat=True)) == ["caching", "reliability"]
    assert profile.weekly_capacity == 2


@pytest.mark.parametrize(
    ("role", "given", "missing"),
    [
        (
            "interviewer",
            {"level": "senior", "expertise": ["caching"]},
            {"bio", "weekly_capacity"},
        ),
        ("interviewer", {"status": "approved"}, {"level", "expertise", "bio", "weekly_capacity"}),
        ("interviewer", {}, {"level", "expertise", "bio", "weekly_capacity"}),
        ("candidate", {"goal": "Senior by June"}, {"target_level", "focus_areas"}),
        ("candidate", {}, {"target_level", "focus_areas"}),
    ],
)
def test_it_names_the_fields_missing_to_add_a_role(
    client_of: SignIn, user: User, role: str, given: dict[str, Any], missing: set[str]
) -> None:
    response = client_of(user).patch(ME_URL, {"display_name": "New name", role: given})

    fields = api_error(response, 400)["fields"]
    assert set(fields) == {role}
    assert set(fields[role]) == missing
    assert not CandidateProfile.objects.filter(user=user).exists()
    assert not InterviewerProfile.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.display_name != "New name"


def test_it_refuses_the_interviewer_role_below_five_years(client_of: SignIn) -> None:
    junior = CandidateProfileFactory(user__years_experience=3).user

    response = client_of(junior).patch(
        ME_URL, {"display_name": "Keen", "interviewer": FULL_INTERVIEWER}
    )

    assert set(api_error(response, 400)["fields"]) == {"years_experience"}
    assert not InterviewerProfile.objects.filter(user=junior).exists()
    junior.refresh_from_db()
    assert junior.display_name != "Keen"


def test_it_adds_the_interviewer_role_when_the_same_request_raises_the_years(
    client_of: SignIn,
) -> None:
    junior = CandidateProfileFactory(user__years_experience=3).user

    response = client_of(junior).patch(
        ME_URL, {"years_experience": 6, "interviewer": FULL_INTERVIEWER}
    )

    assert response.status_code == 200, response.json()
    assert InterviewerProfile.objects.filter(user=junior).exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"goal": "Principal someday"},
            {
                "target_level": "staff",
                "focus_areas": ["caching", "concurrency"],
                "goal": "Principal someday",
            },
        ),
        (
            {"target_level": "senior"},
            {
                "target_level": "senior",
                "focus_areas": ["caching", "concurrency"],
                "goal": "Staff at a fintech in March",
            },
        ),
        (
            {"focus_areas": ["real-time"]},
            {
                "target_level": "staff",
                "focus_areas": ["real-time"],
                "goal": "Staff at a fintech in March",
            },
        ),
    ],
)
def test_it_keeps_the_candidate_fields_a_patch_does_not_name(
    client_of: SignIn, candidate: User, change: dict[str, Any], expected: dict[str, Any]
) -> None:
    response = client_of(candidate).patch(ME_URL, {"candidate": change})

    assert response.status_code == 200, response.json()
    assert response.json()["candidate"] == expected
    profile = CandidateProfile.objects.get(user=candidate)
    assert profile.target_level == expected["target_level"]
    assert profile.goal == expected["goal"]
    assert sorted(profile.focus_areas.values_list("slug", flat=True)) == expected["focus_areas"]


def test_it_rejects_an_unknown_focus_area_and_keeps_the_old_ones(
    client_of: SignIn, candidate: User
) -> None:
    response = client_of(candidate).patch(
        ME_URL, {"candidate": {"focus_areas": ["caching", "blockchain"]}}
    )

    fields = api_error(response, 400)["fields"]
    assert set(fields) == {"candidate"}
    assert set(fields["candidate"]) == {"focus_areas"}
    profile = CandidateProfile.objects.get(user=candidate)
    assert sorted(profile.focus_areas.values_list("slug", flat=True)) == ["caching", "concurrency"]


@pytest.mark.parametrize(
    "change",
    [{"status": "approved"}, {"status": "approved", "bio": "Trust me."}],
)
def test_it_never_lets_an_interviewer_approve_themselves(
    client_of: SignIn, change: dict[str, str]
) -> None:
    profile = InterviewerProfileFactory()

    response = client_of(profile.user).patch(ME_URL, {"interviewer": change})

    assert response.status_code == 200, response.json()
    assert response.json()["interviewer"]["status"] == "pending"
    profile.refresh_from_db()
    assert profile.status == VettingStatus.PENDING
    assert profile.decided_at is None


# --- GET /api/v1/skill-areas/ --------------------------------------------------------------


def test_it_lists_the_twelve_skill_areas_in_spec_order(
    api_client: APIClient, user: User, django_assert_max_num_queries: Any
) -> None:
    api_client.force_authenticate(user)

    with django_assert_max_num_queries(1):
        response = api_client.get(SKILL_AREAS_URL)

    assert response.status_code == 200
    assert [area["slug"] for area in response.json()] == SKILL_AREA_SLUGS
    assert all(area["name"] for area in response.json())


def test_it_lists_skill_areas_only_to_signed_in_callers(api_client: APIClient) -> None:
    response = api_client.get(SKILL_AREAS_URL)

    assert api_error(response, 401)["code"] == "not_authenticated"


def test_it_loads_the_callers_roles_with_the_token_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    user = CandidateProfileFactory.create().user
    key = Token.objects.create(user=user).key

    with django_assert_num_queries(1):
        found, _ = TokenAuthentication().authenticate_credentials(key)
        assert found.is_candidate
        assert not found.is_interviewer
