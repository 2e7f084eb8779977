"""Interview pages. Each feature module adds its routes here, one line per route."""

from __future__ import annotations

from django.urls import path  # noqa: F401

urlpatterns: list = []
