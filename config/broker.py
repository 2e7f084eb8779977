"""The broker `make run` uses when no Redis is configured: kombu's filesystem transport,
with a worker that notices Ctrl-C quickly."""

from __future__ import annotations

from typing import Any

from kombu.transport import filesystem

# Celery's worker loop for a polling transport asks for messages with a 2-second timeout and
# checks for a shutdown only between two asks, and once more after the flag is set: a stop
# took up to 4 seconds before the shutdown even began, past the 5 seconds honcho gives
# `make run`'s processes before it kills them. Shorter asks cost nothing: an empty one is a
# folder listing every polling_interval either way.
LONGEST_WAIT_SECONDS = 0.5


class Transport(filesystem.Transport):
    def drain_events(self, connection: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        if timeout is not None:
            timeout = min(timeout, LONGEST_WAIT_SECONDS)
        return super().drain_events(connection, timeout=timeout, **kwargs)
