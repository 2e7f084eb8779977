"""One settings module for every environment, read from the environment.

The defaults are the development stack that `make run` serves on a fresh machine: SQLite,
Celery over kombu's filesystem transport (no broker server), emails as files in var/mail/.
Production sets DATABASE_URL, CELERY_BROKER_URL, CACHE_URL, EMAIL_URL, SECRET_KEY, SITE_URL
and DEBUG=False, and TRUSTED_PROXY_COUNT when it runs behind reverse proxies.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # runtime files: SQLite, queued tasks, mail, beat's schedule
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)
# The development key is only accepted while DEBUG is on; production must set its own.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Every link in an email starts with it: production must say where it is served, or a
# default would send people to 127.0.0.1.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
if not SITE_URL:
    raise ImproperlyConfigured(
        "Set SITE_URL to the address people open the site at (e.g. https://mockloop.example):"
        " every link in an email starts with it."
    )
# How many reverse proxies stand in front of the app. Only their X-Forwarded-For and
# X-Forwarded-Proto can be believed: with none, both headers come from the client itself,
# who could then pick any address to dodge the rate limits, or claim HTTPS.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.sites",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "accounts",
    "interviews",
    "studyplans",
    "notifications",
]

MIDDLEWARE = [
    "config.logs.RequestIdMiddleware",  # first: every log line and error page has the id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # One way to write a date or a time, on every page and in every email.
            "builtins": ["config.timefmt_filters"],
        },
    },
]
# Every form on the site renders through templates/forms/, so labels, help and errors
# (with aria-invalid) look and behave the same on our pages and allauth's.
FORM_RENDERER = "accounts.forms.SiteFormRenderer"

# --- Database -------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Measured here: opening a connection per request cuts write throughput five-fold.
    # psycopg 3's pool keeps a few warm connections per process instead.
    DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN", default=2),
        "max_size": env.int("DB_POOL_MAX", default=10),
        # A sync worker holds one connection at a time, so waiting for one means the
        # database is not answering: give up fast and answer 503 (config/views.py) rather
        # than hold the worker, and keep /healthz inside Docker's 4-second probe.
        "timeout": env.float("DB_POOL_TIMEOUT", default=1.5),
    }
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=2)
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool, not Django, keeps connections
    # Our queries are short OLTP ones; PostgreSQL's JIT compiles any plan past a cost
    # threshold, and measured here on the 10,000-interviewer match query that compile
    # step alone added tens of milliseconds to the slowest searches.
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE makes every write transaction
    # take the write lock up front, so concurrent writers queue instead of failing with
    # "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The cache only holds rate-limit counts, so an unreachable Redis is answered as a miss
    # (config/cache.py) and must fail fast: without these timeouts a Redis that stopped
    # answering would hold each request for the operating system's TCP timeout.
    CACHES["default"]["BACKEND"] = "config.cache.FailOpenRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
            "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
        }
    )

# --- Auth and accounts ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"  # staff go on to vetting, people to their role's

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# A taken email is a field error on the sign-up form (as Pramp and cal.com do), not a silent
# "check your inbox": people mistype and retry. The sign-up and reset rate limits below
# bound how fast anyone can probe for addresses that way.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {"login": "accounts.login_form.LoginForm"}  # "Remember me", not "Remember Me"
# Verification and password-reset mail is queued in the outbox, never sent in the request.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mockloop] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# allauth's own defaults (login 30/m per IP, 5 failed attempts per account per 5 minutes,
# sign-up 20/m per IP) stay on; they count in CACHES, so production points CACHE_URL at
# Redis to share the counts between processes.
# The API's token endpoint counts failed logins through the same adapter, so the form and
# the API share the 5 per account.
ACCOUNT_RATE_LIMITS = {"signup": "10/m/ip", "login_failed": "10/m/ip,5/300s/key"}
# allauth's per-IP limits read the client's address as DRF's throttles do (NUM_PROXIES).
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# An API token stops working this long after it was issued; signing in again gives a new one.
API_TOKEN_LIFETIME = timedelta(days=env.int("API_TOKEN_LIFETIME_DAYS", default=30))

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Mail -------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mockloop <noreply@mockloop.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Development writes emails as files; production sends through SMTP (EMAIL_URL, or a local
# relay when it is unset), because Django's deploy check rightly refuses file backends.
EMAIL_URL = env.str("EMAIL_URL", default="" if DEBUG else "smtp://localhost:25")
if EMAIL_URL:
    _smtp = environ.Env.email_url_config(EMAIL_URL)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp["EMAIL_HOST"],
                "port": _smtp["EMAIL_PORT"],
                "username": _smtp["EMAIL_HOST_USER"],
                "password": _smtp["EMAIL_HOST_PASSWORD"],
                "use_tls": _smtp.get("EMAIL_USE_TLS", False),
                "use_ssl": _smtp.get("EMAIL_USE_SSL", False),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(env.path("MAIL_DIR", default=VAR_DIR / "mail"))},
        }
    }

# --- Time -------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Interviewers -----------------------------------------------------------------------
# Hosts an interviewer's personal meeting URL may point to (https only): candidates follow
# that link, so it must not lead to just any page. A leading dot stands for the domain and
# its subdomains, as in ALLOWED_HOSTS. Comma-separated in the environment.
MEETING_HOSTS = env.list(
    "MEETING_HOSTS",
    default=[
        ".zoom.us",
        "meet.google.com",
        "teams.microsoft.com",
        "teams.live.com",
        "meet.jit.si",
        ".whereby.com",
    ],
)

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security ---------------------------------------------------------------------------
# A strict policy: only our own origin, scripts only with the per-request nonce, no
# plugins, no framing, forms only back to us.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The container's healthcheck calls http://127.0.0.1:8000/healthz past any proxy; a
    # redirect to https would fail it on a server that is fine.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if TRUSTED_PROXY_COUNT:
        # The TLS-terminating proxy sets it (and must overwrite a client's own).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# --- Deploy check -------------------------------------------------------------------------
# `check --deploy` runs clean under the environment docker-compose.yml sets. That stack
# serves plain HTTP and says so with SECURE_SSL_REDIRECT=False, as does a deployment whose
# TLS proxy redirects to HTTPS itself: Django's W008 would only repeat the operator's word.
if not DEBUG and not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS = ["security.W008"]

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous request then gets 401 with `WWW-Authenticate: Token`
    # (DRF answers 403 when the first class has no authenticate header, as Session has not).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        # Password guessing through the token endpoint is limited like the login form.
        "auth": env.str("API_THROTTLE_AUTH", default="10/min"),
    },
    # Throttles key on the client's address: take it from X-Forwarded-For only as far as
    # our own proxies wrote it (None would trust the whole header, client-written parts too).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mockloop API",
    "DESCRIPTION": (
        "Mock system design interviews: matching, booking, feedback, study plans.\n\n"
        "Authenticate with `Authorization: Token <key>`, the key from `POST /api/v1/auth/token/`."
        f" A token expires {API_TOKEN_LIFETIME.days} days after it was issued (then 401 with"
        " the code `token_expired`: ask for a new one); a password change or"
        " `DELETE /api/v1/auth/token/` revokes it at once."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two different choice sets are called `level` (the interviewer's and the level a
    # candidate showed in feedback); name the second so the schema has no collision.
    "ENUM_NAME_OVERRIDES": {
        "FeedbackLevelEnum": "interviews.models.LevelShown.values",
        "PlanItemStatusEnum": "studyplans.models.ItemStatus.values",
    },
    # The enum hook is spectacular's default; ours documents the error shape (SPEC §10).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.document_errors",
    ],
}

# --- Celery -----------------------------------------------------------------------------
# The host is a placeholder the transport ignores; without one kombu warns on each send.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
    # kombu's filesystem transport: queues are folders, so `make run` needs no server.
    _queue_dir = env.path("CELERY_FILESYSTEM_DIR", default=VAR_DIR / "celery")
    Path(_queue_dir).mkdir(parents=True, exist_ok=True)  # the transport does not create it
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(Path(_queue_dir) / "control"),
        "store_processed": False,
        # How often an idle worker looks for new files. kombu's default (1 s) is paid again
        # on Ctrl-C: a worker notices it should stop only between two looks.
        "polling_interval": 0.25,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 60 * 60,
        # A Redis that accepts connections and then never answers (overloaded, half-dead)
        # would otherwise hold the sender forever, a web request included.
        "socket_connect_timeout": 2,
        "socket_timeout": 3,
    }
CELERY_RESULT_BACKEND = None  # tasks report through the database, never through results
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only after it finished, so a worker that dies mid-task leaves it
# to be redelivered: every task must therefore be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker's timer thread sleeps up to this long between looks, and a warm shutdown waits
# for it to wake: at Celery's 1 s (2 s for kombu's timer) a stop took longer than the
# 5 seconds honcho allows `make run`'s processes before it kills them.
CELERY_WORKER_TIMER_PRECISION = 0.1
# Tasks are sent from web requests once their transaction commits, and every one of them
# only hurries what the outbox rows and the minute beat deliver anyway: with the broker
# unreachable, give up after about 2 seconds (one retry) rather than hold the request.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# A running task keeps going when the worker loses the broker (the dispatcher works from
# database locks, not from the message); said explicitly, which also quiets Celery's
# warning at every reconnect.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # 03:17 UTC daily, a quiet hour: drop expired login sessions so the table stays small.
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    # Every 5 minutes: remake the plans of candidates whose feedback became visible without
    # a review (the 72-hour reveal), and of any whose task sent on commit was lost.
    "apply-revealed-feedback": {
        "task": "studyplans.tasks.apply_revealed_feedback",
        "schedule": crontab(minute="*/5"),
    },
    # Every minute: send the notifications that are due (the outbox is the schedule; tasks
    # sent on commit only make the urgent ones faster).
    "dispatch-due-notifications": {
        "task": "notifications.tasks.dispatch_due_notifications",
        "schedule": crontab(),
    },
    # Hourly at :41: add or drop "book your next practice interview" for candidates whose
    # count of practice interviews in the last 30 days just changed with the clock.
    "refresh-practice-plans": {
        "task": "studyplans.tasks.refresh_practice_plans",
        "schedule": crontab(minute=41),
    },
    # Every 15 minutes: write the weekly plan digest for candidates where it is now Monday
    # 08:00 (to noon); a zone with a :30 or :45 offset is met at its own 08:00.
    "queue-weekly-digests": {
        "task": "studyplans.tasks.queue_weekly_digests",
        "schedule": crontab(minute="*/15"),
    },
}

# --- Logging ----------------------------------------------------------------------------
# Every line carries the request id (config/logs.py). Production writes one JSON object a
# line for the log collector; `make run` and DEBUG keep plain text for people.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django configures its own "django" logger (a console handler under DEBUG) before this
    # dict is applied, and that logger also passes each record up to the root: every
    # "Not Found" or "Internal Server Error" was printed twice, once without the request id.
    # Naming it here with no handlers leaves the root's handler as the only one.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}
