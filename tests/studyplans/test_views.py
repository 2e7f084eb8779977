"""The dashboards (SPEC §8) and the study plan pages: where people land, what each role sees,
checking plan items off in place, and the dashboards' fixed query cost."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from accounts.models import User, VettingStatus
from config.errors import DomainError
from interviews.booking import book_session
from interviews.feedback import save_feedback_draft, submit_feedback, submit_review
from interviews.models import (
    CriterionScore,
    Feedback,
    FeedbackStatus,
    PhaseNote,
    Review,
    Session,
    SessionStatus,
    WeeklyWindow,
)
from interviews.rubrics import PHASE_SLUGS, get_current_rubric, rubric_criteria
from studyplans import planning
from studyplans.models import ItemKind, ItemStatus, PlanItem
from tests.factories import (
    PASSWORD,
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
    complete_feedback_data,
    review_body,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]

# Monday 2 March 2026, 09:00 UTC: London is on GMT (local = UTC), Tokyo is 18:00 JST.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THIS_MONDAY = date(2026, 3, 2)
HTMX = {"HX-Request": "true"}

CANDIDATE_HOME = "/dashboard/candidate/"
INTERVIEWER_HOME = "/dashboard/interviewer/"

# Rubric version 1 in form order, with the score the "known" feedback gives each criterion.
KNOWN_FEEDBACK = [
    ("functional-spec", "requirements", 1),
    ("functional-spec", "estimation", 2),
    ("technical-spec", "high-level-design", 2),
    ("technical-spec", "data-modeling", 3),
    ("technical-spec", "api-design", 3),
    ("going-deep", "scalability", 3),
    ("going-deep", "api-design", 4),
    ("going-deep", "reliability", 4),
    ("going-deep", "concurrency", 1),
    ("extra-mile", "operability", 4),
    ("extra-mile", "operability", 4),
    ("communication", "communication", 2),
    ("communication", "communication", 3),
]
# Its average per phase, in phase order: (1+2)/2, (2+3+3)/3, (3+4+4+1)/4, 4, (2+3)/2.
KNOWN_PHASE_AVERAGES = [1.5, 2.67, 3.0, 4.0, 2.5]
# Its level per skill area, weakest first (ties: scores before focus, then the areas' own
# order); caching is a focus area no criterion scores, so it stays at the middle, 2.5.
KNOWN_AREAS = [
    ("Requirements", 1.0, "interviewer scores"),
    ("Concurrency", 1.0, "interviewer scores"),
    ("Estimation", 2.0, "interviewer scores"),
    ("High-level design", 2.0, "interviewer scores"),
    ("Communication", 2.5, "interviewer scores"),
    ("Caching", 2.5, "your focus areas"),
    ("Data modeling", 3.0, "interviewer scores"),
    ("Scalability", 3.0, "interviewer scores"),
    ("API design", 3.5, "interviewer scores"),
    ("Reliability", 4.0, "interviewer scores"),
    ("Operability", 4.0, "interviewer scores"),
]


@pytest.fixture
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


# --- Helpers -------------------------------------------------------------------------------------


def candidate(**profile: Any) -> User:
    return CandidateProfileFactory.create(**profile).user


def interviewer(*, status: str = VettingStatus.APPROVED, **profile: Any) -> User:
    return InterviewerProfileFactory.create(status=status, **profile).user


def both_roles() -> User:
    user = candidate()
    InterviewerProfileFactory.create(user=user, status=VettingStatus.APPROVED)
    return User.objects.get(pk=user.pk)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(user: User, url: str) -> str:
    response = signed_in(user).get(url)
    assert response.status_code == 200, response
    return html.unescape(response.content.decode())


def element(page: str, tag: str, element_id: str) -> str:
    """The element's opening tag and content, up to the first closing tag of its kind."""
    start = page.index(f'id="{element_id}"')
    start = page.rindex(f"<{tag}", 0, start)
    return page[start : page.index(f"</{tag}>", start)]


def switch_link(page: str) -> tuple[str, str]:
    """Where the page's one-click role switch goes, and what it says."""
    found = re.findall(r'<a href="([^"]*)"[^>]*id="switch-role"[^>]*>([^<]*)</a>', page)
    assert len(found) == 1, found
    return found[0]


def chart_data(page: str, element_id: str) -> Any:
    found = re.search(rf'<script id="{element_id}"[^>]*>(.*?)</script>', page, re.DOTALL)
    assert found is not None, f"no #{element_id} in the page"
    return json.loads(found.group(1))


def known_scores() -> dict[str, int]:
    criteria = rubric_criteria(get_current_rubric())
    assert [(c.phase, c.skill_area.slug) for c in criteria] == [
        (phase, area) for phase, area, _ in KNOWN_FEEDBACK
    ]
    return {str(c.pk): score for c, (_, _, score) in zip(criteria, KNOWN_FEEDBACK, strict=True)}


def held(who: User, *, start: datetime, with_: User | None = None, **extra: Any) -> Session:
    """A 60-minute session of the candidate `who` starting at `start`."""
    return SessionFactory.create(
        candidate=who,
        interviewer=with_ or UserFactory.create(display_name="Iris Interviewer"),
        start=start,
        end=start + timedelta(hours=1),
        **extra,
    )


def report(session: Session, *, scores: dict[str, int] | None = None, reviewed: bool = True) -> Any:
    """Submitted feedback on the session (the known scores by default), revealed by the
    candidate's review unless `reviewed` is False, and the plan remade as the task does."""
    data = {**complete_feedback_data(), "scores": scores or known_scores()}
    feedback = submit_feedback(session=session, by=session.interviewer, data=data, now=session.end)
    if reviewed:
        submit_review(session=session, by=session.candidate, data=review_body(), now=session.end)
    planning.apply_session(session_id=session.pk)
    return feedback


