"""Who may see and do what, for every page and endpoint of the URL conf (issue 10).

The matrix below is walked against the URL conf itself: a URL of ours without an entry
fails the test, so a new page or endpoint cannot ship without someone deciding who may use
it. Each row names, for seven people, the status they get:
- owner: the candidate of the session (and owner of the study plan item);
- other_party: the session's interviewer (and owner of the availability window);
- candidate, interviewer: unrelated to the session, an approved interviewer for the second;
- pending: an interviewer whose profile is not yet approved;
- anonymous, staff.
Each person's request runs in a transaction rolled back afterwards, so one person's
successful write never changes what the next one finds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User, VettingStatus
from interviews.models import WeeklyWindow
from studyplans.models import PlanItem
from tests.factories import (
    CandidateProfileFactory,
    InterviewerProfileFactory,
    SessionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("owner", "other_party", "candidate", "interviewer", "pending", "anonymous", "staff")
# Django's admin and allauth's account pages are theirs, tested by them; everything else
# in the URL conf is ours and needs a row.
THIRD_PARTY = ("admin/", "accounts/")
TO_LOGIN = 3020  # a redirect to our (allauth's) login page


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name or ""


def our_routes() -> dict[str, str]:
    """Every URL name of ours with its route, from the URL conf."""
    return {
        name: route for route, name in _routes(get_resolver()) if not route.startswith(THIRD_PARTY)
    }


@dataclass
class World:
    people: dict[str, User]
    ids: dict[str, str]


def _world() -> World:
    owner = CandidateProfileFactory().user
    other_party = InterviewerProfileFactory(status=VettingStatus.APPROVED).user
    pending = InterviewerProfileFactory(status=VettingStatus.PENDING)
    now = timezone.now()
    # Ended an hour ago and not yet closed: every page of a session has something to show.
    session = SessionFactory(
        candidate=owner,
        interviewer=other_party,
        start=now - timedelta(hours=2),
        end=now - timedelta(hours=1),
    )
    window = WeeklyWindow.objects.create(
        interviewer=other_party, weekday=1, start_time=time(9), end_time=time(17)
    )
    item = PlanItem.objects.filter(plan__candidate=owner).first()
    assert item is not None
    people = {
        "owner": owner,
        "other_party": other_party,
        "candidate": CandidateProfileFactory().user,
        "interviewer": InterviewerProfileFactory(status=VettingStatus.APPROVED).user,
        "pending": pending.user,
        "staff": StaffFactory(),
    }
    ids = {
        "session_id": str(session.pk),
        "item_id": str(item.pk),
        "interviewer_id": str(other_party.pk),
        "profile_id": str(pending.pk),
        "window_id": str(window.pk),
        "kind": "weekly",
        "token": "not-a-token",
    }
    return World(people=people, ids=ids)


def _path(route: str, ids: dict[str, str]) -> str:
    path = "/" + route
    for name, value in ids.items():
        for converter in ("int", "str"):
            path = path.replace(f"<{converter}:{name}>", value)
    # The API names availability windows by table ("w12"); the page by kind and number.
    return path.replace(
        "/api/v1/availability/" + ids["window_id"], "/api/v1/availability/w" + ids["window_id"]
    )


def _request(method: str, path: str, person: User | None) -> int:
    cache.clear()  # each person starts with fresh rate limits, as if alone
    client = Client()
    headers: dict[str, Any] = {}
    if person is not None:
        if path.startswith("/api/"):
            token, _ = Token.objects.get_or_create(user=person)
            headers["HTTP_AUTHORIZATION"] = f"Token {token.key}"
        else:
            client.force_login(person)
    call = getattr(client, method)
    if method in {"post", "put", "patch"}:
        response = call(path, data="{}", content_type="application/json", **headers)
    else:
        response = call(path, **headers)
    # Our login page only: the admin's would ask a candidate to log in again as staff.
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return TO_LOGIN
    return response.status_code


def observe(name: str, method: str) -> dict[str, int]:
    """What each person gets from the URL named `name`, each request rolled back after."""
    world = _world()
    path = _path(our_routes()[name], world.ids)
    seen = {}
    for role in ROLES:
        with transaction.atomic():
            seen[role] = _request(method, path, world.people.get(role))
            transaction.set_rollback(True)
    return seen


def _row(*statuses: int) -> dict[str, int]:
    """Statuses in the order of ROLES: owner, other_party, candidate, interviewer,
    pending, anonymous, staff."""
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


EVERYONE = _row(200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = _row(200, 200, 200, 200, 200, TO_LOGIN, 200)
NO_GET = _row(405, 405, 405, 405, 405, TO_LOGIN, 405)  # a write: GET is refused, not run
API_SIGNED_IN = _row(200, 200, 200, 200, 200, 401, 200)
API_NO_GET = _row(405, 405, 405, 405, 405, 401, 405)
# Only the two people of the session learn it exists; for the others it is a 404.
SESSION_PAGE = _row(200, 200, 404, 404, 404, TO_LOGIN, 404)
API_SESSION = _row(200, 200, 404, 404, 404, 401, 404)
ALL_404 = _row(404, 404, 404, 404, 404, 404, 404)
# Signed-in people who are not staff get our 403 page; visitors are asked to log in.
STAFF_ONLY = _row(403, 403, 403, 403, 403, TO_LOGIN, 200)
# Pages for one role send people without it on (to their dashboard or profile).
CANDIDATE_PAGE = _row(200, 302, 200, 302, 302, TO_LOGIN, 302)
INTERVIEWER_PAGE = _row(302, 200, 302, 200, 200, TO_LOGIN, 302)

# name -> method -> what each person gets. The session ended an hour ago and is still
# scheduled; the owner's plan item and the other party's weekly window are the objects of
# the plan and availability rows; the vetting rows act on the pending interviewer.
MATRIX: dict[str, dict[str, dict[str, int]]] = {
    "home": {"get": EVERYONE},
    "profile": {"get": SIGNED_IN, "post": SIGNED_IN},
    "vetting_queue": {"get": STAFF_ONLY},
    # The first POST shows the confirm page; only its own POST (with `confirmed`) approves.
    "vetting_approve": {
        "get": {**STAFF_ONLY, "staff": 405},
        "post": {**STAFF_ONLY, "staff": 200},
    },
    "vetting_reject": {
        "get": {**STAFF_ONLY, "staff": 405},
        "post": {**STAFF_ONLY, "staff": 302},
    },
    "availability": {"get": INTERVIEWER_PAGE},
    # Empty forms: interviewers get the form back with errors, others are sent on.
    "availability_add_weekly": {
        "get": {**NO_GET, "anonymous": 405},
        "post": _row(302, 400, 302, 400, 400, TO_LOGIN, 302),
    },
    "availability_add_date": {
        "get": {**NO_GET, "anonymous": 405},
        "post": _row(302, 404, 302, 404, 404, TO_LOGIN, 302),
    },
    # Only the window's interviewer deletes it; another interviewer finds no such window.
    "availability_delete": {
        "get": {**NO_GET, "anonymous": 405},
        "post": _row(302, 302, 302, 404, 404, TO_LOGIN, 302),
    },
    "find_interviewer": {"get": CANDIDATE_PAGE},
    # An approved interviewer's public profile: anyone signed in may read it (candidates
    # before booking, the interviewer to see what candidates see, staff).
    "interviewer_profile": {"get": SIGNED_IN},
    "booking_help": {"get": EVERYONE},
    "sessions": {"get": SIGNED_IN},
    # Without an interviewer and a start there is no slot to confirm.
    "book_session": {
        "get": _row(404, 404, 404, 404, 404, TO_LOGIN, 404),
        "post": _row(404, 404, 404, 404, 404, TO_LOGIN, 404),
    },
    "session_detail": {"get": SESSION_PAGE},
    "session_ics": {"get": SESSION_PAGE},
    # GET asks first, but the session has started: both people are sent back to it.
    "session_cancel": {
        "get": {**SESSION_PAGE, "owner": 302, "other_party": 302},
        "post": {**SESSION_PAGE, "owner": 302, "other_party": 302},
    },
    "session_reschedule": {
        "get": NO_GET,
        "post": {**SESSION_PAGE, "owner": 404, "other_party": 404},
    },
    "session_complete": {"get": NO_GET, "post": {**SESSION_PAGE, "owner": 302, "other_party": 302}},
    # Without `confirmed`, GET and POST alike show the confirm page.
    "session_no_show": {"get": SESSION_PAGE, "post": SESSION_PAGE},
    # The feedback form is the interviewer's, the review the candidate's: the other side of
    # the same session is refused (403), since it knows the session exists.
    "feedback_form": {
        "get": {**SESSION_PAGE, "owner": 403},
        "post": {**SESSION_PAGE, "owner": 403, "other_party": 302},
    },
    "feedback_submit": {"get": NO_GET, "post": {**SESSION_PAGE, "owner": 403, "other_party": 400}},
    "review_session": {
        "get": {**SESSION_PAGE, "other_party": 403},
        "post": {**SESSION_PAGE, "owner": 400, "other_party": 403},
    },
    "feedback_report": {"get": SESSION_PAGE},
    "dashboard": {"get": _row(302, 302, 302, 302, 302, TO_LOGIN, 302)},
    "candidate_dashboard": {"get": CANDIDATE_PAGE},
    "interviewer_dashboard": {"get": INTERVIEWER_PAGE},
    "study_plan": {"get": CANDIDATE_PAGE},
    "plan_item_update": {
        "get": NO_GET,
        "post": _row(400, 404, 404, 404, 404, TO_LOGIN, 404),
    },
    "notification_preferences": {"get": SIGNED_IN, "post": SIGNED_IN},
    # The signed token in the link is the authority, whoever is signed in; this one is bad.
    "unsubscribe": {"get": _row(400, 400, 400, 400, 400, 400, 400)},
    "healthz": {"get": EVERYONE},
    # Whatever else is under /api/: the same JSON 404 for everyone, whatever the method.
    "api_root_not_found": {"get": ALL_404, "post": ALL_404},
    "api_not_found": {"get": ALL_404, "post": ALL_404},
    "api_token": {
        # Asking for a token needs no sign-in (POST); revoking one (DELETE) does.
        "get": API_NO_GET,
        "post": _row(400, 400, 400, 400, 400, 400, 400),
        "delete": _row(204, 204, 204, 204, 204, 401, 204),
    },
    "api_me": {"get": API_SIGNED_IN, "patch": API_SIGNED_IN},
    "api_me_notifications": {"get": API_SIGNED_IN, "patch": API_SIGNED_IN},
    "api_skill_areas": {"get": API_SIGNED_IN},
    "api_availability": {
        "get": _row(403, 200, 403, 200, 200, 401, 403),
        "post": _row(403, 400, 403, 400, 400, 401, 403),
    },
    "api_availability_window": {
        "get": API_NO_GET,
        "delete": _row(403, 204, 403, 404, 404, 401, 403),
    },
    "api_interviewer": {"get": API_SIGNED_IN},
    "api_interviewer_slots": {"get": API_SIGNED_IN},
    "api_matches": {"get": _row(200, 403, 200, 403, 403, 401, 403)},
    "api_sessions": {"get": API_SIGNED_IN, "post": _row(400, 400, 400, 400, 400, 401, 400)},
    "api_session": {"get": API_SESSION},
    "api_session_cancel": {
        "get": API_NO_GET,
        "post": {**API_SESSION, "owner": 409, "other_party": 409},
    },
    "api_session_reschedule": {
        "get": API_NO_GET,
        "post": {**API_SESSION, "owner": 400, "other_party": 400},
    },
    "api_session_complete": {"get": API_NO_GET, "post": {**API_SESSION, "owner": 403}},
    "api_session_no_show": {"get": API_NO_GET, "post": API_SESSION},
    "api_session_ics": {"get": API_SESSION},
    "api_session_feedback": {"get": API_SESSION, "put": {**API_SESSION, "owner": 403}},
    "api_session_feedback_submit": {
        "get": API_NO_GET,
        "post": {**API_SESSION, "owner": 403, "other_party": 400},
    },
    "api_session_review": {
        "get": API_NO_GET,
        "post": {**API_SESSION, "owner": 400, "other_party": 403},
    },
    "api_current_rubric": {"get": API_SIGNED_IN},
    "api_study_plan": {"get": _row(200, 403, 200, 403, 403, 401, 403)},
    "api_study_plan_item": {
        "get": API_NO_GET,
        "patch": _row(400, 403, 404, 403, 403, 401, 403),
    },
    "api_schema": {"get": EVERYONE},
    "api_docs": {"get": EVERYONE},
}


def test_it_has_a_row_for_every_url_of_ours() -> None:
    routes = our_routes()

    assert "" not in routes, "name every URL pattern, so the matrix can refer to it"
    assert sorted(set(routes) - set(MATRIX)) == [], "decide who may use these URLs"
    assert sorted(set(MATRIX) - set(routes)) == [], "these rows name URLs that are gone"


@pytest.mark.parametrize(
    ("name", "method"),
    [(name, method) for name, methods in MATRIX.items() for method in methods],
)
def test_it_lets_each_person_see_and_do_only_what_is_theirs(name: str, method: str) -> None:
    assert observe(name, method) == MATRIX[name][method]
