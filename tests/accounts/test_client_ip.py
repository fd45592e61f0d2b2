"""One client address for every rate limit, honouring TRUSTED_PROXY_COUNT."""

from __future__ import annotations

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from accounts.network import client_ip, client_rate_key


def _request(remote="192.0.2.10", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "192.0.2.10"),
        (0, "203.0.113.7", "192.0.2.10"),  # no proxy: the header is the client's own claim
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "10.9.9.9, 203.0.113.7", "203.0.113.7"),  # a forged first hop is ignored
        (2, "10.9.9.9, 203.0.113.7, 192.0.2.99", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # fewer hops than proxies: the farthest one
        (1, "", "192.0.2.10"),
        (1, "not-an-address", "192.0.2.10"),
        (1, "203.0.113.7:51234", "203.0.113.7"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_allauth_rate_limits_use_the_same_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(forwarded="10.9.9.9, 203.0.113.7")
    assert get_adapter().get_client_ip(request) == client_ip(request) == "203.0.113.7"


def test_a_malformed_header_never_fails_allauth(settings):
    # allauth's own reading raised ImproperlyConfigured (a 500) on fewer hops than proxies.
    settings.TRUSTED_PROXY_COUNT = 3
    assert get_adapter().get_client_ip(_request(forwarded="203.0.113.7")) == "203.0.113.7"


def test_ipv6_clients_are_counted_per_64_network(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_rate_key(_request(remote="2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::"
    assert client_rate_key(_request(remote="192.0.2.10")) == "192.0.2.10"
