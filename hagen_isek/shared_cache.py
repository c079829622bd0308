"""The shared cache (Redis) failing: pages still answer, writes still land, nothing is lost.

Redis refusing connections, hung or restarted must not turn every page into an error (it did:
500 on every public page). Each worker keeps one breaker: the first failed call opens it for
BREAK_SECONDS, in which no call waits for Redis again; then the next call tries once more.

- The "default" cache (rate limits, the map drawing) is RedisCacheWithLocalFallback: while Redis
  fails it answers from the worker's memory, so limits still hold per worker and nothing raises.
- The page cache (hagen_isek/page_cache.py) calls Redis through `call()`: while it fails, pages
  are rendered for each request and not stored, and a version it could not replace is replaced
  at the worker's next request that reaches Redis; until then the worker serves nothing stored.

The database cache (no REDIS_URL) fails with the database: DatabaseError, the outage's 503.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

T = TypeVar("T")
logger = logging.getLogger("hagen_isek.shared_cache")
BREAK_SECONDS = 5.0


class SharedCacheUnavailable(Exception):
    """Redis failed just now, or within the last BREAK_SECONDS."""


class _Breaker:
    def __init__(self) -> None:
        self.open_until = 0.0
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, error: Exception) -> None:
        with self.lock:
            was_closed = not self.is_open()
            self.open_until = time.monotonic() + BREAK_SECONDS
        if was_closed:
            logger.error(
                "Shared cache (Redis) unavailable, pages rendered uncached and limits kept in "
                "this worker for %.0f s: %s",
                BREAK_SECONDS,
                error,
            )

    def reset(self) -> None:
        self.open_until = 0.0


breaker = _Breaker()


def call(operation: Callable[[], T]) -> T:
    """`operation()` (one call to a Redis-backed cache), or SharedCacheUnavailable."""
    if breaker.is_open():
        raise SharedCacheUnavailable("the shared cache failed within the last seconds")
    try:
        return operation()
    except RedisError as error:
        breaker.trip(error)
        raise SharedCacheUnavailable(str(error)) from error


def _falls_back(name: str):
    def method(self, *args, **kwargs):
        try:
            return call(lambda: getattr(RedisCache, name)(self, *args, **kwargs))
        except SharedCacheUnavailable:
            return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class RedisCacheWithLocalFallback(RedisCache):
    """Django's RedisCache that answers from the worker's memory while Redis fails (a counter
    then counts in this worker only; what was kept in Redis is there again once it answers)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.fallback = LocMemCache(
            f"shared-cache-fallback-{id(self)}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "OPTIONS": {"MAX_ENTRIES": 10_000},
            },
        )

    add = _falls_back("add")
    get = _falls_back("get")
    set = _falls_back("set")
    touch = _falls_back("touch")
    delete = _falls_back("delete")
    get_many = _falls_back("get_many")
    has_key = _falls_back("has_key")
    incr = _falls_back("incr")
    set_many = _falls_back("set_many")
    delete_many = _falls_back("delete_many")
    clear = _falls_back("clear")
