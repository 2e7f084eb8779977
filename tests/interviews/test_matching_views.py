"""The match list over the API and the "Find an interviewer" page."""

from __future__ import annotations

import html
import re
from datetime import time, timedelta
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from tests.api import api_error
from tests.factories import (
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
    UserFactory,
)
from tests.interviews.test_matching import NOW, create_interviewer

pytestmark = pytest.mark.django_db

URL = "/api/v1/matches/"
PAGE = "/find/"
DASH = "\N{EN DASH}"


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def candidate() -> User:
    return CandidateProfileFactory(
        user__time_zone="America/New_York",
        target_level="senior",
        focus_areas=["caching", "concurrency"],
    ).user


@pytest.fixture
def interviewer() -> User:
    # Tuesdays 13:00 to 15:00 London: 09:00 to 11:00 New York until both change clocks.
    return create_interviewer(expertise=("caching", "concurrency", "scalability"))


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_lists_matches_in_the_documented_shape(candidate: User, interviewer: User) -> None:
    response = api_for(candidate).get(URL)
    assert response.status_code == 200
    [match] = response.json()["results"]
    assert match["interviewer"] == {
        "id": interviewer.pk,
        "name": interviewer.name,
        "level": "staff",
        "expertise": ["scalability", "caching", "concurrency"],
    }
    assert isinstance(match["score"], float)
    assert [part["part"] for part in match["explanation"]] == [
        "expertise",
        "seniority",
        "load",
        "rating",
        "time_zone",
        "novelty",
    ]
    assert set(match["explanation"][0]) == {"part", "value", "weight", "text"}
    assert match["explanation"][0]["text"] == "expertise: caching, concurrency"
    # Tuesday 23 March 2027, 13:00 in London (still GMT), in UTC with its offset.
    assert match["next_slots"][0] == {
        "start": "2027-03-23T13:00:00Z",
        "end": "2027-03-23T14:00:00Z",
        "in_waking_hours": True,
    }
    assert len(match["next_slots"]) == 5


def test_it_takes_focus_from_the_query(candidate: User, interviewer: User) -> None:
    response = api_for(candidate).get(URL, {"focus": "scalability,real-time"})
    [match] = response.json()["results"]
    assert match["explanation"][0]["text"] == "expertise: scalability"


def test_it_honours_the_window(candidate: User, interviewer: User) -> None:
    response = api_for(candidate).get(
        URL, {"from": "2027-03-29T00:00:00+01:00", "to": "2027-04-01T00:00:00+01:00"}
    )
    [match] = response.json()["results"]
    # Tuesday 30 March, 13:00 London summer time, is 12:00 UTC.
    assert match["next_slots"][0]["start"] == "2027-03-30T12:00:00Z"
    assert len(match["next_slots"]) == 3


@pytest.fixture
def night_and_day(db: None) -> User:
    # Tuesdays 03:00 to 05:00 London: 23:00 to 01:00 New York on Monday 22 March (the US
    # is on summer time, the UK not yet), 22:00 to 00:00 a week later (both are). Tuesdays
    # 14:00 to 15:00 London: 10:00 New York, then 09:00.
    return create_interviewer(windows=((1, time(3), time(5)), (1, time(14), time(15))))


def test_it_lists_waking_hours_slots_first_and_flags_each(
    candidate: User, night_and_day: User
) -> None:
    [match] = api_for(candidate).get(URL).json()["results"]
    flags = [slot["in_waking_hours"] for slot in match["next_slots"]]
    # Two Tuesdays in the window, one daytime slot each, then five night slots.
    assert flags == [True, True, False, False, False, False, False]
    assert match["next_slots"][0]["start"] == "2027-03-23T14:00:00Z"
    assert match["next_slots"][2]["start"] == "2027-03-23T03:00:00Z"


def test_it_follows_the_candidates_own_waking_hours(candidate: User, night_and_day: User) -> None:
    User.objects.filter(pk=candidate.pk).update(
        waking_hours_start=time(21), waking_hours_end=time(23, 59)
    )
    [match] = api_for(User.objects.get(pk=candidate.pk)).get(URL).json()["results"]
    # 21:00 to midnight holds 23:00 to 00:00 in the first week (not 23:30, which
    # crosses midnight), and 22:00, 22:30 and 23:00 in the second.
    assert [slot["start"] for slot in match["next_slots"] if slot["in_waking_hours"]] == [
        "2027-03-23T03:00:00Z",
        "2027-03-30T02:00:00Z",
        "2027-03-30T02:30:00Z",
        "2027-03-30T03:00:00Z",
    ]


