"""Settings for the web servers tests/test_database_outage.py starts
(DJANGO_SETTINGS_MODULE=tests.server_settings): production's, read from the environment the
test passes, except static file names. Production serves the hashed names collectstatic
wrote into the image; a test has not run collectstatic, so names stay as they are.
"""

from __future__ import annotations

from config.settings import *  # noqa: F403 - production's settings, one overridden below
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
