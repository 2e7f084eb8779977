from __future__ import annotations

from django.urls import path

from notifications import views

urlpatterns = [
    path("settings/emails/", views.preferences_page, name="notification_preferences"),
    path("emails/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
