"""Our side of bench/peer.py: the benchmark settings plus the query-count header."""

from __future__ import annotations

from bench.settings_bench import *  # noqa: F403
from bench.settings_bench import MIDDLEWARE

# First, so it counts every query, the session and authentication ones included.
MIDDLEWARE = ["bench.peer_site.querycount.QueryCountMiddleware", *MIDDLEWARE]
