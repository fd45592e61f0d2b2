"""A buyer firm's owners create keys (shown once, hashed at rest) and revoke them; a key
belongs to a partner or to a buyer firm, never both, and never gets the other's scopes."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from partners.models import ApiKey
from partners.services import api_key_create, buyer_api_key_create, buyer_api_key_revoke

from .conftest import client_for, key_client

pytestmark = pytest.mark.django_db


def _page(world):
    return reverse("buyer_api_keys", args=[world.firm.pk])


def _raw_key(html: str) -> str:
    match = re.search(r'data-testid="raw-key">(rk_[^<]+)<', html)
    assert match, html
    return match.group(1)


def test_an_owner_creates_a_key_that_is_shown_once_and_stored_only_as_a_hash(world):
    owner = client_for(world, "owner")
    response = owner.post(
        _page(world), {"action": "create", "name": "SAP", "scopes": ["quotations:read"]}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    raw = _raw_key(response.content.decode())
    key = ApiKey.objects.get(manufacturer=world.firm, name="SAP")
    assert key.partner_id is None
    assert key.scopes == ["quotations:read"]
    assert key.created_by == world.owner
    assert key.hashed_key == hashlib.sha256(raw.encode()).hexdigest()
    assert not ApiKey.objects.filter(hashed_key=raw).exists()
    assert raw.split(".", 1)[1] not in str(list(ApiKey.objects.values()))

    again = owner.get(_page(world)).content.decode()
    assert raw not in again
    assert key.prefix in again

    api = key_client(raw)
    assert api.get("/api/v1/quotations/").status_code == 200
    # It was given quotations only.
    assert api.get("/api/v1/awards/").status_code == 403


def test_a_form_without_scopes_is_refused_with_a_translated_message_keeping_the_label(world):
    owner = client_for(world, "owner")
    owner.cookies.load({"django_language": "id"})
    response = owner.post(
        _page(world), {"action": "create", "name": "ERP gudang"}, headers={"accept-language": "id"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pilih setidaknya satu" in html
    assert 'value="ERP gudang"' in html
    assert not ApiKey.objects.filter(manufacturer=world.firm, name="ERP gudang").exists()


def test_an_owner_revokes_a_key_and_it_stops_working(world):
    owner = client_for(world, "owner")
    raw = _raw_key(
        owner.post(
            _page(world), {"action": "create", "scopes": ["quotations:read", "awards:read"]}
        ).content.decode()
    )
    key = ApiKey.objects.get(prefix=raw[3:].split(".")[0])
    assert key_client(raw).get("/api/v1/awards/").status_code == 200
    # Without scripts the first POST asks on a page, which changes nothing yet.
    asked = owner.post(_page(world), {"action": "revoke", "key": key.pk})
    assert asked.status_code == 200
    assert 'name="confirmed" value="yes"' in asked.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is None
    response = owner.post(
        _page(world), {"action": "revoke", "key": key.pk, "confirmed": "yes"}, follow=True
    )
    assert response.status_code == 200
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert key_client(raw).get("/api/v1/awards/").status_code == 401


def test_an_owner_cannot_revoke_another_firms_key_and_bad_ids_are_no_500(world):
    other_key = ApiKey.objects.get(manufacturer=world.other_firm)
    owner = client_for(world, "owner")
    assert owner.post(_page(world), {"action": "revoke", "key": other_key.pk}).status_code == 404
    for value in (str(other_key.pk), "abc", "", "٣"):
        response = owner.post(
            _page(world), {"action": "revoke", "key": value, "confirmed": "yes"}, follow=True
        )
        assert response.status_code == 200
        assert "Kunci API tidak dikenal." in response.content.decode()
    other_key.refresh_from_db()
    assert other_key.revoked_at is None


def test_only_owners_create_or_revoke_through_the_services(world):
    with pytest.raises(PermissionDenied):
        buyer_api_key_create(manufacturer=world.firm, by=world.staff, scopes=["awards:read"])
    with pytest.raises(PermissionDenied):
        buyer_api_key_create(manufacturer=world.firm, by=world.other_owner, scopes=["awards:read"])
    key, _raw = buyer_api_key_create(
        manufacturer=world.firm, by=world.owner, scopes=["awards:read"]
    )
    with pytest.raises(PermissionDenied):
        buyer_api_key_revoke(manufacturer=world.firm, by=world.staff, key_id=key.pk)


def test_a_buyer_key_never_gets_a_partners_scope_nor_a_partner_key_a_buyers(world):
    with pytest.raises(ValidationError):
        api_key_create(manufacturer=world.firm, scopes=["suppliers:read"])
    with pytest.raises(ValidationError):
        api_key_create(partner=world.partner, scopes=["quotations:read"])


def test_the_database_refuses_a_key_with_two_owners_or_none(world):
    base = {"hashed_key": "0" * 64, "scopes": ["awards:read"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiKey.objects.create(prefix="both", partner=world.partner, manufacturer=world.firm, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiKey.objects.create(prefix="none", **base)


def test_the_trail_records_who_created_and_revoked_a_key_with_its_scopes(world):
    from accounts.models import AuditRecord

    owner = world.owner
    key, _raw = buyer_api_key_create(manufacturer=world.firm, by=owner, scopes=["awards:read"])
    buyer_api_key_revoke(manufacturer=world.firm, by=owner, key_id=key.pk)
    buyer_api_key_revoke(manufacturer=world.firm, by=owner, key_id=key.pk)  # again: no new row

    rows = list(
        AuditRecord.objects.filter(object_kind="api_key", object_id=key.pk)
        .order_by("pk")
        .values_list("action", "actor_id", "firm_kind", "firm_id", "fields")
    )
    assert rows == [
        ("api_key_created", owner.pk, "manufacturer", world.firm.pk, ["awards:read"]),
        ("api_key_revoked", owner.pk, "manufacturer", world.firm.pk, ["awards:read"]),
    ]
