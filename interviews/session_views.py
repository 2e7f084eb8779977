"""Session pages: my sessions, the booking confirmation, one session, and its ICS file.

Booking takes two clicks from the match list: a slot button there links to the
confirmation page here (`/sessions/new/?interviewer=<id>&start=<iso>`), whose one button
books. A slot lost to someone else re-renders the page with "This slot was just taken"
and the interviewer's fresh slots, each one click from a new confirmation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import signed_in_user
from accounts.models import User
from config.errors import DomainError
from config.fields import MAX_DATABASE_INTEGER, InstantFormField, parse_instant
from interviews import booking
from interviews.availability import busy_intervals, free_slots
from interviews.briefs import candidate_brief
from interviews.calendar import ics_filename, session_ics
from interviews.feedback import FeedbackStep, feedback_is_open, feedback_step
from interviews.interviewers import interviewer_summary
from interviews.links import booking_url
from interviews.matching import Match, find_matches
from interviews.models import (
    DEFAULT_SESSION_MINUTES,
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    FollowUp,
    NoShowParty,
    Phase,
    Session,
    SessionStatus,
)
from interviews.report_presenter import feedback_panel
from interviews.room import AgendaItem, agenda, current_item, join_opens_at, join_state
from interviews.selectors import (
    get_session_for_user,
    late_cancel_count,
    past_sessions,
    upcoming_bookings_count,
    upcoming_sessions,
)
from interviews.slots import Slot
from interviews.waking_hours import SlotOffer, choices, waking_hours_of
from notifications.selectors import notifications_for_session, reminders_coming

FRESH_SLOTS = 8
FRESH_SLOT_DAYS = 14
ALTERNATIVES = 3
ALTERNATIVE_SLOTS = 4  # per alternative interviewer, inside and outside waking hours each


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    now = timezone.now()
    ctx = {
        "upcoming": upcoming_sessions(user=user, now=now),
        "past": [
            (session, _feedback_step(session, user, now))
            for session in past_sessions(user=user, now=now)[:50]
        ],
        "late_cancels": late_cancel_count(user=user),
        "blocked_until": (
            booking.booking_blocked_until(candidate=user, now=now) if user.is_candidate else None
        ),
        "now": now,
    }
    return render(request, "interviews/sessions.html", ctx)


def _feedback_step(session: Session, user: User, now: datetime) -> FeedbackStep | None:
    # Only a held session has feedback to give; the list loads feedback and review with it.
    if not feedback_is_open(session=session, now=now):
        return None
    feedback = getattr(session, "feedback", None)
    return feedback_step(
        as_interviewer=session.interviewer_id == user.pk,
        session_end=session.end,
        feedback_submitted_at=feedback.submitted_at if feedback is not None else None,
        has_draft=feedback is not None,
        review_submitted=getattr(session, "review", None) is not None,
        now=now,
    )


class BookingLinkForm(forms.Form):
    """The booking link's query: `/sessions/new/?interviewer=<id>&start=<iso>[&length=]`."""

    interviewer = forms.IntegerField(min_value=1, max_value=MAX_DATABASE_INTEGER)
    start = InstantFormField(label="Start")
    length = forms.IntegerField(
        label="Length in minutes",
        min_value=MIN_SESSION_MINUTES,
        max_value=MAX_SESSION_MINUTES,
        required=False,
    )


