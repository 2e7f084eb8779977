"""An interviewer editing their profile (SPEC §1): what sends it back to review, and the
meeting URL allow-list, through the API (`PATCH /api/v1/me/`) and the profile page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import InterviewerProfile, User, VettingStatus
from accounts.profiles import meeting_host_allowed
from accounts.vetting import pending_interviewers
from config.errors import DomainError
from interviews.booking import book_session
from interviews.matching import find_matches
from interviews.models import SessionStatus
from tests.api import api_error
from tests.factories import StaffFactory, approved_interviewer, candidate_user

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/me/"
PROFILE_URL = reverse("profile")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, as in the booking tests
BACK_IN_REVIEW = "back in review"


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def interviewer() -> User:
    # Approved, staff level, expertise scalability and caching (the factory's), free daily.
    return approved_interviewer()


def _patch(user: User, interviewer: dict[str, Any]) -> Any:
    client = APIClient()
    client.force_authenticate(user)
    return client.patch(ME_URL, {"interviewer": interviewer}, format="json")


def _profile(user: User) -> InterviewerProfile:
    return InterviewerProfile.objects.get(user=user)


def _form(user: User, **overrides: Any) -> dict[str, Any]:
    profile = _profile(user)
    return {
        "role": "interviewer",
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "years_experience": str(user.years_experience),
        "level": profile.level,
        "expertise": [area.slug for area in profile.expertise.all()],
        "bio": profile.bio,
        "weekly_capacity": str(profile.weekly_capacity),
        "meeting_url": profile.meeting_url,
        **overrides,
    }


# --- Back to review ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change", [{"level": "principal"}, {"expertise": ["scalability", "reliability"]}]
)
def test_it_sends_an_approved_interviewer_back_to_review_on_level_or_expertise(
    interviewer: User, change: dict[str, Any]
) -> None:
    candidate = candidate_user()
    booked = book_session(
        candidate=candidate,
        interviewer_id=interviewer.pk,
        start=NOW + timedelta(days=1, hours=1),
        now=NOW,
    )

    offered = _matched(candidate, interviewer)

    response = _patch(interviewer, change)

    assert response.status_code == 200, response.json()
    shown = response.json()["interviewer"]
    assert shown["status"] == "pending"
    assert BACK_IN_REVIEW in shown["status_message"]
    assert "Sessions already booked stay." in shown["status_message"]
    assert _profile(interviewer) in pending_interviewers()
    booked.refresh_from_db()
    assert booked.status == SessionStatus.SCHEDULED
    # Pending: neither bookable nor offered.
    with pytest.raises(DomainError, check=lambda error: error.code == "interviewer_not_approved"):
        book_session(
            candidate=candidate_user(),
            interviewer_id=interviewer.pk,
            start=NOW + timedelta(days=2, hours=1),
            now=NOW,
        )
    assert offered
    assert not _matched(candidate, interviewer)


def _matched(candidate: User, interviewer: User) -> bool:
    matches = find_matches(
        candidate=candidate, start=NOW, end=NOW + timedelta(days=7), now=NOW, limit=10
    )
    return interviewer.pk in [match.interviewer.pk for match in matches]


@pytest.mark.parametrize(
    "change",
    [
        {"bio": "Ran storage at a bank."},
        {"weekly_capacity": 5},
        {"meeting_url": "https://us02web.zoom.us/j/123456"},
        {"level": "staff", "expertise": ["caching", "scalability"]},  # the same, reordered
    ],
)
def test_it_keeps_an_approved_interviewer_approved_on_other_edits(
    interviewer: User, change: dict[str, Any]
) -> None:
    response = _patch(interviewer, change)

    assert response.status_code == 200, response.json()
    assert response.json()["interviewer"]["status"] == "approved"
    assert "sends your profile back to review" in response.json()["interviewer"]["status_message"]
    assert _profile(interviewer).status == VettingStatus.APPROVED


def test_it_warns_on_the_page_and_says_the_profile_is_back_in_review(
    client: Client, interviewer: User
) -> None:
    client.force_login(interviewer)

    before = client.get(PROFILE_URL)
    saved = client.post(PROFILE_URL, _form(interviewer, level="principal"), follow=True)
    staff_client = Client()
    staff_client.force_login(StaffFactory.create())
    queue = staff_client.get(reverse("vetting_queue"))

    assert before.status_code == 200
    assert (
        before.content.decode().count(
            "Changing your level or expertise sends your profile back to review"
        )
        == 1
    )
    assert saved.status_code == 200
    page = saved.content.decode()
    assert "You changed your level or expertise, so it is back in review" in page
    assert "Sessions already booked stay." in page
    assert _profile(interviewer).status == VettingStatus.PENDING
    assert queue.status_code == 200
    assert f'id="applicant-{_profile(interviewer).pk}"' in queue.content.decode()


def test_it_just_saves_an_edit_that_keeps_the_approval(client: Client, interviewer: User) -> None:
    client.force_login(interviewer)

    saved = client.post(PROFILE_URL, _form(interviewer, bio="Ran storage at a bank."), follow=True)

    assert saved.status_code == 200
    assert "Your profile is saved." in saved.content.decode()
    assert BACK_IN_REVIEW not in saved.content.decode()
    assert _profile(interviewer).status == VettingStatus.APPROVED


# --- The meeting URL ---------------------------------------------------------------------------

REFUSED_URLS = [
    "http://zoom.us/j/123",
    "https://zoom.us.evil.test/j/123",
    "https://evil.test/zoom.us/j/123",
    "https://zoom.us@evil.test/j/123",
    "https://evilzoom.us/j/123",
    "https://meet.google.com:8443/abc-defg-hij",
    "https://sub.meet.jit.si/room",
]
ACCEPTED_URLS = [
    "",
    "https://zoom.us/j/123",
    "https://us02web.zoom.us/j/123?pwd=abc",
    "https://meet.google.com/abc-defg-hij",
    "https://teams.microsoft.com/l/meetup-join/abc",
    "https://teams.live.com/meet/123",
    "https://meet.jit.si/grace-room",
    "https://whereby.com/grace",
    "https://grace.whereby.com/room",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_it_refuses_a_meeting_url_off_the_allow_list(interviewer: User, url: str) -> None:
    response = _patch(interviewer, {"meeting_url": url})

    error = api_error(response, 400)
    assert list(error["fields"]) == ["interviewer"]
    assert list(error["fields"]["interviewer"]) == ["meeting_url"]
    assert (
        "https link on one of zoom.us, meet.google.com"
        in (error["fields"]["interviewer"]["meeting_url"][0])
    )
    assert _profile(interviewer).meeting_url == ""


@pytest.mark.parametrize("url", ACCEPTED_URLS)
def test_it_takes_a_meeting_url_on_the_allow_list(interviewer: User, url: str) -> None:
    response = _patch(interviewer, {"meeting_url": url})

    assert response.status_code == 200, response.json()
    assert _profile(interviewer).meeting_url == url


@override_settings(MEETING_HOSTS=["meet.example.test"])
def test_it_reads_the_allow_list_from_the_settings(interviewer: User) -> None:
    taken = _patch(interviewer, {"meeting_url": "https://meet.example.test/grace"})
    refused = _patch(interviewer, {"meeting_url": "https://zoom.us/j/123"})

    assert taken.status_code == 200, taken.json()
    assert "meeting_url" in api_error(refused, 400)["fields"]["interviewer"]


def test_it_shows_the_meeting_url_error_by_the_field(client: Client, interviewer: User) -> None:
    client.force_login(interviewer)

    response = client.post(PROFILE_URL, _form(interviewer, meeting_url="https://evil.test/login"))

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_meeting_url_error"' in page
    assert "https link on one of zoom.us" in page
    assert _profile(interviewer).meeting_url == ""


@pytest.mark.parametrize(
    ("host", "allowed"),
    [("zoom.us", True), ("US02WEB.zoom.us.", True), ("zoom.us.evil.test", False)],
)
def test_it_matches_a_host_and_its_subdomains_only_with_a_leading_dot(
    host: str, allowed: bool
) -> None:
    assert meeting_host_allowed(host, [".zoom.us", "meet.jit.si"]) is allowed
    assert meeting_host_allowed(f"x.{host}", ["zoom.us"]) is False
