"""Settings for the worker and beat processes that tests/notifications/test_faults.py
starts (DJANGO_SETTINGS_MODULE=tests.fault_settings): production's, with mail going to
`tests.fault_mail` and the broker's clocks shrunk so that faults show within seconds.

The test passes DATABASE_URL (its test database) and CELERY_BROKER_URL (a Redis server of
its own) in the environment, which config.settings reads as in production.
"""

from __future__ import annotations

from datetime import timedelta

from config.settings import *  # noqa: F403 - production's settings, a few overridden below
from config.settings import env

MAILERS = {
    "default": {
        "BACKEND": "tests.fault_mail.SlowFileBackend",
        "OPTIONS": {
            "directory": env.str("FAULT_MAIL_DIR"),
            "pause": env.float("FAULT_SEND_PAUSE", default=0.0),
        },
    }
}

CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Production waits an hour before Redis hands an unacknowledged task to another worker.
    "visibility_timeout": env.float("FAULT_VISIBILITY_TIMEOUT", default=60 * 60),
    # And an idle worker looks for such tasks every 100 seconds (it checks every 10 s and
    # scans Redis on one check in 10): here every second.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

# The minute beat, every second: only the dispatcher, so the test waits for nothing else.
CELERY_BEAT_SCHEDULE = {
    "dispatch-due-notifications": {
        "task": "notifications.tasks.dispatch_due_notifications",
        "schedule": timedelta(seconds=env.float("FAULT_BEAT_SECONDS", default=1.0)),
    },
}
