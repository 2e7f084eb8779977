"""The product's routes plus the two floors of bench/floors.py.

`/bench/noop/` (the framework floor: no database) and `/bench/floor/` (the durable-write
floor: one row inserted in one transaction) answer on the same gunicorn, middleware and
database pool as the product, so a booking is compared against them.
"""

from __future__ import annotations

from bench.floors import urlpatterns as floor_urlpatterns
from config.urls import handler404, handler500
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [*floor_urlpatterns, *product_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
