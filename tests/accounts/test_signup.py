"""Sign-up through allauth's real view: roles, profiles, verification, and bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import CandidateProfile, InterviewerProfile, User, VettingStatus
from notifications.dispatch import dispatch_due
from notifications.models import Kind, Notification, State
from tests.factories import PASSWORD, CandidateProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("account_signup")
CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")

CANDIDATE = {
    "email": "ada@example.test",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "role": "candidate",
    "display_name": "Kept Name",
    "time_zone": "Europe/Berlin",
    "years_experience": "3",
    "target_level": "senior",
    "focus_areas": ["caching", "concurrency"],
    "goal": "Kept goal",
}
INTERVIEWER_FIELDS = {
    "level": "staff",
    "expertise": ["scalability", "reliability"],
    "bio": "Ran the storage team at a payments company.",
    "weekly_capacity": "4",
    "meeting_url": "https://whereby.com/ada",
}
INTERVIEWER = {**CANDIDATE, "role": "interviewer", "years_experience": "12", **INTERVIEWER_FIELDS}
BOTH = {**INTERVIEWER, "role": "both"}


def _without(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name not in names}


def _confirmation_link(message: EmailMessage) -> str:
    match = CONFIRMATION_LINK.search(str(message.body))
    assert match, message.body
    return match.group(0)


def test_it_signs_up_a_candidate_with_an_unverified_address_and_one_email(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    response = client.post(SIGNUP_URL, CANDIDATE)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ada@example.test")
    assert user.display_name == "Kept Name"
    assert user.time_zone == "Europe/Berlin"
    assert user.years_experience == 3
    assert user.check_password(PASSWORD)
    profile = CandidateProfile.objects.get(user=user)
    assert profile.target_level == "senior"
    assert profile.goal == "Kept goal"
    assert sorted(area.slug for area in profile.focus_areas.all()) == ["caching", "concurrency"]
    assert not InterviewerProfile.objects.filter(user=user).exists()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("ada@example.test", False, True)
    # Queued in the outbox with the sign-up, not sent inside the request.
    assert mailoutbox == []
    [row] = Notification.objects.filter(kind=Kind.ACCOUNT)
    assert (row.recipient, row.address, row.state) == (user, "ada@example.test", State.PENDING)

    assert dispatch_due() == 1

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.test"]
    assert _confirmation_link(mailoutbox[0])
    assert [mimetype for _, mimetype in mailoutbox[0].alternatives] == ["text/html"]
    row.refresh_from_db()
    # Sent, and the one-time link is not kept in the database.
    assert (row.state, row.payload) == (State.SENT, {})


def test_it_verifies_the_address_on_post_and_logs_the_person_in(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    client.post(SIGNUP_URL, CANDIDATE)
    dispatch_due()
    link = _confirmation_link(mailoutbox[0])

    # GET only shows the page with its button (ACCOUNT_CONFIRM_EMAIL_ON_GET is False).
    page = client.get(link)
    assert page.status_code == 200
    # The page signs the key afresh (allauth's HMAC keys carry the time), so its action
    # equals the emailed link unless a second ticked in between: compare the shape.
    assert re.search(r'action="/accounts/confirm-email/[^"/]+/"', page.content.decode())
    assert not EmailAddress.objects.get(email="ada@example.test").verified
    assert client.get(reverse("profile")).status_code == 302

    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert EmailAddress.objects.get(email="ada@example.test").verified
    profile_page = client.get(reverse("profile"))
    assert profile_page.status_code == 200
    assert profile_page.context["user"].email == "ada@example.test"


def test_it_verifies_from_another_browser_without_logging_that_browser_in(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    client.post(SIGNUP_URL, CANDIDATE)
    dispatch_due()
    other_browser = Client()

    response = other_browser.post(_confirmation_link(mailoutbox[0]))

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ada@example.test").verified
    assert other_browser.get(reverse("profile")).status_code == 302


def test_it_keeps_an_unverified_person_out_of_the_profile(client: Client) -> None:
    client.post(SIGNUP_URL, CANDIDATE)
    browser = Client()

    response = browser.post(
        reverse("account_login"), {"login": "ada@example.test", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    profile_page = browser.get(reverse("profile"))
    assert profile_page.status_code == 302
    assert profile_page["Location"].startswith(reverse("account_login"))


def test_it_signs_up_an_interviewer_pending_review(client: Client) -> None:
    response = client.post(SIGNUP_URL, INTERVIEWER)

    assert response.status_code == 302
    user = User.objects.get(email="ada@example.test")
    profile = InterviewerProfile.objects.get(user=user)
    assert profile.status == VettingStatus.PENDING
    assert (profile.level, profile.weekly_capacity) == ("staff", 4)
    assert profile.bio == "Ran the storage team at a payments company."
    assert profile.meeting_url == "https://whereby.com/ada"
    assert sorted(area.slug for area in profile.expertise.all()) == ["reliability", "scalability"]
    assert (profile.decided_at, profile.decided_by) == (None, None)
    assert not CandidateProfile.objects.filter(user=user).exists()


def test_it_signs_up_someone_for_both_roles(client: Client) -> None:
    client.post(SIGNUP_URL, BOTH)

    user = User.objects.get(email="ada@example.test")
    assert user.is_candidate
    assert user.is_interviewer
    assert user.candidate_profile.target_level == "senior"
    assert user.interviewer_profile.status == VettingStatus.PENDING


def test_it_ignores_the_other_roles_fields(client: Client) -> None:
    # The page posts every section; only the chosen role's fields are used.
    client.post(SIGNUP_URL, {**CANDIDATE, **INTERVIEWER_FIELDS})

    assert not InterviewerProfile.objects.exists()
    assert CandidateProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param(
            {**CANDIDATE, "time_zone": "Mars/Olympus"},
            "time_zone",
            "“Mars/Olympus” is not a time zone name. Use an IANA name such as Europe/London.",
            id="invalid-time-zone",
        ),
        pytest.param(
            {**CANDIDATE, "time_zone": "+02:00"},
            "time_zone",
            "“+02:00” is not a time zone name. Use an IANA name such as Europe/London.",
            id="offset-instead-of-zone",
        ),
        pytest.param(
            {**CANDIDATE, "password1": "password", "password2": "password"},
            "password1",
            "This password is too common.",
            id="common-password",
        ),
        pytest.param(
            {**CANDIDATE, "password1": "12345678", "password2": "12345678"},
            "password1",
            "This password is entirely numeric.",
            id="numeric-password",
        ),
        pytest.param(
            _without(CANDIDATE, "role"),
            "role",
            "Choose whether you join as a candidate, an interviewer or both.",
            id="no-role",
        ),
        pytest.param(
            {**CANDIDATE, "years_experience": "-1"},
            "years_experience",
            "Ensure this value is greater than or equal to 0.",
            id="negative-years",
        ),
        pytest.param(
            {**CANDIDATE, "years_experience": "61"},
            "years_experience",
            "Ensure this value is less than or equal to 60.",
            id="too-many-years",
        ),
        pytest.param(
            {**INTERVIEWER, "years_experience": "4"},
            "years_experience",
            "Interviewers need at least 5 years of experience.",
            id="junior-interviewer",
        ),
        pytest.param(
            {**BOTH, "years_experience": "4"},
            "years_experience",
            "Interviewers need at least 5 years of experience.",
            id="junior-candidate-and-interviewer",
        ),
        pytest.param(
            {**CANDIDATE, "target_level": ""},
            "target_level",
            "Choose the level you are aiming for.",
            id="candidate-without-target-level",
        ),
        pytest.param(
            _without(CANDIDATE, "focus_areas"),
            "focus_areas",
            "Pick at least one area to work on.",
            id="candidate-without-focus-areas",
        ),
        pytest.param(
            {**INTERVIEWER, "level": ""},
            "level",
            "Choose your level.",
            id="interviewer-without-level",
        ),
        pytest.param(
            _without(INTERVIEWER, "expertise"),
            "expertise",
            "Pick at least one area you know well.",
            id="interviewer-without-expertise",
        ),
        pytest.param(
            {**INTERVIEWER, "bio": "   "},
            "bio",
            "Tell candidates about your experience.",
            id="interviewer-without-bio",
        ),
        pytest.param(
            _without(BOTH, "target_level"),
            "target_level",
            "Choose the level you are aiming for.",
            id="both-without-target-level",
        ),
        pytest.param(
            _without(BOTH, "bio"),
            "bio",
            "Tell candidates about your experience.",
            id="both-without-bio",
        ),
    ],
)
def test_it_rejects_bad_input_next_to_the_field_and_keeps_what_was_typed(
    client: Client,
    mailoutbox: list[EmailMessage],
    data: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = client.post(SIGNUP_URL, data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    html = response.content.decode()
    # The first error carries the id the input's aria-describedby points at; later ones
    # are numbered so that ids stay unique.
    assert re.search(
        rf'<small class="error" id="id_{field}_error(_\d+)?">{re.escape(escape(message))}</small>',
        html,
    )
    assert 'value="ada@example.test"' in html
    assert 'value="Kept Name"' in html
    assert 'value="Kept goal"' in html
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not CandidateProfile.objects.exists()
    assert not InterviewerProfile.objects.exists()
    assert mailoutbox == []


def test_it_keeps_the_chosen_role_and_areas_when_the_form_comes_back(client: Client) -> None:
    response = client.post(SIGNUP_URL, {**BOTH, "time_zone": "Mars/Olympus"})

    html = response.content.decode()
    assert re.search(r'<input type="radio" name="role" value="both"[^>]*\schecked', html)
    assert re.search(
        r'<input type="checkbox" name="focus_areas" value="caching"[^>]*\schecked', html
    )
    assert re.search(
        r'<input type="checkbox" name="expertise" value="reliability"[^>]*\schecked', html
    )
    assert "Ran the storage team at a payments company.</textarea>" in html
    assert 'value="Mars/Olympus"' in html


def test_it_refuses_a_taken_email_in_another_case_and_keeps_what_was_typed(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    owner = UserFactory.create(email="ada@example.test", display_name="Owner", time_zone="UTC")

    response = client.post(
        SIGNUP_URL, {**CANDIDATE, "email": "Ada@Example.TEST", "display_name": "Typed Name"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["email"]
    assert any("already registered" in error for error in errors)
    html = response.content.decode()
    assert "already registered" in html
    assert 'value="Typed Name"' in html
    assert User.objects.get() == owner
    owner.refresh_from_db()
    assert (owner.display_name, owner.time_zone) == ("Owner", "UTC")
    assert not CandidateProfile.objects.exists()
    assert mailoutbox == []


def test_it_does_not_add_a_role_to_an_existing_account_through_sign_up(client: Client) -> None:
    owner = CandidateProfileFactory.create(user__email="ada@example.test").user

    client.post(SIGNUP_URL, {**INTERVIEWER, "email": "ADA@example.test"})

    assert not InterviewerProfile.objects.exists()
    assert User.objects.get() == owner


def test_it_offers_the_roles_and_time_zone_suggestions_under_the_nonce_policy(
    client: Client,
) -> None:
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    html = response.content.decode()
    for role in ("candidate", "interviewer", "both"):
        assert re.search(rf'<input type="radio" name="role" value="{role}"', html)
    time_zone = re.search(r'<input [^>]*name="time_zone"[^>]*>', html)
    assert time_zone
    datalist = re.search(r'\slist="([^"]+)"', time_zone.group(0))
    assert datalist
    assert f'<datalist id="{datalist.group(1)}">' in html
    assert '<option value="Europe/London">' in html

    policy_nonce = re.search(
        r"script-src [^;]*'nonce-([^']+)'", response["Content-Security-Policy"]
    )
    assert policy_nonce
    script_nonces = re.findall(r'<script\b[^>]*\snonce="([^"]*)"', html)
    assert script_nonces
    assert set(script_nonces) == {policy_nonce.group(1)}
    assert len(re.findall(r"<script\b", html)) == len(script_nonces)


def test_it_gives_each_response_its_own_nonce(client: Client) -> None:
    first = client.get(SIGNUP_URL)["Content-Security-Policy"]
    second = client.get(SIGNUP_URL)["Content-Security-Policy"]

    assert first != second