@login_required
def book(request: HttpRequest) -> HttpResponse:
    candidate = signed_in_user(request)
    link = BookingLinkForm(request.GET)
    link.is_valid()
    interviewer = _bookable_interviewer(link.cleaned_data.get("interviewer"))
    if link.errors:
        # The interviewer is real, but the time or the length of the link is not usable:
        # say which, as a form would, rather than a 404 that hides what went wrong.
        ctx: dict[str, Any] = {
            "interviewer": interviewer,
            "summary": interviewer_summary(interviewer),
            "start": None,
            "length": DEFAULT_SESSION_MINUTES,
            "error": " ".join(
                f"{link.fields[name].label}: {' '.join(str(text) for text in texts)}"
                for name, texts in link.errors.items()
            ),
            "taken": False,
        }
        return render(request, "interviews/book.html", ctx, status=400)
    start: datetime = link.cleaned_data["start"]
    length: int = link.cleaned_data["length"] or DEFAULT_SESSION_MINUTES
    now = timezone.now()
    error = ""
    taken = False
    # Checked before the button is offered: at the limit the page explains instead.
    at_limit = upcoming_bookings_count(candidate=candidate, now=now) >= booking.MAX_UPCOMING
    if request.method == "POST" and not at_limit:
        try:
            session = booking.book_session(
                candidate=candidate,
                interviewer_id=interviewer.pk,
                start=start,
                length_minutes=length,
                now=now,
            )
        except DomainError as refusal:
            # A limit reached in a race is shown like one reached before: as the notice.
            at_limit = refusal.code == "too_many_upcoming"
            error = "" if at_limit else refusal.message
            taken = refusal.code == "slot_unavailable"
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                f"Booked. A confirmation with the calendar file is on its way to you and to "
                f"{interviewer.name}{_reminder_words(session, candidate)}",
            )
            return redirect("session_detail", session_id=session.pk)
    elif not at_limit and not _offered(
        interviewer=interviewer, start=start, length=length, now=now
    ):
        error = "This slot is no longer available."
        taken = True
    starts_in = start - now
    ctx = {
        "interviewer": interviewer,
        "summary": interviewer_summary(interviewer),
        "start": start,
        "end": start + timedelta(minutes=length),
        "length": length,
        "error": error,
        "taken": taken,
        "limit_reached": booking.LIMIT_REACHED if at_limit else "",
        # The warning before a slot inside the free-notice period (see booking.is_late_change).
        "starts_soon": (
            duration_words(starts_in)
            if timedelta(0) < starts_in < booking.FREE_CANCEL_NOTICE
            else ""
        ),
        "grace_words": duration_words(booking.CHANGE_GRACE),
        "fresh_slots": _fresh_slot_links(
            interviewer=interviewer, candidate=candidate, length=length, now=now
        )
        if taken
        else None,
    }
    status = (409 if taken else 400) if error else 200
    if at_limit and request.method == "POST":
        status = 400
    return render(request, "interviews/book.html", ctx, status=status)


