"""Anonymous callers, and callers whose key is refused, count against the per-address limit and
get 429 like everyone else (DRF refused them with 401 before any throttle ran); the schema is
rate limited and generated once; every limit keys on the one client-address function."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from partners.api.views.schema import forget_schema

from .conftest import key_client, key_for, session_client

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_anonymous_limit(settings):
    settings.API_ANON_RATE_PER_MINUTE = LIMIT
    settings.TRUSTED_PROXY_COUNT = 0


def _statuses(client: Client, url: str, n: int, **headers) -> list[int]:
    return [client.get(url, headers=headers).status_code for _ in range(n)]


def test_anonymous_callers_get_429_after_the_anonymous_limit(world):
    client = session_client(None)
    assert _statuses(client, "/api/v1/suppliers/", LIMIT + 2) == [401] * LIMIT + [429, 429]
    response = client.get("/api/v1/reference/provinces/")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_invalid_keys_count_against_the_anonymous_limit(world):
    statuses = [
        key_client(f"rk_guess{attempt}").get("/api/v1/suppliers/").status_code
        for attempt in range(LIMIT + 1)
    ]
    assert statuses == [401] * LIMIT + [429]
    # The same address without a key is over the limit too: it is one anonymous caller.
    assert session_client(None).get("/api/v1/suppliers/").status_code == 429
    # A valid key has its own limit.
    valid = key_client(key_for(world.bank, "suppliers:read"))
    assert valid.get("/api/v1/suppliers/").status_code == 200


def test_the_throttle_message_is_one_translated_sentence(world):
    client = session_client(None, language="id")
    _statuses(client, "/api/v1/suppliers/", LIMIT)
    message = client.get("/api/v1/suppliers/").json()["error"]["message"]
    assert message.startswith("Terlalu banyak permintaan")
    assert "Expected" not in message


def test_addresses_behind_the_trusted_proxy_are_counted_apart(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = session_client(None)
    for _ in range(LIMIT):
        first.get("/api/v1/suppliers/", headers={"x-forwarded-for": "203.0.113.7"})
    over = first.get("/api/v1/suppliers/", headers={"x-forwarded-for": "203.0.113.7"})
    assert over.status_code == 429
    # Another client of the same proxy, and a forged leftmost entry, are other addresses... but
    # only the entry the proxy wrote counts: forging a different first hop does not escape.
    other = session_client(None).get(
        "/api/v1/suppliers/", headers={"x-forwarded-for": "198.51.100.9"}
    )
    assert other.status_code == 401
    forged = session_client(None).get(
        "/api/v1/suppliers/", headers={"x-forwarded-for": "10.0.0.1, 203.0.113.7"}
    )
    assert forged.status_code == 429


def test_the_schema_is_rate_limited_per_address(world):
    forget_schema()
    client = Client()
    statuses = _statuses(client, "/api/v1/schema/", LIMIT + 1)
    assert statuses == [200] * LIMIT + [429]
    response = client.get("/api/v1/schema/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "throttled"


def test_the_schema_is_generated_once_per_language(world, settings):
    settings.API_ANON_RATE_PER_MINUTE = 100
    forget_schema()
    client = Client()
    started = time.perf_counter()
    first = client.get("/api/v1/schema/", headers={"accept-language": "en"})
    cold = time.perf_counter() - started
    started = time.perf_counter()
    again = client.get("/api/v1/schema/", headers={"accept-language": "en"})
    warm = time.perf_counter() - started
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert warm < cold / 5
    indonesian = client.get("/api/v1/schema/", headers={"accept-language": "id"})
    assert indonesian.content != first.content  # descriptions in the other language
    as_json = client.get("/api/v1/schema/", headers={"accept": "application/json"})
    assert as_json.json()["info"]["title"] == "Rantai API"
    # ``?version=`` and unknown ``?lang=`` make no new documents.
    assert client.get("/api/v1/schema/?version=x&lang=xx").status_code == 200
