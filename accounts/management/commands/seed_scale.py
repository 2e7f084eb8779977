"""`manage.py seed_scale`: a large, realistic data set for measuring how pages scale.

Everything is written with bulk inserts in batches, so the default size (100,000
interviewers, 200,000 candidates, 1,000,000 past sessions) takes minutes on PostgreSQL.
Every database rule holds, so the pages behave as they would on real data:

- Session k goes to interviewer k mod I and candidate k mod C, in time slot k // min(I, C).
  Two sessions of one person are at least min(I, C) apart in k, so they fall in different
  slots; slots are whole days apart (spread over the last year) and a session never leaves
  its slot's day, so none overlap.
- Submitted feedback is locked by triggers (migration interviews 0003), scores and phase
  notes included: feedback is inserted as a draft, its scores and notes under it, and then
  submitted with one UPDATE per batch, before anything reads it.
- The interviewers' running review totals are set from the reviews, as the review
  service would have kept them.
"""

from __future__ import annotations

import time
import uuid
from argparse import ArgumentParser
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from itertools import batched
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts import expertise
from accounts.demo import DEMO_PASSWORD, TIME_ZONES
from accounts.models import (
    CandidateLevel,
    CandidateProfile,
    InterviewerLevel,
    InterviewerProfile,
    SkillArea,
    User,
    VettingStatus,
)
from interviews.booking import MEETING_ROOM_BASE
from interviews.demo import PATTERNS
from interviews.models import (
    DEFAULT_SESSION_MINUTES,
    CriterionScore,
    Feedback,
    FeedbackStatus,
    PhaseNote,
    Question,
    Review,
    Session,
    SessionStatus,
    WeeklyWindow,
)
from interviews.rubrics import PHASE_SLUGS, get_current_rubric, rubric_criteria
from interviews.whiteboard import new_whiteboard_url

SCALE_DOMAIN = "scale.test"
BATCH = 5000  # rows per INSERT statement
CHUNK = 50_000  # rows built in memory and committed at a time
HISTORY_DAYS = 365  # the past sessions spread over the last year, as on a live service
UPCOMING = 50  # scheduled sessions, one per interviewer and candidate among the first ones
LENGTH = timedelta(minutes=DEFAULT_SESSION_MINUTES)
GOLDEN = (5**0.5 - 1) / 2


def interviewer_email(number: int) -> str:
    return f"scale-interviewer{number}@{SCALE_DOMAIN}"


def candidate_email(number: int) -> str:
    return f"scale-candidate{number}@{SCALE_DOMAIN}"


class Command(BaseCommand):
    help = (
        "Bulk-create a large data set for performance work: interviewers with weekly "
        "availability, candidates, past sessions (a share with submitted feedback and a "
        "review) and a few upcoming sessions. Refuses to run twice on one database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interviewers", type=int, default=100_000)
        parser.add_argument("--candidates", type=int, default=200_000)
        parser.add_argument("--sessions", type=int, default=1_000_000)
        parser.add_argument(
            "--feedback-share",
            type=float,
            default=0.3,
            help="Share of past sessions with submitted feedback and a review (0 to 1).",
        )

    def handle(
        self,
        *args: Any,
        interviewers: int,
        candidates: int,
        sessions: int,
        feedback_share: float,
        **options: Any,
    ) -> None:
        if interviewers < 1 or candidates < 1 or sessions < 0:
            raise CommandError("Give at least one interviewer and one candidate.")
        if not 0 <= feedback_share <= 1:
            raise CommandError("--feedback-share must be between 0 and 1.")
        if User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}").exists():
            raise CommandError(f"Scale data (@{SCALE_DOMAIN}) is already in this database.")
        started = time.perf_counter()
        now = timezone.now()
        self._step("interviewers", lambda: _interviewers(interviewers, now=now))
        self._step("candidates", lambda: _candidates(candidates, now=now))
        plan = _Plan(
            interviewers=_ids("scale-interviewer"),
            candidates=_ids("scale-candidate"),
            sessions=sessions,
            feedback_share=feedback_share,
            now=now,
        )
        self._step("past sessions, feedback, reviews", lambda: _past_sessions(plan, sessions))
        self._step("upcoming sessions", lambda: _upcoming(plan))
        self._step("review totals", _review_totals)
        self.stdout.write(f"seed_scale done in {time.perf_counter() - started:.1f}s")

    def _step(self, name: str, work: Callable[[], int]) -> None:
        started = time.perf_counter()
        rows = work()
        seconds = time.perf_counter() - started
        self.stdout.write(f"{name}: {rows:,} rows in {seconds:.1f}s")


def _ids(prefix: str) -> list[int]:
    # In number order: scale person n is at index n - 1.
    users = User.objects.filter(email__startswith=prefix, email__endswith=f"@{SCALE_DOMAIN}")
    return list(users.order_by("pk").values_list("pk", flat=True))


