"""The cache backend production uses: Django's Redis cache, failing open.

Everything we keep in the cache is a counter for a rate limit (allauth's login and sign-up
limits, DRF's throttles); sessions live in the database. Losing those counts for the length
of a Redis outage is a small risk, while raising would answer 500 to every login and every
API call. So a connection error is logged at WARNING and answered as a miss: nothing
stored, nothing found, the lock free. One subclass here, rather than a try/except around
each caller, also covers the callers inside allauth and DRF that we do not own.

The short socket timeouts that keep a dead Redis from stalling each request are in
settings (CACHES OPTIONS), next to the URL.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Refused, reset, unresolvable or silent: Redis is not there. Other Redis errors (a wrong
# command) would be our bug, and still raise.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _warn(operation: str, error: Exception) -> None:
    logger.warning("cache %s failed, answering as a miss: %s", operation, error)


class FailOpenRedisCache(RedisCache):
    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except UNREACHABLE as error:
            _warn("add", error)
            # "Added": allauth takes its lock with add() and would otherwise wait for it.
            return True

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _warn("get", error)
            return default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _warn("set", error)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return bool(super().touch(key, timeout, version))
        except UNREACHABLE as error:
            _warn("touch", error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except UNREACHABLE as error:
            _warn("delete", error)
            return False

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return dict(super().get_many(keys, version))
        except UNREACHABLE as error:
            _warn("get_many", error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().has_key(key, version))
        except UNREACHABLE as error:
            _warn("has_key", error)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return int(super().incr(key, delta, version))
        except UNREACHABLE as error:
            _warn("incr", error)
            # What incr() raises for a key that is not there, which callers handle.
            raise ValueError(f"Key {key!r} not found (the cache is unreachable).") from error

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        try:
            return list(super().set_many(data, timeout, version))
        except UNREACHABLE as error:
            _warn("set_many", error)
            return []

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as error:
            _warn("delete_many", error)

    def clear(self) -> None:
        try:
            super().clear()
        except UNREACHABLE as error:
            _warn("clear", error)
