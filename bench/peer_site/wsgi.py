"""WSGI entry point for the django-appointment host (gunicorn in var/peer-venv)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer_site.settings")
application = get_wsgi_application()
