"""`manage.py seed_demo`: the documented demo logins, verified, approved, and idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from accounts.models import CandidateProfile, InterviewerProfile, User, VettingStatus
from interviews.availability import free_slots
from interviews.feedback import feedback_for_candidate, feedback_status_for, review_status_for
from interviews.models import Feedback, Session, SessionStatus, WeeklyWindow
from studyplans.models import AppliedFeedback, StudyPlan

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-pass-123"
INTERVIEWERS = [f"interviewer{n}@demo.test" for n in (1, 2, 3)]
CANDIDATES = [f"candidate{n}@demo.test" for n in (1, 2)]
STAFF = "staff@demo.test"
PENDING = "pending1@demo.test"
EVERYONE = sorted([*INTERVIEWERS, *CANDIDATES, STAFF, PENDING])


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", interviewers=3, candidates=2, stdout=out)
    return out.getvalue()


def test_it_creates_the_documented_accounts() -> None:
    output = _seed()

    assert sorted(User.objects.values_list("email", flat=True)) == EVERYONE
    assert "7 created, 0 already there" in output
    assert DEMO_PASSWORD in output


def test_it_approves_the_demo_interviewers_and_leaves_one_pending() -> None:
    _seed()

    statuses = dict(InterviewerProfile.objects.values_list("user__email", "status"))
    assert statuses == {
        **dict.fromkeys(INTERVIEWERS, VettingStatus.APPROVED),
        PENDING: VettingStatus.PENDING,
    }
    for profile in InterviewerProfile.objects.select_related("user"):
        assert profile.user.years_experience >= 5
        assert profile.expertise.exists()
        assert profile.bio
    pending = InterviewerProfile.objects.get(user__email=PENDING)
    assert pending.decided_at is None


def test_it_gives_the_demo_candidates_a_level_and_focus_areas() -> None:
    _seed()

    candidates = CandidateProfile.objects.select_related("user").order_by("user__email")
    assert [profile.user.email for profile in candidates] == CANDIDATES
    for profile in candidates:
        assert profile.target_level
        assert profile.focus_areas.exists()
    assert not User.objects.filter(email__in=CANDIDATES, interviewer_profile__isnull=False)


def test_it_makes_the_demo_staff_member_staff_and_nobody_else() -> None:
    _seed()

    assert list(User.objects.filter(is_staff=True).values_list("email", flat=True)) == [STAFF]


def test_it_verifies_every_address_and_sets_the_demo_password() -> None:
    _seed()

    addresses = EmailAddress.objects.select_related("user")
    assert sorted(address.email for address in addresses) == EVERYONE
    for address in addresses:
        assert address.verified
        assert address.primary
        assert address.email == address.user.email
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)


def test_it_creates_nothing_new_when_run_again() -> None:
    _seed()
    counts = (
        User.objects.count(),
        EmailAddress.objects.count(),
        CandidateProfile.objects.count(),
        InterviewerProfile.objects.count(),
    )

    output = _seed()

    assert "0 created, 7 already there" in output
    assert counts == (
        User.objects.count(),
        EmailAddress.objects.count(),
        CandidateProfile.objects.count(),
        InterviewerProfile.objects.count(),
    )


def test_it_adds_only_the_missing_accounts_when_asked_for_more() -> None:
    _seed()

    out = StringIO()
    call_command("seed_demo", interviewers=4, candidates=2, stdout=out)

    assert "1 created, 7 already there" in out.getvalue()
    assert InterviewerProfile.objects.get(user__email="interviewer4@demo.test").is_approved


def test_it_lands_a_demo_candidate_on_their_dashboard_after_logging_in(client: Client) -> None:
    _seed()

    response = client.post(
        reverse("account_login"),
        {"login": "candidate1@demo.test", "password": DEMO_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [
        (reverse("dashboard"), 302),
        (reverse("candidate_dashboard"), 302),
    ]
    assert response.status_code == 200
    assert "This week's plan" in response.content.decode()
    assert response.context["user"].email == "candidate1@demo.test"


def test_it_gives_every_demo_interviewer_weekly_availability_with_free_slots() -> None:
    _seed()
    now = datetime(2027, 3, 1, 9, tzinfo=UTC)

    for profile in InterviewerProfile.objects.select_related("user"):
        windows = WeeklyWindow.objects.filter(interviewer=profile.user).count()
        assert windows >= 3, profile.user.email
        slots = free_slots(
            interviewer=profile.user, start=now, end=now + timedelta(days=7), now=now
        )
        assert slots, f"{profile.user.email} has no free slot in a week"


def test_it_adds_no_availability_on_a_second_run() -> None:
    _seed()
    before = WeeklyWindow.objects.count()

    _seed()

    assert WeeklyWindow.objects.count() == before


# candidate1 has four reviewed sessions a week apart (the charts show a trend), the others one.
REVIEWED = {"candidate1@demo.test": 4, "candidate2@demo.test": 1}


def test_it_gives_each_candidate_reviewed_sessions_and_one_awaiting_feedback() -> None:
    _seed()
    now = datetime.now(UTC)

    for email in CANDIDATES:
        past = list(
            Session.objects.filter(candidate__email=email, end__lt=now)
            .select_related("feedback", "review")
            .order_by("start")
        )
        reviewed = REVIEWED[email]
        assert [feedback_status_for(session=session) for session in past] == [
            *["submitted"] * reviewed,
            "none",
        ]
        assert [review_status_for(session=session) for session in past] == [
            *["submitted"] * reviewed,
            "none",
        ]
        assert all(session.status == SessionStatus.COMPLETED for session in past)
        assert all(session.question_id is not None for session in past)
        assert len({session.question_id for session in past}) == len(past)
        # Revealed at once (both sides submitted): the report is there for the newcomer.
        view = feedback_for_candidate(session=past[0], user=past[0].candidate, now=now)
        assert view.visible
    ratings = InterviewerProfile.objects.filter(review_count__gt=0)
    assert sum(profile.review_count for profile in ratings) == sum(REVIEWED.values())


def test_it_gives_candidate1_rising_scores_across_a_month() -> None:
    _seed()

    feedback = list(
        Feedback.objects.filter(session__candidate__email="candidate1@demo.test")
        .order_by("session__start")
        .annotate(total=Sum("scores__score"))
    )
    starts = [item.session.start for item in feedback]
    assert [later - earlier for earlier, later in pairwise(starts)] == [timedelta(days=7)] * 3
    assert feedback[0].total < feedback[-1].total


def test_it_gives_every_demo_candidate_a_plan_made_from_their_feedback() -> None:
    _seed()

    for email in CANDIDATES:
        plan = StudyPlan.objects.get(candidate__email=email)
        assert plan.weakness[0]["source"] == "scores"
        assert plan.items.filter(kind="resource").count() >= 6
        assert AppliedFeedback.objects.filter(plan=plan).count() == REVIEWED[email]


def test_it_gives_every_demo_person_a_distinct_name() -> None:
    _seed()

    names = list(User.objects.values_list("display_name", flat=True))
    assert len(set(names)) == len(names) == len(EVERYONE)
    surnames = [name.split()[-1] for name in names if name not in ("Staff Reviewer",)]
    # Told apart at a glance: "interviewer Linus Ritchie · candidate Barbara Borg".
    assert len(set(surnames)) == len(surnames)


def test_it_adds_past_sessions_only_once() -> None:
    _seed()
    _seed()

    assert Session.objects.filter(candidate__email__in=CANDIDATES).count() == len(CANDIDATES) + sum(
        REVIEWED.values()
    )
    assert Feedback.objects.count() == sum(REVIEWED.values())
    assert StudyPlan.objects.count() == len(CANDIDATES)