def duration_words(length: timedelta) -> str:
    """The length in words ("5 hours", "1 hour 30 minutes"), whole minutes rounded down."""
    hours, minutes = divmod(int(length.total_seconds() // 60), 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


@login_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user=user, session_id=session_id)
    wants_slots = request.GET.get("reschedule") == "1"
    return _render_session(request, user=user, session=session, reschedule=wants_slots)


def _render_session(
    request: HttpRequest, *, user: User, session: Session, reschedule: bool, error: str = ""
) -> HttpResponse:
    now = timezone.now()
    is_interviewer = user.pk == session.interviewer_id
    scheduled = session.status == SessionStatus.SCHEDULED
    can_change = scheduled and now < session.start
    length = int(session.duration.total_seconds() // 60)
    can_close = scheduled and now >= session.end
    held = can_close and booking.session_took_place(session=session)
    replacement = Session.objects.filter(rescheduled_from=session).only("pk").first()
    ctx: dict[str, Any] = {
        "session": session,
        "is_interviewer": is_interviewer,
        "other": _other(session, user),
        # The candidate's aims and weak spots: for their interviewer's eyes only.
        "brief": candidate_brief(candidate=session.candidate, now=now) if is_interviewer else None,
        **_room(session=session, user=user, now=now, is_interviewer=is_interviewer),
        "can_change": can_change,
        "late": can_change
        and booking.is_late_change(booked_at=session.created_at, start=session.start, now=now),
        "free_until": booking.free_change_until(booked_at=session.created_at, start=session.start),
        "can_close": can_close,
        # A no-show is refused once feedback or a review shows the session took place.
        "can_report_no_show": can_close and not held,
        "held": held,
        "replacement": replacement,
        "reschedule_slots": (
            choices(
                _fresh_slots(
                    interviewer=session.interviewer,
                    candidate=session.candidate,
                    length=length,
                    now=now,
                ),
                waking_hours_of(user),
                limit=FRESH_SLOTS,
            )
            if reschedule and can_change
            else None
        ),
        "reschedule": reschedule and can_change,
        "error": error,
        "alternatives": None,
        "show_alternatives": False,
        "find_url": "/find/",
        "feedback": feedback_panel(session=session, user=user, now=now),
        "notifications": list(notifications_for_session(session=session)),
    }
    cancelled_by_interviewer = (
        session.status == SessionStatus.CANCELLED
        and session.cancelled_by_id == session.interviewer_id
        and replacement is None
    )
    if cancelled_by_interviewer and not is_interviewer:
        ctx["show_alternatives"] = True
        ctx["alternatives"] = _alternatives(
            candidate=user, cancelled_by=session.interviewer_id, now=now
        )
    return render(request, "interviews/session.html", ctx, status=409 if error else 200)


@login_required
def session_calendar(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user=user, session_id=session_id)
    response = HttpResponse(session_ics(session, viewer=user), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(session)}"'
    return response


# The hidden field of a confirm page's button. A cancel or a no-show posted without it
# (an old page, a double click on the session page) only shows the confirm page.
CONFIRMED = "yes"


def _confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirmed") == CONFIRMED


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    """GET (or a POST without `confirmed`) asks first; only the confirm page's POST cancels."""
    user = signed_in_user(request)
    session = get_session_for_user(user=user, session_id=session_id)
    now = timezone.now()
    if not _confirmed(request):
        refusal = _not_scheduled(session) or (
            "This session has started; it is too late to cancel it." if now >= session.start else ""
        )
        if refusal:
            messages.error(request, refusal)
            return redirect("session_detail", session_id=session.pk)
        return _confirm_page(
            request,
            session=session,
            user=user,
            action="cancel",
            late=booking.is_late_change(booked_at=session.created_at, start=session.start, now=now),
        )
    try:
        cancelled = booking.cancel_session(session=session, by=user, now=now)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        note = " It counts as a late change." if cancelled.late_cancel else ""
        other = _other(session, user).name
        messages.success(
            request,
            f"The session is cancelled; a cancellation email with the calendar update is on "
            f"its way to {other}, and the reminders are called off.{note}",
        )
    return redirect("session_detail", session_id=session.pk)


def _not_scheduled(session: Session) -> str:
    if session.status == SessionStatus.SCHEDULED:
        return ""
    return f"This session is already {session.get_status_display().lower()}."


def _confirm_page(
    request: HttpRequest, *, session: Session, user: User, action: str, late: bool = False
) -> HttpResponse:
    ctx = {
        "session": session,
        "other": _other(session, user),
        "is_interviewer": user.pk == session.interviewer_id,
        "action": action,
        "late": late,
        "free_until": booking.free_change_until(booked_at=session.created_at, start=session.start),
        "confirmed": CONFIRMED,
        "no_show_window_days": booking.NO_SHOW_WINDOW.days,
        "no_show_block_days": booking.NO_SHOW_BLOCK.days,
    }
    return render(request, "interviews/session_confirm.html", ctx)


def _reminder_words(session: Session, user: User) -> str:
    # Only what is really queued for this person, after their email settings.
    coming = reminders_coming(session=session, user=user)
    return f"; we will remind you {' and '.join(coming)} before." if coming else "."


@login_required
@require_POST
def reschedule(request: HttpRequest, session_id: int) -> HttpResponse:
    """Move the session to one of the fresh slots the session page offered."""
    user = signed_in_user(request)
    session = get_session_for_user(user=user, session_id=session_id)
    try:
        replacement = booking.reschedule_session(
            session=session, by=user, start=_parse_start(request.POST.get("start", ""))
        )
    except (DomainError, ValidationError, PermissionDenied) as refusal:
        return _render_session(
            request, user=user, session=session, reschedule=True, error=_text(refusal)
        )
    other = _other(session, user).name
    messages.success(
        request,
        f"The session is moved; an email with the new time and the calendar update is on its "
        f"way to {other}{_reminder_words(replacement, user)}",
    )
    return redirect("session_detail", session_id=replacement.pk)


@login_required
@require_POST
def complete(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user=user, session_id=session_id)
    try:
        booking.complete_session(session=session, by=user)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Marked completed.")
    return redirect("session_detail", session_id=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def no_show(request: HttpRequest, session_id: int) -> HttpResponse:
    """GET (or a POST without `confirmed`) asks first; only the confirm page's POST records."""
    user = signed_in_user(request)
    session = get_session_for_user(user=user, session_id=session_id)
    if not _confirmed(request):
        if refusal := _not_scheduled(session):
            messages.error(request, refusal)
        elif timezone.now() < session.end:
            messages.error(request, "You can report a no-show once the session has ended.")
        elif booking.session_took_place(session=session):
            messages.error(request, booking.SESSION_HELD)
        else:
            return _confirm_page(request, session=session, user=user, action="no_show")
        return redirect("session_detail", session_id=session.pk)
    try:
        marked = booking.mark_no_show(session=session, by=user)
    except (DomainError, ValidationError) as refusal:
        messages.error(request, _text(refusal))
    else:
        who = "candidate" if marked.no_show_party == NoShowParty.CANDIDATE else "interviewer"
        messages.success(request, f"Recorded: the {who} did not show up.")
    return redirect("session_detail", session_id=session.pk)


def _room(*, session: Session, user: User, now: datetime, is_interviewer: bool) -> dict[str, Any]:
    """The room's parts: the join window, the agenda in the viewer's zone, the follow-ups."""
    if session.status == SessionStatus.CANCELLED:
        return {"join": None, "agenda": [], "current_phase": None, "whole_session_prompts": []}
    items = agenda(start=session.start, end=session.end, zone=user.time_zone)
    # The question's follow-ups are the interviewer's alone (SPEC §6), like its hints.
    prompts = (
        list(session.question.follow_ups.all())
        if is_interviewer and session.question is not None
        else []
    )
    return {
        "join": (
            join_state(start=session.start, end=session.end, now=now)
            if session.status == SessionStatus.SCHEDULED
            else None
        ),
        "join_opens_at": join_opens_at(session.start),
        "agenda": [(item, _prompts_for(prompts, item)) for item in items],
        "current_phase": current_item(items, now) if is_interviewer else None,
        "before_start": now < session.start,
        "whole_session_prompts": [p for p in prompts if p.phase == Phase.COMMUNICATION],
    }


def _prompts_for(prompts: list[FollowUp], item: AgendaItem) -> list[FollowUp]:
    return [prompt for prompt in prompts if prompt.phase == item.slug]


# --- Helpers --------------------------------------------------------------------------------


def _other(session: Session, user: User) -> User:
    return session.candidate if user.pk == session.interviewer_id else session.interviewer


def _text(refusal: Exception) -> str:
    if isinstance(refusal, DomainError):
        return refusal.message
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return "You cannot do that."


def _bookable_interviewer(interviewer_id: int | None) -> User:
    # Unknown and unapproved interviewers look the same: the page has nothing to offer.
    if interviewer_id is None:
        raise Http404
    found = (
        User.objects.select_related("interviewer_profile")
        .filter(pk=interviewer_id, interviewer_profile__isnull=False)
        .first()
    )
    if found is None or not found.interviewer_profile.is_approved:
        raise Http404
    return found


def _parse_start(raw: str) -> datetime:
    # Only the session page's own slot buttons post a start: anything else is no slot.
    try:
        return parse_instant(raw)
    except ValidationError as error:
        raise Http404 from error


def _offered(*, interviewer: User, start: datetime, length: int, now: datetime) -> bool:
    offered = free_slots(
        interviewer=interviewer,
        start=start,
        end=start + timedelta(minutes=1),
        now=now,
        length=timedelta(minutes=length),
    )
    return any(slot.start == start for slot in offered)


def _fresh_slots(*, interviewer: User, candidate: User, length: int, now: datetime) -> list[Slot]:
    """The interviewer's free slots that the candidate is free for too, in time order."""
    end = now + timedelta(days=FRESH_SLOT_DAYS)
    own = busy_intervals(user_ids=[candidate.pk], start=now, end=end)[candidate.pk]
    slots = free_slots(
        interviewer=interviewer,
        start=now,
        end=end,
        now=now,
        length=timedelta(minutes=length),
        also_busy=own,
    )
    return slots


def _fresh_slot_links(
    *, interviewer: User, candidate: User, length: int, now: datetime
) -> SlotOffer:
    url_for = partial(booking_url, interviewer.pk, length=length)
    return choices(
        _fresh_slots(interviewer=interviewer, candidate=candidate, length=length, now=now),
        waking_hours_of(candidate),
        url_for=url_for,
        limit=FRESH_SLOTS,
    )


def _alternatives(
    *, candidate: User, cancelled_by: int, now: datetime
) -> list[tuple[Match, SlotOffer]]:
    """The best other matches for a candidate whose interviewer cancelled.

    Never the interviewer who cancelled (SPEC §6): their other times are the slots the
    candidate just lost trust in, and the cancelled slot is theirs.
    """
    matches = find_matches(
        candidate=candidate,
        start=now,
        end=now + timedelta(days=FRESH_SLOT_DAYS),
        now=now,
        limit=ALTERNATIVES,
        excluding=[cancelled_by],
    )
    hours = waking_hours_of(candidate)
    return [
        (
            match,
            choices(
                match.next_slots,
                hours,
                url_for=partial(booking_url, match.interviewer.pk),
                limit=ALTERNATIVE_SLOTS,
            ),
        )
        for match in matches
    ]
