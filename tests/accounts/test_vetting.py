"""Vetting interviewers: the services, the staff queue page, the email, and the admin."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks, Settings

from accounts.models import InterviewerProfile, User, VettingDecision, VettingStatus
from accounts.vetting import approve_interviewer, links_in, reject_interviewer
from notifications.dispatch import dispatch_due
from notifications.models import Kind, Notification, State
from tests.factories import InterviewerProfileFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
QUEUE_URL = reverse("vetting_queue")


def _approve_url(profile: InterviewerProfile) -> str:
    return reverse("vetting_approve", args=[profile.pk])


def _reject_url(profile: InterviewerProfile) -> str:
    return reverse("vetting_reject", args=[profile.pk])


def _reload(profile: InterviewerProfile) -> InterviewerProfile:
    return InterviewerProfile.objects.get(pk=profile.pk)


def _html_part(message: EmailMessage) -> str:
    assert isinstance(message, EmailMultiAlternatives)
    parts = [str(content) for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(parts) == 1
    return parts[0]


@pytest.fixture
def staff() -> User:
    return StaffFactory.create(display_name="Rita Reviewer")


@pytest.fixture
def staff_client(client: Client, staff: User) -> Client:
    client.force_login(staff)
    return client


@pytest.fixture
def applicant() -> InterviewerProfile:
    return InterviewerProfileFactory.create(
        user__display_name="Grace H", user__email="grace@example.test"
    )


# --- Services -----------------------------------------------------------------------------


def test_it_approves_and_records_who_and_when(applicant: InterviewerProfile, staff: User) -> None:
    returned = approve_interviewer(profile_id=applicant.pk, decided_by=staff, now=NOW)

    profile = _reload(applicant)
    assert returned == profile
    assert profile.status == VettingStatus.APPROVED
    assert profile.is_approved
    assert profile.decided_at == NOW
    assert profile.decided_by == staff
    assert profile.decision_reason == ""


def test_it_rejects_with_the_reason_stripped(applicant: InterviewerProfile, staff: User) -> None:
    reject_interviewer(
        profile_id=applicant.pk,
        decided_by=staff,
        reason="  Tell us about systems you ran in production.\n",
        now=NOW,
    )

    profile = _reload(applicant)
    assert profile.status == VettingStatus.REJECTED
    assert profile.decision_reason == "Tell us about systems you ran in production."
    assert (profile.decided_at, profile.decided_by) == (NOW, staff)


def test_it_records_the_current_time_when_no_now_is_given(
    applicant: InterviewerProfile, staff: User
) -> None:
    before = datetime.now(UTC)

    approve_interviewer(profile_id=applicant.pk, decided_by=staff)

    decided_at = _reload(applicant).decided_at
    assert decided_at is not None
    assert before <= decided_at <= datetime.now(UTC)


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_it_requires_a_reason_to_reject(
    applicant: InterviewerProfile, staff: User, reason: str
) -> None:
    with pytest.raises(ValidationError) as error:
        reject_interviewer(profile_id=applicant.pk, decided_by=staff, reason=reason, now=NOW)

    assert "reason" in error.value.message_dict
    profile = _reload(applicant)
    assert (profile.status, profile.decided_at, profile.decided_by) == (
        VettingStatus.PENDING,
        None,
        None,
    )


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_it_lets_only_staff_decide(applicant: InterviewerProfile, decide: str) -> None:
    someone = UserFactory.create()

    with pytest.raises(ValidationError) as error:
        if decide == "approve":
            approve_interviewer(profile_id=applicant.pk, decided_by=someone, now=NOW)
        else:
            reject_interviewer(profile_id=applicant.pk, decided_by=someone, reason="No.", now=NOW)

    assert error.value.messages == ["Only staff decide on interviewers."]

    assert _reload(applicant).status == VettingStatus.PENDING


def test_it_does_not_let_staff_vet_their_own_profile(staff: User) -> None:
    own = InterviewerProfileFactory.create(user=staff)

    with pytest.raises(ValidationError) as error:
        approve_interviewer(profile_id=own.pk, decided_by=staff, now=NOW)

    assert error.value.messages == ["You cannot vet your own interviewer profile."]

    assert _reload(own).status == VettingStatus.PENDING


def test_it_replaces_a_rejection_with_a_later_approval(
    applicant: InterviewerProfile, staff: User
) -> None:
    reject_interviewer(profile_id=applicant.pk, decided_by=staff, reason="Too short.", now=NOW)
    later = NOW + timedelta(days=1)
    second_staff = StaffFactory.create()

    approve_interviewer(profile_id=applicant.pk, decided_by=second_staff, now=later)

    profile = _reload(applicant)
    assert (profile.status, profile.decision_reason) == (VettingStatus.APPROVED, "")
    assert (profile.decided_at, profile.decided_by) == (later, second_staff)


def test_it_queues_the_email_once_the_decision_commits(
    applicant: InterviewerProfile,
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        approve_interviewer(profile_id=applicant.pk, decided_by=staff, now=NOW)

    assert len(callbacks) == 1


def test_it_changes_nothing_when_the_same_decision_is_made_again(
    applicant: InterviewerProfile,
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    approve_interviewer(profile_id=applicant.pk, decided_by=staff, now=NOW)

    with django_capture_on_commit_callbacks() as callbacks:
        approve_interviewer(
            profile_id=applicant.pk, decided_by=StaffFactory.create(), now=NOW + timedelta(hours=1)
        )

    assert callbacks == []
    profile = _reload(applicant)
    assert (profile.decided_at, profile.decided_by) == (NOW, staff)


def test_it_keeps_every_decision_in_the_history(applicant: InterviewerProfile, staff: User) -> None:
    other = StaffFactory.create(display_name="Otto Other")
    reject_interviewer(profile_id=applicant.pk, decided_by=staff, reason="Too vague.", now=NOW)
    approve_interviewer(profile_id=applicant.pk, decided_by=other, now=NOW + timedelta(days=2))
    # The same decision again is no new decision.
    approve_interviewer(profile_id=applicant.pk, decided_by=staff, now=NOW + timedelta(days=3))

    history = [
        (decision.status, decision.decided_by, decision.reason, decision.decided_at)
        for decision in VettingDecision.objects.filter(profile=applicant)
    ]

    assert history == [
        (VettingStatus.APPROVED, other, "", NOW + timedelta(days=2)),
        (VettingStatus.REJECTED, staff, "Too vague.", NOW),
    ]


def test_it_records_nothing_for_a_refused_decision(applicant: InterviewerProfile) -> None:
    with pytest.raises(ValidationError):
        approve_interviewer(profile_id=applicant.pk, decided_by=UserFactory.create(), now=NOW)

    assert not VettingDecision.objects.exists()


@pytest.mark.parametrize(
    ("bio", "links"),
    [
        ("No links here.", []),
        (
            "Talks: https://example.test/talk. Code (https://github.com/grace) and "
            "https://example.test/talk again; also http://blog.example.test/p?q=1, done",
            [
                "https://example.test/talk",
                "https://github.com/grace",
                "http://blog.example.test/p?q=1",
            ],
        ),
    ],
    ids=["none", "in-prose"],
)
def test_it_finds_the_links_an_applicant_gave(bio: str, links: list[str]) -> None:
    assert links_in(bio) == links


# --- The decision email ------------------------------------------------------------------


def test_it_emails_an_approval_with_text_and_html(
    applicant: InterviewerProfile, staff: User, mailoutbox: list[EmailMessage]
) -> None:
    approve_interviewer(profile_id=applicant.pk, decided_by=staff, now=NOW)

    sent = dispatch_due(now=NOW)

    assert sent == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["grace@example.test"]
    assert message.subject == "You are approved as a Mockloop interviewer"
    text = str(message.body)
    assert "Hello Grace H," in text
    assert "approved your interviewer profile" in text
    assert f"{django_settings.SITE_URL}{reverse('profile')}" in text
    html = _html_part(message)
    assert "approved your interviewer profile" in html
    assert f'href="{django_settings.SITE_URL}{reverse("profile")}"' in html
    row = Notification.objects.get(kind=Kind.VETTING_DECISION, recipient=applicant.user)
    assert (row.state, row.sent_at) == (State.SENT, NOW)


def test_it_emails_a_rejection_with_the_reason(
    applicant: InterviewerProfile, staff: User, mailoutbox: list[EmailMessage]
) -> None:
    reject_interviewer(
        profile_id=applicant.pk,
        decided_by=staff,
        reason="Tell us about <systems> you ran in production.",
        now=NOW,
    )

    assert dispatch_due(now=NOW) == 1

    [message] = mailoutbox
    assert message.subject == "Your Mockloop interviewer application"
    text = str(message.body)
    assert "could not approve it yet" in text
    assert "you ran in production." in text
    html = _html_part(message)
    assert "could not approve it yet" in html
    assert "Tell us about &lt;systems&gt; you ran in production." in html
    assert "approved your interviewer profile" not in text + html


def test_it_writes_the_reason_as_typed_in_the_text_part(
    applicant: InterviewerProfile, staff: User, mailoutbox: list[EmailMessage]
) -> None:
    reject_interviewer(
        profile_id=applicant.pk,
        decided_by=staff,
        reason="Tell us about <systems> you ran & how.",
        now=NOW,
    )

    dispatch_due(now=NOW)

    assert "Tell us about <systems> you ran & how." in str(mailoutbox[0].body)


def test_it_emails_each_decision_only_once(
    applicant: InterviewerProfile, staff: User, mailoutbox: list[EmailMessage]
) -> None:
    approve_interviewer(profile_id=applicant.pk, decided_by=staff, now=NOW)
    # The same decision saved again (a double click) adds no second email.
    approve_interviewer(profile_id=applicant.pk, decided_by=staff, now=NOW + timedelta(seconds=1))
    dispatch_due(now=NOW)

    again = dispatch_due(now=NOW + timedelta(minutes=1))

    assert again == 0
    assert len(mailoutbox) == 1


def test_it_sends_nothing_for_a_decision_that_was_replaced(
    applicant: InterviewerProfile, staff: User, mailoutbox: list[EmailMessage]
) -> None:
    reject_interviewer(profile_id=applicant.pk, decided_by=staff, reason="No.", now=NOW)
    later = NOW + timedelta(minutes=5)
    approve_interviewer(profile_id=applicant.pk, decided_by=staff, now=later)

    # Both decisions were queued before the dispatcher ran: only the one that stands goes.
    assert dispatch_due(now=later) == 1

    assert [message.subject for message in mailoutbox] == [
        "You are approved as a Mockloop interviewer"
    ]
    rows = Notification.objects.filter(kind=Kind.VETTING_DECISION).order_by("due_at")
    assert [(row.state, row.note) for row in rows] == [
        (State.SKIPPED, "A later decision replaced this one."),
        (State.SENT, ""),
    ]


def test_it_sends_nothing_for_a_deleted_profile(
    applicant: InterviewerProfile, staff: User, mailoutbox: list[EmailMessage]
) -> None:
    approve_interviewer(profile_id=applicant.pk, decided_by=staff, now=NOW)
    profile_id = applicant.pk
    applicant.delete()

    assert not InterviewerProfile.objects.filter(pk=profile_id).exists()

    assert dispatch_due(now=NOW) == 0
    assert mailoutbox == []


# --- The queue page ----------------------------------------------------------------------


def _vetting_url(url_name: str, applicant: InterviewerProfile) -> str:
    return reverse(url_name, args=[] if url_name == "vetting_queue" else [applicant.pk])


def _ask(client: Client, url_name: str, url: str) -> Any:
    if url_name == "vetting_queue":
        return client.get(url)
    return client.post(url, {"reason": "No."})


@pytest.mark.parametrize("url_name", ["vetting_queue", "vetting_approve", "vetting_reject"])
def test_it_sends_an_anonymous_visitor_to_our_login(
    client: Client, applicant: InterviewerProfile, url_name: str
) -> None:
    url = _vetting_url(url_name, applicant)

    response = _ask(client, url_name, url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert _reload(applicant).status == VettingStatus.PENDING


@pytest.mark.parametrize("url_name", ["vetting_queue", "vetting_approve", "vetting_reject"])
def test_it_shows_a_signed_in_non_staff_user_our_403_page(
    client: Client, applicant: InterviewerProfile, url_name: str
) -> None:
    client.force_login(UserFactory.create())

    response = _ask(client, url_name, _vetting_url(url_name, applicant))

    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert "This page is not yours to open" in page
    assert "Only staff open the vetting queue" in page
    assert _reload(applicant).status == VettingStatus.PENDING


def test_it_lists_only_pending_interviewers_oldest_first(staff_client: Client) -> None:
    newer = InterviewerProfileFactory.create(created_at=NOW - timedelta(days=1))
    oldest = InterviewerProfileFactory.create(created_at=NOW - timedelta(days=9))
    middle = InterviewerProfileFactory.create(created_at=NOW - timedelta(days=3))
    approved = InterviewerProfileFactory.create(status=VettingStatus.APPROVED)
    rejected = InterviewerProfileFactory.create(
        status=VettingStatus.REJECTED, decision_reason="No."
    )

    response = staff_client.get(QUEUE_URL)

    assert response.status_code == 200
    assert list(response.context["profiles"]) == [oldest, middle, newer]
    html = response.content.decode()
    assert re.findall(r'<article class="queue-item" id="applicant-(\d+)"', html) == [
        str(oldest.pk),
        str(middle.pk),
        str(newer.pk),
    ]
    for hidden in (approved, rejected):
        assert f'id="applicant-{hidden.pk}"' not in html


def test_it_shows_each_applicant_with_approve_and_reject_forms(
    staff_client: Client, applicant: InterviewerProfile
) -> None:
    html = staff_client.get(QUEUE_URL).content.decode()

    assert "Grace H" in html
    assert "grace@example.test" in html
    assert "Ran the storage team at a payments company." in html
    assert "Scalability, Caching" in html or "Caching, Scalability" in html
    assert f'<form method="post" action="{_approve_url(applicant)}">' in html
    assert f'<form method="post" action="{_reject_url(applicant)}">' in html
    assert "Approve Grace H</button>" in html
    assert "Reject Grace H</button>" in html
    assert f'<label for="reason-{applicant.pk}">' in html


def test_it_shows_what_a_decision_needs(staff_client: Client, staff: User) -> None:
    applicant = InterviewerProfileFactory.create(
        user__display_name="Ada Applicant",
        user__years_experience=14,
        level="principal",
        bio="Led search at a retailer. Talk: https://talks.example.test/search-at-scale.",
        meeting_url="https://meet.example.test/ada",
    )
    reject_interviewer(
        profile_id=applicant.pk, decided_by=staff, reason="Say what you built.", now=NOW
    )
    # Back in the queue after an edit, as the profile form does it.
    InterviewerProfile.objects.filter(pk=applicant.pk).update(
        status=VettingStatus.PENDING, decision_reason="", decided_at=None, decided_by=None
    )

    html = staff_client.get(QUEUE_URL).content.decode()

    assert "<dt>Level</dt><dd>Principal</dd>" in html
    assert "<dt>Experience</dt><dd>14 years</dd>" in html
    assert "Scalability" in html
    assert 'href="https://talks.example.test/search-at-scale"' in html
    assert 'href="https://meet.example.test/ada"' in html
    assert "Earlier decisions" in html
    history = html[html.index('class="vetting-history"') :]
    assert "<strong>Rejected</strong> by Rita Reviewer" in history
    # In the staff member's own zone (London), named.
    assert "2 June 2025, 10:30 BST" in history
    assert "“Say what you built.”" in history


def test_it_says_when_an_applicant_has_no_earlier_decisions(
    staff_client: Client, applicant: InterviewerProfile
) -> None:
    html = staff_client.get(QUEUE_URL).content.decode()

    assert "None: this is their first application." in html


def test_it_says_when_nobody_is_waiting(staff_client: Client) -> None:
    InterviewerProfileFactory.create(status=VettingStatus.APPROVED)

    response = staff_client.get(QUEUE_URL)

    assert "No interviewer is waiting for review." in response.content.decode()


def test_it_shows_the_queue_in_a_fixed_number_of_queries(
    staff_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for index in range(5):
        profile = InterviewerProfileFactory.create()
        # Each with a history by a different staff member, so nothing is loaded per row.
        VettingDecision.objects.create(
            profile=profile,
            decided_by=StaffFactory.create(),
            status=VettingStatus.REJECTED,
            reason=f"Reason {index}",
            decided_at=NOW,
        )

    # Measured 7: the session, the staff user, the profiles with their users, their areas,
    # their earlier decisions with who made them, and the nav's two role checks.
    with django_assert_max_num_queries(7):
        response = staff_client.get(QUEUE_URL)

    assert len(response.context["profiles"]) == 5
    assert response.content.decode().count('class="vetting-history"') == 5


@pytest.mark.parametrize(
    ("decide", "data", "words"),
    [
        ("approve", {}, "can be matched and booked by candidates straight away"),
        ("reject", {"reason": "Tell us more."}, "gets an email with your reason"),
    ],
)
def test_it_asks_before_deciding(
    staff_client: Client,
    applicant: InterviewerProfile,
    decide: str,
    data: dict[str, str],
    words: str,
) -> None:
    url = _approve_url(applicant) if decide == "approve" else _reject_url(applicant)
    queue = staff_client.get(QUEUE_URL).content.decode()

    response = staff_client.post(url, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert words in page
    assert f'action="{url}"' in page and 'name="confirmed" value="yes"' in page
    if decide == "reject":
        assert ">Tell us more.</textarea>" in page  # the reason, shown to check before sending
    assert f'id="applicant-{applicant.pk}"' in queue
    assert _reload(applicant).status == VettingStatus.PENDING
    assert _reload(applicant).decided_at is None


def test_it_approves_from_the_queue(
    staff_client: Client, staff: User, applicant: InterviewerProfile
) -> None:
    response = staff_client.post(_approve_url(applicant), {"confirmed": "yes"}, follow=True)

    assert response.redirect_chain == [(QUEUE_URL, 302)]
    assert "Grace H is approved." in response.content.decode()
    profile = _reload(applicant)
    assert (profile.status, profile.decided_by) == (VettingStatus.APPROVED, staff)
    assert f'id="applicant-{applicant.pk}"' not in response.content.decode()


def test_it_rejects_from_the_queue_with_the_reason(
    staff_client: Client, staff: User, applicant: InterviewerProfile
) -> None:
    response = staff_client.post(
        _reject_url(applicant), {"reason": "  Tell us more.  ", "confirmed": "yes"}, follow=True
    )

    assert response.redirect_chain == [(QUEUE_URL, 302)]
    assert "Grace H is rejected; they will see your reason." in response.content.decode()
    profile = _reload(applicant)
    assert profile.status == VettingStatus.REJECTED
    assert profile.decision_reason == "Tell us more."
    assert profile.decided_by == staff


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_it_refuses_a_rejection_without_a_reason(
    staff_client: Client, applicant: InterviewerProfile, data: dict[str, str]
) -> None:
    response = staff_client.post(_reject_url(applicant), data, follow=True)

    assert response.status_code == 200
    assert "Give a reason: the interviewer sees it." in response.content.decode()
    profile = _reload(applicant)
    assert (profile.status, profile.decision_reason, profile.decided_at) == (
        VettingStatus.PENDING,
        "",
        None,
    )
    assert f'id="applicant-{applicant.pk}"' in response.content.decode()


def test_it_shows_why_staff_cannot_approve_themselves(staff_client: Client, staff: User) -> None:
    own = InterviewerProfileFactory.create(user=staff)

    response = staff_client.post(_approve_url(own), {"confirmed": "yes"}, follow=True)

    assert "You cannot vet your own interviewer profile." in response.content.decode()
    assert _reload(own).status == VettingStatus.PENDING


@pytest.mark.parametrize("url_name", ["vetting_approve", "vetting_reject"])
def test_it_answers_404_for_a_missing_profile(staff_client: Client, url_name: str) -> None:
    response = staff_client.post(reverse(url_name, args=[999_999]), {"reason": "No."})

    assert response.status_code == 404


@pytest.mark.parametrize("url_name", ["vetting_approve", "vetting_reject"])
def test_it_does_not_decide_on_get(
    staff_client: Client, applicant: InterviewerProfile, url_name: str
) -> None:
    response = staff_client.get(reverse(url_name, args=[applicant.pk]))

    assert response.status_code == 405
    assert _reload(applicant).status == VettingStatus.PENDING


def test_it_emails_the_interviewer_once_after_an_approval_in_the_queue(
    staff_client: Client,
    applicant: InterviewerProfile,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    mailoutbox: list[EmailMessage],
) -> None:
    # Eager mode only here: the task's real path through a worker is tests/test_celery.py's.
    settings.CELERY_TASK_ALWAYS_EAGER = True

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(_approve_url(applicant), {"confirmed": "yes"})

    assert [message.to for message in mailoutbox] == [["grace@example.test"]]
    assert mailoutbox[0].subject == "You are approved as a Mockloop interviewer"
    row = Notification.objects.get(kind=Kind.VETTING_DECISION)
    assert row.state == State.SENT


# --- The admin ---------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client: Client) -> Client:
    client.force_login(StaffFactory.create(is_superuser=True, display_name="Admin A"))
    return client


def _admin_change_data(profile: InterviewerProfile, **overrides: Any) -> dict[str, Any]:
    return {
        "user": str(profile.user_id),
        "level": profile.level,
        "expertise": [str(area.pk) for area in profile.expertise.all()],
        "bio": profile.bio,
        "weekly_capacity": str(profile.weekly_capacity),
        "meeting_url": profile.meeting_url,
        "status": profile.status,
        "decision_reason": profile.decision_reason,
        # The decision history inline's management form, as the admin page posts it.
        **_history_management_form(profile),
        **overrides,
    }


def _history_management_form(profile: InterviewerProfile) -> dict[str, str]:
    count = str(profile.decisions.count())
    return {
        "decisions-TOTAL_FORMS": count,
        "decisions-INITIAL_FORMS": count,
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
    }


def test_it_rejects_through_the_service_when_staff_change_the_status_in_the_admin(
    superuser_client: Client,
    applicant: InterviewerProfile,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    mailoutbox: list[EmailMessage],
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    url = reverse("admin:accounts_interviewerprofile_change", args=[applicant.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            url,
            _admin_change_data(
                applicant, status="rejected", decision_reason="Tell us what you ran."
            ),
        )

    assert response.status_code == 302
    profile = _reload(applicant)
    assert profile.status == VettingStatus.REJECTED
    assert profile.decision_reason == "Tell us what you ran."
    assert profile.decided_by is not None
    assert profile.decided_by.display_name == "Admin A"
    assert profile.decided_at is not None
    assert len(mailoutbox) == 1
    assert "Tell us what you ran." in str(mailoutbox[0].body)
    decision = VettingDecision.objects.get(profile=applicant)
    assert (decision.status, decision.reason) == (VettingStatus.REJECTED, "Tell us what you ran.")
    assert decision.decided_by == profile.decided_by


def test_it_shows_the_decision_history_on_the_admin_page(
    superuser_client: Client, applicant: InterviewerProfile, staff: User
) -> None:
    reject_interviewer(profile_id=applicant.pk, decided_by=staff, reason="Say more.", now=NOW)
    url = reverse("admin:accounts_interviewerprofile_change", args=[applicant.pk])

    html = superuser_client.get(url).content.decode()

    assert "Decision history" in html
    assert "Say more." in html
    assert "Rita Reviewer" in html


def test_it_refuses_an_admin_rejection_without_a_reason(
    superuser_client: Client, applicant: InterviewerProfile
) -> None:
    url = reverse("admin:accounts_interviewerprofile_change", args=[applicant.pk])

    response = superuser_client.post(
        url, _admin_change_data(applicant, status="rejected", decision_reason="")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    profile = _reload(applicant)
    assert (profile.status, profile.decided_by) == (VettingStatus.PENDING, None)


def test_it_approves_the_selected_interviewers_with_the_admin_action(
    superuser_client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    first = InterviewerProfileFactory.create()
    second = InterviewerProfileFactory.create()
    left_alone = InterviewerProfileFactory.create()

    with django_capture_on_commit_callbacks() as callbacks:
        response = superuser_client.post(
            reverse("admin:accounts_interviewerprofile_changelist"),
            {"action": "approve_selected", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert "Approved 2 interviewers." in response.content.decode()
    for profile in (first, second):
        reloaded = _reload(profile)
        assert reloaded.status == VettingStatus.APPROVED
        assert reloaded.decided_by is not None
        assert reloaded.decided_by.display_name == "Admin A"
    assert _reload(left_alone).status == VettingStatus.PENDING
    # One email queued per interviewer approved.
    assert len(callbacks) == 2


def test_it_approves_a_rejected_interviewer_whose_reason_staff_cleared_in_the_admin(
    superuser_client: Client,
) -> None:
    profile = InterviewerProfileFactory.create(status=VettingStatus.REJECTED, decision_reason="No.")
    url = reverse("admin:accounts_interviewerprofile_change", args=[profile.pk])

    response = superuser_client.post(
        url, _admin_change_data(profile, status="approved", decision_reason="")
    )

    assert response.status_code == 302
    reloaded = _reload(profile)
    assert (reloaded.status, reloaded.decision_reason) == (VettingStatus.APPROVED, "")
    assert reloaded.decided_by is not None


def test_it_does_not_let_staff_decide_on_their_own_profile_in_the_admin(client: Client) -> None:
    staff = StaffFactory.create(is_superuser=True)
    own = InterviewerProfileFactory.create(user=staff)
    client.force_login(staff)
    url = reverse("admin:accounts_interviewerprofile_change", args=[own.pk])

    page = client.get(url)
    response = client.post(url, _admin_change_data(own, status="approved", bio="Edited."))

    assert "status" not in page.context["adminform"].form.fields
    assert response.status_code == 302
    reloaded = _reload(own)
    assert (reloaded.status, reloaded.decided_by, reloaded.bio) == (
        VettingStatus.PENDING,
        None,
        "Edited.",
    )


def test_it_approves_the_others_when_the_admin_action_includes_staffs_own_profile(
    client: Client,
) -> None:
    staff = StaffFactory.create(is_superuser=True, display_name="Admin A")
    own = InterviewerProfileFactory.create(user=staff)
    other = InterviewerProfileFactory.create()
    client.force_login(staff)

    response = client.post(
        reverse("admin:accounts_interviewerprofile_changelist"),
        {"action": "approve_selected", "_selected_action": [own.pk, other.pk]},
        follow=True,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Admin A: You cannot vet your own interviewer profile." in html
    assert "Approved 1 interviewer." in html
    assert _reload(own).status == VettingStatus.PENDING
    assert _reload(other).status == VettingStatus.APPROVED
