"""What a candidate reads about an interviewer before booking (issue 11, item 3).

The profile page and `GET /api/v1/interviewers/{id}/`, the summary on each match of
`/find/` and on the confirmation page.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import InterviewerProfile, User, VettingStatus
from interviews.models import Review
from tests.api import api_error
from tests.factories import (
    CandidateProfileFactory,
    SessionFactory,
)
from tests.interviews.test_matching import NOW, create_interviewer

pytestmark = pytest.mark.django_db

BIO = "Built the payments ledger at a bank, then its event pipeline.\n\nI ask about failure."


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def candidate() -> User:
    return CandidateProfileFactory(
        user__time_zone="America/New_York", focus_areas=["caching", "concurrency"]
    ).user


@pytest.fixture
def interviewer() -> User:
    # Tuesdays 13:00 to 15:00 London, so /find/ has slots for them.
    user = create_interviewer(expertise=("caching", "concurrency"))
    user.display_name = "Ada Byron"
    user.years_experience = 14
    user.save()
    InterviewerProfile.objects.filter(user=user).update(bio=BIO, review_count=12, review_stars=54)
    return user


def _review(interviewer: User, *, comment: str, share: bool, days_ago: int) -> Review:
    given = NOW - timedelta(days=days_ago)
    session = SessionFactory(interviewer=interviewer, start=given - timedelta(hours=1), end=given)
    return Review.objects.create(
        session=session,
        rating=5,
        comment=comment,
        would_practise_again=True,
        share_comment=share,
        created_at=given,
    )


def _page(client: Client, user: User, interviewer: User) -> Any:
    client.force_login(user)
    return client.get(f"/interviewers/{interviewer.pk}/")


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- The profile page ----------------------------------------------------------------------


def test_it_shows_the_interviewer_to_a_candidate(
    client: Client, candidate: User, interviewer: User
) -> None:
    response = _page(client, candidate, interviewer)

    text = _text(response)
    assert response.status_code == 200
    assert "Ada Byron" in text
    assert "Staff engineer · 14 years of experience" in text
    assert "Expertise: Caching, Concurrency" in text
    assert "Built the payments ledger at a bank" in text and "I ask about failure." in text
    # 12 reviews of 4.5 on average, weighted with 5 reviews of 4.0: (20 + 54) / 17.
    assert "4.4★ from 12 reviews (plain average 4.5★, weighted toward 4.0★" in text


def test_it_says_plainly_when_there_are_no_reviews_yet(client: Client, candidate: User) -> None:
    newcomer = create_interviewer()

    text = _text(_page(client, candidate, newcomer))

    assert "No reviews yet" in text
    assert "has not been reviewed by a candidate yet" in text
    assert "No candidate has shared a comment" in text


def test_it_shows_only_shared_comments_newest_first_at_most_five_with_the_month(
    client: Client, candidate: User, interviewer: User
) -> None:
    for days_ago in range(1, 7):
        _review(interviewer, comment=f"Shared {days_ago}.", share=True, days_ago=days_ago * 20)
    _review(interviewer, comment="Kept private.", share=False, days_ago=0)
    _review(interviewer, comment="", share=True, days_ago=1)
    writer = Review.objects.filter(comment="Shared 1.").get().session.candidate

    text = _text(_page(client, candidate, interviewer))

    shown = re.findall(r"Shared (\d)\.", text)
    assert shown == ["1", "2", "3", "4", "5"]  # newest first; the sixth is left out
    assert "Kept private." not in text
    assert writer.name not in text  # shared without the name
    # 20 days before 22 March 2027 (UTC) is 2 March; 100 days before is 12 December 2026.
    assert "A candidate, March 2027" in text
    assert "A candidate, December 2026" in text


def test_it_shows_no_comments_of_another_interviewers_reviews(
    client: Client, candidate: User, interviewer: User
) -> None:
    _review(create_interviewer(), comment="About someone else.", share=True, days_ago=1)

    assert "About someone else." not in _text(_page(client, candidate, interviewer))


@pytest.mark.parametrize("status", [VettingStatus.PENDING, VettingStatus.REJECTED])
def test_it_has_no_profile_page_for_an_interviewer_not_approved(
    client: Client, candidate: User, status: str
) -> None:
    unapproved = create_interviewer(status=status)

    assert _page(client, candidate, unapproved).status_code == 404
    assert _page(client, candidate, candidate).status_code == 404  # not an interviewer


def test_it_asks_for_a_sign_in(client: Client, interviewer: User) -> None:
    response = client.get(f"/interviewers/{interviewer.pk}/")

    assert response.status_code == 302 and "/login/" in response["Location"]


# --- The API -----------------------------------------------------------------------------------


def _api(user: User, interviewer_id: int) -> Any:
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/interviewers/{interviewer_id}/")


def test_it_gives_the_public_profile_over_the_api(candidate: User, interviewer: User) -> None:
    _review(interviewer, comment="Sharp follow-ups.", share=True, days_ago=20)
    _review(interviewer, comment="Private.", share=False, days_ago=1)

    response = _api(candidate, interviewer.pk)

    assert response.status_code == 200
    assert response.json() == {
        "id": interviewer.pk,
        "name": "Ada Byron",
        "level": "staff",
        "years_experience": 14,
        "expertise": ["caching", "concurrency"],
        "bio": BIO,
        "rating": {"count": 12, "mean": 4.5, "bayesian": 4.35, "text": "4.4★ from 12 reviews"},
        "shared_comments": [{"comment": "Sharp follow-ups.", "month": "2027-03"}],
    }


def test_it_answers_404_for_an_interviewer_not_approved_over_the_api(candidate: User) -> None:
    pending = create_interviewer(status=VettingStatus.PENDING)

    assert api_error(_api(candidate, pending.pk), 404)["code"] == "not_found"


# --- The summary on /find/ and on the confirmation page --------------------------------------


def test_it_sums_up_each_match_on_find_with_a_link_to_the_profile(
    client: Client, candidate: User, interviewer: User
) -> None:
    client.force_login(candidate)

    response = client.get("/find/")

    card = _card(response.content.decode(), interviewer)
    text = _text_of(card)
    assert "Staff engineer · 14 years of experience · 4.4★ from 12 reviews" in text
    assert "Expertise: Caching, Concurrency" in text
    assert "Built the payments ledger at a bank, then its event pipeline." in text
    assert "I ask about failure." not in text  # only the first line
    assert f'href="/interviewers/{interviewer.pk}/"' in card


def test_it_sums_up_the_interviewer_above_confirm_booking(
    client: Client, candidate: User, interviewer: User
) -> None:
    client.force_login(candidate)
    start = datetime(2027, 3, 23, 13, 0, tzinfo=UTC).isoformat()

    page = client.get(
        "/sessions/new/?" + urlencode({"interviewer": interviewer.pk, "start": start})
    ).content.decode()

    summary = page.index("4.4★ from 12 reviews")
    assert summary < page.index("Confirm booking")
    assert "Built the payments ledger at a bank" in page
    assert f'href="/interviewers/{interviewer.pk}/"' in page


def test_it_shows_a_new_interviewer_without_reviews_on_find(
    client: Client, candidate: User
) -> None:
    newcomer = create_interviewer()
    client.force_login(candidate)

    page = client.get("/find/").content.decode()

    assert "No reviews yet" in _text_of(_card(page, newcomer))


def _card(page: str, interviewer: User) -> str:
    found = re.search(
        rf'<article class="match" id="match-{interviewer.pk}".*?</article>', page, re.S
    )
    assert found, "no match card for the interviewer"
    return found.group(0)


def _text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))
