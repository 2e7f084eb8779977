"""Booking, cancelling, rescheduling and closing sessions (SPEC §6).

Concurrency: neither side may ever hold two overlapping active sessions. Every booking
runs in one transaction that first locks both people's user rows, in id order so two
bookings never wait on each other in a cycle, and only then re-checks the slot, the
3-upcoming rule and the interviewer's capacity. A second booking for the same interviewer
or candidate therefore waits for the first to commit and then sees its session: a lost
race is the 409 `slot_unavailable`, never a 500 and never two sessions. On SQLite the
IMMEDIATE transaction mode (config/settings.py) serialises all writers, which gives the
same guarantee; on PostgreSQL the exclusion constraints are the last line of defence for
anything that bypasses this module, and their IntegrityError is turned into the same 409.

One commit per booking: the question pick and the idempotency record are written inside
the booking's transaction, nothing after it.

Choices where the spec is silent:
- "Upcoming" sessions (at most 3) are scheduled sessions that have not ended yet.
- Weekly capacity counts the interviewer's sessions holding time (scheduled, completed,
  no-show) in the interviewer's local Monday-to-Sunday week of the new session.
- Meeting link: the interviewer's personal URL when set, otherwise a unique Jitsi room
  per session (`https://meet.jit.si/mockloop-<random>`): Jitsi needs no account and an
  unguessable name keeps strangers out.
- A late change is a cancel or a move less than 24 hours before the start, made more than
  1 hour after the session was booked: a time held for under an hour is given back free,
  so a slip straight after booking costs nothing. The hour runs from when the session's
  time was chosen (`created_at`; for a moved session, the move): its slot was held no
  longer than that, whatever happened before.
- A reschedule cancels the old session and books a new one linked to it, under the same
  rules (lead time, capacity, the no-show block ...). It counts as one late change at most,
  by whoever asked, recorded on the old session only (the other person's hour is lost just
  the same as with a cancel); the new session starts clean. The new session
  keeps the question and the meeting link, and takes over the old session's calendar UID
  (the old row gets a fresh one), so calendars move the event instead of adding a second.
- A no-show (either side) is refused once the app holds evidence that the session took
  place: the candidate's review, or the interviewer's feedback, submitted or a draft with
  anything written in it (a score, a prodding, a note, an overall field). Nobody writes up
  an interview that did not happen, and a no-show would wipe out that feedback and review.
  A draft saved empty is no evidence.
- The no-show block applies to candidates (two candidate no-shows whose sessions started
  within 30 days of each other block booking for 14 days from the second). Interviewer
  no-shows are recorded and counted but do not block, yet: staff see them in the admin.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Field, Model, OuterRef, Q
from django.utils import timezone

from accounts.models import InterviewerProfile, User
from config import timefmt
from config.errors import DomainError
from interviews.availability import is_offered
from interviews.capacity import week_bounds
from interviews.models import (
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    CriterionScore,
    Feedback,
    FeedbackStatus,
    IdempotencyKey,
    NoShowParty,
    PhaseNote,
    Review,
    Session,
    SessionStatus,
)
from interviews.questions import pick_question
from interviews.slots import LEAD_TIME
from notifications.models import Kind
from notifications.outbox import notify
from notifications.sessions import schedule_session, session_key, void_pending
from studyplans.selectors import weakest_areas_for

MAX_UPCOMING = 3
FREE_CANCEL_NOTICE = timedelta(hours=24)
# A change this soon after booking is free even inside FREE_CANCEL_NOTICE.
CHANGE_GRACE = timedelta(hours=1)
NO_SHOW_WINDOW = timedelta(days=30)
NO_SHOW_BLOCK = timedelta(days=14)
MEETING_ROOM_BASE = "https://meet.jit.si/mockloop-"

SLOT_TAKEN = "This slot was just taken."
LIMIT_REACHED = (
    f"You have {MAX_UPCOMING} upcoming sessions, the most you can hold; "
    "cancel one or wait for one to pass to book more."
)
SESSION_HELD = (
    "This session took place: feedback or a review has been written for it, "
    "so it cannot be recorded as a no-show."
)


# --- Pure rule helpers -------------------------------------------------------------------


def no_show_block_until(no_shows: Sequence[datetime]) -> datetime | None:
    """When a candidate may book again, from the start times of their no-shows.

    Any two no-shows within 30 days block booking for 14 days from the later one.
    """
    ordered = sorted(no_shows)
    until: datetime | None = None
    for earlier, later in pairwise(ordered):
        if later - earlier <= NO_SHOW_WINDOW:
            ends = later + NO_SHOW_BLOCK
            until = ends if until is None else max(until, ends)
    return until


def is_late_change(*, booked_at: datetime, start: datetime, now: datetime) -> bool:
    """Whether cancelling or moving at `now` counts as a late change (both bounds free)."""
    if now - booked_at <= CHANGE_GRACE:
        return False
    return start - now < FREE_CANCEL_NOTICE


def free_change_until(*, booked_at: datetime, start: datetime) -> datetime:
    """The last moment a cancel or move is free: the later of the two free periods' ends."""
    return max(booked_at + CHANGE_GRACE, start - FREE_CANCEL_NOTICE)


