"""The cache backend: Redis, degrading to a per-process memory while Redis is unreachable.

The cache holds rate limits (log-in, sign-up, API), the rescoring debounce keys and the
dashboard's pages: all worth losing for a while, none worth a 500. So when Redis refuses a
connection or does not answer within the (short) socket timeout, the outage is remembered for a
few seconds (``accounts.outage``) and every call is answered by a local-memory cache of this
process instead. Rate limits then count per process (looser, never absent); the debounce and the
dashboard just cache less well. When the window passes the next call tries Redis again.

Configured in ``config/settings.py`` as the ``default`` cache when ``REDIS_URL`` is set.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from kombu.utils.url import maybe_sanitize_url

from .outage import outage_for

T = TypeVar("T")

# Refused, reset, timed out, still loading its data set: Redis is not there (the cache's own
# errors, a wrong value type say, still raise).
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
FALLBACK_MAX_ENTRIES = 10_000


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        location = ",".join(self._servers)
        # Django builds one backend object per thread; the outage and the memory are per
        # process (LocMemCache shares its storage by name).
        self._outage = outage_for(f"Redis cache at {maybe_sanitize_url(location)}")
        self._fallback = LocMemCache(
            f"rantai-fallback:{location}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES},
            },
        )

    def _run(self, on_redis: Callable[[], T], on_fallback: Callable[[], T]) -> T:
        if not self._outage.down():
            try:
                result = on_redis()
            except UNREACHABLE as exc:
                self._outage.failed(exc)
            else:
                self._outage.recovered()
                return result
        return on_fallback()

    def _both(self, name: str, *args, **kwargs):
        redis_method = getattr(super(), name)
        fallback_method = getattr(self._fallback, name)
        return self._run(
            lambda: redis_method(*args, **kwargs), lambda: fallback_method(*args, **kwargs)
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._both("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._both("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._both("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._both("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self._both("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._both("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._both("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._both("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._both("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._both("delete_many", keys, version=version)

    def clear(self):
        return self._both("clear")

    @cached_property
    def _counter_client(self):
        # Django's Redis cache builds a client object (with its table of response callbacks)
        # for every call; counters run on every API request, so this backend keeps one.
        return self._cache.get_client(write=True)

    def incr_expiring(self, key: str, timeout: int, version=None) -> int:
        """Adds one to a counter that expires ``timeout`` seconds from now and returns it."""

        def on_redis() -> int:
            # One round trip (INCR + EXPIRE, no MULTI/EXEC around them: each is atomic, and an
            # EXPIRE from another request only sets the same expiry) instead of Django's
            # exists/incr/add dance; concurrent processes never lose a count.
            redis_key = self.make_and_validate_key(key, version=version)
            pipe = self._counter_client.pipeline(transaction=False)
            pipe.incr(redis_key)
            pipe.expire(redis_key, timeout)
            count, _expiry = pipe.execute()
            return int(count)

        return self._run(on_redis, lambda: _incr_expiring(self._fallback, key, timeout, version))


def _incr_expiring(cache: BaseCache, key: str, timeout: int, version=None) -> int:
    cache.add(key, 0, timeout=timeout, version=version)
    try:
        return cache.incr(key, version=version)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout, version=version)
        return 1


def incr_expiring(cache: BaseCache, key: str, timeout: int) -> int:
    """A counter for rate limits in any cache backend (one round trip on Redis)."""
    if isinstance(cache, FallbackRedisCache):
        return cache.incr_expiring(key, timeout)
    return _incr_expiring(cache, key, timeout)
