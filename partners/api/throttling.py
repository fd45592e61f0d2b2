"""Per-key rate limits: a fixed one-minute window counted in the shared cache (Redis in
production, so every worker process counts the same requests)."""

from __future__ import annotations

import time
import weakref

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import BaseThrottle

from .authentication import api_key_of

WINDOW = 60

# Django's Redis cache builds a new client object (with its table of response callbacks) for each
# call; the rate limit runs on every request, so each cache keeps one (the pool is shared anyway).
_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _redis_client(cache: RedisCache):
    backend = cache._cache
    client = _clients.get(backend)
    if client is None:
        client = _clients[backend] = backend.get_client(write=True)
    return client


def _limit_and_ident(request) -> tuple[int, str]:
    api_key = api_key_of(request)
    if api_key is not None:
        limit = api_key.rate_per_minute or settings.API_KEY_RATE_PER_MINUTE
        return limit, f"key:{api_key.pk}"
    if request.user and request.user.is_authenticated:
        return settings.API_USER_RATE_PER_MINUTE, f"user:{request.user.pk}"
    return settings.API_ANON_RATE_PER_MINUTE, f"ip:{request.META.get('REMOTE_ADDR', '')}"


def _count(key: str) -> int:
    """Adds one to the window's counter and returns it; concurrent workers never lose a count."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # One round trip (INCR + EXPIRE, no MULTI/EXEC around them: each is atomic, and an
        # EXPIRE from another request only sets the same expiry) instead of Django's
        # exists/incr/add dance: this runs on every request.
        redis_key = cache.make_key(key)
        pipe = _redis_client(cache).pipeline(transaction=False)
        pipe.incr(redis_key)
        pipe.expire(redis_key, WINDOW + 5)  # the key names its window: refreshing is harmless
        count, _expiry = pipe.execute()
        return int(count)
    cache.add(key, 0, timeout=WINDOW + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW + 5)
        return 1


class PerKeyRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        limit, ident = _limit_and_ident(request)
        now = time.time()
        start = int(now // WINDOW) * WINDOW
        count = _count(f"api-rate:{ident}:{start}")
        self._wait = max(1, int(start + WINDOW - now + 0.999))
        request.rate_limit = (limit, max(0, limit - count), start + WINDOW)
        return count <= limit

    def wait(self) -> float:
        return self._wait