def meeting_url_for(interviewer: User) -> str:
    personal = interviewer.interviewer_profile.meeting_url
    return personal or f"{MEETING_ROOM_BASE}{secrets.token_urlsafe(12)}"


# --- Selectors the rules and the pages share ----------------------------------------------


def booking_blocked_until(*, candidate: User, now: datetime) -> datetime | None:
    """The end of the candidate's no-show block, if one is running at `now`."""
    recent = Session.objects.filter(
        candidate=candidate,
        status=SessionStatus.NO_SHOW,
        no_show_party=NoShowParty.CANDIDATE,
        start__gte=now - NO_SHOW_WINDOW - NO_SHOW_BLOCK,
    ).values_list("start", flat=True)
    until = no_show_block_until(list(recent))
    return until if until is not None and until > now else None


def session_took_place(*, session: Session) -> bool:
    """Whether a review or written feedback shows the session was held (see the docstring)."""
    if Review.objects.filter(session_id=session.pk).exists():
        return True
    notes = PhaseNote.objects.filter(feedback=OuterRef("pk")).exclude(prodding="", notes="")
    written = (
        Q(status=FeedbackStatus.SUBMITTED)
        | Exists(CriterionScore.objects.filter(feedback=OuterRef("pk")))
        | Exists(notes)
        | ~Q(recommendation="")
        | ~Q(level="")
        | ~Q(strengths="")
        | ~Q(improvements="")
    )
    return Feedback.objects.filter(written, session_id=session.pk).exists()


@dataclass(frozen=True)
class _Facts:
    """What the booking rules need to know about both people's other sessions."""

    no_shows: list[datetime]  # starts of the candidate's no-shows, recent enough to count
    upcoming: int  # the candidate's scheduled sessions not yet over
    in_week: int  # sessions holding the interviewer's time in the new session's week
    candidate_busy: bool  # the candidate holds time overlapping the new session
    interviewer_busy: bool  # so does the interviewer (as interviewer or as candidate)


