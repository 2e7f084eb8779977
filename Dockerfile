# syntax=docker/dockerfile:1

# ---------------------------------------------------------------------------
# Builder: resolve the locked dependencies into /app/.venv with uv.
# ---------------------------------------------------------------------------
FROM python:3.13-slim AS builder

# uv 0.13 matches the uv that wrote uv.lock (lock revision 5); an older uv may
# refuse a newer lock revision under --frozen.
COPY --from=ghcr.io/astral-sh/uv:0.13 /uv /usr/local/bin/uv

# Compile bytecode now (the runtime user cannot write __pycache__), copy out of
# the cache mount instead of hard-linking, and use the image's Python 3.13
# rather than downloading one (the runtime stage has the same interpreter at
# the same path, so the venv's symlinks stay valid).
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project

# Then the source. The project is not a package (tool.uv.package = false), so
# this second sync only re-checks the venv against the lock.
COPY . .
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev


# ---------------------------------------------------------------------------
# Runtime: the venv and the source, no uv, no build tools, not root.
# ---------------------------------------------------------------------------
FROM python:3.13-slim AS runtime

ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings

RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Code and venv stay owned by root (read-only to the app user).
COPY --from=builder /app /app

# Static files are baked into the image. The settings are loaded, so give them
# throwaway values that exist for this one command only (not ENV: nothing of
# this leaks into the running container). collectstatic does not touch the DB.
# var/ is excluded by .dockerignore; give the app user a writable one.
RUN SECRET_KEY=build-only \
    SITE_URL=http://build.invalid \
    DEBUG=False \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/var \
    && chown app:app /app/var

USER app

EXPOSE 8000

# python:3.13-slim has no curl; urlopen raises (exit 1) on refusal, timeout or
# any 4xx/5xx (/healthz answers 503 when the database is down; a dead cache or broker
# is a 200 "degraded": every instance shares them, so restarting one would not help).
# /healthz is exempt from SECURE_SSL_REDIRECT (config/settings.py), so this
# plain-HTTP probe is answered, not bounced to https://127.0.0.1.
# The Host is 127.0.0.1:8000, so ALLOWED_HOSTS must keep 127.0.0.1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Workers and their kind come from gunicorn.conf.py (read from /app).
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
