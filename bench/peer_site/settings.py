"""Their side of bench/peer.py: django-appointment in the smallest project that runs it.

Read by var/peer-venv's Python only. The database, pool, DEBUG and time zone are set as
ours are (config/settings.py), so the comparison is of the apps, not of the set-up.
"""

from __future__ import annotations

import os

SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.peer_site.urls"
WSGI_APPLICATION = "bench.peer_site.wsgi.application"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "phonenumber_field",
    "appointment",
]
# Django's defaults for a site with logins and form posts (CSRF on, as any real host).
MIDDLEWARE = [
    "bench.peer_site.querycount.QueryCountMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

_name = os.environ.get("PEER_DATABASE", "mockloop_peer_bench")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _name,
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        # The same persistent connections as ours: psycopg's pool, same sizes and timeouts.
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            "pool": {"min_size": 2, "max_size": 10, "timeout": 1.5},
            "connect_timeout": 2,
            "options": "-c jit=off",
        },
    }
}
# Its booking emails the staff member at once; a benchmark sends nothing.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Its slot list caches the Config row; Django's default per-process memory cache, as a
# host that configures nothing gets.
LOGGING = {"version": 1, "disable_existing_loggers": True}
