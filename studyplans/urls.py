"""The dashboards and the study plan pages."""

from __future__ import annotations

from django.urls import path

from studyplans import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/candidate/", views.candidate_home, name="candidate_dashboard"),
    path("dashboard/interviewer/", views.interviewer_home, name="interviewer_dashboard"),
    path("plan/", views.plan_page, name="study_plan"),
    path("plan/items/<int:item_id>/", views.update_item, name="plan_item_update"),
]
