"""django-appointment's routes, mounted as its documentation shows."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("appointment/", include("appointment.urls"))]