def own_items(user: User) -> list[PlanItem]:
    return list(
        PlanItem.objects.filter(plan__candidate=user).select_related("resource", "skill_area")
    )


def first_study_item(user: User) -> PlanItem:
    return next(
        item
        for item in own_items(user)
        if item.kind == ItemKind.RESOURCE and item.week_start == THIS_MONDAY
    )


# --- Where people land ---------------------------------------------------------------------------


def _staff() -> User:
    return StaffFactory.create()


def _candidate() -> User:
    return candidate()


def _interviewer() -> User:
    return interviewer()


def _nobody() -> User:
    return UserFactory.create()


@pytest.mark.parametrize(
    ("make", "lands_on"),
    [
        (_staff, "/staff/vetting/"),
        (_candidate, CANDIDATE_HOME),
        (both_roles, CANDIDATE_HOME),
        (_interviewer, INTERVIEWER_HOME),
        (_nobody, "/profile/"),
    ],
    ids=["staff", "candidate", "both-roles", "interviewer", "no-role"],
)
def test_it_lands_each_person_on_their_page_after_logging_in(
    client: Client, make: Callable[[], User], lands_on: str
) -> None:
    user = make()

    login = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    landing = client.get(login["Location"])
    final = client.get(landing["Location"])

    assert login.status_code == 302
    assert login["Location"] == "/dashboard/"
    assert landing.status_code == 302
    assert landing["Location"] == lands_on
    assert final.status_code == 200


