"""A request id in every log line, and the log format production reads: one JSON object a
line, which a log collector parses without guessing where a traceback ends.

The id comes in as X-Request-ID when a proxy in front already gave the request one, so one
id follows the request through every layer; it goes back out in the same header and on the
error pages, where a user can quote it. Celery tasks log under their task id.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# What proxies send (uuids, hex, dotted or dashed ids), and nothing that could forge a log
# line or a header: no spaces, quotes or control characters.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{1,64}")
NO_REQUEST = "-"

_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    return _current.get()


def use_request_id(request_id: str) -> None:
    """For Celery's signals: a task logs under its own id until the next one starts."""
    _current.set(request_id)


class RequestIdMiddleware:
    """First in MIDDLEWARE, so everything below it, the error pages included, sees the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if WELL_FORMED.fullmatch(incoming) else str(uuid.uuid4())
        # Kept until the response is closed, not only while the middleware runs: Django
        # logs a 4xx answer ("Not Found: ...") after the last middleware has returned.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs: Any) -> None:
    _current.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """On the handler, so records of every logger (Django's, Celery's, ours) get the id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines, so a traceback stays inside its one line.
        return json.dumps(entry, default=str)
