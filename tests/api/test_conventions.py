"""Conventions: rate limits (429 + Retry-After), ETag / 304, cursor pages, filters, the error
format in the client's language, a fixed number of queries per page, and the docs."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from partners.api.authentication import forget_keys
from partners.models import PartnerConsent
from partners.services import consent_grant, consent_revoke
from suppliers.models import Supplier
from tests.factories import SupplierCertificationFactory, SupplierFactory

from .conftest import key_client, key_for, session_client

pytestmark = pytest.mark.django_db


def test_a_key_over_its_rate_gets_429_with_retry_after(world):
    client = key_client(key_for(world.bank, "suppliers:read", rate_per_minute=3))
    statuses = [client.get("/api/v1/reference/provinces/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/suppliers/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"
    # Limits are per key: another key of the same partner is not affected.
    other = key_client(key_for(world.bank, "suppliers:read", rate_per_minute=3))
    assert other.get("/api/v1/suppliers/").status_code == 200


def test_rate_limit_headers_count_down(world):
    client = key_client(key_for(world.bank, "suppliers:read", rate_per_minute=10))
    first = client.get("/api/v1/reference/provinces/")
    second = client.get("/api/v1/reference/provinces/")
    assert first["X-RateLimit-Limit"] == "10"
    assert int(first["X-RateLimit-Remaining"]) - 1 == int(second["X-RateLimit-Remaining"])


def test_detail_etag_gives_304_until_the_resource_changes(world):
    client = key_client(key_for(world.bank, "suppliers:read"))
    url = f"/api/v1/suppliers/{world.consenting.pk}/"
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, headers={"if-none-match": f"W/{etag}"}).status_code == 304
    # A many-to-many change shows in the body, so in the tag.
    world.consenting.processes.add("STAMP")
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    # So does a revoked consent (the contact fields disappear).
    etag = changed["ETag"]
    consent_revoke(
        supplier=world.consenting,
        partner=world.bank,
        scope=PartnerConsent.Scope.CONTACT,
        by=world.umkm,
    )
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/requirements/{requirement}/",
        "/api/v1/matches/{match}/",
        "/api/v1/partnerships/{partnership}/",
        "/api/v1/reference/components/BAT.MOD.HOLDER/",
    ],
)
def test_every_detail_resource_has_an_etag(world, url):
    client = key_client(key_for(world.bank))
    url = url.format(
        requirement=world.requirement.pk, match=world.match.pk, partnership=world.partnership.pk
    )
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_cursor_pages_walk_every_supplier_once(world):
    SupplierFactory.create_batch(5)
    client = key_client(key_for(world.bank, "suppliers:read"))
    seen, url, pages = [], "/api/v1/suppliers/?page_size=3", 0
    while url:
        data = client.get(url).json()
        assert len(data["results"]) <= 3
        seen += [row["id"] for row in data["results"]]
        url, pages = data["next"], pages + 1
    assert pages == 3
    assert seen == sorted(Supplier.objects.values_list("pk", flat=True))
    # Newest changes first, as a partner syncing would ask.
    data = client.get("/api/v1/suppliers/?ordering=-updated_at&page_size=2").json()
    newest = list(Supplier.objects.order_by("-updated_at").values_list("pk", flat=True)[:2])
    assert [row["id"] for row in data["results"]] == newest
    assert "count" not in data  # no COUNT(*) over the whole table


def test_a_bad_cursor_is_a_clear_400(world):
    client = key_client(key_for(world.bank, "suppliers:read"))
    response = client.get("/api/v1/suppliers/?cursor=bm9wZQ")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["cursor"]


def test_supplier_filters(world):
    other = SupplierFactory(regency_id="32.04", province_id="32", verification_status="verified")
    other.components.set(["MOT.HOUSING"])
    expired = SupplierFactory()
    SupplierCertificationFactory(supplier=expired, cert_type_id="ISO9001", valid_until="2020-01-01")
    client = key_client(key_for(world.bank, "suppliers:read"))

    def ids(query):
        response = client.get(f"/api/v1/suppliers/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("province=32") == {other.pk}
    assert ids("component=BAT") == {world.consenting.pk}  # a system includes its parts
    assert ids("component=BAT.MOD.HOLDER&process=INJ_MOULD") == {world.consenting.pk}
    # IATF 16949 implies ISO 9001; an expired certificate does not count.
    assert ids("certification=ISO9001") == {world.consenting.pk}
    assert ids("verified=true") == {world.consenting.pk, other.pk}
    assert world.private.pk in ids("verified=false")
    assert ids("size_class=menengah") == set()


def test_errors_have_one_format_in_the_clients_language(world):
    for language in ("en", "id"):
        response = session_client(None, language=language).get("/api/v1/suppliers/")
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == "not_authenticated"
        from rest_framework.exceptions import NotAuthenticated

        with translation.override(language):
            assert error["message"] == str(NotAuthenticated.default_detail)
    english = key_client(key_for(world.bank, "stats:read"), "en").get("/api/v1/suppliers/")
    indonesian = key_client(key_for(world.bank, "stats:read"), "id").get("/api/v1/suppliers/")
    assert english.json()["error"]["code"] == indonesian.json()["error"]["code"] == "missing_scope"
    missing = key_client(key_for(world.bank, "suppliers:read"), "id").get("/api/v1/suppliers/0/")
    from rest_framework.exceptions import NotFound

    with translation.override("id"):
        assert missing.json()["error"]["message"] == str(NotFound.default_detail)


def test_a_supplier_page_costs_two_queries(world):
    client = key_client(key_for(world.bank, "suppliers:read"))
    client.get("/api/v1/suppliers/")  # warm the key's last-used time, and remember the key

    def count(query=""):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/suppliers/?page_size=50{query}").status_code == 200
        return len(queries)

    small = count()
    for _ in range(30):
        supplier = SupplierFactory()
        supplier.processes.set(["STAMP", "CNC_MILL"])
        supplier.components.set(["BAT.MOD.HOLDER"])
        SupplierCertificationFactory(supplier=supplier)
        consent_grant(supplier=supplier, partner=world.bank, scope="contact", by=None)
    assert count() == small
    # the page's rows; their codes, certificates and the partner's consents in one UNION ALL;
    # one INSERT of the audit records of the consented UMKM the page shows (however many)
    assert small == 3
    assert count("&component=BAT&certification=ISO9001") == small
    assert count("&ordering=-updated_at") == small
    assert len(client.get(f"/api/v1/suppliers/{supplier.pk}/").json()["processes"]) == 2
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/api/v1/suppliers/{supplier.pk}/")
    assert len(queries) == 3
    forget_keys()  # once every KEY_CACHE_SECONDS: the key (with its partner) first
    assert count() == 4


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/requirements/", 7),  # key, page, 4 code lists, plus the manufacturer join
        ("/api/v1/matches/", 2),
        ("/api/v1/partnerships/", 3),
        ("/api/v1/introductions/", 3),
    ],
)
def test_other_lists_cost_a_fixed_number_of_queries(world, url, queries):
    client = key_client(key_for(world.bank))
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    from introductions.models import Partnership
    from tests.factories import RequirementFactory

    from .conftest import _introduction, _match

    for _ in range(5):
        requirement = RequirementFactory(status="open", processes=["STAMP", "WELD_ARC"])
        supplier = SupplierFactory()
        consent_grant(supplier=supplier, partner=world.bank, scope="partnerships", by=None)
        _match(requirement, supplier)
        intro = _introduction(requirement, supplier, "accepted", None)
        Partnership.objects.create(introduction=intro)
    assert count() == before <= queries


def test_the_schema_and_the_docs_are_served_locally(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    assert b"ApiKeyAuth" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs)
    assert assets and all(a.startswith("/static/") or a.startswith("/api/") for a in assets)
    assert "swagger-ui" in docs
