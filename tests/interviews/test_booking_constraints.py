"""The database's own guard against double booking, reached without the code's checks.

The booking rules read the other sessions under a row lock before inserting, so in the
rest of the suite the rules always refuse first and a dropped constraint would go unseen.
Here the rows go in directly, and the rules are made to miss a clash (as they would if a
booking committed between their read and the insert), to reach what answers then.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from accounts.models import User
from interviews import booking
from interviews.models import IdempotencyKey, Session, SessionStatus
from tests.api import api_error
from tests.factories import NOW, TOMORROW_10, SessionFactory, approved_interviewer, candidate_user

pytestmark = pytest.mark.django_db

SESSIONS_URL = "/api/v1/sessions/"
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _overlapping(first: dict[str, Any], second: dict[str, Any]) -> list[Session]:
    """Two sessions, the second starting half an hour into the first."""
    return [
        SessionFactory.build(start=TOMORROW_10, end=TOMORROW_10 + HOUR, **first),
        SessionFactory.build(
            start=TOMORROW_10 + HOUR / 2, end=TOMORROW_10 + HOUR * 3 / 2, **second
        ),
    ]


def _people() -> tuple[User, User, User]:
    return approved_interviewer(), candidate_user(), candidate_user()


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("constraint", "shared"),
    [
        ("session_interviewer_no_overlap", "interviewer"),
        ("session_candidate_no_overlap", "candidate"),
    ],
)
def test_it_refuses_overlapping_active_sessions_in_the_database(
    constraint: str, shared: str
) -> None:
    one, two, three = _people()
    # The shared person is on the same side of both sessions; the others differ.
    first = {"interviewer": one, "candidate": two}
    second = {"interviewer": approved_interviewer(), "candidate": three}
    second[shared] = first[shared]

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Session.objects.bulk_create(_overlapping(first, second))

    assert Session.objects.count() == 0


@pytest.mark.postgres
def test_it_lets_a_cancelled_session_overlap_in_the_database() -> None:
    interviewer, candidate, other = _people()
    sessions = _overlapping(
        {"interviewer": interviewer, "candidate": candidate, "status": SessionStatus.CANCELLED},
        {"interviewer": interviewer, "candidate": other},
    )

    Session.objects.bulk_create(sessions)

    assert Session.objects.count() == 2


@pytest.fixture
def rules_miss_clashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules read the other sessions as if the clashing one were not committed yet."""
    real_facts = booking._facts

    def facts_before_the_other_commit(**kwargs: Any) -> Any:
        facts = real_facts(**kwargs)
        return dataclasses.replace(facts, candidate_busy=False, interviewer_busy=False)

    monkeypatch.setattr(booking, "_facts", facts_before_the_other_commit)


@pytest.mark.postgres
@pytest.mark.usefixtures("rules_miss_clashes")
@pytest.mark.parametrize("headers", [{}, {"HTTP_IDEMPOTENCY_KEY": "k-1"}])
def test_it_answers_409_when_the_database_refuses_a_double_booking(
    api_client: APIClient, headers: dict[str, str]
) -> None:
    interviewer, candidate, other = _people()
    SessionFactory(interviewer=interviewer, candidate=other, start=TOMORROW_10)
    api_client.force_authenticate(candidate)

    response = api_client.post(
        SESSIONS_URL, {"interviewer": interviewer.pk, "start": TOMORROW_10.isoformat()}, **headers
    )

    error = api_error(response, 409)
    assert error["code"] == "slot_unavailable"
    assert error["fields"] == {"start": ["This slot was just taken."]}
    assert Session.objects.filter(candidate=candidate).count() == 0


def test_it_answers_409_when_a_key_is_written_by_someone_not_holding_the_lock(
    api_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    interviewer, candidate, _ = _people()
    real_check = booking._check_request

    def check_while_another_request_records_the_key(**kwargs: Any) -> None:
        # Past the key lookup, a writer that skipped the row lock records the same key.
        IdempotencyKey.objects.create(
            user=candidate,
            key="k-1",
            request_hash="other",
            response_status=201,
            response_body={},
            created_at=NOW,
        )
        real_check(**kwargs)

    monkeypatch.setattr(booking, "_check_request", check_while_another_request_records_the_key)
    api_client.force_authenticate(candidate)

    response = api_client.post(
        SESSIONS_URL,
        {"interviewer": interviewer.pk, "start": TOMORROW_10.isoformat()},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    error = api_error(response, 409)
    assert error["code"] == "idempotency_key_in_use"
    # The booking made under the lost key rolled back with it.
    assert Session.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0
