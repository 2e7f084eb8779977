"""Interview endpoints under /api/v1/. Each feature module adds its routes here."""

from __future__ import annotations

from django.urls import path  # noqa: F401

urlpatterns: list = []
