"""The availability and slot endpoints of SPEC §10."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from accounts.models import User, VettingStatus
from interviews.models import DateWindow, WeeklyWindow
from tests.api import api_error
from tests.factories import (
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AVAILABILITY_URL = "/api/v1/availability/"
# Tuesday 1 June 2027, 09:00 in London (British Summer Time).
NOW = datetime(2027, 6, 1, 8, 0, tzinfo=UTC)


def _interviewer(status: str = VettingStatus.APPROVED, zone: str = "Europe/London") -> User:
    return InterviewerProfileFactory.create(status=status, user__time_zone=zone).user


def _as(client: APIClient, user: User) -> APIClient:
    client.force_authenticate(user)
    return client


def _slots_url(user: User, **query: str) -> str:
    params = "&".join(f"{name}={value}" for name, value in query.items())
    return f"/api/v1/interviewers/{user.pk}/slots/" + (f"?{params}" if params else "")


# --- /api/v1/availability/ -----------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_lists_weekly_windows_and_upcoming_dates(api_client: APIClient) -> None:
    user = _interviewer(zone="Europe/Berlin")
    weekly = WeeklyWindow.objects.create(
        interviewer=user, weekday=1, start_time=time(13), end_time=time(23, 59)
    )
    extra = DateWindow.objects.create(
        interviewer=user,
        kind="extra",
        date=date(2027, 6, 5),
        start_time=time(9, 30),
        end_time=time(11),
    )
    blackout = DateWindow.objects.create(interviewer=user, kind="blackout", date=date(2027, 6, 1))
    DateWindow.objects.create(interviewer=user, kind="blackout", date=date(2027, 5, 31))
    WeeklyWindow.objects.create(
        interviewer=_interviewer(), weekday=1, start_time=time(9), end_time=time(10)
    )

    response = _as(api_client, user).get(AVAILABILITY_URL)

    assert response.status_code == 200
    assert response.json() == {
        "time_zone": "Europe/Berlin",
        "weekly": [
            {
                "id": f"w{weekly.pk}",
                "type": "weekly",
                "weekday": 1,
                "weekday_name": "Tuesday",
                "start": "13:00",
                "end": "23:59",
            }
        ],
        "dates": [
            {
                "id": f"d{blackout.pk}",
                "type": "blackout",
                "date": "2027-06-01",
                "start": None,
                "end": None,
            },
            {
                "id": f"d{extra.pk}",
                "type": "extra",
                "date": "2027-06-05",
                "start": "09:30",
                "end": "11:00",
            },
        ],
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"type": "weekly", "weekday": 4, "start": "08:00", "end": "10:30"},
            {
                "type": "weekly",
                "weekday": 4,
                "weekday_name": "Friday",
                "start": "08:00",
                "end": "10:30",
            },
        ),
        (
            {"type": "weekly", "weekday": 6, "start": "20:00:00", "end": "24:00"},
            {
                "type": "weekly",
                "weekday": 6,
                "weekday_name": "Sunday",
                "start": "20:00",
                "end": "23:59",
            },
        ),
        (
            {"type": "extra", "date": "2027-06-02", "start": "18:00", "end": "20:00"},
            {"type": "extra", "date": "2027-06-02", "start": "18:00", "end": "20:00"},
        ),
        (
            {"type": "blackout", "date": "2027-06-01"},
            {"type": "blackout", "date": "2027-06-01", "start": None, "end": None},
        ),
    ],
    ids=["weekly", "weekly-to-midnight", "extra", "blackout"],
)
@time_machine.travel(NOW, tick=False)
def test_it_adds_a_window(
    api_client: APIClient, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    user = _interviewer(VettingStatus.PENDING)

    response = _as(api_client, user).post(AVAILABILITY_URL, body)

    assert response.status_code == 201, response.json()
    created = response.json()
    window_id = created.pop("id")
    assert created == expected
    listed = api_client.get(AVAILABILITY_URL).json()
    assert window_id in {item["id"] for item in listed["weekly"] + listed["dates"]}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"type"}),
        ({"type": "monthly"}, {"type"}),
        ({"type": "weekly", "start": "09:00", "end": "10:00"}, {"weekday"}),
        ({"type": "weekly", "weekday": 7, "start": "09:00", "end": "10:00"}, {"weekday"}),
        ({"type": "weekly", "weekday": 1, "start": "9 am", "end": "10:00"}, {"start"}),
        ({"type": "weekly", "weekday": 1, "start": "09:10", "end": "10:00"}, {"start"}),
        ({"type": "weekly", "weekday": 1, "start": "10:00", "end": "09:00"}, {"end"}),
        ({"type": "extra", "start": "09:00", "end": "10:00"}, {"date"}),
        ({"type": "extra", "date": "2027-06-02"}, {"start", "end"}),
        ({"type": "extra", "date": "2027-05-31", "start": "09:00", "end": "10:00"}, {"date"}),
        ({"type": "blackout", "date": "2027-06-31"}, {"date"}),
        ({"type": "blackout", "date": "2027-06-02", "start": "09:00"}, {"start"}),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_it_names_the_field_of_a_bad_window(
    api_client: APIClient, body: dict[str, Any], fields: set[str]
) -> None:
    user = _interviewer()

    response = _as(api_client, user).post(AVAILABILITY_URL, body)

    error = api_error(response, 400)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == fields
    assert not WeeklyWindow.objects.exists()
    assert not DateWindow.objects.exists()


def test_it_refuses_an_overlapping_weekly_window_with_a_message(api_client: APIClient) -> None:
    user = _interviewer()
    WeeklyWindow.objects.create(interviewer=user, weekday=1, start_time=time(13), end_time=time(18))

    response = _as(api_client, user).post(
        AVAILABILITY_URL, {"type": "weekly", "weekday": 1, "start": "17:00", "end": "19:00"}
    )

    error = api_error(response, 400)
    assert error["message"].startswith("This overlaps your Tuesday 13:00 to 18:00 window")
    assert error["fields"] == {"non_field_errors": [error["message"]]}


def test_it_deletes_either_kind_of_window(api_client: APIClient) -> None:
    user = _interviewer()
    weekly = WeeklyWindow.objects.create(
        interviewer=user, weekday=1, start_time=time(13), end_time=time(18)
    )
    dated = DateWindow.objects.create(interviewer=user, kind="blackout", date=date(2099, 1, 1))
    _as(api_client, user)

    assert api_client.delete(f"{AVAILABILITY_URL}w{weekly.pk}/").status_code == 204
    assert api_client.delete(f"{AVAILABILITY_URL}d{dated.pk}/").status_code == 204
    assert not WeeklyWindow.objects.exists()
    assert not DateWindow.objects.exists()
    api_error(api_client.delete(f"{AVAILABILITY_URL}w{weekly.pk}/"), 404)


@pytest.mark.parametrize("window_id", ["w{weekly}", "d{dated}", "d{weekly}x", "12", "x1", "w"])
def test_it_answers_404_for_another_users_or_a_malformed_id(
    api_client: APIClient, window_id: str
) -> None:
    owner = _interviewer()
    weekly = WeeklyWindow.objects.create(
        interviewer=owner, weekday=1, start_time=time(13), end_time=time(18)
    )
    dated = DateWindow.objects.create(interviewer=owner, kind="blackout", date=date(2099, 1, 1))

    response = _as(api_client, _interviewer()).delete(
        f"{AVAILABILITY_URL}{window_id.format(weekly=weekly.pk, dated=dated.pk)}/"
    )

    assert api_error(response, 404)["code"] == "not_found"
    assert WeeklyWindow.objects.count() == DateWindow.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", AVAILABILITY_URL, None),
        ("post", AVAILABILITY_URL, {"type": "blackout", "date": "2099-01-01"}),
        ("delete", f"{AVAILABILITY_URL}w1/", None),
    ],
)
def test_it_answers_403_to_someone_without_an_interviewer_profile(
    api_client: APIClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    candidate = CandidateProfileFactory.create().user

    response = getattr(_as(api_client, candidate), method)(path, body)

    error = api_error(response, 403)
    assert error["code"] == "not_interviewer"
    assert "interviewer profile" in error["message"]


def test_it_answers_401_to_an_anonymous_client(api_client: APIClient) -> None:
    assert api_error(api_client.get(AVAILABILITY_URL), 401)["code"] == "not_authenticated"
    assert api_error(api_client.get(_slots_url(_interviewer())), 401)


# --- /api/v1/interviewers/{id}/slots/ ------------------------------------------------------


def _tuesday_afternoons(zone: str) -> User:
    user = _interviewer(zone=zone)
    WeeklyWindow.objects.create(interviewer=user, weekday=1, start_time=time(13), end_time=time(15))
    return user


@time_machine.travel(NOW, tick=False)
def test_it_lists_free_slots_for_the_next_week_by_default(api_client: APIClient) -> None:
    interviewer = _tuesday_afternoons("Europe/London")

    response = _as(api_client, UserFactory.create()).get(_slots_url(interviewer))

    assert response.status_code == 200
    assert response.json() == {
        "interviewer": interviewer.pk,
        "time_zone": "Europe/London",
        "length": 60,
        "slots": [
            {
                "start": f"2027-06-{day:02d}T{hour}:{minute}:00Z",
                "end": f"2027-06-{day:02d}T{hour + 1}:{minute}:00Z",
                "local_start": f"2027-06-{day:02d}T{hour + 1}:{minute}:00+01:00",
                "local_end": f"2027-06-{day:02d}T{hour + 2}:{minute}:00+01:00",
                "in_waking_hours": True,  # 12:00 to 14:00 in the caller's zone, UTC
            }
            for day in (1,)
            for hour, minute in ((12, "00"), (12, "30"), (13, "00"))
        ],
    }


@time_machine.travel(NOW, tick=False)
def test_it_lists_the_callers_waking_hours_slots_first(api_client: APIClient) -> None:
    interviewer = _tuesday_afternoons("Europe/London")
    # 12:00 UTC is 21:00 in Tokyo: the 12:00 slot starts before 21:30, the others after.
    caller = UserFactory.create(
        time_zone="Asia/Tokyo", waking_hours_start=time(21, 30), waking_hours_end=time(23, 59)
    )

    slots = _as(api_client, caller).get(_slots_url(interviewer)).json()["slots"]

    assert [(slot["start"][11:16], slot["in_waking_hours"]) for slot in slots] == [
        ("12:30", True),
        ("13:00", True),
        ("12:00", False),
    ]


@time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=UTC), tick=False)
def test_it_keeps_local_times_across_a_daylight_saving_change(api_client: APIClient) -> None:
    # New York springs forward on Sunday 14 March 2027: Tuesdays 13:00 EST, then 13:00 EDT.
    interviewer = _tuesday_afternoons("America/New_York")

    response = _as(api_client, UserFactory.create()).get(
        _slots_url(interviewer, **{"from": "2027-03-08T00:00:00Z", "to": "2027-03-22T00:00:00Z"})
    )

    starts = [(slot["start"], slot["local_start"]) for slot in response.json()["slots"]]
    assert starts == [
        ("2027-03-09T18:00:00Z", "2027-03-09T13:00:00-05:00"),
        ("2027-03-09T18:30:00Z", "2027-03-09T13:30:00-05:00"),
        ("2027-03-09T19:00:00Z", "2027-03-09T14:00:00-05:00"),
        ("2027-03-16T17:00:00Z", "2027-03-16T13:00:00-04:00"),
        ("2027-03-16T17:30:00Z", "2027-03-16T13:30:00-04:00"),
        ("2027-03-16T18:00:00Z", "2027-03-16T14:00:00-04:00"),
    ]


@pytest.mark.parametrize(
    ("query", "expected_starts"),
    [
        # An unescaped "+" in a query string arrives as a space; both forms are read.
        ({"from": "2027-06-01T14:00:00%2B01:00", "to": "2027-06-02T00:00Z"}, ["13:00Z"]),
        ({"from": "2027-06-01T14:00:00 01:00", "to": "2027-06-02T00:00Z"}, ["13:00Z"]),
        ({"length": "90"}, ["12:00Z", "12:30Z"]),
        ({"length": "45"}, ["12:00Z", "12:30Z", "13:00Z"]),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_it_reads_the_range_and_length(
    api_client: APIClient, query: dict[str, str], expected_starts: list[str]
) -> None:
    interviewer = _tuesday_afternoons("Europe/London")

    response = _as(api_client, UserFactory.create()).get(_slots_url(interviewer, **query))

    assert response.status_code == 200, response.json()
    assert [slot["start"][11:16] + "Z" for slot in response.json()["slots"]] == expected_starts


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "tomorrow"}, "from", "Enter a date and time in ISO 8601"),
        ({"to": "2027-06-40T00:00:00Z"}, "to", "Enter a date and time in ISO 8601"),
        ({"from": "2027-06-02T10:00:00"}, "from", "Include the UTC offset"),
        ({"from": "2027-06-02T00:00:00Z", "to": "2027-06-01T00:00:00Z"}, "to", "End after"),
        (
            {"from": "2027-06-02T00:00:00Z", "to": "2027-07-03T00:00:01Z"},
            "to",
            "Ask for at most 31",
        ),
        ({"length": "30"}, "length", "Ensure this value is greater than or equal to 45."),
        ({"length": "120"}, "length", "Ensure this value is less than or equal to 90."),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_it_names_the_field_of_a_bad_query(
    api_client: APIClient, query: dict[str, str], field: str, message: str
) -> None:
    interviewer = _tuesday_afternoons("Europe/London")

    response = _as(api_client, UserFactory.create()).get(_slots_url(interviewer, **query))

    error = api_error(response, 400)
    assert list(error["fields"]) == [field]
    assert error["fields"][field][0].startswith(message)


@time_machine.travel(NOW, tick=False)
def test_it_accepts_exactly_31_days(api_client: APIClient) -> None:
    interviewer = _tuesday_afternoons("Europe/London")

    response = _as(api_client, UserFactory.create()).get(
        _slots_url(interviewer, **{"from": "2027-06-01T00:00:00Z", "to": "2027-07-02T00:00:00Z"})
    )

    # Four Tuesdays: the horizon (4 weeks from now) cuts off the fifth.
    assert response.status_code == 200
    assert len(response.json()["slots"]) == 4 * 3


@pytest.mark.parametrize("status", [VettingStatus.PENDING, VettingStatus.REJECTED, None])
def test_it_answers_404_for_anyone_but_an_approved_interviewer(
    api_client: APIClient, status: str | None
) -> None:
    if status is None:
        target = CandidateProfileFactory.create().user
    else:
        target = InterviewerProfileFactory.create(
            status=status, decision_reason="Not yet." if status == VettingStatus.REJECTED else ""
        ).user

    response = _as(api_client, UserFactory.create()).get(_slots_url(target))

    assert api_error(response, 404)["code"] == "not_found"


@time_machine.travel(NOW, tick=False)
def test_it_leaves_out_booked_and_keeps_cancelled_slots(api_client: APIClient) -> None:
    interviewer = _tuesday_afternoons("Europe/London")
    SessionFactory.create(
        interviewer=interviewer,
        start=datetime(2027, 6, 1, 12, 0, tzinfo=UTC),
        end=datetime(2027, 6, 1, 13, 0, tzinfo=UTC),
    )
    SessionFactory.create(
        interviewer=interviewer,
        start=datetime(2027, 6, 1, 13, 0, tzinfo=UTC),
        end=datetime(2027, 6, 1, 14, 0, tzinfo=UTC),
        status="cancelled",
    )

    response = _as(api_client, UserFactory.create()).get(_slots_url(interviewer))

    assert [slot["start"] for slot in response.json()["slots"]] == ["2027-06-01T13:00:00Z"]


@pytest.mark.parametrize("bookings", [0, 10, 200])
@time_machine.travel(NOW, tick=False)
def test_it_answers_the_slots_in_a_fixed_number_of_queries(
    api_client: APIClient, django_assert_max_num_queries: DjangoAssertNumQueries, bookings: int
) -> None:
    interviewer = _interviewer()
    for weekday in range(7):
        WeeklyWindow.objects.create(
            interviewer=interviewer, weekday=weekday, start_time=time(0), end_time=time(23, 59)
        )
    candidate = UserFactory.create()
    booked = [
        (NOW + timedelta(hours=3 + 2 * number), NOW + timedelta(hours=4 + 2 * number))
        for number in range(bookings)
    ]
    for start, end in booked:
        SessionFactory.create(interviewer=interviewer, candidate=candidate, start=start, end=end)
    _as(api_client, candidate)

    with django_assert_max_num_queries(4):
        response = api_client.get(_slots_url(interviewer, to="2027-06-30T00:00:00Z"))

    assert response.status_code == 200
    slots = [
        (datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"]))
        for slot in response.json()["slots"]
    ]
    assert len(slots) > 600  # about 1,340 free slots, less three per booking
    assert not [
        slot for slot in slots for start, end in booked if slot[0] < end and start < slot[1]
    ]
