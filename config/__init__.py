from __future__ import annotations

# Importing the Celery app here makes @shared_task bind to it in every process that loads
# Django, so `delay_on_commit` from a web request reaches the configured broker.
from config.celery import app as celery_app

__all__ = ["celery_app"]
