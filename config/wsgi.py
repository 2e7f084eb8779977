from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from config.celery import prepare_for_requests

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
prepare_for_requests()  # once Django is set up: finalising imports the task modules