def _facts(
    *, candidate: User, interviewer: User, start: datetime, end: datetime, now: datetime
) -> _Facts:
    """One query for all rules, so a booking stays cheap under load (see bench/booking.py).

    Time held as interviewer or as candidate both count: one account may hold both roles.
    Plain SQL: this runs in every booking's locked transaction, where the ORM spent more
    time building this three-part filter than the database spent answering it.
    """
    week_start, week_end = week_bounds(start, interviewer.time_zone)
    since = now - NO_SHOW_WINDOW - NO_SHOW_BLOCK
    me, them = candidate.pk, interviewer.pk
    moment = connection.ops.adapt_datetimefield_value
    sql = f"""
        SELECT interviewer_id, candidate_id, start, "end", status, no_show_party
        FROM {SESSIONS}
        WHERE status <> %s AND (
            ((candidate_id = %s OR interviewer_id = %s) AND "end" > %s)
            OR (interviewer_id = %s AND start >= %s AND start < %s)
            OR ((interviewer_id IN (%s, %s) OR candidate_id IN (%s, %s))
                AND start < %s AND "end" > %s)
        )
    """  # noqa: S608 - the table name is a constant; values are parameters
    params = [
        SessionStatus.CANCELLED.value,
        *(me, me, moment(since)),
        *(them, moment(week_start), moment(week_end)),
        *(me, them, me, them, moment(end), moment(start)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    no_shows: list[datetime] = []
    upcoming = in_week = 0
    candidate_busy = interviewer_busy = False
    for interviewer_id, candidate_id, begins, ends, status, party in rows:
        begins, ends = _utc(begins), _utc(ends)
        if candidate_id == me:
            if status == SessionStatus.NO_SHOW and party == NoShowParty.CANDIDATE:
                no_shows.append(begins)
            if status == SessionStatus.SCHEDULED and ends > now:
                upcoming += 1
        if interviewer_id == them and week_start <= begins < week_end:
            in_week += 1
        if begins < end and ends > start:
            candidate_busy |= me in (interviewer_id, candidate_id)
            interviewer_busy |= them in (interviewer_id, candidate_id)
    return _Facts(no_shows, upcoming, in_week, candidate_busy, interviewer_busy)


def _utc(value: datetime) -> datetime:
    # SQLite stores naive UTC; PostgreSQL answers aware times.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


SESSIONS = Session._meta.db_table


# --- Booking -------------------------------------------------------------------------------


def book_session(
    *,
    candidate: User,
    interviewer_id: int,
    start: datetime,
    length_minutes: int = 60,
    now: datetime | None = None,
) -> Session:
    """Book the interviewer's slot at `start` for `candidate`, in one transaction.

    The interviewer comes by id: the lock reads their row fresh (approval included), so
    the caller needs no query of its own to look them up first.
    """
    now = now or timezone.now()
    length = _length(length_minutes)
    try:
        with transaction.atomic():
            interviewer = _lock_people(candidate=candidate, interviewer_id=interviewer_id)
            _check_request(candidate=candidate, interviewer=interviewer, start=start, now=now)
            return _book_locked(
                candidate=candidate, interviewer=interviewer, start=start, length=length, now=now
            )
    except IntegrityError as error:
        raise _slot_taken() from error


def book_session_once(
    *,
    candidate: User,
    interviewer_id: int,
    start: datetime,
    length_minutes: int,
    key: str,
    request_hash: str,
    render: Callable[[Session], dict[str, Any]],
    render_error: Callable[[Exception], tuple[int, dict[str, Any]]],
    now: datetime | None = None,
) -> tuple[int, dict[str, Any], bool]:
    """`book_session` under an `Idempotency-Key`: (status, body, replayed).

    The same key and body answer what the first request answered, refusals included; the
    same key with another body is refused (422 `idempotency_key_reused`). The record is
    written in the booking's own transaction, so a booking never exists without it.
    Two first uses of one key at once take turns on the candidate's row lock (taken
    before the key is looked up), so the second one finds the first's record and replays.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            interviewer = _lock_people(candidate=candidate, interviewer_id=interviewer_id)
            stored = IdempotencyKey.objects.filter(user=candidate, key=key).first()
            if stored is not None:
                if stored.request_hash != request_hash:
                    raise DomainError(
                        "This Idempotency-Key was already used for a different request.",
                        code="idempotency_key_reused",
                        status=422,
                    )
                return stored.response_status, stored.response_body, True
            try:
                # A savepoint: a refusal rolls back the booking's writes but leaves the
                # transaction open for the record of that refusal.
                with transaction.atomic():
                    _check_request(
                        candidate=candidate, interviewer=interviewer, start=start, now=now
                    )
                    session = _book_locked(
                        candidate=candidate,
                        interviewer=interviewer,
                        start=start,
                        length=_length(length_minutes),
                        now=now,
                    )
                status, body = 201, render(session)
            except IntegrityError:
                status, body = render_error(_slot_taken())
            except (DomainError, ValidationError) as refusal:
                # The rules' refusals are stored like successes: a retry gets the same answer.
                status, body = render_error(refusal)
            IdempotencyKey.objects.create(
                user=candidate,
                key=key,
                request_hash=request_hash,
                response_status=status,
                response_body=body,
                created_at=now,
            )
    except IntegrityError as error:
        # Only reachable if the key was written by something not holding the row lock.
        raise DomainError(
            "A request with this Idempotency-Key is still in progress; retry shortly.",
            code="idempotency_key_in_use",
            status=409,
        ) from error
    return status, body, False


def _check_request(*, candidate: User, interviewer: User, start: datetime, now: datetime) -> None:
    """Rules that need no lock: who may book whom, and the lead time."""
    if candidate.pk == interviewer.pk:
        raise DomainError(
            "You cannot book yourself.",
            code="self_booking",
            status=400,
            fields={"interviewer": ["You cannot book yourself."]},
        )
    if not candidate.is_candidate:
        raise DomainError(
            "Add a candidate profile before booking practice interviews.",
            code="not_a_candidate",
            status=403,
        )
    profile = getattr(interviewer, "interviewer_profile", None)
    if profile is None or not profile.is_approved:
        raise DomainError(
            "This interviewer cannot be booked.",
            code="interviewer_not_approved",
            status=400,
            fields={"interviewer": ["This interviewer cannot be booked."]},
        )
    if start < now + LEAD_TIME:
        message = "Book at least 2 hours ahead."
        raise DomainError(message, code="lead_time", status=400, fields={"start": [message]})


def _length(length_minutes: int) -> timedelta:
    if not MIN_SESSION_MINUTES <= length_minutes <= MAX_SESSION_MINUTES:
        raise ValidationError(
            {"length": f"Sessions last {MIN_SESSION_MINUTES} to {MAX_SESSION_MINUTES} minutes."}
        )
    return timedelta(minutes=length_minutes)


def _lock_people(*, candidate: User, interviewer_id: int) -> User:
    """Lock both people's rows and return the interviewer as they are now, with profile.

    Ordered by id: two transactions locking overlapping pairs never deadlock. Only the user
    rows are locked (PostgreSQL cannot lock the nullable side of the profile's outer join).
    Plain SQL: this runs in every booking, and the ORM spent several times longer building
    this locking join than the database spent answering it. Only the columns the booking
    reads are loaded; any other field loads on first use, like a deferred one.
    """
    lock = " FOR UPDATE OF u" if connection.features.has_select_for_update_of else ""
    sql = f"""
        SELECT {", ".join(f"u.{field.column}" for field in _PERSON_FIELDS)},
            {", ".join(f"p.{field.column}" for field in _PROFILE_FIELDS)}
        FROM {_USERS} u LEFT JOIN {_PROFILES} p ON p.user_id = u.id
        WHERE u.id IN (%s, %s)
        ORDER BY u.id{lock}
    """  # noqa: S608 - table and column names are constants; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, sorted([candidate.pk, interviewer_id]))
        rows = cursor.fetchall()
    found = next((row for row in rows if row[0] == interviewer_id), None)
    split = len(_PERSON_FIELDS)
    if found is None or found[split] is None:  # no such user, or no interviewer profile
        message = "No interviewer has this id."
        raise DomainError(
            message, code="unknown_interviewer", status=400, fields={"interviewer": [message]}
        )
    interviewer = User.from_db(
        connection.alias, [field.attname for field in _PERSON_FIELDS], found[:split]
    )
    # Assigning the reverse one-to-one caches it both ways: no query to read it back.
    interviewer.interviewer_profile = InterviewerProfile.from_db(
        connection.alias, [field.attname for field in _PROFILE_FIELDS], found[split:]
    )
    return interviewer


def _loaded(model: type[Model], names: set[str]) -> list[Field[Any, Any]]:
    # In the model's own field order, which `from_db` expects the values in.
    return [field for field in model._meta.concrete_fields if field.name in names]


# What the booking reads of the interviewer: the rules (approval, capacity, time zone), the
# meeting link, and the name in the answer. Columns that need no converter on any backend.
_PERSON_FIELDS = _loaded(User, {"id", "email", "display_name", "time_zone"})
_PROFILE_FIELDS = _loaded(
    InterviewerProfile, {"id", "user", "status", "weekly_capacity", "meeting_url"}
)
_USERS = User._meta.db_table
_PROFILES = InterviewerProfile._meta.db_table


def _book_locked(
    *,
    candidate: User,
    interviewer: User,
    start: datetime,
    length: timedelta,
    now: datetime,
    replaces: Session | None = None,
    calendar_uid: uuid.UUID | None = None,
) -> Session:
    """The rules that depend on other sessions, then the insert; the caller holds the locks."""
    end = start + length
    facts = _facts(candidate=candidate, interviewer=interviewer, start=start, end=end, now=now)
    blocked_until = no_show_block_until(facts.no_shows)
    if blocked_until is not None and blocked_until > now:
        raise DomainError(
            f"After two missed sessions you can book again from "
            f"{timefmt.full(blocked_until, candidate.time_zone)}.",
            code="no_show_block",
            status=403,
        )
    if facts.upcoming >= MAX_UPCOMING:
        raise DomainError(
            f"You already have {MAX_UPCOMING} upcoming sessions; "
            "finish or cancel one before booking another.",
            code="too_many_upcoming",
        )
    if facts.in_week >= interviewer.interviewer_profile.weekly_capacity:
        raise DomainError(
            "This interviewer is fully booked that week; pick another week or interviewer.",
            code="capacity_reached",
        )
    if facts.candidate_busy:
        raise DomainError(
            "You already have a session at that time.", code="slot_unavailable", status=409
        )
    if facts.interviewer_busy or not is_offered(
        interviewer=interviewer, start=start, length=length, now=now
    ):
        raise _slot_taken()
    if replaces is not None:
        question_id = replaces.question_id
        meeting_url = replaces.meeting_url
    else:
        question_id = pick_question(
            candidate=candidate, weakest_areas=weakest_areas_for(candidate=candidate)
        )
        meeting_url = meeting_url_for(interviewer)
    session = Session.objects.create(
        interviewer=interviewer,
        candidate=candidate,
        start=start,
        end=end,
        question_id=question_id,
        meeting_url=meeting_url,
        rescheduled_from=replaces,
        ics_uid=calendar_uid or uuid.uuid4(),
        ics_sequence=replaces.ics_sequence if replaces is not None else 0,
        created_at=now,
        updated_at=now,
    )
    if replaces is None:
        # In the booking's transaction: a booking that rolls back leaves no email behind.
        schedule_session(
            session=session, now=now, tell=(candidate, interviewer), kind=Kind.BOOKING_CONFIRMED
        )
    return session


def _slot_taken() -> DomainError:
    return DomainError(
        SLOT_TAKEN, code="slot_unavailable", status=409, fields={"start": [SLOT_TAKEN]}
    )


# --- Changing a session ---------------------------------------------------------------------


def cancel_session(*, session: Session, by: User, now: datetime | None = None) -> Session:
    """Cancel before the start; it may count as a late change by `by` (`is_late_change`)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock_scheduled_session(session, by)
        _require_before_start(current, now, "cancel")
        _cancel(current, by=by, now=now)
        void_pending(session=current, note="The session was cancelled.")
        notify(
            kind=Kind.SESSION_CANCELLED,
            recipients=[_other_side(current, by)],
            key=session_key(current),
            due_at=now,
            session=current,
            now=now,
        )
    return current


def _other_side(session: Session, by: User) -> User:
    return session.candidate if by.pk == session.interviewer_id else session.interviewer


def reschedule_session(
    *, session: Session, by: User, start: datetime, now: datetime | None = None
) -> Session:
    """Move a session: cancel it and book its replacement in one transaction."""
    now = now or timezone.now()
    candidate = session.candidate
    if start == session.start:
        message = "Pick a different time."
        raise DomainError(message, code="same_time", status=400, fields={"start": [message]})
    try:
        with transaction.atomic():
            interviewer = _lock_people(candidate=candidate, interviewer_id=session.interviewer_id)
            _check_request(candidate=candidate, interviewer=interviewer, start=start, now=now)
            current = _lock_scheduled_session(session, by)
            _require_before_start(current, now, "reschedule")
            calendar_uid = current.ics_uid
            # The replacement takes over the calendar UID, so the old row needs another
            # one first (the column is unique). Its SEQUENCE rises with the cancel, and the
            # replacement carries that raised number on under the old UID.
            current.ics_uid = uuid.uuid4()
            _cancel(current, by=by, now=now, extra_fields=["ics_uid"])
            replacement = _book_locked(
                candidate=candidate,
                interviewer=interviewer,
                start=start,
                length=session.end - session.start,
                now=now,
                replaces=current,
                calendar_uid=calendar_uid,
            )
            void_pending(session=current, note="The session was moved.")
            schedule_session(
                session=replacement,
                now=now,
                tell=[_other_side(current, by)],
                kind=Kind.SESSION_MOVED,
            )
    except IntegrityError as error:
        raise _slot_taken() from error
    session.refresh_from_db()
    return replacement


def complete_session(*, session: Session, by: User, now: datetime | None = None) -> Session:
    """The interviewer closes the session as held, once it has ended."""
    now = now or timezone.now()
    if by.pk != session.interviewer_id:
        raise DomainError(
            "Only the interviewer marks a session completed.", code="not_interviewer", status=403
        )
    with transaction.atomic():
        current = _lock_scheduled_session(session, by)
        _require_ended(current, now)
        current.status = SessionStatus.COMPLETED
        current.updated_at = now
        current.save(update_fields=["status", "updated_at"])
    return current


def mark_no_show(
    *, session: Session, by: User, party: str | None = None, now: datetime | None = None
) -> Session:
    """After the end: the interviewer reports the candidate missing, or the other way round.

    Refused (409 `session_held`) once feedback or a review shows the session took place.
    """
    now = now or timezone.now()
    missing = NoShowParty.CANDIDATE if by.pk == session.interviewer_id else NoShowParty.INTERVIEWER
    if party is not None and party != missing:
        message = (
            "As the interviewer you can report the candidate missing."
            if missing == NoShowParty.CANDIDATE
            else "As the candidate you can report the interviewer missing."
        )
        raise ValidationError({"party": message})
    with transaction.atomic():
        current = _lock_scheduled_session(session, by)
        _require_ended(current, now)
        # Under the session's lock: feedback and reviews take the same lock and are refused
        # once the status is no-show, so neither side can slip in between.
        if session_took_place(session=current):
            raise DomainError(SESSION_HELD, code="session_held")
        current.status = SessionStatus.NO_SHOW
        current.no_show_party = missing
        current.updated_at = now
        current.save(update_fields=["status", "no_show_party", "updated_at"])
    return current


def _lock_scheduled_session(session: Session, by: User) -> Session:
    """The session's row, locked and fresh, once `by` is one of its two people."""
    if by.pk not in (session.interviewer_id, session.candidate_id):
        raise PermissionDenied
    # Only the session's own row is locked: PostgreSQL cannot lock the nullable side of
    # the outer join that fetches the question.
    current = (
        Session.objects.select_for_update(of=("self",))
        .select_related("interviewer", "candidate", "question")
        .get(pk=session.pk)
    )
    if current.status != SessionStatus.SCHEDULED:
        raise DomainError(
            f"This session is already {current.get_status_display().lower()}.",
            code="not_scheduled",
        )
    return current


def _require_before_start(session: Session, now: datetime, action: str) -> None:
    if now >= session.start:
        raise DomainError(
            f"This session has started; it is too late to {action} it.", code="already_started"
        )


def _require_ended(session: Session, now: datetime) -> None:
    if now < session.end:
        raise DomainError("You can close the session once it has ended.", code="not_ended")


def _cancel(session: Session, *, by: User, now: datetime, extra_fields: Sequence[str] = ()) -> None:
    session.status = SessionStatus.CANCELLED
    session.cancelled_by = by
    session.cancelled_at = now
    session.late_cancel = is_late_change(booked_at=session.created_at, start=session.start, now=now)
    # The row is locked, so a plain increment cannot lose a concurrent change.
    session.ics_sequence += 1
    session.updated_at = now
    session.save(
        update_fields=[
            "status",
            "cancelled_by",
            "cancelled_at",
            "late_cancel",
            "ics_sequence",
            "updated_at",
            *extra_fields,
        ]
    )
