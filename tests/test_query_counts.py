"""Every list page and list endpoint costs the same number of queries at two sizes, and
so does every page of one session while the people in it gain history. Together they cover
every page bench/scale.py measures.

A guard measured at one size passes with a query per row as long as the rows are few; here
each page is measured, the data grown, and measured again, and the two counts must be equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import count
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User, VettingStatus
from interviews.feedback import submit_review
from interviews.models import DateWindow, DateWindowKind, WeeklyWindow
from studyplans.models import PlanItem, Resource, StudyPlan
from tests.factories import (
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
    StaffFactory,
    approved_interviewer,
    review_body,
    submitted_feedback,
)

pytestmark = pytest.mark.django_db

_hours = count(1)  # each session its own two hours, so none overlap


def _next_start(*, past: bool) -> Any:
    offset = timedelta(days=3, hours=2 * next(_hours))
    return timezone.now() - offset if past else timezone.now() + offset


def candidate() -> User:
    return CandidateProfileFactory().user


def interviewer() -> User:
    return approved_interviewer()


def add_sessions(viewer: User, n: int) -> None:
    """Sessions of the candidate, upcoming and past, with different interviewers."""
    for index in range(n):
        SessionFactory(
            candidate=viewer,
            interviewer=approved_interviewer(),
            start=_next_start(past=index % 2 == 1),
        )


def add_reports(viewer: User, n: int) -> None:
    for _ in range(n):
        session = SessionFactory(
            candidate=viewer, interviewer=approved_interviewer(), start=_next_start(past=True)
        )
        submitted_feedback(session)


def add_interviews(viewer: User, n: int) -> None:
    """The interviewer's upcoming sessions with candidates and past ones owing feedback."""
    for index in range(n):
        SessionFactory(
            interviewer=viewer, candidate=candidate(), start=_next_start(past=index % 2 == 1)
        )


def add_applicants(viewer: User, n: int) -> None:
    for _ in range(n):
        InterviewerProfileFactory(status=VettingStatus.PENDING)


def add_interviewers(viewer: User, n: int) -> None:
    for _ in range(n):
        approved_interviewer()


def add_windows(viewer: User, n: int) -> None:
    already = viewer.weekly_windows.count()
    for index in range(already, already + n):
        hour = 2 * (index // 7)
        WeeklyWindow.objects.create(
            interviewer=viewer, weekday=index % 7, start_time=time(hour), end_time=time(hour + 1)
        )
        DateWindow.objects.create(
            interviewer=viewer,
            kind=DateWindowKind.BLACKOUT,
            date=date.today() + timedelta(days=index + 1),
        )


def add_plan_items(viewer: User, n: int) -> None:
    plan = StudyPlan.objects.get(candidate=viewer)
    first = plan.items.first()
    assert first is not None
    resources = Resource.objects.exclude(plan_items__plan=plan).prefetch_related("skill_areas")
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            resource=resource,
            skill_area=resource.skill_areas.all()[0],
            reason="Added to measure the page.",
            week_start=first.week_start,
            position=100 + index,
        )
        for index, resource in enumerate(resources[:n])
    )


@dataclass(frozen=True)
class ListPage:
    url: str
    viewer: Callable[[], User]
    add: Callable[[User, int], None]
    api: bool = False


LIST_PAGES = {
    "sessions page": ListPage("/sessions/", candidate, add_sessions),
    "sessions API": ListPage("/api/v1/sessions/", candidate, add_sessions, api=True),
    "sessions page (interviewer)": ListPage("/sessions/", interviewer, add_interviews),
    "vetting queue": ListPage("/staff/vetting/", StaffFactory, add_applicants),
    "find page": ListPage("/find/", candidate, add_interviewers),
    "matches API": ListPage("/api/v1/matches/", candidate, add_interviewers, api=True),
    "availability page": ListPage("/availability/", interviewer, add_windows),
    "availability API": ListPage("/api/v1/availability/", interviewer, add_windows, api=True),
    "candidate dashboard": ListPage("/dashboard/candidate/", candidate, add_reports),
    "interviewer dashboard": ListPage("/dashboard/interviewer/", interviewer, add_interviews),
    "plan page": ListPage("/plan/", candidate, add_plan_items),
    "study plan API": ListPage("/api/v1/study-plan/", candidate, add_plan_items, api=True),
}


def _client(viewer: User, *, api: bool) -> Client | APIClient:
    if api:
        client = APIClient()
        client.force_authenticate(viewer)
        return client
    client = Client()
    client.force_login(viewer)
    return client


def _measure(client: Client | APIClient, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries), len(response.content)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_it_costs_the_same_queries_for_a_short_and_a_long_list(name: str) -> None:
    page = LIST_PAGES[name]
    viewer = page.viewer()
    client = _client(viewer, api=page.api)
    page.add(viewer, 2)
    client.get(page.url)  # the first request of a session warms caches the rest reuse

    short_queries, short_size = _measure(client, page.url)
    page.add(viewer, 6)
    long_queries, long_size = _measure(client, page.url)

    assert long_size > short_size, "the longer list did not show more"
    assert long_queries == short_queries


# Pages of one session, measured while the people around it gain history: the candidate's
# past reports (which the brief and the report read) and the interviewer's other sessions.


@dataclass(frozen=True)
class SessionPage:
    path: str  # with {id} for the session's id
    by_interviewer: bool
    reviewed: bool = False  # the report opens once feedback and review are in
    autosave: bool = False  # a PUT of a draft instead of a GET


SESSION_PAGES = {
    "feedback page": SessionPage("/sessions/{id}/feedback/", by_interviewer=True),
    "feedback autosave": SessionPage(
        "/api/v1/sessions/{id}/feedback/", by_interviewer=True, autosave=True
    ),
    "report": SessionPage("/sessions/{id}/report/", by_interviewer=False, reviewed=True),
    "session page (candidate)": SessionPage("/sessions/{id}/", by_interviewer=False),
    "session page (interviewer)": SessionPage("/sessions/{id}/", by_interviewer=True),
}


def _session_for(page: SessionPage) -> Any:
    session = SessionFactory(
        candidate=candidate(), interviewer=approved_interviewer(), start=_next_start(past=True)
    )
    if page.reviewed:
        submitted_feedback(session)
        submit_review(session=session, by=session.candidate, data=review_body(), now=session.end)
    return session


def _ask(client: Client | APIClient, page: SessionPage, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        if page.autosave:
            draft = {"strengths": "Scoped the problem quickly.", "level": "senior"}
            response = client.put(url, draft, format="json")
        else:
            response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize("name", SESSION_PAGES)
def test_it_costs_the_same_queries_for_one_session_whatever_the_history(name: str) -> None:
    page = SESSION_PAGES[name]
    session = _session_for(page)
    viewer = session.interviewer if page.by_interviewer else session.candidate
    client = _client(viewer, api=page.autosave)
    url = page.path.format(id=session.pk)
    _ask(client, page, url)  # the first request of a session warms caches the rest reuse

    short = _ask(client, page, url)
    add_reports(session.candidate, 4)
    add_interviews(session.interviewer, 4)
    long = _ask(client, page, url)

    assert long == short
