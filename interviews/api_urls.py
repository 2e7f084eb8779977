"""Interview endpoints under /api/v1/: availability, interviewers and their slots, matches,
sessions, feedback."""

from __future__ import annotations

from django.urls import path

from interviews import availability_api, feedback_api, interviewer_api, matching_api, session_api

urlpatterns = [
    path("availability/", availability_api.AvailabilityList.as_view(), name="api_availability"),
    path(
        "availability/<str:window_id>/",
        availability_api.AvailabilityDetail.as_view(),
        name="api_availability_window",
    ),
    path(
        "interviewers/<int:interviewer_id>/",
        interviewer_api.InterviewerDetail.as_view(),
        name="api_interviewer",
    ),
    path(
        "interviewers/<int:interviewer_id>/slots/",
        availability_api.InterviewerSlots.as_view(),
        name="api_interviewer_slots",
    ),
    path("matches/", matching_api.Matches.as_view(), name="api_matches"),
    path("sessions/", session_api.SessionList.as_view(), name="api_sessions"),
    path("sessions/<int:session_id>/", session_api.SessionDetail.as_view(), name="api_session"),
    path(
        "sessions/<int:session_id>/cancel/",
        session_api.SessionCancel.as_view(),
        name="api_session_cancel",
    ),
    path(
        "sessions/<int:session_id>/reschedule/",
        session_api.SessionReschedule.as_view(),
        name="api_session_reschedule",
    ),
    path(
        "sessions/<int:session_id>/complete/",
        session_api.SessionComplete.as_view(),
        name="api_session_complete",
    ),
    path(
        "sessions/<int:session_id>/no-show/",
        session_api.SessionNoShow.as_view(),
        name="api_session_no_show",
    ),
    path(
        "sessions/<int:session_id>/calendar.ics",
        session_api.SessionCalendar.as_view(),
        name="api_session_ics",
    ),
    path(
        "sessions/<int:session_id>/feedback/",
        feedback_api.FeedbackDetail.as_view(),
        name="api_session_feedback",
    ),
    path(
        "sessions/<int:session_id>/feedback/submit/",
        feedback_api.FeedbackSubmit.as_view(),
        name="api_session_feedback_submit",
    ),
    path(
        "sessions/<int:session_id>/review/",
        feedback_api.ReviewCreate.as_view(),
        name="api_session_review",
    ),
    path("rubrics/current/", feedback_api.CurrentRubric.as_view(), name="api_current_rubric"),
]
