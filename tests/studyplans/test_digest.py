"""The weekly plan digest: Monday 08:00 in each candidate's zone, across daylight-saving
changes and half-hour zones, once per week, with the week's items and why (SPEC §9)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives

from notifications.dispatch import dispatch_due
from notifications.models import Kind, Notification, OptOut, State
from studyplans.digest import queue_weekly_digests, zones_at_digest_time
from studyplans.models import PlanItem
from studyplans.planning import refresh_plan
from tests.factories import CandidateProfileFactory

SITE = "https://mockloop.example"
# Monday 9 March 2026: New York moved to summer time the day before, London had not.
MONDAY = date(2026, 3, 9)
NEW_YORK_8AM = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)  # 08:00 EDT (UTC-4)
ZONES = {"America/New_York", "Europe/London", "Asia/Kolkata", "Pacific/Auckland"}


@pytest.mark.parametrize(
    ("now", "zones"),
    [
        # 08:00 in New York on summer time, one day after the change: 12:00 UTC, not 13:00.
        (NEW_YORK_8AM, {"America/New_York": MONDAY}),
        (NEW_YORK_8AM - timedelta(minutes=1), {"Europe/London": MONDAY}),
        # London's 08:00 was 08:00 UTC: by noon UTC its four-hour window has closed.
        (datetime(2026, 3, 9, 8, 0, tzinfo=UTC), {"Europe/London": MONDAY}),
        (datetime(2026, 3, 9, 11, 59, tzinfo=UTC), {"Europe/London": MONDAY}),
        # India is UTC+5:30: its 08:00 is 02:30 UTC.
        (datetime(2026, 3, 9, 2, 30, tzinfo=UTC), {"Asia/Kolkata": MONDAY}),
        (datetime(2026, 3, 9, 2, 15, tzinfo=UTC), {}),
        # Auckland's Monday 08:00 is Sunday 19:00 UTC (NZDT, UTC+13).
        (datetime(2026, 3, 8, 19, 0, tzinfo=UTC), {"Pacific/Auckland": MONDAY}),
        # November: New York back on standard time, 08:00 is 13:00 UTC.
        (datetime(2026, 11, 2, 12, 0, tzinfo=UTC), {}),
        (datetime(2026, 11, 2, 13, 0, tzinfo=UTC), {"America/New_York": date(2026, 11, 2)}),
        # Tuesday 08:00 anywhere: no digest.
        (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), {}),
    ],
)
def test_it_finds_the_zones_where_it_is_monday_morning(
    now: datetime, zones: dict[str, date]
) -> None:
    assert zones_at_digest_time(zones=ZONES, now=now) == zones


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE


@pytest.fixture
def candidate(db: None) -> Any:
    user = CandidateProfileFactory.create(
        focus_areas=["caching", "concurrency"],
        study_plan=False,
        user__time_zone="America/New_York",
        user__display_name="Nia",
    ).user
    refresh_plan(candidate=user, now=NEW_YORK_8AM - timedelta(hours=1))
    return user


@pytest.mark.django_db
def test_it_queues_one_digest_a_week_due_at_eight_local(candidate: Any) -> None:
    queue_weekly_digests(now=NEW_YORK_8AM + timedelta(minutes=5))
    queue_weekly_digests(now=NEW_YORK_8AM + timedelta(minutes=20))

    [row] = Notification.objects.filter(kind=Kind.WEEKLY_DIGEST)
    assert (row.recipient, row.due_at, row.state) == (candidate, NEW_YORK_8AM, State.PENDING)
    # Next Monday is a new row.
    queue_weekly_digests(now=NEW_YORK_8AM + timedelta(days=7))
    assert Notification.objects.filter(kind=Kind.WEEKLY_DIGEST).count() == 2


@pytest.mark.django_db
def test_it_queues_nothing_for_a_candidate_without_a_plan() -> None:
    CandidateProfileFactory.create(study_plan=False, user__time_zone="America/New_York")

    assert queue_weekly_digests(now=NEW_YORK_8AM) == 0
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_it_emails_the_weeks_open_items_with_their_reasons(
    candidate: Any, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    items = PlanItem.objects.filter(plan__candidate=candidate, week_start=MONDAY)
    first = items.filter(resource__isnull=False).select_related("resource").first()
    assert first is not None
    rest = list(items.exclude(pk=first.pk).select_related("resource"))
    first.status = "done"
    first.save(update_fields=["status"])
    queue_weekly_digests(now=NEW_YORK_8AM)

    assert dispatch_due(now=NEW_YORK_8AM) == 1

    [email] = mailoutbox
    assert email.to == [candidate.email]
    assert email.subject == f"Your study plan for the week of Mon 9 Mar: {len(rest)} items"
    assert "Hello Nia," in email.body
    for item in rest:
        title = item.resource.title if item.resource else "Book your next practice interview"
        assert title in email.body
        assert f"Why: {item.reason}" in email.body
    assert first.resource.title not in email.body
    assert "Practice interviews in the last 30 days: 0 (the goal is at least 2 a month)" in (
        email.body
    )
    assert f"{SITE}/plan/" in email.body
    assert email.message()["List-Unsubscribe"].startswith(f"<{SITE}/emails/unsubscribe/")
    assert "<ul>" in str(email.alternatives[0][0])


@pytest.mark.django_db
def test_it_drops_a_digest_that_could_not_go_out_by_noon(
    candidate: Any, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    queue_weekly_digests(now=NEW_YORK_8AM)

    dispatch_due(now=NEW_YORK_8AM + timedelta(hours=4, minutes=1))

    assert mailoutbox == []
    row = Notification.objects.get(kind=Kind.WEEKLY_DIGEST)
    assert (row.state, row.note) == (State.SKIPPED, "Its moment passed while sending was held up.")


@pytest.mark.django_db
def test_it_sends_no_digest_to_a_candidate_who_turned_it_off(
    candidate: Any, mailoutbox: list[EmailMultiAlternatives]
) -> None:
    queue_weekly_digests(now=NEW_YORK_8AM)
    OptOut.objects.create(user=candidate, kind=Kind.WEEKLY_DIGEST)

    assert dispatch_due(now=NEW_YORK_8AM) == 0
    assert mailoutbox == []
