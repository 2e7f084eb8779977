from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("mockloop")
# Every CELERY_* setting in config/settings.py configures the app, so the environment
# decides the broker in one place.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
