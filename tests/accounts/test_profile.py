"""The profile page: see and edit one's fields, add a role, and follow one's vetting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from accounts.models import CandidateProfile, InterviewerProfile, User, VettingStatus
from tests.factories import (
    CandidateProfileFactory,
    InterviewerProfileFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("profile")
INTERVIEWER_FIELDS = {
    "level": "senior",
    "expertise": ["caching", "reliability"],
    "bio": "Built the payments ledger.",
    "weekly_capacity": "2",
    "meeting_url": "",
}


def _candidate() -> User:
    return CandidateProfileFactory.create(
        user__display_name="Ada L",
        user__time_zone="Europe/London",
        user__years_experience=8,
        target_level="staff",
        goal="Staff at a fintech in March",
        focus_areas=["caching", "concurrency"],
    ).user


def _interviewer(**kwargs: Any) -> User:
    return InterviewerProfileFactory.create(
        user__display_name="Grace H", user__time_zone="America/New_York", **kwargs
    ).user


def _candidate_form(**overrides: Any) -> dict[str, Any]:
    return {
        "role": "candidate",
        "display_name": "Ada L",
        "time_zone": "Europe/London",
        "years_experience": "8",
        "target_level": "staff",
        "focus_areas": ["caching", "concurrency"],
        "goal": "Staff at a fintech in March",
        **overrides,
    }


def _interviewer_form(**overrides: Any) -> dict[str, Any]:
    return {
        "role": "interviewer",
        "display_name": "Grace H",
        "time_zone": "America/New_York",
        "years_experience": "12",
        "level": "staff",
        "expertise": ["scalability", "caching"],
        "bio": "Ran the storage team at a payments company.",
        "weekly_capacity": "3",
        "meeting_url": "",
        **overrides,
    }


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_it_sends_an_anonymous_visitor_to_log_in(client: Client) -> None:
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={PROFILE_URL}"


def test_it_shows_the_current_values(client: Client) -> None:
    user = _candidate()

    response = _signed_in(client, user).get(PROFILE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Ada L"' in html
    assert 'value="Europe/London"' in html
    assert 'value="8"' in html
    assert 'value="Staff at a fintech in March"' in html
    assert re.search(r'<input type="radio" name="role" value="candidate"[^>]*\schecked', html)
    assert re.search(r'<option value="staff" selected>', html)
    for slug in ("caching", "concurrency"):
        assert re.search(
            rf'<input type="checkbox" name="focus_areas" value="{slug}"[^>]*\schecked', html
        )
    assert not re.search(r'name="focus_areas" value="scalability"[^>]*\schecked', html)
    assert 'id="vetting-status"' not in html


def test_it_saves_the_display_name_and_time_zone(client: Client) -> None:
    user = _candidate()

    response = _signed_in(client, user).post(
        PROFILE_URL, _candidate_form(display_name="  Ada Lovelace ", time_zone="Asia/Tokyo")
    )

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Ada Lovelace", "Asia/Tokyo")
    page = client.get(PROFILE_URL)
    assert "Your profile is saved." in page.content.decode()
    assert 'value="Asia/Tokyo"' in page.content.decode()


def test_it_shows_and_saves_the_waking_hours(client: Client) -> None:
    user = _candidate()
    page = _signed_in(client, user).get(PROFILE_URL).content.decode()
    assert re.search(r'name="waking_hours_start" value="08:00"', page)
    assert re.search(r'name="waking_hours_end" value="22:00"', page)

    response = client.post(
        PROFILE_URL, _candidate_form(waking_hours_start="07:00", waking_hours_end="20:30")
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.waking_hours_start, user.waking_hours_end) == (time(7), time(20, 30))


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        (("21:00", "06:00"), "waking_hours_end", "End your waking hours after they start"),
        (("09:00", "09:00"), "waking_hours_end", "End your waking hours after they start"),
        (("9 am", "22:00"), "waking_hours_start", "Enter a valid time."),
    ],
)
def test_it_reshows_the_form_naming_a_wrong_waking_hour(
    client: Client, given: tuple[str, str], field: str, message: str
) -> None:
    user = _candidate()

    response = _signed_in(client, user).post(
        PROFILE_URL, _candidate_form(waking_hours_start=given[0], waking_hours_end=given[1])
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert message in response.context["form"].errors[field][0]
    user.refresh_from_db()
    assert (user.waking_hours_start, user.waking_hours_end) == (time(8), time(22))


def test_it_saves_the_candidate_fields(client: Client) -> None:
    user = _candidate()

    _signed_in(client, user).post(
        PROFILE_URL,
        _candidate_form(target_level="senior", focus_areas=["api-design"], goal="  New goal "),
    )

    profile = CandidateProfile.objects.get(user=user)
    assert (profile.target_level, profile.goal) == ("senior", "New goal")
    assert [area.slug for area in profile.focus_areas.all()] == ["api-design"]


def test_it_adds_the_interviewer_role_pending_review(client: Client) -> None:
    user = _candidate()

    response = _signed_in(client, user).post(
        PROFILE_URL, _candidate_form(role="both", **INTERVIEWER_FIELDS)
    )

    assert response.status_code == 302
    profile = InterviewerProfile.objects.get(user=user)
    assert profile.status == VettingStatus.PENDING
    assert profile.bio == "Built the payments ledger."
    assert CandidateProfile.objects.filter(user=user).exists()
    page = client.get(PROFILE_URL).content.decode()
    assert "Pending review" in page
    # Someone holding both roles is offered nothing else: roles are never dropped here.
    assert re.findall(r'name="role" value="(\w+)"', page) == ["both"]


@pytest.mark.parametrize(
    ("make_user", "offered"),
    [
        pytest.param(_candidate, ["candidate", "both"], id="candidate"),
        pytest.param(_interviewer, ["interviewer", "both"], id="interviewer"),
        pytest.param(UserFactory, ["candidate", "interviewer", "both"], id="no-role-yet"),
    ],
)
def test_it_offers_only_the_roles_a_person_may_move_to(
    client: Client, make_user: Any, offered: list[str]
) -> None:
    page = _signed_in(client, make_user()).get(PROFILE_URL).content.decode()

    assert re.findall(r'name="role" value="(\w+)"', page) == offered


def test_it_does_not_let_a_candidate_drop_their_role(client: Client) -> None:
    user = _candidate()

    response = _signed_in(client, user).post(
        PROFILE_URL,
        _candidate_form(role="interviewer", display_name="Changed", **INTERVIEWER_FIELDS),
    )

    assert response.status_code == 400
    message = "Select a valid choice. interviewer is not one of the available choices."
    assert response.context["form"].errors["role"] == [message]
    assert f'<small class="error" id="id_role_error">{escape(message)}</small>' in (
        response.content.decode()
    )
    assert CandidateProfile.objects.filter(user=user).exists()
    assert not InterviewerProfile.objects.exists()
    user.refresh_from_db()
    assert user.display_name == "Ada L"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param(
            {"time_zone": "Mars/Olympus"},
            "time_zone",
            "“Mars/Olympus” is not a time zone name. Use an IANA name such as Europe/London.",
            id="invalid-time-zone",
        ),
        pytest.param(
            {"years_experience": "61"},
            "years_experience",
            "Ensure this value is less than or equal to 60.",
            id="too-many-years",
        ),
        pytest.param(
            {"role": "both", "years_experience": "3", **INTERVIEWER_FIELDS},
            "years_experience",
            "Interviewers need at least 5 years of experience.",
            id="junior-adding-interviewer-role",
        ),
        pytest.param(
            {"focus_areas": []},
            "focus_areas",
            "Pick at least one area to work on.",
            id="no-focus-areas",
        ),
    ],
)
def test_it_rejects_bad_input_next_to_the_field_and_saves_nothing(
    client: Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    user = _candidate()

    response = _signed_in(client, user).post(
        PROFILE_URL, _candidate_form(display_name="Not Saved", goal="Not saved", **overrides)
    )

    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    html = response.content.decode()
    assert f'<small class="error" id="id_{field}_error">{escape(message)}</small>' in html
    # What was typed comes back, so nothing has to be typed twice.
    assert 'value="Not Saved"' in html
    user.refresh_from_db()
    assert (user.display_name, user.time_zone, user.years_experience) == (
        "Ada L",
        "Europe/London",
        8,
    )
    profile = CandidateProfile.objects.get(user=user)
    assert profile.goal == "Staff at a fintech in March"
    assert sorted(area.slug for area in profile.focus_areas.all()) == ["caching", "concurrency"]
    assert not InterviewerProfile.objects.exists()


def test_it_shows_an_approved_interviewer_their_status(client: Client) -> None:
    staff = StaffFactory.create()
    user = _interviewer(
        status=VettingStatus.APPROVED,
        decided_at=datetime(2025, 3, 10, 14, 30, tzinfo=UTC),
        decided_by=staff,
    )

    html = _signed_in(client, user).get(PROFILE_URL).content.decode()

    status = html[html.index('id="vetting-status"') : html.index("</article>")]
    assert "Approved" in status
    assert "Pending review" not in status
    # Shown in the viewer's zone (New York, on daylight time by 10 March), with the zone named.
    assert "Decided Monday 10 March 2025, 10:30 EDT (America/New_York)" in status


def test_it_keeps_an_approved_interviewer_approved_when_they_edit(client: Client) -> None:
    user = _interviewer(status=VettingStatus.APPROVED, decided_by=StaffFactory.create())

    response = _signed_in(client, user).post(PROFILE_URL, _interviewer_form(weekly_capacity="5"))

    assert response.status_code == 302
    profile = InterviewerProfile.objects.get(user=user)
    assert (profile.status, profile.weekly_capacity) == (VettingStatus.APPROVED, 5)


def test_it_shows_a_rejected_interviewer_the_reason(client: Client) -> None:
    user = _interviewer(
        status=VettingStatus.REJECTED,
        decision_reason="Tell us about <systems> you ran in production.",
        decided_by=StaffFactory.create(),
    )

    html = _signed_in(client, user).get(PROFILE_URL).content.decode()

    status = html[html.index('id="vetting-status"') : html.index("</article>")]
    assert "Rejected" in status
    assert "Tell us about &lt;systems&gt; you ran in production." in status


def test_it_sends_a_rejected_interviewer_back_to_review_when_they_save(client: Client) -> None:
    user = _interviewer(
        status=VettingStatus.REJECTED,
        decision_reason="Tell us about systems you ran in production.",
        decided_by=StaffFactory.create(),
    )

    response = _signed_in(client, user).post(
        PROFILE_URL, _interviewer_form(bio="Ran Kafka at 2M messages a second for 4 years.")
    )

    assert response.status_code == 302
    profile = InterviewerProfile.objects.get(user=user)
    assert profile.status == VettingStatus.PENDING
    assert profile.decision_reason == ""
    assert profile.bio == "Ran Kafka at 2M messages a second for 4 years."
    html = client.get(PROFILE_URL).content.decode()
    assert "Pending review" in html
    assert "Tell us about systems" not in html


def test_it_keeps_a_rejected_interviewer_rejected_when_the_edit_is_refused(
    client: Client,
) -> None:
    user = _interviewer(
        status=VettingStatus.REJECTED,
        decision_reason="Too short.",
        decided_by=StaffFactory.create(),
    )

    response = _signed_in(client, user).post(PROFILE_URL, _interviewer_form(time_zone="Nowhere"))

    assert response.status_code == 400
    profile = InterviewerProfile.objects.get(user=user)
    assert (profile.status, profile.decision_reason) == (VettingStatus.REJECTED, "Too short.")


def _both() -> User:
    user = _candidate()
    InterviewerProfileFactory.create(user=user)
    return user


# Measured: the session, the user, each role's profile and its areas, and the two lists of
# areas to choose from; the bound leaves two queries of slack, no more.
@pytest.mark.parametrize(
    ("make_user", "queries"),
    [
        pytest.param(_candidate, 7 + 2, id="candidate"),
        pytest.param(_interviewer, 7 + 2, id="interviewer"),
        pytest.param(_both, 8 + 2, id="both"),
    ],
)
def test_it_shows_the_profile_in_a_fixed_number_of_queries(
    client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    make_user: Any,
    queries: int,
) -> None:
    _signed_in(client, make_user())

    with django_assert_max_num_queries(queries):
        response = client.get(PROFILE_URL)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("count", "stars", "shown"),
    [
        (0, 0, "4.0★ · no reviews yet"),
        (1, 5, "4.2★ · 5.0★ from 1 review"),
        (20, 96, "4.6★ · 4.8★ from 20 reviews"),
    ],
)
def test_it_shows_an_interviewer_their_bayesian_rating(
    client: Client, count: int, stars: int, shown: str
) -> None:
    profile = InterviewerProfileFactory.create(
        status=VettingStatus.APPROVED, review_count=count, review_stars=stars
    )

    page = _signed_in(client, profile.user).get(PROFILE_URL).content.decode()

    rating = re.search(r'<p id="interviewer-rating">(.*?)</p>', page, re.S)
    assert rating is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", rating.group(1))).strip()
    assert text == f"Your rating: {shown}"