def test_it_answers_an_empty_list_when_nobody_is_free(candidate: User) -> None:
    response = api_for(candidate).get(URL)
    assert response.json() == {"results": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "tomorrow"}, "from"),
        ({"from": "2027-03-23T09:00:00"}, "from"),
        ({"to": "2027-03-23"}, "to"),
        ({"from": "2027-03-23T09:00:00Z", "to": "2027-03-23T08:00:00Z"}, "to"),
        ({"from": "2027-03-23T09:00:00Z", "to": "2027-04-21T09:00:00Z"}, "to"),
        ({"focus": "caching,telepathy"}, "focus"),
    ],
)
def test_it_rejects_bad_input_naming_the_field(
    candidate: User, params: dict[str, str], field: str
) -> None:
    error = api_error(api_for(candidate).get(URL, params), 400)
    assert list(error["fields"]) == [field]


def test_it_accepts_an_offset_whose_plus_arrived_as_a_space(
    candidate: User, interviewer: User
) -> None:
    response = api_for(candidate).get(URL + "?from=2027-03-29T00:00:00 01:00")
    assert response.status_code == 200


def test_it_refuses_people_without_a_candidate_profile(interviewer: User) -> None:
    error = api_error(api_for(interviewer).get(URL), 403)
    assert error["code"] == "not_a_candidate"


def test_it_asks_anonymous_callers_to_authenticate() -> None:
    api_error(APIClient().get(URL), 401)


def test_it_lists_many_matches_in_few_queries(
    candidate: User,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        create_interviewer()
    client = api_for(candidate)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.json()["results"]) == 12


# The page -----------------------------------------------------------------------------


def page_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_matches_explained_with_slots_in_the_candidates_zone(
    candidate: User, interviewer: User
) -> None:
    response = page_for(candidate).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert interviewer.name in html
    assert (
        "expertise: caching, concurrency · staff: one level above your senior target"
        " · no sessions this week · no reviews yet · 6 slots inside your 08:00 to 22:00"
        " · new to you"
    ) in html
    # 13:00 London is 09:00 New York on Tuesday 23 March.
    assert '<h4 class="slot-day">Tue 23 Mar</h4>' in html
    assert f'aria-label="Tue 23 Mar, 09:00{DASH}10:00"' in html
    assert "times outside" not in html  # every slot is inside 08:00 to 22:00
    start = quote("2027-03-23T13:00:00Z", safe="")
    assert f'href="/sessions/new/?interviewer={interviewer.pk}&amp;start={start}"' in html


def test_it_shows_daytime_slots_first_and_the_night_behind_a_disclosure(
    candidate: User, night_and_day: User
) -> None:
    html = page_for(candidate).get(PAGE).content.decode()
    shown, hidden = html.split('<details class="slot-outside">')
    hidden = hidden.split("</details>")[0]
    assert "<summary>Show times outside 08:00\N{EN DASH}22:00</summary>" in hidden
    assert f'aria-label="Tue 23 Mar, 10:00{DASH}11:00"' in shown
    assert f'aria-label="Tue 30 Mar, 09:00{DASH}10:00"' in shown
    assert "23:00" not in shown.split('class="slot-offer"')[1]
    assert '<h4 class="slot-day">Mon 22 Mar</h4>' in hidden
    assert f'aria-label="Mon 22 Mar, 23:00{DASH}00:00"' in hidden


def test_it_says_when_no_slot_is_inside_the_waking_hours(candidate: User) -> None:
    create_interviewer(windows=((1, time(3), time(5)),))
    html = page_for(candidate).get(PAGE).content.decode()
    assert f"No free time inside your waking hours (08:00{DASH}22:00)" in html
    assert "Show times outside" in html


def test_it_prefills_the_form_from_the_profile(candidate: User) -> None:
    response = page_for(candidate).get(PAGE)
    form = response.context["form"]
    assert form["focus"].value() == ["caching", "concurrency"]
    assert form["start"].value() == "2027-03-22"  # 02:00 in New York, still Monday
    assert form["end"].value() == "2027-04-04"


