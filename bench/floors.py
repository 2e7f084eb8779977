"""The two floor views, for benchmarks only, served on ours and on django-appointment's host.

Django alone, so both virtual environments import it (bench/urls_bench.py for ours,
bench/peer_site/urls.py for theirs). A booking is compared against them:
- `noop`, the framework floor: the site's whole middleware stack and a trivial view, no
  database; the least any request costs on that server.
- `floor`, the durable-write floor: one row inserted in one transaction, the least any
  request that commits a write costs. The table is made by bench/booking.py's
  `create_floor_table`.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

FLOOR_TABLE = "bench_floor"


@csrf_exempt
@require_POST
def noop(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
def floor(request: HttpRequest) -> JsonResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FLOOR_TABLE} (payload) VALUES (%s)", ["x"])  # noqa: S608
    return JsonResponse({"ok": True}, status=201)


urlpatterns: list[URLPattern] = [path("bench/noop/", noop), path("bench/floor/", floor)]
