"""Editing availability: the services' rules and the page, with and without htmx."""

from __future__ import annotations

import re
import threading
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from accounts.models import User, VettingStatus
from interviews.availability import (
    add_date_window,
    add_weekly_window,
    delete_window,
    free_slots,
    is_offered,
    upcoming_date_windows,
    weekly_windows,
)
from interviews.models import DateWindow, DateWindowKind, WeeklyWindow
from tests.factories import (
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("availability")
WEEKLY_URL = reverse("availability_add_weekly")
DATES_URL = reverse("availability_add_date")
# Tuesday 1 June 2027, 09:00 in London (British Summer Time).
NOW = datetime(2027, 6, 1, 8, 0, tzinfo=UTC)
TODAY = date(2027, 6, 1)
HTMX = {"HTTP_HX_REQUEST": "true"}


def _interviewer(status: str = VettingStatus.APPROVED, zone: str = "Europe/London") -> User:
    reason = "Tell us more about your experience." if status == VettingStatus.REJECTED else ""
    return InterviewerProfileFactory.create(
        status=status, decision_reason=reason, user__time_zone=zone
    ).user


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _weekly(user: User, weekday: int = 1, start: int = 13, end: int = 18) -> WeeklyWindow:
    return add_weekly_window(
        interviewer=user, weekday=weekday, start_time=time(start), end_time=time(end)
    )


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Services -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(VettingStatus))
def test_it_lets_any_interviewer_add_a_weekly_window(status: str) -> None:
    user = _interviewer(status)

    window = add_weekly_window(
        interviewer=user, weekday=2, start_time=time(9, 30), end_time=time(12)
    )

    assert list(weekly_windows(interviewer=user)) == [window]
    assert (window.weekday, window.start_time, window.end_time) == (2, time(9, 30), time(12))


def test_it_refuses_availability_for_someone_who_is_not_an_interviewer() -> None:
    candidate = CandidateProfileFactory.create().user

    with pytest.raises(PermissionDenied):
        _weekly(candidate)
    with pytest.raises(PermissionDenied):
        add_date_window(interviewer=candidate, kind="blackout", date=TODAY, now=NOW)
    assert not WeeklyWindow.objects.exists()


@pytest.mark.parametrize(
    ("weekday", "start", "end", "field", "message"),
    [
        (1, time(13), time(13), "end", "End after the start."),
        (1, time(14), time(13), "end", "End after the start."),
        (1, time(13, 15), time(14), "start", "Start on the hour or the half hour"),
        (1, time(13), time(14, 45), "end", "End on the hour or the half hour"),
        (1, time(13), time(14, 0, 30), "end", "End on the hour or the half hour"),
        (7, time(13), time(14), "weekday", "Pick a day of the week."),
        (-1, time(13), time(14), "weekday", "Pick a day of the week."),
    ],
)
def test_it_rejects_a_weekly_window_with_bad_times(
    weekday: int, start: time, end: time, field: str, message: str
) -> None:
    user = _interviewer()

    with pytest.raises(ValidationError) as error:
        add_weekly_window(interviewer=user, weekday=weekday, start_time=start, end_time=end)

    assert _errors(error)[field][0].startswith(message)
    assert not WeeklyWindow.objects.exists()


def test_it_accepts_23_59_as_the_end_of_the_day() -> None:
    user = _interviewer()

    window = add_weekly_window(
        interviewer=user, weekday=4, start_time=time(21), end_time=time(23, 59)
    )

    assert window.end_time == time(23, 59)


@pytest.mark.parametrize(
    ("start", "end"),
    [(12, 14), (17, 19), (14, 15), (12, 19), (13, 18)],
)
def test_it_refuses_a_weekly_window_overlapping_another_on_the_same_day(
    start: int, end: int
) -> None:
    user = _interviewer()
    _weekly(user, weekday=1, start=13, end=18)

    with pytest.raises(ValidationError) as error:
        _weekly(user, weekday=1, start=start, end=end)

    assert "overlaps your Tuesday 13:00 to 18:00 window" in _errors(error)[NON_FIELD_ERRORS][0]
    assert WeeklyWindow.objects.count() == 1


