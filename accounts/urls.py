from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("staff/vetting/", views.vetting_queue, name="vetting_queue"),
    path("staff/vetting/<int:profile_id>/approve/", views.approve, name="vetting_approve"),
    path("staff/vetting/<int:profile_id>/reject/", views.reject, name="vetting_reject"),
]