def _chunks(count: int) -> Iterator[range]:
    for begin in range(0, count, CHUNK):
        yield range(begin, min(begin + CHUNK, count))


def _users(numbers: range, *, email: Callable[[int], str], password: str) -> list[User]:
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=email(number),
                password=password,
                display_name=f"Scale {email(number).split('@')[0].split('-')[1]}",
                time_zone=TIME_ZONES[number % len(TIME_ZONES)],
                years_experience=1 + number % 20,
                date_joined=now,
            )
            for number in numbers
        ],
        batch_size=BATCH,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=BATCH,
    )
    return users


def _areas() -> list[int]:
    # Communication is scored in every interview; nobody lists it as expertise or focus.
    return list(
        SkillArea.objects.exclude(slug="communication")
        .order_by("position")
        .values_list("pk", flat=True)
    )


def _interviewers(count: int, *, now: datetime) -> int:
    password, areas, levels = make_password(DEMO_PASSWORD), _areas(), InterviewerLevel.values
    through = InterviewerProfile.expertise.through
    rows = 0
    for numbers in _chunks(count):
        with transaction.atomic():
            users = _users(
                range(numbers.start + 1, numbers.stop + 1),
                email=interviewer_email,
                password=password,
            )
            profiles = InterviewerProfile.objects.bulk_create(
                [
                    InterviewerProfile(
                        user=user,
                        level=levels[user.pk % len(levels)],
                        bio="Years of building and running distributed systems.",
                        weekly_capacity=3 + user.pk % 4,
                        status=VettingStatus.APPROVED,
                        decided_at=now,
                    )
                    for user in users
                ],
                batch_size=BATCH,
            )
            links = [
                through(
                    interviewerprofile_id=profile.pk,
                    skillarea_id=areas[(profile.pk + n) % len(areas)],
                )
                for profile in profiles
                for n in range(3)
            ]
            through.objects.bulk_create(links, batch_size=BATCH)
            windows = [
                WeeklyWindow(interviewer=user, weekday=weekday, start_time=start, end_time=end)
                for user in users
                for weekday, start, end in PATTERNS[user.pk % len(PATTERNS)]
            ]
            WeeklyWindow.objects.bulk_create(windows, batch_size=BATCH)
            rows += 3 * len(users) + len(links) + len(windows)
    expertise.refresh()  # the bulk inserts sent no signal: one UPDATE for every profile
    return rows


def _candidates(count: int, *, now: datetime) -> int:
    password, areas = make_password(DEMO_PASSWORD), _areas()
    # Mid to staff, so every candidate has interviewers at or above the level they aim at.
    levels = CandidateLevel.values[1:]
    through = CandidateProfile.focus_areas.through
    rows = 0
    for numbers in _chunks(count):
        with transaction.atomic():
            users = _users(
                range(numbers.start + 1, numbers.stop + 1), email=candidate_email, password=password
            )
            profiles = CandidateProfile.objects.bulk_create(
                [
                    CandidateProfile(
                        user=user,
                        target_level=levels[user.pk % len(levels)],
                        goal="Pass a senior system design loop",
                        created_at=now,
                    )
                    for user in users
                ],
                batch_size=BATCH,
            )
            links = [
                through(
                    candidateprofile_id=profile.pk,
                    skillarea_id=areas[(profile.pk * 3 + n) % len(areas)],
                )
                for profile in profiles
                for n in range(2)
            ]
            through.objects.bulk_create(links, batch_size=BATCH)
            rows += 3 * len(users) + len(links)
    return rows


