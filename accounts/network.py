"""Who is calling: the one client-address function that every rate limit keys on (log-in,
sign-up and password-reset limits through the allauth adapter, the API's anonymous limit).

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies that each append the address they received the
request from to ``X-Forwarded-For``, the client is the entry that many places from the right:
anything further left was written by the client itself and may be forged. Without proxies the
client is ``REMOTE_ADDR``, and ``X-Forwarded-For`` is ignored (anyone can send it).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# An IPv6 customer usually gets a whole /64: counting single addresses would let them rotate.
IPV6_PREFIX = 64


def _clean(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:443"
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address as the trusted proxies saw it (``REMOTE_ADDR`` without proxies).

    Never fails: a missing or malformed header falls back to the nearest address known.
    """
    remote = _clean(request.META.get("REMOTE_ADDR", "")) or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    # Fewer hops than proxies: the request skipped a proxy (or one is misconfigured); the
    # leftmost hop is then the farthest address a proxy recorded.
    return _clean(hops[-min(proxies, len(hops))]) or remote


def client_rate_key(request: HttpRequest) -> str:
    """``client_ip`` as a rate-limit key: an IPv6 address stands for its /64 network."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return address