def test_it_allows_touching_windows_other_days_and_other_interviewers() -> None:
    user = _interviewer()
    _weekly(user, weekday=1, start=13, end=18)

    _weekly(user, weekday=1, start=18, end=20)
    _weekly(user, weekday=1, start=9, end=13)
    _weekly(user, weekday=2, start=13, end=18)
    _weekly(_interviewer(), weekday=1, start=13, end=18)

    assert [
        (window.weekday, window.start_time.hour) for window in weekly_windows(interviewer=user)
    ] == [(1, 9), (1, 13), (1, 18), (2, 13)]


def test_it_adds_an_extra_window_and_a_blackout_from_today_on() -> None:
    user = _interviewer()

    extra = add_date_window(
        interviewer=user,
        kind="extra",
        date=TODAY,
        start_time=time(19),
        end_time=time(21),
        now=NOW,
    )
    blackout = add_date_window(
        interviewer=user, kind="blackout", date=TODAY + timedelta(days=3), now=NOW
    )

    assert list(upcoming_date_windows(interviewer=user, now=NOW)) == [extra, blackout]
    assert (blackout.start_time, blackout.end_time) == (None, None)


def test_it_judges_the_past_by_the_interviewers_local_date() -> None:
    # 23:30 UTC on 31 May is already 1 June in Tokyo, and still 31 May in New York.
    now = datetime(2027, 5, 31, 23, 30, tzinfo=UTC)
    tokyo = _interviewer(zone="Asia/Tokyo")
    new_york = _interviewer(zone="America/New_York")

    add_date_window(interviewer=tokyo, kind="blackout", date=date(2027, 6, 1), now=now)
    with pytest.raises(ValidationError) as error:
        add_date_window(interviewer=tokyo, kind="blackout", date=date(2027, 5, 31), now=now)
    assert _errors(error)["date"] == ["Pick today or a later date."]
    add_date_window(interviewer=new_york, kind="blackout", date=date(2027, 5, 31), now=now)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"kind": "extra", "date": TODAY - timedelta(days=1)}, "date", "Pick today"),
        ({"kind": "blackout", "date": TODAY - timedelta(days=1)}, "date", "Pick today"),
        ({"kind": "extra", "start_time": None}, "start", "Give the time the window starts."),
        ({"kind": "extra", "end_time": None}, "end", "Give the time the window ends."),
        ({"kind": "extra", "end_time": time(18, 10)}, "end", "End on the hour"),
        ({"kind": "extra", "start_time": time(21)}, "end", "End after the start."),
        ({"kind": "blackout"}, "start", "A blackout covers the whole day"),
        ({"kind": "holiday"}, "kind", "Choose an extra window or a blackout."),
    ],
)
def test_it_rejects_a_bad_date_window(kwargs: dict[str, Any], field: str, message: str) -> None:
    user = _interviewer()
    given: dict[str, Any] = {
        "date": TODAY,
        "start_time": time(13),
        "end_time": time(18),
        **kwargs,
    }

    with pytest.raises(ValidationError) as error:
        add_date_window(interviewer=user, now=NOW, **given)

    assert _errors(error)[field][0].startswith(message)
    assert not DateWindow.objects.exists()


def test_it_refuses_a_second_blackout_and_overlapping_extra_windows_on_one_date() -> None:
    user = _interviewer()
    add_date_window(interviewer=user, kind="blackout", date=TODAY, now=NOW)
    add_date_window(
        interviewer=user, kind="extra", date=TODAY, start_time=time(9), end_time=time(11), now=NOW
    )

    with pytest.raises(ValidationError) as blackout:
        add_date_window(interviewer=user, kind="blackout", date=TODAY, now=NOW)
    with pytest.raises(ValidationError) as extra:
        add_date_window(
            interviewer=user,
            kind="extra",
            date=TODAY,
            start_time=time(10),
            end_time=time(12),
            now=NOW,
        )

    assert _errors(blackout)["date"] == ["1 June 2027 is already a blackout date."]
    assert (
        "overlaps your extra window 1 June 2027 09:00 to 11:00"
        in (_errors(extra)[NON_FIELD_ERRORS][0])
    )
    assert DateWindow.objects.count() == 2


