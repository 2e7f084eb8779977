from __future__ import annotations

from django.apps import AppConfig


class StudyplansConfig(AppConfig):
    name = "studyplans"
    verbose_name = "Study plans"
