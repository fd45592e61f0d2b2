"""What a buyer firm's key reads: its quotations (current revision with tiers, revisions, sealed
prices hidden), its awards, filtered and paginated like the rest of the API, and audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditRecord
from introductions.models import Quotation
from partners.models import ApiKey
from partners.services import buyer_api_key_revoke

from .conftest import RevisionFactory, client_for, key_client, quotation_for

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_it_lists_only_the_quotations_on_the_firms_own_requirements(world):
    response = client_for(world, "buyer_key").get("/api/v1/quotations/")
    assert response.status_code == 200
    assert _ids(response) == {world.quotation.pk, world.pending.pk, world.sealed.pk}
    other = client_for(world, "other_buyer_key").get("/api/v1/quotations/")
    assert _ids(other) == {world.other_quotation.pk}


def test_a_quotation_shows_its_current_revision_with_tiers_and_every_revision(world):
    data = client_for(world, "buyer_key").get(f"/api/v1/quotations/{world.quotation.pk}/").json()
    assert data["requirement"] == world.requirement.pk
    assert data["supplier_name"] == "CV Presisi Jaya"
    assert data["status"] == "awarded"
    assert data["sealed"] is False
    current = data["current"]
    assert current["number"] == 2
    assert current["unit_price_idr"] == 5_200
    assert current["local_content_pct"] == "42.50"
    assert current["lead_time_days"] == 30
    assert current["valid_until"]
    assert current["tiers"] == [
        {"min_quantity": 10_000, "unit_price_idr": 4_900},
        {"min_quantity": 20_000, "unit_price_idr": 4_600},
    ]
    assert [r["number"] for r in data["revisions"]] == [2, 1]
    assert data["revisions"][1]["unit_price_idr"] == 5_500
    assert data["revisions"][1]["lead_time_days"] == 45


def test_a_sealed_quotation_shows_no_price_before_the_deadline(world):
    client = client_for(world, "buyer_key")
    url = f"/api/v1/quotations/{world.sealed.pk}/"
    data = client.get(url).json()
    assert data["sealed"] is True
    assert data["current"]["unit_price_idr"] is None
    assert data["current"]["tiers"] is None
    assert all(r["unit_price_idr"] is None for r in data["revisions"])
    assert data["current"]["lead_time_days"] == 30  # what is not a price is shown
    listing = client.get("/api/v1/quotations/").content.decode()
    assert "7300" not in listing and "7100" not in listing

    world.sealed_requirement.quote_deadline = timezone.now() - timedelta(seconds=1)
    world.sealed_requirement.save(update_fields=["quote_deadline"])
    opened = client.get(url).json()
    assert opened["sealed"] is False
    assert opened["current"]["unit_price_idr"] == 7_300
    assert opened["current"]["tiers"] == [{"min_quantity": 5_000, "unit_price_idr": 7_100}]


def test_it_filters_quotations_by_requirement_and_status(world):
    client = client_for(world, "buyer_key")
    by_requirement = client.get("/api/v1/quotations/", {"requirement": world.requirement.pk})
    assert _ids(by_requirement) == {world.quotation.pk, world.pending.pk}
    awarded = client.get("/api/v1/quotations/", {"status": "awarded"})
    assert _ids(awarded) == {world.quotation.pk}
    # Another firm's requirement filters to nothing, never to its quotations.
    other = client.get("/api/v1/quotations/", {"requirement": world.other_requirement.pk})
    assert _ids(other) == set()


def test_a_bad_filter_value_is_a_translated_400(world):
    client = key_client(world.keys["buyer_key"], language="id")
    response = client.get("/api/v1/quotations/", {"status": "menang"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "status" in error["fields"]
    assert "menang" in error["fields"]["status"][0]
    assert "Select a valid choice" not in error["fields"]["status"][0]


def test_quotations_come_in_cursor_pages(world):
    for _ in range(3):
        RevisionFactory(quotation=quotation_for(world.requirement), number=1)
    client = client_for(world, "buyer_key")
    seen: list[int] = []
    url = "/api/v1/quotations/?page_size=2"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 2
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 6
    assert seen == sorted(seen)


def test_awards_show_quantity_value_and_the_partnership_stage(world):
    client = client_for(world, "buyer_key")
    [row] = client.get("/api/v1/awards/").json()["results"]
    assert row["quotation"] == world.quotation.pk
    assert row["requirement"] == world.requirement.pk
    assert row["quantity"] == 30_000
    assert row["value_idr"] == 150_000_000
    assert row["partnership"] == world.quotation.introduction.partnership.pk
    assert row["partnership_stage"] == "contract"
    assert client.get("/api/v1/awards/", {"partnership_stage": "active"}).json()["results"] == []
    assert client_for(world, "other_buyer_key").get("/api/v1/awards/").json()["results"] == []


def test_a_members_session_reads_the_same_as_the_firms_key(world):
    by_key = client_for(world, "buyer_key").get("/api/v1/quotations/").json()["results"]
    by_session = client_for(world, "staff").get("/api/v1/quotations/").json()["results"]
    assert by_key == by_session


def test_every_quotation_sent_to_a_buyer_key_is_audited_under_the_key(world):
    before = AuditRecord.objects.count()
    client_for(world, "buyer_key").get("/api/v1/quotations/", {"requirement": world.requirement.pk})
    records = AuditRecord.objects.order_by("pk")[before:]
    key = ApiKey.objects.get(manufacturer=world.firm, revoked_at__isnull=True)
    assert {(r.object_kind, r.object_id) for r in records} == {
        ("quotation", world.quotation.pk),
        ("quotation", world.pending.pk),
    }
    record = next(r for r in records if r.object_id == world.quotation.pk)
    assert record.api_key_id == key.pk
    assert record.actor_label == f"{world.firm.name} · {key.prefix}"
    assert record.door == "api"
    assert (record.firm_kind, record.firm_id) == ("supplier", world.quotation.supplier_id)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_revoked_key_is_refused_at_once(world):
    client = client_for(world, "buyer_key")
    assert client.get("/api/v1/quotations/").status_code == 200
    key = ApiKey.objects.get(manufacturer=world.firm, revoked_at__isnull=True)
    buyer_api_key_revoke(manufacturer=world.firm, by=world.owner, key_id=key.pk)
    response = client.get("/api/v1/quotations/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_withdrawn_quotations_keep_their_status(world):
    Quotation.objects.filter(pk=world.pending.pk).update(status=Quotation.Status.WITHDRAWN)
    data = client_for(world, "buyer_key").get(f"/api/v1/quotations/{world.pending.pk}/").json()
    assert data["status"] == "withdrawn"


def test_the_schema_documents_the_endpoints_their_filters_and_the_suppression(world):
    schema = client_for(world, "anonymous").get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    params = {p["name"] for p in paths["/api/v1/quotations/"]["get"]["parameters"]}
    assert {"requirement", "status", "cursor", "page_size"} <= params
    award_params = {p["name"] for p in paths["/api/v1/awards/"]["get"]["parameters"]}
    assert {"requirement", "partnership_stage"} <= award_params
    assert "/api/v1/quotations/{id}/" in paths
    assert "/api/v1/awards/{id}/" in paths
    description = paths["/api/v1/stats/quotations/"]["get"]["description"]
    assert "at least 3 different UMKM and 3 different buyers" in description
    revision = schema["components"]["schemas"]["Revision"]["properties"]
    assert revision["unit_price_idr"].get("nullable") is True


def test_a_page_of_quotations_costs_the_same_queries_however_many_it_holds(
    world, django_assert_max_num_queries
):
    client = client_for(world, "staff")  # a session: no audit rows to write
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/quotations/")
        client.get("/api/v1/awards/")
    for _ in range(6):
        quotation = quotation_for(world.requirement)
        RevisionFactory(quotation=quotation, number=1)
        RevisionFactory(quotation=quotation, number=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/quotations/")
        client.get("/api/v1/awards/")
