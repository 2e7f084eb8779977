from __future__ import annotations

import logging
import sys
import uuid

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import page_not_found

from config.api import error_body
from config.celery import app as celery_app
from config.logs import current_request_id

logger = logging.getLogger(__name__)

# How long a client is asked to wait before retrying while the database is unreachable.
RETRY_AFTER_SECONDS = 30


def _database_ok() -> bool:
    # Bounded by the pool's timeout (DB_POOL_TIMEOUT), so a dead database answers in time.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz: the database did not answer")
        return False


def _cache_ok() -> bool:
    # A round trip rather than a ping: the production backend fails open (a miss instead
    # of an error), so only reading back what was written shows the cache is there.
    token = uuid.uuid4().hex
    try:
        cache.set("healthz", token, timeout=10)
        return cache.get("healthz") == token
    except Exception:
        logger.exception("healthz: the cache did not answer")
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            # One quick attempt: a load balancer's probe must not hang on a dead broker.
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:
        logger.exception("healthz: the broker did not answer")
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "cache": _cache_ok(), "broker": _broker_ok()}
    body = {name: "ok" if ok else "down" for name, ok in checks.items()}
    # Without the database this instance can serve nothing: take it out of rotation. The
    # cache and the broker are shared by every instance, and the site works without them
    # (rate limits fail open, the outbox keeps mail): restarting instances would not help.
    if not checks["database"]:
        body["status"] = "down"
        return JsonResponse(body, status=503)
    body["status"] = "ok" if all(checks.values()) else "degraded"
    return JsonResponse(body, status=200)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # API clients get the error shape of SPEC §10 even for a URL that matches nothing.
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return page_not_found(request, exception)


# The names of the catch-all routes at the end of config/urls.py.
API_NOT_FOUND_ROUTES = frozenset({"api_not_found", "api_root_not_found"})


# It writes nothing, and an API client sends no CSRF token: without the exemption a POST to
# a wrong address would get the CSRF failure page instead of the 404.
@csrf_exempt
def api_not_found(request: HttpRequest, unknown: str = "") -> HttpResponse:
    """Every /api/ URL that matches nothing, DEBUG or not: under DEBUG Django answers a
    404 with its HTML debug page and never calls handler404, and an API client must get
    the error shape of SPEC §10 whichever way the server runs."""
    with_slash = f"{request.path}/"
    if not request.path.endswith("/") and _is_api_view(with_slash):
        # This route matches everything under /api/, so Django's APPEND_SLASH no longer
        # sees these 404s: a GET keeps its redirect, and other methods, whose body a
        # redirect would drop, are told the address that works.
        if request.method in {"GET", "HEAD"}:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(with_slash + (f"?{query}" if query else ""))
        message = f"Not found. The address ends in a slash: {with_slash}"
        return JsonResponse(error_body("not_found", message), status=404)
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def _is_api_view(path: str) -> bool:
    try:
        return resolve(path).url_name not in API_NOT_FOUND_ROUTES
    except Resolver404:
        return False


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Django refuses some requests before any view runs (a body over the upload limit, a
    # suspicious header): the API still answers in its own error shape.
    too_large = isinstance(exception, RequestDataTooBig)
    status = 413 if too_large else 400
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20
    if request.path.startswith("/api/"):
        if too_large:
            body = error_body("too_large", f"Send a body of at most {megabytes:g} MB.")
        else:
            body = error_body("bad_request", "The request could not be read.")
        return JsonResponse(body, status=status)
    # Without the request, as Django's own handler: the request is what could not be read.
    context = {"too_large": too_large, "megabytes": f"{megabytes:g}"}
    return HttpResponse(loader.render_to_string("400.html", context), status=status)


def _database_unreachable(error: BaseException | None) -> bool:
    # Django wraps the driver's error and keeps it as the cause. A psycopg OperationalError
    # without a SQLSTATE comes from the client side: no connection could be made or kept
    # (refused, timed out, the pool waited in vain). Errors PostgreSQL itself reports (a
    # deadlock, a cancelled statement) carry a SQLSTATE and stay 500s.
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    return isinstance(cause, psycopg.OperationalError) and cause.sqlstate is None


def _unavailable(request: HttpRequest) -> HttpResponse:
    reference = current_request_id()
    response: HttpResponse
    if request.path.startswith("/api/"):
        message = f"The service is down for a moment; try again shortly (reference {reference})."
        response = JsonResponse(error_body("unavailable", message), status=503)
    else:
        # Rendered without the request: its context processors would ask the database for
        # the signed-in user.
        page = loader.render_to_string("503.html", {"request_id": reference})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_failure(request: HttpRequest) -> HttpResponse:
    # Django calls this handler while it handles the exception, which sys.exception() is;
    # a database outage is raised wherever the first query runs (a middleware loading the
    # user, a view), so this is the one place that sees all of them.
    if _database_unreachable(sys.exception()):
        return _unavailable(request)
    # The reference is the request id of the log lines, so a quoted one finds the traceback.
    reference = current_request_id()
    if request.path.startswith("/api/"):
        message = f"Something went wrong on our side; it was logged (reference {reference})."
        return JsonResponse(error_body("server_error", message), status=500)
    # Without the request, as Django's own handler: the failure may be in what it loads.
    page = loader.render_to_string("500.html", {"request_id": reference})
    return HttpResponse(page, status=500)