class _Plan:
    """Who meets whom and when: the grid described in the module docstring."""

    def __init__(
        self,
        *,
        interviewers: list[int],
        candidates: list[int],
        sessions: int,
        feedback_share: float,
        now: datetime,
    ) -> None:
        self.interviewers, self.candidates = interviewers, candidates
        self.slot_width = min(len(interviewers), len(candidates))
        self.feedback_share = feedback_share
        # Whole days between slots, so that the past sessions cover the last year.
        slots = max(1, -(-sessions // self.slot_width))
        self.spacing = timedelta(days=max(1, HISTORY_DAYS // slots))
        # The newest slot's day starts two days back: every past session has ended.
        self.day = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=2)

    def session(self, k: int, *, questions: list[int]) -> Session:
        slot = k // self.slot_width
        # Between 08:00 and 19:00 UTC, varying so the day's hours are not all one.
        start = self.day - slot * self.spacing + timedelta(hours=8 + (k * 7) % 12)
        return Session(
            interviewer_id=self.interviewers[k % len(self.interviewers)],
            candidate_id=self.candidates[k % len(self.candidates)],
            start=start,
            end=start + LENGTH,
            status=SessionStatus.COMPLETED,
            question_id=questions[k % len(questions)] if questions else None,
            meeting_url=f"{MEETING_ROOM_BASE}scale-{k}",
            whiteboard_url=new_whiteboard_url(),
            ics_uid=uuid.uuid4(),
            created_at=start - timedelta(days=3),
            updated_at=start + LENGTH,
        )

    def has_feedback(self, k: int) -> bool:
        # The golden ratio's multiples spread evenly over [0, 1) in any run of k, so each
        # person, whose sessions are every I-th or C-th k, gets about the share too.
        return (k * GOLDEN) % 1 < self.feedback_share


def _past_sessions(plan: _Plan, count: int) -> int:
    rubric = get_current_rubric()
    criteria = rubric_criteria(rubric)
    questions = list(
        Question.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    rows = 0
    for numbers in _chunks(count):
        with transaction.atomic():
            sessions = Session.objects.bulk_create(
                [plan.session(k, questions=questions) for k in numbers], batch_size=BATCH
            )
            reviewed = [
                (k, session)
                for k, session in zip(numbers, sessions, strict=True)
                if plan.has_feedback(k)
            ]
            feedback = Feedback.objects.bulk_create(
                [
                    Feedback(
                        session=session,
                        rubric=rubric,
                        recommendation=("hire", "no-hire", "strong-hire")[k % 3],
                        level=("mid", "senior", "staff")[k % 3],
                        strengths="Clear requirements and a sound first design.",
                        improvements="Go deeper on the data model and failure modes.",
                        revision=1,
                        created_at=session.end,
                        updated_at=session.end,
                    )
                    for k, session in reviewed
                ],
                batch_size=BATCH,
            )
            scores = [
                CriterionScore(feedback=item, criterion=criterion, score=1 + (item.pk + n) % 4)
                for item in feedback
                for n, criterion in enumerate(criteria)
            ]
            CriterionScore.objects.bulk_create(scores, batch_size=BATCH)
            notes = [
                PhaseNote(
                    feedback=item,
                    phase=phase,
                    prodding=("none", "some", "a-lot")[(item.pk + n) % 3],
                    notes="Needed a nudge on the scale estimate.",
                )
                for item in feedback
                for n, phase in enumerate(PHASE_SLUGS)
            ]
            PhaseNote.objects.bulk_create(notes, batch_size=BATCH)
            # Submitted only now: the triggers refuse scores and notes under submitted feedback.
            for ids in batched([item.pk for item in feedback], BATCH, strict=False):
                Feedback.objects.filter(pk__in=ids).update(
                    status=FeedbackStatus.SUBMITTED, submitted_at=plan.day
                )
            reviews = [
                Review(
                    session=session,
                    rating=3 + k % 3,
                    would_practise_again=k % 5 != 0,
                    created_at=session.end,
                    **{
                        field: 1 + (k + n) % 4
                        for n, field in enumerate(Review.SELF_FIELDS.values())
                    },
                )
                for k, session in reviewed
            ]
            Review.objects.bulk_create(reviews, batch_size=BATCH)
            rows += len(sessions) + 2 * len(feedback) + len(scores) + len(notes)
    return rows


def _upcoming(plan: _Plan) -> int:
    """One scheduled session for each of the first interviewers and candidates."""
    count = min(UPCOMING, plan.slot_width)
    start = plan.day + timedelta(days=4, hours=9)
    sessions = [
        Session(
            interviewer_id=plan.interviewers[n],
            candidate_id=plan.candidates[n],
            start=start + timedelta(hours=n % 8, days=n // 8),
            end=start + timedelta(hours=n % 8, days=n // 8) + LENGTH,
            meeting_url=f"{MEETING_ROOM_BASE}scale-upcoming-{n}",
            whiteboard_url=new_whiteboard_url(),
        )
        for n in range(count)
    ]
    Session.objects.bulk_create(sessions)
    return len(sessions)


# One grouped pass over the reviews: a subquery per profile takes a minute at 10,000
# interviewers. UPDATE ... FROM works on PostgreSQL and on SQLite (3.33 and later).
REVIEW_TOTALS = """
    UPDATE accounts_interviewerprofile
    SET review_count = totals.reviews, review_stars = totals.stars
    FROM (
        SELECT session.interviewer_id, COUNT(*) AS reviews, SUM(review.rating) AS stars
        FROM interviews_review AS review
        JOIN interviews_session AS session ON session.id = review.session_id
        GROUP BY session.interviewer_id
    ) AS totals
    WHERE accounts_interviewerprofile.user_id = totals.interviewer_id
"""


def _review_totals() -> int:
    # Only seed_scale's people have reviews in a fresh database; on one with demo data
    # too, the totals come out the same as the review service keeps them.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(REVIEW_TOTALS)
        return cursor.rowcount
