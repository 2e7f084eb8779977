"""Interview pages: availability, finding an interviewer, sessions."""

from __future__ import annotations

from django.urls import path

from interviews import (
    availability_views,
    feedback_views,
    help_views,
    interviewer_views,
    matching_views,
    session_views,
)

urlpatterns = [
    path("availability/", availability_views.availability_page, name="availability"),
    path("availability/weekly/", availability_views.add_weekly, name="availability_add_weekly"),
    path("availability/dates/", availability_views.add_date, name="availability_add_date"),
    path(
        "availability/<str:kind>/<int:window_id>/delete/",
        availability_views.delete,
        name="availability_delete",
    ),
    path("help/booking/", help_views.booking_help, name="booking_help"),
    path("find/", matching_views.find_interviewer, name="find_interviewer"),
    path(
        "interviewers/<int:interviewer_id>/",
        interviewer_views.interviewer_profile,
        name="interviewer_profile",
    ),
    path("sessions/", session_views.sessions, name="sessions"),
    path("sessions/new/", session_views.book, name="book_session"),
    path("sessions/<int:session_id>/", session_views.session_detail, name="session_detail"),
    path(
        "sessions/<int:session_id>/calendar.ics",
        session_views.session_calendar,
        name="session_ics",
    ),
    path("sessions/<int:session_id>/cancel/", session_views.cancel, name="session_cancel"),
    path(
        "sessions/<int:session_id>/reschedule/",
        session_views.reschedule,
        name="session_reschedule",
    ),
    path("sessions/<int:session_id>/complete/", session_views.complete, name="session_complete"),
    path("sessions/<int:session_id>/no-show/", session_views.no_show, name="session_no_show"),
    path("sessions/<int:session_id>/feedback/", feedback_views.feedback_form, name="feedback_form"),
    path(
        "sessions/<int:session_id>/feedback/submit/",
        feedback_views.feedback_submit,
        name="feedback_submit",
    ),
    path("sessions/<int:session_id>/review/", feedback_views.review, name="review_session"),
    path("sessions/<int:session_id>/report/", feedback_views.report, name="feedback_report"),
]
