"""The product's routes plus `/bench/floor/`: one row inserted in one transaction.

That view is the durable-write floor: the fastest this server (same gunicorn, same
middleware, same database pool) can answer a request that commits one write. A booking
is compared against it.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import handler404, handler500
from config.urls import urlpatterns as product_urlpatterns

FLOOR_TABLE = "bench_floor"


@csrf_exempt
@require_POST
def floor(request: HttpRequest) -> JsonResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FLOOR_TABLE} (payload) VALUES (%s)", ["x"])  # noqa: S608
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/floor/", floor), *product_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