def test_it_deletes_only_the_owners_windows() -> None:
    owner, other = _interviewer(), _interviewer()
    weekly = _weekly(owner)
    dated = add_date_window(interviewer=owner, kind="blackout", date=TODAY, now=NOW)

    for kind, window_id in (("weekly", weekly.pk), ("date", dated.pk), ("weekly", 999_999)):
        with pytest.raises(Http404):
            delete_window(interviewer=other, kind=kind, window_id=window_id)  # type: ignore[arg-type]
    assert WeeklyWindow.objects.count() == DateWindow.objects.count() == 1

    delete_window(interviewer=owner, kind="weekly", window_id=weekly.pk)
    delete_window(interviewer=owner, kind="date", window_id=dated.pk)
    assert not WeeklyWindow.objects.exists()
    assert not DateWindow.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_makes_concurrent_adds_take_turns_so_no_overlap_slips_in() -> None:
    user = _interviewer()
    outcome: dict[str, Exception] = {}
    started = threading.Event()

    def add_in_another_request() -> None:
        started.set()
        try:
            _weekly(user, weekday=1, start=14, end=16)
        except ValidationError as error:
            outcome["error"] = error
        finally:
            connection.close()

    with transaction.atomic():
        # Stand in for a first request caught between its overlap check and its insert.
        User.objects.select_for_update().get(pk=user.pk)
        other = threading.Thread(target=add_in_another_request)
        other.start()
        started.wait()
        clock.sleep(0.3)  # long enough for the other request to reach its own check
        WeeklyWindow.objects.create(
            interviewer=user, weekday=1, start_time=time(13), end_time=time(18)
        )
    other.join(timeout=10)

    assert "overlaps your Tuesday 13:00 to 18:00 window" in str(outcome.get("error"))
    assert WeeklyWindow.objects.count() == 1


