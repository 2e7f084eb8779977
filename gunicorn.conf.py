"""gunicorn's settings, read from the working directory by every gunicorn started here:
the Docker image, docker-compose's web service and bench/booking.py, so the benchmark
measures the server production runs.
"""

from __future__ import annotations

import os

import environ

# Sync workers, one request at a time each. Our requests are CPU-bound Python next to a
# fast database, and threads inside one process take turns on the GIL, paying for every
# switch. Measured with bench/booking.py on this 2-core machine (16 clients): 3 sync
# workers booked 153/s with p99 147 ms; 4 workers x 4 threads 121-130/s with p99 270-390 ms.
# More cores: raise WEB_CONCURRENCY (about 1.5 workers a core left after PostgreSQL).
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"

# gunicorn believes X-Forwarded-Proto from these peers (127.0.0.1 by default). With no proxy
# configured (TRUSTED_PROXY_COUNT, as in config/settings.py) it believes no one, so a local
# client cannot pass plain HTTP off as HTTPS; behind a proxy, Django's
# SECURE_PROXY_SSL_HEADER decides.
if int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) == 0:
    forwarded_allow_ips = ""

# gunicorn's own lines (its errors, the access log) in the format of the site's: JSON in
# production, the access line carrying the request id the site answered with.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)
_env = environ.Env()
if _env.str("LOG_FORMAT", default="text" if _env.bool("DEBUG", default=True) else "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
