from __future__ import annotations

import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun
from django.conf import settings

from config.logs import NO_REQUEST, use_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("mockloop")
# Every CELERY_* setting in config/settings.py configures the app, so the environment
# decides the broker in one place.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_the_sites_logging(**kwargs: Any) -> None:
    # With a receiver here Celery leaves logging alone: workers and beat write the lines
    # the web processes write (JSON in production, with the id), at LOG_LEVEL.
    logging.config.dictConfig(settings.LOGGING)


@task_prerun.connect
def _log_under_the_task_id(task_id: str, **kwargs: Any) -> None:
    use_request_id(task_id)


@task_postrun.connect
def _forget_the_task_id(**kwargs: Any) -> None:
    use_request_id(NO_REQUEST)


def prepare_for_requests() -> None:
    """Do in a web worker's start what its first request queuing a task would otherwise do.

    Finalising the app imports every task module (the dispatcher, the email rendering),
    then the results backend and the broker's transport are resolved: measured at about
    0.2 s of CPU, which the first booking each worker served used to pay. Nothing connects
    to the broker here, so a broker that is down does not stop a worker from starting
    (queuing fails open, see `notifications.outbox`).
    """
    app.finalize(auto=True)
    # Resolving these imports their modules (the results one even with results disabled:
    # every `delay` builds an AsyncResult).
    app.backend  # noqa: B018
    with app.connection_for_write() as connection:
        connection.transport  # noqa: B018
