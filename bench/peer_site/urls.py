"""django-appointment's routes, mounted as its documentation shows, and the two floors.

The floors (bench/floors.py) are the same views ours serves, so the framework and
durable-write floors are measured on their server too.
"""

from __future__ import annotations

from django.urls import include, path

from bench.floors import urlpatterns as floor_urlpatterns

urlpatterns = [*floor_urlpatterns, path("appointment/", include("appointment.urls"))]