@pytest.mark.parametrize("url", ["/dashboard/", CANDIDATE_HOME, INTERVIEWER_HOME, "/plan/"])
def test_it_sends_an_anonymous_visitor_to_log_in(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_it_lets_someone_with_both_roles_switch_in_one_click() -> None:
    user = both_roles()

    as_candidate = page_of(user, CANDIDATE_HOME)
    as_interviewer = page_of(user, INTERVIEWER_HOME)

    assert switch_link(as_candidate) == (INTERVIEWER_HOME, "Switch to interviewing")
    assert switch_link(as_interviewer) == (CANDIDATE_HOME, "Switch to your practice")


@pytest.mark.parametrize(
    ("make", "url"), [(_candidate, CANDIDATE_HOME), (_interviewer, INTERVIEWER_HOME)]
)
def test_it_shows_no_switch_to_a_single_role(make: Callable[[], User], url: str) -> None:
    assert 'id="switch-role"' not in page_of(make(), url)


@pytest.mark.parametrize(
    ("make", "url", "lands_on"),
    [
        (_interviewer, CANDIDATE_HOME, INTERVIEWER_HOME),
        (_interviewer, "/plan/", INTERVIEWER_HOME),
        (_candidate, INTERVIEWER_HOME, CANDIDATE_HOME),
        (_nobody, CANDIDATE_HOME, "/profile/"),
        (_nobody, INTERVIEWER_HOME, "/profile/"),
    ],
)
def test_it_sends_someone_without_the_role_to_their_own_page(
    make: Callable[[], User], url: str, lands_on: str
) -> None:
    response = signed_in(make()).get(url, follow=True)

    assert [hop for hop, _ in response.redirect_chain] == ["/dashboard/", lands_on]
    assert response.status_code == 200


# --- The candidate's first visit -----------------------------------------------------------------


def test_it_shows_a_new_candidate_their_first_steps_and_a_plan_from_their_focus_areas() -> None:
    user = candidate(focus_areas=["caching", "concurrency"], target_level="staff")

    page = page_of(user, CANDIDATE_HOME)

    assert 'id="first-steps"' in page
    assert f"Welcome, {user.name}" in page
    assert "Aiming at staff · “Senior at a fintech” · focus: Caching, Concurrency." in page
    assert 'id="next-session"' not in page and 'id="phase-chart-data"' not in page
    this_week = element(page, "section", "this-week")
    items = [item for item in own_items(user) if item.week_start == THIS_MONDAY]
    assert items, "the plan has nothing for this week"
    for item in items:
        assert f'id="item-{item.pk}"' in this_week
        assert item.reason in this_week
        if item.kind == ItemKind.RESOURCE:
            assert item.resource is not None and item.skill_area is not None
            assert item.resource.title in this_week
            assert item.skill_area.slug in {"caching", "concurrency"}
            assert f"{item.skill_area.name}: one of your focus areas" in item.reason
    studied = {item.skill_area.slug for item in own_items(user) if item.skill_area}
    assert studied == {"caching", "concurrency"}
    assert "Book your next practice interview" in this_week
    assert "0 practice interviews in the last 30 days" in this_week


def _find_href(page: str) -> str:
    found = re.search(r'<a href="([^"]*)" role="button" id="find-cta">([^<]*)</a>', page)
    assert found is not None, "no find link"
    return found.group(1)


@pytest.mark.parametrize(
    ("zone", "moment", "first_day"),
    [
        ("Europe/London", NOW, "2026-03-02"),
        # 20:00 UTC on Monday is already Tuesday in Tokyo: the search starts on its date.
        ("Asia/Tokyo", NOW.replace(hour=20), "2026-03-03"),
        ("America/Los_Angeles", NOW.replace(hour=5), "2026-03-01"),
    ],
)
def test_it_links_to_find_an_interviewer_for_the_focus_areas_and_two_weeks(
    zone: str, moment: datetime, first_day: str
) -> None:
    user = candidate(user__time_zone=zone, focus_areas=["caching", "concurrency"])
    client = signed_in(user)

    with time_machine.travel(moment, tick=False):
        page = html.unescape(client.get(CANDIDATE_HOME).content.decode())
        href = _find_href(page)
        found = client.get(href)

    url = urlsplit(href)
    query = parse_qs(url.query)
    last_day = (date.fromisoformat(first_day) + timedelta(days=13)).isoformat()
    assert url.path == "/find/"
    assert query == {"focus": ["caching", "concurrency"], "start": [first_day], "end": [last_day]}
    assert "Find an interviewer for Caching, Concurrency" in page
    assert found.status_code == 200
    body = found.content.decode()
    assert f'value="{first_day}"' in body and f'value="{last_day}"' in body


# --- The candidate with a history ----------------------------------------------------------------


@pytest.fixture
def tokyo() -> User:
    return candidate(user__time_zone="Asia/Tokyo", focus_areas=["caching", "concurrency"])


def test_it_shows_the_next_session_in_the_viewers_zone_with_its_links(tokyo: User) -> None:
    # 10:00 UTC on Tuesday 3 March is 19:00 in Tokyo (JST, UTC+9, no daylight saving).
    upcoming = held(tokyo, start=datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    held(tokyo, start=datetime(2026, 3, 5, 10, 0, tzinfo=UTC))

    page = page_of(tokyo, CANDIDATE_HOME)

    card = element(page, "article", "next-session")
    assert "<strong>Tuesday 3 March 2026, 19:00 to 20:00 JST (Asia/Tokyo)</strong>" in card
    countdown = "in 1\N{NO-BREAK SPACE}day, 1\N{NO-BREAK SPACE}hour"  # Django's timeuntil
    assert f'<time datetime="2026-03-03T19:00:00+09:00" data-countdown>{countdown}</time>' in card
    assert "With Iris Interviewer" in card
    assert f'href="/sessions/{upcoming.pk}/calendar.ics"' in card
    assert f'href="{reverse("session_ics", args=[upcoming.pk])}"' in card
    assert f'href="{upcoming.meeting_url}"' in card
    assert f'href="/sessions/{upcoming.pk}/"' in card
    assert "1 more booked" in card
    assert "Times are in your zone, Asia/Tokyo." in page
    assert 'id="first-steps"' not in page


def test_it_lists_what_the_candidate_owes_and_what_is_ready(tokyo: User) -> None:
    unreviewed = held(tokyo, start=NOW - timedelta(days=1))
    hidden = held(tokyo, start=NOW - timedelta(days=2))
    report(hidden, reviewed=False)  # submitted 47 hours ago: still hidden, no review
    ready = held(tokyo, start=NOW - timedelta(days=3))
    report(ready)
    cancelled = held(tokyo, start=NOW - timedelta(days=4), status=SessionStatus.CANCELLED)
    by_time = held(tokyo, start=NOW - timedelta(days=5))
    report(by_time, reviewed=False)  # no review, but submitted 119 hours ago: revealed

    owed = element(page_of(tokyo, CANDIDATE_HOME), "section", "owed")

    review_links = re.findall(r'<a href="/sessions/(\d+)/review/"><strong>Review your', owed)
    report_links = re.findall(r'<a href="/sessions/(\d+)/report/">Report ready</a>', owed)
    assert review_links == [str(unreviewed.pk), str(hidden.pk)]  # the latest first
    assert report_links == [str(ready.pk), str(by_time.pk)]
    assert f"/sessions/{cancelled.pk}/" not in owed
    assert "Review your interviewer</strong></a> for Sun 1 Mar with Iris Interviewer" in owed


@pytest.mark.parametrize(
    ("held_days_ago", "shown", "advice"),
    [
        ([], "0 practice interviews", "aim for at least 2 a month"),
        ([1, 45], "1 practice interview", "aim for at least 2 a month"),
        ([1, 29], "2 practice interviews", "Goal met."),
    ],
)
def test_it_counts_practice_in_the_last_30_days_against_the_goal(
    tokyo: User, held_days_ago: list[int], shown: str, advice: str
) -> None:
    for days in held_days_ago:
        held(tokyo, start=NOW - timedelta(days=days))
    held(tokyo, start=NOW - timedelta(days=2), status=SessionStatus.CANCELLED)
    held(tokyo, start=NOW + timedelta(days=2))  # upcoming: gives the page its history

    card = element(page_of(tokyo, CANDIDATE_HOME), "article", "practice")

    assert f"<strong>{shown}</strong> in the last 30 days; the goal is 2 a month." in card
    assert advice in card
    done = len([days for days in held_days_ago if days <= 30])
    assert f'<progress value="{done}" max="2"' in card


def test_it_keeps_each_role_of_one_person_to_its_own_dashboard() -> None:
    user = both_roles()
    as_interviewer = held(candidate(), with_=user, start=NOW + timedelta(days=1))

    candidate_page = page_of(user, CANDIDATE_HOME)
    interviewer_page = page_of(user, INTERVIEWER_HOME)

    assert 'id="first-steps"' in candidate_page  # nothing booked as a candidate
    assert f"/sessions/{as_interviewer.pk}/" not in candidate_page
    assert f'id="brief-{as_interviewer.pk}"' in interviewer_page


def test_it_charts_the_scores_per_phase_and_per_skill_area_of_a_known_report(tokyo: User) -> None:
    # 20:00 UTC on Thursday 26 February is 05:00 on Friday 27 February in Tokyo.
    report(held(tokyo, start=datetime(2026, 2, 26, 20, 0, tzinfo=UTC)))
    # A later report the candidate cannot see yet (no review, under 72 hours): left out.
    report(
        held(tokyo, start=NOW - timedelta(hours=5)),
        reviewed=False,
        scores=dict.fromkeys(known_scores(), 4),
    )

    page = page_of(tokyo, CANDIDATE_HOME)

    phases = chart_data(page, "phase-chart-data")
    assert phases["labels"] == ["Fri 27 Feb"]
    assert [dataset["label"] for dataset in phases["datasets"]] == [
        "Functional Spec",
        "Technical Spec",
        "Going Deep",
        "Extra Mile: launch",
        "Communication",
    ]
    assert [dataset["data"] for dataset in phases["datasets"]] == [
        [value] for value in KNOWN_PHASE_AVERAGES
    ]
    areas = chart_data(page, "area-chart-data")
    assert areas["labels"] == [name for name, _, _ in KNOWN_AREAS]
    assert areas["datasets"][0]["data"] == [value for _, value, _ in KNOWN_AREAS]
    # The tables behind the charts hold the same numbers, for screen readers and no-JS.
    phase_table = element(page, "section", "phase-scores")
    assert (
        '<tr><th scope="row">Fri 27 Feb</th><td data-label="Functional Spec">1.5</td>'
        '<td data-label="Technical Spec">2.7</td><td data-label="Going Deep">3.0</td>'
    ) in phase_table
    assert '<td data-label="Communication">2.5</td></tr>' in phase_table
    assert phase_table.count('<tr><th scope="row">') == 1  # not the hidden report
    area_table = element(page, "section", "skill-areas")
    for index, (name, value, source) in enumerate(KNOWN_AREAS):
        targeted = "Yes" if index < 3 else "No"
        row = (
            f'<tr><th scope="row">{name}</th><td data-label="Level">{value:.1f}</td>'
            f'<td data-label="From">{source}</td>'
        )
        assert f'{row}<td data-label="In your plan">{targeted}</td></tr>' in area_table, name


def test_it_says_the_charts_come_with_the_first_report(tokyo: User) -> None:
    held(tokyo, start=NOW - timedelta(days=1))

    page = page_of(tokyo, CANDIDATE_HOME)

    assert 'id="phase-chart-data"' not in page
    assert "Your scores appear here once your first report is ready." in page


# --- Checking plan items off ---------------------------------------------------------------------


def _update_url(item: PlanItem) -> str:
    return reverse("plan_item_update", args=[item.pk])


def test_it_checks_an_item_off_in_place_with_htmx() -> None:
    user = candidate()
    item = first_study_item(user)

    response = signed_in(user).post(
        _update_url(item), {"status": "done", "next": CANDIDATE_HOME}, headers=HTMX
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li class="plan-item plan-item-done" id="item-{item.pk}">')
    assert '<span class="item-status">✓ Done</span>' in body
    assert 'value="todo"' in body and "Undo" in body  # done offers only the undo
    assert "<html" not in body
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert item.status_changed_at == NOW


@pytest.mark.parametrize(
    ("status", "shown"),
    [("doing", "In progress"), ("skipped", "Skipped"), ("todo", "To do")],
)
def test_it_takes_every_status_and_shows_it_after_a_reload(status: str, shown: str) -> None:
    user = candidate()
    item = first_study_item(user)
    client = signed_in(user)
    client.post(_update_url(item), {"status": "done"})

    client.post(_update_url(item), {"status": status})

    page = html.unescape(client.get(CANDIDATE_HOME).content.decode())
    assert f'<span class="item-status">{shown}</span>' in element(page, "li", f"item-{item.pk}")
    assert PlanItem.objects.get(pk=item.pk).status == status


def test_it_keeps_a_done_item_done_after_a_reload() -> None:
    user = candidate()
    item = first_study_item(user)
    client = signed_in(user)

    client.post(_update_url(item), {"status": "done"}, headers=HTMX)

    for url in (CANDIDATE_HOME, "/plan/"):
        page = html.unescape(client.get(url).content.decode())
        assert '<span class="item-status">✓ Done</span>' in element(page, "li", f"item-{item.pk}")


@pytest.mark.parametrize("wanted", [CANDIDATE_HOME, "/plan/", "/plan/?week=2"])
def test_it_redirects_to_a_local_next_without_htmx(wanted: str) -> None:
    user = candidate()
    item = first_study_item(user)

    response = signed_in(user).post(_update_url(item), {"status": "done", "next": wanted})

    assert response.status_code == 302
    assert response["Location"] == f"{wanted}#item-{item.pk}"
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.DONE


@pytest.mark.parametrize(
    "wanted",
    [
        "https://evil.test/",
        "//evil.test/plan/",
        "/\\evil.test/",
        "http://testserver.evil.test/",
        "javascript:alert(1)",
        "plan/",
        "",
    ],
)
def test_it_falls_back_to_the_dashboard_for_any_other_next(wanted: str) -> None:
    user = candidate()
    item = first_study_item(user)

    response = signed_in(user).post(_update_url(item), {"status": "done", "next": wanted})

    assert response.status_code == 302
    assert response["Location"] == f"{CANDIDATE_HOME}#item-{item.pk}"


def test_it_redirects_without_a_next_to_the_dashboard() -> None:
    user = candidate()
    item = first_study_item(user)

    response = signed_in(user).post(_update_url(item), {"status": "skipped"})

    assert response["Location"] == f"{CANDIDATE_HOME}#item-{item.pk}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"status": "finished"}, "Select a valid choice. finished is not one of the available"),
        ({"status": ""}, "This field is required."),
        ({}, "This field is required."),
        ({"status": "x" * 10_000}, "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_it_refuses_a_bad_status_and_names_the_field(
    body: dict[str, str], message: str, htmx: bool
) -> None:
    user = candidate()
    item = first_study_item(user)

    response = signed_in(user).post(
        _update_url(item), {**body, "next": "/plan/"}, headers=HTMX if htmx else None
    )

    page = html.unescape(response.content.decode())
    # htmx swaps only 2xx answers: the item comes back with its error instead.
    assert response.status_code == (200 if htmx else 400)
    if htmx:
        assert f'<small class="error-text" role="alert">{message}' in page
        assert f'id="item-{item.pk}"' in page
    else:
        assert f'<p class="form-errors" role="alert">Status: {message}' in page
        assert '<a href="/plan/">Back to your plan</a>' in page
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


@pytest.mark.parametrize("htmx", [True, False])
def test_it_answers_404_for_another_candidates_item(htmx: bool) -> None:
    owner, other = candidate(), candidate()
    item = first_study_item(owner)

    response = signed_in(other).post(
        _update_url(item), {"status": "done"}, headers=HTMX if htmx else None
    )

    assert response.status_code == 404
    assert item.resource is not None
    assert item.resource.title not in response.content.decode()
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


@pytest.mark.parametrize("item_id", [0, 999_999, 2**63, 10**30])
def test_it_answers_404_for_an_item_that_does_not_exist(item_id: int) -> None:
    response = signed_in(candidate()).post(f"/plan/items/{item_id}/", {"status": "done"})

    assert response.status_code == 404


def test_it_answers_404_to_an_interviewer_posting_to_an_item() -> None:
    item = first_study_item(candidate())

    response = signed_in(interviewer()).post(_update_url(item), {"status": "done"})

    assert response.status_code == 404
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_it_takes_only_a_post_for_an_item(method: str) -> None:
    user = candidate()
    item = first_study_item(user)

    response = getattr(signed_in(user), method)(_update_url(item))

    assert response.status_code == 405
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


def test_it_sends_an_anonymous_post_to_log_in(client: Client) -> None:
    item = first_study_item(candidate())

    response = client.post(_update_url(item), {"status": "done"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


def test_it_refuses_a_post_without_the_csrf_token() -> None:
    user = candidate()
    item = first_study_item(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(_update_url(item), {"status": "done"}, headers=HTMX)

    assert response.status_code == 403
    assert PlanItem.objects.get(pk=item.pk).status == ItemStatus.TODO


def _practice_done_then_remade(user: User) -> tuple[PlanItem, PlanItem]:
    """The candidate checked "book your next practice interview" off last week; this week
    the plan is remade (a review, a revealed report, the hourly sweep) while still under
    the goal with nothing booked: a new open one joins the done one."""
    done = next(item for item in own_items(user) if item.kind == ItemKind.PRACTICE)
    planning.set_item_status(item=done, status=ItemStatus.DONE)
    PlanItem.objects.filter(pk=done.pk).update(week_start=THIS_MONDAY - timedelta(weeks=1))
    planning.refresh_plan(candidate=user)
    fresh = next(
        item
        for item in own_items(user)
        if item.kind == ItemKind.PRACTICE and item.status == ItemStatus.TODO
    )
    return PlanItem.objects.get(pk=done.pk), fresh


@pytest.mark.parametrize("status", [ItemStatus.DONE, ItemStatus.SKIPPED])
def test_it_does_not_ask_again_this_week_for_a_practice_item_checked_off(status: str) -> None:
    user = candidate()
    practice = next(item for item in own_items(user) if item.kind == ItemKind.PRACTICE)
    planning.set_item_status(item=practice, status=status)

    planning.refresh_plan(candidate=user)

    assert [
        (item.pk, item.status) for item in own_items(user) if item.kind == ItemKind.PRACTICE
    ] == [(practice.pk, status)]
    this_week = element(page_of(user, CANDIDATE_HOME), "section", "this-week")
    assert "Undo" in element(this_week, "li", f"item-{practice.pk}")


def test_it_asks_again_the_next_week_while_under_the_goal() -> None:
    user = candidate()
    done, fresh = _practice_done_then_remade(user)

    this_week = element(page_of(user, CANDIDATE_HOME), "section", "this-week")

    assert f'id="item-{done.pk}"' not in this_week  # last week's, done
    assert "Mark done" in element(this_week, "li", f"item-{fresh.pk}")


@pytest.mark.parametrize("status", ["todo", "doing"])
@pytest.mark.parametrize("htmx", [True, False])
def test_it_lets_a_reopened_practice_item_replace_the_newer_untouched_one(
    status: str, htmx: bool
) -> None:
    user = candidate()
    done, fresh = _practice_done_then_remade(user)
    client = Client(raise_request_exception=False)
    client.force_login(user)

    # The dashboard offers "Undo" on the done one (status=todo).
    response = client.post(_update_url(done), {"status": status}, headers=HTMX if htmx else None)

    assert response.status_code == (200 if htmx else 302)
    open_practice = PlanItem.objects.filter(
        plan__candidate=user,
        kind=ItemKind.PRACTICE,
        status__in=[ItemStatus.TODO, ItemStatus.DOING],
    )
    assert [(item.pk, item.status) for item in open_practice] == [(done.pk, status)]
    assert not PlanItem.objects.filter(pk=fresh.pk).exists()


@pytest.mark.parametrize("htmx", [True, False])
def test_it_refuses_to_reopen_a_practice_item_while_a_newer_one_is_in_progress(
    htmx: bool,
) -> None:
    user = candidate()
    done, fresh = _practice_done_then_remade(user)
    planning.set_item_status(item=fresh, status=ItemStatus.DOING)

    response = signed_in(user).post(
        _update_url(done), {"status": "todo"}, headers=HTMX if htmx else None
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == (200 if htmx else 400)
    assert "is in progress; finish or skip that one first." in page
    assert PlanItem.objects.get(pk=done.pk).status == ItemStatus.DONE
    assert PlanItem.objects.get(pk=fresh.pk).status == ItemStatus.DOING


# --- The interviewer's dashboard -----------------------------------------------------------------


@pytest.fixture
def iris() -> User:
    return interviewer(user__display_name="Iris Interviewer")


def _brief_candidate() -> User:
    return candidate(
        user__display_name="Cato Candidate",
        target_level="staff",
        goal="Staff at a fintech in March",
        focus_areas=["caching", "real-time"],
    )


def test_it_briefs_the_interviewer_on_each_upcoming_candidate(iris: User) -> None:
    cato = _brief_candidate()
    report(held(cato, start=NOW - timedelta(days=10)))  # revealed: a review was given
    # Hidden from Cato (no review, submitted 23 hours ago): must not count in the brief.
    report(
        held(cato, start=NOW - timedelta(days=1)),
        reviewed=False,
        scores=dict.fromkeys(known_scores(), 4),
    )
    upcoming = held(cato, with_=iris, start=datetime(2026, 3, 3, 14, 0, tzinfo=UTC))

    page = page_of(iris, INTERVIEWER_HOME)

    brief = element(page, "article", f"brief-{upcoming.pk}")
    assert "<strong>Tuesday 3 March 2026, 14:00 to 15:00 GMT (Europe/London)</strong>" in brief
    assert "with <strong>Cato Candidate</strong>" in brief
    assert "<dt>Target level</dt><dd>Staff</dd>" in brief
    assert "<dt>Goal</dt><dd>Staff at a fintech in March</dd>" in brief
    assert "<dt>Focus areas</dt><dd>Caching, Real-time</dd>" in brief
    # The known report's two weakest phases: Functional Spec 1.5, Communication 2.5.
    assert "<dd>Functional Spec (1.5), Communication (2.5) <small>" in brief
    assert "over 1 earlier report</small></dd>" in brief
    assert f'href="/sessions/{upcoming.pk}/calendar.ics"' in brief


def test_it_briefs_without_weakest_phases_when_every_report_is_hidden(iris: User) -> None:
    cato = _brief_candidate()
    report(held(cato, start=NOW - timedelta(days=1)), reviewed=False)
    upcoming = held(cato, with_=iris, start=NOW + timedelta(days=1))

    brief = element(page_of(iris, INTERVIEWER_HOME), "article", f"brief-{upcoming.pk}")

    assert "No earlier reports" in brief
    assert "Functional Spec (" not in brief


def test_it_uses_a_report_in_the_brief_once_72_hours_reveal_it(iris: User) -> None:
    cato = _brief_candidate()
    past = held(cato, start=NOW - timedelta(days=4))  # submitted at its end, 95 hours ago
    report(past, reviewed=False)
    upcoming = held(cato, with_=iris, start=NOW + timedelta(days=1))

    brief = element(page_of(iris, INTERVIEWER_HOME), "article", f"brief-{upcoming.pk}")

    assert "Functional Spec (1.5), Communication (2.5)" in brief


@pytest.mark.parametrize(
    ("zone", "was_due", "due_by"),
    [
        ("Europe/London", "Mon 2 Mar, 08:00 GMT", "Tue 3 Mar, 07:00 GMT"),
        ("America/New_York", "Mon 2 Mar, 03:00 EST", "Tue 3 Mar, 02:00 EST"),
    ],
)
def test_it_lists_feedback_owed_and_marks_it_overdue_after_24_hours(
    zone: str, was_due: str, due_by: str
) -> None:
    iris = interviewer(user__time_zone=zone)
    cato = _brief_candidate()
    late = held(cato, with_=iris, start=NOW - timedelta(hours=26))  # ended 25 hours ago
    fresh = held(cato, with_=iris, start=NOW - timedelta(hours=3))  # ended 2 hours ago
    done = held(cato, with_=iris, start=NOW - timedelta(days=3))
    report(done)
    cancelled = held(
        cato, with_=iris, start=NOW - timedelta(days=4), status=SessionStatus.CANCELLED
    )
    in_progress = held(cato, with_=iris, start=NOW - timedelta(minutes=30))

    owed = element(page_of(iris, INTERVIEWER_HOME), "section", "feedback-owed")

    entries = re.findall(r"<li>(.*?)</li>", owed, re.DOTALL)
    assert len(entries) == 2
    overdue, due = entries  # the oldest first
    assert f'href="/sessions/{late.pk}/feedback/"><strong>Feedback overdue</strong>' in overdue
    assert f'<span class="overdue-marker">Overdue</span> was due {was_due}' in overdue
    assert f'href="/sessions/{fresh.pk}/feedback/">Write feedback</a>' in due
    assert f"due by {due_by}" in due
    assert "Overdue" not in due and "overdue" not in due
    for other in (done, cancelled, in_progress):
        assert f"/sessions/{other.pk}/" not in owed


def test_it_invites_the_interviewer_to_finish_a_draft(iris: User) -> None:
    session = held(_brief_candidate(), with_=iris, start=NOW - timedelta(hours=3))
    save_feedback_draft(
        session=session, by=iris, data={"strengths": "Clear scope."}, revision=0, now=NOW
    )

    owed = element(page_of(iris, INTERVIEWER_HOME), "section", "feedback-owed")

    assert f'href="/sessions/{session.pk}/feedback/">Finish your draft</a>' in owed


def test_it_says_nothing_is_owed(iris: User) -> None:
    owed = element(page_of(iris, INTERVIEWER_HOME), "section", "feedback-owed")

    assert "Nothing owed." in owed
    assert "<li>" not in owed


@pytest.mark.parametrize(
    ("ratings", "shown"),
    [
        # Bayesian: (5 * 4.0 + 4 + 5 + 4) / (5 + 3) = 33 / 8 = 4.125; plain 13 / 3 = 4.33.
        ([4, 5, 4], "<strong>4.1 ★</strong> from 3 reviews (plain average 4.3)."),
        # (20 + 1) / 6 = 3.5; plain 1.
        ([1], "<strong>3.5 ★</strong> from 1 review (plain average 1.0)."),
    ],
)
def test_it_shows_the_interviewers_rating_with_the_review_count(
    iris: User, ratings: list[int], shown: str
) -> None:
    for day, rating in enumerate(ratings, start=1):
        session = held(candidate(), with_=iris, start=NOW - timedelta(days=day))
        submit_review(
            session=session, by=session.candidate, data=review_body(rating=rating), now=NOW
        )

    card = element(page_of(iris, INTERVIEWER_HOME), "article", "rating")

    assert shown in card


def test_it_says_an_unreviewed_interviewer_has_no_rating_yet(iris: User) -> None:
    card = element(page_of(iris, INTERVIEWER_HOME), "article", "rating")

    assert "No reviews yet" in card


@pytest.mark.parametrize(
    ("windows", "booked", "shown"),
    [
        # Wednesdays 14:00 to 16:00 London: 4 and 11 March, 2 hours each.
        ([(2, time(14), time(16))], [], "4 free hours"),
        # An hour of the first Wednesday is booked: 1 + 2.
        ([(2, time(14), time(16))], [datetime(2026, 3, 4, 14, 0, tzinfo=UTC)], "3 free hours"),
        # Mondays 10:00 to 12:00: today, slots need 2 hours' notice (from 11:00), so 1 + 2;
        # Monday 16 March starts after the 14 days end (09:00).
        ([(0, time(10), time(12))], [], "3 free hours"),
        # Two windows a week, on Tuesday and Friday: 4 of 1.5 hours (not half-hour aligned
        # slots of 60 minutes overlap, and count once).
        ([(1, time(9), time(10, 30)), (4, time(9), time(10, 30))], [], "6 free hours"),
        # No windows at all.
        ([], [], "0 free hours"),
    ],
)
def test_it_sums_the_free_hours_of_the_next_14_days(
    iris: User, windows: list[tuple[int, time, time]], booked: list[datetime], shown: str
) -> None:
    for weekday, start, end in windows:
        WeeklyWindow.objects.create(
            interviewer=iris, weekday=weekday, start_time=start, end_time=end
        )
    for moment in booked:
        held(candidate(), with_=iris, start=moment)

    card = element(page_of(iris, INTERVIEWER_HOME), "article", "availability-summary")

    assert f"<strong>{shown}</strong> in the next 14 days." in card


def test_it_leaves_a_week_at_capacity_out_of_the_free_hours() -> None:
    iris = interviewer(weekly_capacity=1)
    WeeklyWindow.objects.create(interviewer=iris, weekday=2, start_time=time(14), end_time=time(16))
    # Tuesday's session (outside the window) fills this week's one place.
    held(candidate(), with_=iris, start=datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    with pytest.raises(DomainError) as refused:
        book_session(
            candidate=candidate(),
            interviewer_id=iris.pk,
            start=datetime(2026, 3, 4, 14, 0, tzinfo=UTC),
        )
    assert refused.value.code == "capacity_reached"

    card = element(page_of(iris, INTERVIEWER_HOME), "article", "availability-summary")

    # Only Wednesday 11 March can still be booked.
    assert "<strong>2 free hours</strong> in the next 14 days." in card


def test_it_says_one_free_hour_in_the_singular(iris: User) -> None:
    # Today from 11:00 (two hours' notice) to 12:00 only: the 14-day range ends before the
    # window on 16 March, and 9 March is blacked out by a booking from 10:00 to 12:00.
    WeeklyWindow.objects.create(interviewer=iris, weekday=0, start_time=time(10), end_time=time(12))
    held(candidate(), with_=iris, start=datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
    held(candidate(), with_=iris, start=datetime(2026, 3, 9, 11, 0, tzinfo=UTC))

    card = element(page_of(iris, INTERVIEWER_HOME), "article", "availability-summary")

    assert "<strong>1 free hour</strong> in the next 14 days." in card


@pytest.mark.parametrize(
    ("status", "notice"),
    [(VettingStatus.PENDING, "pending review"), (VettingStatus.REJECTED, "rejected")],
)
def test_it_tells_an_interviewer_not_yet_approved_why_nobody_can_book(
    status: str, notice: str
) -> None:
    user = interviewer(status=status, decision_reason="Not yet." if status == "rejected" else "")

    page = page_of(user, INTERVIEWER_HOME)

    vetting = element(page, "p", "vetting-status")
    assert f"Your interviewer profile is <strong>{notice}</strong>" in vetting
    assert "candidates can book you once staff approve it" in vetting


def test_it_shows_no_vetting_notice_to_an_approved_interviewer(iris: User) -> None:
    assert 'id="vetting-status"' not in page_of(iris, INTERVIEWER_HOME)


# --- Query counts --------------------------------------------------------------------------------

# Measured with one past session; the same must hold with fifty.
CANDIDATE_QUERIES = 14
INTERVIEWER_QUERIES = 12  # one more: the sessions that fill a week, for the free hours


def bulk_history(*, cato: User, iris: User, count: int) -> None:
    """`count` past sessions of Cato with Iris, each with a revealed report, and `count` past
    sessions of Iris with other candidates still owing feedback, built in a few queries."""
    rubric = get_current_rubric()
    criteria = rubric_criteria(rubric)
    others = UserFactory.create_batch(count)
    reported = Session.objects.bulk_create(
        Session(
            interviewer=iris,
            candidate=cato,
            start=NOW - timedelta(days=day, hours=2),
            end=NOW - timedelta(days=day, hours=1),
            status=SessionStatus.COMPLETED,
            meeting_url=f"https://meet.example.test/past-{day}",
        )
        for day in range(1, count + 1)
    )
    Session.objects.bulk_create(
        Session(
            interviewer=iris,
            candidate=other,
            start=NOW - timedelta(days=day, hours=5),
            end=NOW - timedelta(days=day, hours=4),
            meeting_url=f"https://meet.example.test/owed-{day}",
        )
        for day, other in enumerate(others, start=1)
    )
    feedback = Feedback.objects.bulk_create(
        Feedback(
            session=session,
            rubric=rubric,
            recommendation="hire",
            level="senior",
            strengths="Clear.",
            improvements="Faster.",
        )
        for session in reported
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(feedback=row, criterion=criterion, score=1 + (row.pk + index) % 4)
        for row in feedback
        for index, criterion in enumerate(criteria)
    )
    PhaseNote.objects.bulk_create(
        PhaseNote(feedback=row, phase=phase, prodding="some", notes="Fine.")
        for row in feedback
        for phase in PHASE_SLUGS
    )
    Feedback.objects.filter(pk__in=[row.pk for row in feedback]).update(
        status=FeedbackStatus.SUBMITTED, submitted_at=NOW - timedelta(hours=1)
    )
    Review.objects.bulk_create(
        Review(
            session=session,
            rating=4,
            would_practise_again=True,
            **dict.fromkeys(Review.SELF_FIELDS.values(), 3),
        )
        for session in reported
    )
    planning.refresh_plan(candidate=cato)


@pytest.mark.parametrize("count", [1, 50])
def test_it_draws_both_dashboards_in_a_fixed_number_of_queries(
    iris: User, count: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    cato = _brief_candidate()
    bulk_history(cato=cato, iris=iris, count=count)
    held(cato, with_=iris, start=NOW + timedelta(days=1))
    held(cato, with_=iris, start=NOW + timedelta(days=2))
    WeeklyWindow.objects.create(interviewer=iris, weekday=2, start_time=time(9), end_time=time(17))
    as_cato, as_iris = signed_in(cato), signed_in(iris)

    with django_assert_max_num_queries(CANDIDATE_QUERIES):
        candidate_page = as_cato.get(CANDIDATE_HOME)
    with django_assert_max_num_queries(INTERVIEWER_QUERIES):
        interviewer_page = as_iris.get(INTERVIEWER_HOME)

    assert candidate_page.status_code == interviewer_page.status_code == 200
    phases = chart_data(candidate_page.content.decode(), "phase-chart-data")
    latest = range(min(count, 12), 0, -1)  # the latest 12 reports, oldest first
    assert phases["labels"] == [f"{NOW - timedelta(days=day):%a %-d %b}" for day in latest]
    owed = element(interviewer_page.content.decode(), "section", "feedback-owed")
    assert owed.count("<li>") == min(count, 20)


# --- The whole plan ------------------------------------------------------------------------------


@pytest.fixture
def long_plan(tokyo: User) -> User:
    """Tokyo's plan after a known report and two rounds of reading everything open: the
    books it reaches push items weeks ahead."""
    report(held(tokyo, start=NOW - timedelta(days=3)))
    for _ in range(2):
        for item in own_items(tokyo):
            if item.kind == ItemKind.RESOURCE and item.status == ItemStatus.TODO:
                planning.set_item_status(item=item, status=ItemStatus.DONE)
        planning.refresh_plan(candidate=tokyo)
    return tokyo


@pytest.mark.parametrize(
    ("moment", "this_week"), [(NOW, THIS_MONDAY), (NOW + timedelta(days=8), date(2026, 3, 9))]
)
def test_it_shows_every_week_of_the_plan_with_the_reasons(
    long_plan: User, moment: datetime, this_week: date
) -> None:
    items = own_items(long_plan)
    weeks = sorted({item.week_start for item in items})
    client = signed_in(long_plan)

    with time_machine.travel(moment, tick=False):
        page = html.unescape(client.get("/plan/").content.decode())

    assert len(weeks) >= 4, weeks
    headings = re.findall(r'<h2 id="week-(\d{4}-\d\d-\d\d)">', page)
    assert headings == [week.isoformat() for week in weeks]
    for week in weeks:
        heading = element(page, "h2", f"week-{week.isoformat()}")
        if week == this_week:
            assert ">This week <small>" in heading
        elif week < this_week:
            assert ">Earlier <small>" in heading
        else:
            assert f">Week of {week:%a} {week.day} {week:%b} <small>" in heading
        section = page[page.index(f'id="week-{week.isoformat()}"') :]
        section = section[: section.index("</section>")]
        for item in items:
            assert (f'id="item-{item.pk}"' in section) is (item.week_start == week), item
    for item in items:
        assert f"<strong>Why:</strong> {item.reason}</small>" in page
    why = element(page, "section", "why")
    assert re.findall(r"<li>(.*?)</li>", why) == [
        "Functional Spec, requirements: 1.0 average over your last interview.",
        "Going Deep, concurrency: 1.0 average over your last interview.",
        "Functional Spec, estimation: 2.0 average over your last interview.",
    ]


def test_it_shows_the_hours_of_each_week(long_plan: User) -> None:
    items = own_items(long_plan)

    page = page_of(long_plan, "/plan/")

    for week in sorted({item.week_start for item in items}):
        hours = sum(float(i.resource.hours) for i in items if i.week_start == week and i.resource)
        heading = element(page, "h2", f"week-{week.isoformat()}")
        assert f"<small>({week:%a} {week.day} {week:%b}, about {hours:g} h)</small>" in heading


def test_it_tells_a_candidate_without_a_plan_how_to_get_one() -> None:
    user = CandidateProfileFactory.create(study_plan=False, focus_areas=[]).user

    page = page_of(user, "/plan/")

    assert "No plan yet: it is made from your focus areas." in page
    assert 'id="why"' not in page
