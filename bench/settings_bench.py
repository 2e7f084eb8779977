"""Settings for benchmarks only: the product's settings plus a bench-only URL module.

The product itself has no benchmark endpoint; `bench/urls_bench.py` adds the framework
floor and the durable-write floor views (bench/floors.py) beside the real routes.
"""

from __future__ import annotations

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_bench"