# --- The page -------------------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_log_in(client: Client) -> None:
    response = client.get(PAGE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_sends_someone_without_an_interviewer_profile_to_their_profile(client: Client) -> None:
    candidate = CandidateProfileFactory.create().user

    response = _signed_in(client, candidate).get(PAGE_URL, follow=True)

    assert response.redirect_chain == [(reverse("profile"), 302)]
    assert "Availability is for interviewers" in response.content.decode()
    assert f'href="{PAGE_URL}"' not in response.content.decode()  # no nav link either


@time_machine.travel(NOW, tick=False)
def test_it_shows_windows_the_zone_and_the_next_slots_in_local_time(client: Client) -> None:
    user = _interviewer(zone="America/New_York")
    _weekly(user, weekday=1, start=13, end=15)
    add_date_window(interviewer=user, kind="blackout", date=date(2027, 6, 8), now=NOW)

    response = _signed_in(client, user).get(PAGE_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Times are in America/New_York" in html
    assert f'href="{PAGE_URL}"' in html  # the nav link
    assert "13:00 to 15:00" in html
    assert re.search(r"Tuesday 8 June 2027</th>\s*<td>\s*Blackout \(whole day\)", html)
    # Tuesday 1 June 13:00 EDT is the first slot; 8 June is blacked out; then 15 June.
    previews = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time> to ([^<]+)</li>", html)
    assert previews[:4] == [
        ("Tue 1 Jun, 13:00", "14:00 EDT"),
        ("Tue 1 Jun, 13:30", "14:30 EDT"),
        ("Tue 1 Jun, 14:00", "15:00 EDT"),
        ("Tue 15 Jun, 13:00", "14:00 EDT"),
    ]


@time_machine.travel(NOW, tick=False)
def test_it_tells_a_pending_interviewer_candidates_cannot_book_yet(client: Client) -> None:
    user = _interviewer(VettingStatus.PENDING)

    html = _signed_in(client, user).get(PAGE_URL).content.decode()

    assert "not approved yet" in html
    assert "add a weekly window above" in html


@time_machine.travel(NOW, tick=False)
def test_it_adds_a_weekly_window_and_redirects_without_javascript(client: Client) -> None:
    user = _interviewer()

    response = _signed_in(client, user).post(
        WEEKLY_URL, {"weekly-weekday": "3", "weekly-start": "09:00", "weekly-end": "23:59"}
    )

    assert response.status_code == 302
    assert response["Location"] == PAGE_URL
    window = WeeklyWindow.objects.get(interviewer=user)
    assert (window.weekday, window.start_time, window.end_time) == (3, time(9), time(23, 59))
    page = client.get(PAGE_URL).content.decode()
    assert "Added Thursday 09:00 to 24:00." in page
    assert "09:00 to 24:00" in page


@time_machine.travel(NOW, tick=False)
def test_it_answers_htmx_with_only_the_windows_fragment(client: Client) -> None:
    user = _interviewer()

    response = _signed_in(client, user).post(
        WEEKLY_URL,
        {"weekly-weekday": "1", "weekly-start": "18:00", "weekly-end": "20:00"},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="availability"')
    assert "<html" not in html
    assert "<nav" not in html
    assert 'role="status">Added Tuesday 18:00 to 20:00.' in html
    assert "18:00 to 20:00" in html
    assert WeeklyWindow.objects.filter(interviewer=user).count() == 1
    # The form is cleared for the next window.
    assert 'value="18:00"' not in html


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@time_machine.travel(NOW, tick=False)
def test_it_shows_an_error_beside_the_field_and_keeps_what_was_typed(
    client: Client, htmx: bool
) -> None:
    user = _interviewer()

    response = _signed_in(client, user).post(
        WEEKLY_URL,
        {"weekly-weekday": "2", "weekly-start": "13:15", "weekly-end": "15:00"},
        **(HTMX if htmx else {}),
    )

    html = response.content.decode()
    assert response.status_code == (200 if htmx else 400)
    assert re.search(
        r'id="field-weekly-start">.*value="13:15".*'
        r'<small class="error"[^>]*>Start on the hour or the half hour',
        html,
        re.DOTALL,
    )
    assert 'value="15:00"' in html
    assert re.search(r'<option value="2" selected>', html)
    assert not WeeklyWindow.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_shows_an_overlap_above_the_form(client: Client) -> None:
    user = _interviewer()
    _weekly(user, weekday=1, start=13, end=18)

    response = _signed_in(client, user).post(
        WEEKLY_URL,
        {"weekly-weekday": "1", "weekly-start": "17:00", "weekly-end": "19:00"},
        **HTMX,
    )

    html = response.content.decode()
    assert re.search(r'class="form-errors" role="alert"><p>This overlaps your Tuesday', html)
    assert 'value="17:00"' in html


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@time_machine.travel(NOW, tick=False)
def test_it_adds_an_extra_window_and_a_blackout(client: Client, htmx: bool) -> None:
    user = _interviewer()
    headers = HTMX if htmx else {}
    _signed_in(client, user)

    extra = client.post(
        DATES_URL,
        {
            "kind": "extra",
            "extra-date": "2027-06-05",
            "extra-start": "10:00",
            "extra-end": "12:00",
        },
        **headers,
    )
    blackout = client.post(
        DATES_URL, {"kind": "blackout", "blackout-date": "2027-06-08"}, **headers
    )

    assert (extra.status_code, blackout.status_code) == ((200, 200) if htmx else (302, 302))
    assert list(
        DateWindow.objects.filter(interviewer=user).values_list(
            "kind", "date", "start_time", "end_time"
        )
    ) == [
        (DateWindowKind.EXTRA, date(2027, 6, 5), time(10), time(12)),
        (DateWindowKind.BLACKOUT, date(2027, 6, 8), None, None),
    ]
    if htmx:
        assert "Tuesday 8 June 2027 is blacked out." in blackout.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_blackout_in_the_past_on_the_page(client: Client) -> None:
    user = _interviewer()

    response = _signed_in(client, user).post(
        DATES_URL, {"kind": "blackout", "blackout-date": "2027-05-31"}, **HTMX
    )

    html = response.content.decode()
    assert re.search(r'value="2027-05-31".*Pick today or a later date\.', html, re.DOTALL)
    assert not DateWindow.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@time_machine.travel(NOW, tick=False)
def test_it_deletes_a_window_in_place(client: Client, htmx: bool) -> None:
    user = _interviewer()
    weekly = _weekly(user)
    dated = add_date_window(interviewer=user, kind="blackout", date=TODAY, now=NOW)
    _signed_in(client, user)

    first = client.post(
        reverse("availability_delete", args=["weekly", weekly.pk]), **(HTMX if htmx else {})
    )
    second = client.post(
        reverse("availability_delete", args=["date", dated.pk]), **(HTMX if htmx else {})
    )

    assert (first.status_code, second.status_code) == ((200, 200) if htmx else (302, 302))
    assert not WeeklyWindow.objects.exists()
    assert not DateWindow.objects.exists()
    if htmx:
        assert "No extra windows or blackouts coming up." in second.content.decode()


@pytest.mark.parametrize("kind", ["weekly", "date", "session"])
def test_it_answers_404_for_another_interviewers_window(client: Client, kind: str) -> None:
    owner = _interviewer()
    weekly = _weekly(owner)
    dated = add_date_window(
        interviewer=owner,
        kind="extra",
        date=date(2099, 1, 1),
        start_time=time(9),
        end_time=time(10),
    )
    window_id = dated.pk if kind == "date" else weekly.pk

    response = _signed_in(client, _interviewer()).post(
        reverse("availability_delete", args=[kind, window_id])
    )

    assert response.status_code == 404
    assert WeeklyWindow.objects.count() == DateWindow.objects.count() == 1


def test_it_refuses_get_on_the_write_urls(client: Client) -> None:
    user = _interviewer()

    assert _signed_in(client, user).get(WEEKLY_URL).status_code == 405


@pytest.mark.parametrize("count", [0, 30])
@time_machine.travel(NOW, tick=False)
def test_it_renders_the_page_in_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries, count: int
) -> None:
    user = _interviewer()
    for number in range(count):
        WeeklyWindow.objects.create(
            interviewer=user,
            weekday=number % 7,
            start_time=time(number // 7 * 2),
            end_time=time(number // 7 * 2 + 1),
        )
        DateWindow.objects.create(
            interviewer=user, kind="blackout", date=TODAY + timedelta(days=30 + number)
        )
        SessionFactory.create(
            interviewer=user,
            start=NOW + timedelta(days=1, hours=number),
            end=NOW + timedelta(days=1, hours=number + 1),
        )
    _signed_in(client, user)

    with django_assert_max_num_queries(9):
        response = client.get(PAGE_URL)

    assert response.status_code == 200
    assert response.content.decode().count('aria-label="Delete ') == 2 * count


# --- The booking's own check agrees with the offered slots ---------------------------------


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_it_offers_at_booking_exactly_the_slots_the_pages_list(zone: str) -> None:
    # Across the autumn change in both zones (the repeated hour), with an extra window and
    # a blackout: the booking's one-query check must agree with the slot list.
    now = datetime(2027, 10, 27, 8, 0, tzinfo=UTC)
    interviewer = _interviewer(zone=zone)
    for weekday in range(7):
        add_weekly_window(
            interviewer=interviewer, weekday=weekday, start_time=time(0, 30), end_time=time(3)
        )
        add_weekly_window(
            interviewer=interviewer, weekday=weekday, start_time=time(13), end_time=time(18)
        )
    add_date_window(
        interviewer=interviewer,
        kind=DateWindowKind.EXTRA,
        date=date(2027, 11, 2),
        start_time=time(20),
        end_time=time(23, 59),
        now=now,
    )
    add_date_window(
        interviewer=interviewer, kind=DateWindowKind.BLACKOUT, date=date(2027, 11, 4), now=now
    )
    start, end = now, now + timedelta(days=10)
    listed = {
        slot.start for slot in free_slots(interviewer=interviewer, start=start, end=end, now=now)
    }

    grid = [start + timedelta(minutes=30 * step) for step in range(10 * 48)]
    checked = {
        moment
        for moment in grid
        if is_offered(interviewer=interviewer, start=moment, length=timedelta(hours=1), now=now)
    }

    assert checked == listed
    assert len(listed) > 100  # the comparison covers real slots, not two empty sets
