"""Per-key rate limits: a fixed one-minute window counted in the shared cache (Redis in
production, so every worker process counts the same requests). Keys, logged-in users and
anonymous client addresses each have their own limit."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import BaseThrottle

from accounts.cache import incr_expiring
from accounts.network import client_rate_key

from .authentication import api_key_of

WINDOW = 60


def _limit_and_ident(request) -> tuple[int, str]:
    api_key = api_key_of(request)
    if api_key is not None:
        limit = api_key.rate_per_minute or settings.API_KEY_RATE_PER_MINUTE
        return limit, f"key:{api_key.pk}"
    if request.user and request.user.is_authenticated:
        return settings.API_USER_RATE_PER_MINUTE, f"user:{request.user.pk}"
    # Anonymous callers and callers whose key was refused: one limit per client address.
    return settings.API_ANON_RATE_PER_MINUTE, f"ip:{client_rate_key(request)}"


def _count(key: str) -> int:
    """Adds one to the window's counter and returns it; concurrent workers never lose a count
    (while Redis is unreachable, each process counts on its own: see ``accounts.cache``)."""
    # The key names its window, so refreshing its expiry on every request is harmless.
    return incr_expiring(caches["default"], key, WINDOW + 5)


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