def test_it_searches_the_chosen_dates_and_focus(candidate: User, interviewer: User) -> None:
    response = page_for(candidate).get(
        PAGE, {"focus": ["scalability"], "start": "2027-03-29", "end": "2027-03-31"}
    )
    html = response.content.decode()
    assert "expertise: scalability ·" in html
    # After both zones moved to summer time: 13:00 London is 08:00 New York.
    assert f'aria-label="Tue 30 Mar, 08:00{DASH}09:00"' in html
    assert "Tue 23 Mar" not in html


@pytest.mark.parametrize(("upcoming", "warned"), [(2, False), (3, True)])
def test_it_says_before_the_search_when_the_booking_limit_is_reached(
    candidate: User, upcoming: int, warned: bool
) -> None:
    for day in range(upcoming):
        SessionFactory.create(
            candidate=candidate,
            start=NOW + timedelta(days=day + 1),
            end=NOW + timedelta(days=day + 1, hours=1),
        )

    page = page_for(candidate).get(PAGE).content.decode()

    words = (
        "You have 3 upcoming sessions, the most you can hold; "
        "cancel one or wait for one to pass to book more."
    )
    assert (words in page) is warned
    assert ('id="booking-limit"' in page) is warned


def test_it_explains_an_empty_result(candidate: User) -> None:
    response = page_for(candidate).get(PAGE)
    assert "No approved interviewer has free time in this window" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2027-03-29", "end": "2027-03-28"}, "end"),
        ({"start": "2027-03-22", "end": "2027-04-30"}, "end"),
        ({"start": "soon", "end": "2027-03-28"}, "start"),
        ({"start": "2027-03-22", "end": "2027-03-28", "focus": "telepathy"}, "focus"),
    ],
)
def test_it_shows_form_errors_on_the_field(
    candidate: User, params: dict[str, str], field: str
) -> None:
    response = page_for(candidate).get(PAGE, params)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]


def test_it_sends_non_candidates_to_their_profile() -> None:
    interviewer = InterviewerProfileFactory().user
    response = page_for(interviewer).get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/profile/"


def test_it_needs_a_login() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("is_candidate", "shown"), [(True, True), (False, False)])
def test_it_links_candidates_to_the_page_from_the_menu(is_candidate: bool, shown: bool) -> None:
    user = CandidateProfileFactory().user if is_candidate else UserFactory()
    response = page_for(user).get("/profile/")
    assert ('href="/find/"' in response.content.decode()) is shown


def test_it_renders_many_matches_in_few_queries(
    candidate: User,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        create_interviewer(windows=((1, time(13), time(15)), (3, time(9), time(10))))
    client = page_for(candidate)
    with django_assert_max_num_queries(16):
        response = client.get(PAGE)
    assert response.content.decode().count('class="match"') == 10


def test_it_shows_the_best_ten_and_the_next_ten_on_request(candidate: User) -> None:
    ids = [create_interviewer().pk for _ in range(12)]
    client = page_for(candidate)

    page = client.get(PAGE).content.decode()
    more = re.search(r'<p id="more-matches"><a href="([^"]+)">Show the next 10 matches</a>', page)
    assert more is not None, page
    longer = client.get(PAGE + html.unescape(more.group(1)))

    assert page.count('class="match"') == 10
    assert "The 10 best matches" in page
    assert longer.content.decode().count('class="match"') == 12
    assert "12 matches" in longer.content.decode()
    assert 'id="more-matches"' not in longer.content.decode()
    # The longer list keeps the search: its focus areas and dates.
    for kept in ("focus=caching", "focus=concurrency", "start=", "end=", "more=on"):
        assert kept in more.group(1)
    shown = [int(pk) for pk in re.findall(r'<article class="match" id="match-(\d+)"', page)]
    assert set(shown) <= set(ids)
    assert more.group(1).endswith(f"#match-{_unshown(ids, shown)}")


def _unshown(ids: list[int], shown: list[int]) -> int:
    # All twelve tie; the eleventh in rank order is the first not shown, and the link
    # lands on it.
    return sorted(set(ids) - set(shown))[0]
