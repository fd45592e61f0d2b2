"""The permission matrix: every scope and every role against every endpoint and method, and
field-level privacy (contact details, prices, decisions, notes) with consent honoured at once."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from partners.models import ApiScope, PartnerConsent, PartnerManagedSupplier
from partners.services import consent_grant, consent_revoke

from .conftest import key_client, key_for, session_client

pytestmark = pytest.mark.django_db

KEY_CALLERS = [f"key:{scope}" for scope in ApiScope.values]
SESSION_CALLERS = ["umkm", "other_umkm", "buyer", "other_buyer", "ministry", "admin"]
CALLERS = ["anonymous", *KEY_CALLERS, *SESSION_CALLERS]


def _client(world, caller):
    if caller.startswith("key:"):
        # The association holds the keys, so that it manages ``consenting`` (PATCH rows).
        PartnerManagedSupplier.objects.get_or_create(
            partner=world.association, supplier=world.consenting
        )
        return key_client(key_for(world.association, caller[4:]))
    return session_client(world.user(caller))


def _new_supplier_body(n=1):
    # A province and its regency: required on every door, as in the profile form.
    return {
        "nib": f"{8120000000000 + n:013d}",
        "legal_name": "CV Anggota Baru",
        "province": "32",
        "regency": "32.04",
    }


def _new_requirement_body():
    return {
        "reference": "RFQ-API-1",
        "title": "Busbar",
        "component": "BAT.MOD.BUSBAR",
        "annual_volume": 1000,
        "needed_by": "2030-01-31",
        "delivery_province": "32",
    }


def _read(scope, sessions):
    """A read endpoint: the scope's key, the listed session roles; everyone else refused."""

    def expected(caller):
        if caller == "anonymous":
            return 401
        if caller.startswith("key:"):
            return 200 if caller[4:] == scope else 403
        return 200 if caller in sessions else 403

    return expected


EVERY_ROLE = set(SESSION_CALLERS)

# (name, method, url(world), body, expected(caller))
ENDPOINTS = [
    (
        "suppliers list",
        "get",
        lambda w: "/api/v1/suppliers/",
        None,
        _read("suppliers:read", EVERY_ROLE),
    ),
    (
        "supplier detail",
        "get",
        lambda w: f"/api/v1/suppliers/{w.private.pk}/",
        None,
        _read("suppliers:read", EVERY_ROLE),
    ),
    (
        "requirements list",
        "get",
        lambda w: "/api/v1/requirements/",
        None,
        _read("requirements:read", EVERY_ROLE),
    ),
    (
        "requirement detail (open)",
        "get",
        lambda w: f"/api/v1/requirements/{w.requirement.pk}/",
        None,
        # Visible to the UMKM side, the ministry and its own buyer; a competitor gets 404.
        lambda c: 404 if c in ("other_buyer",) else _read("requirements:read", EVERY_ROLE)(c),
    ),
    ("matches list", "get", lambda w: "/api/v1/matches/", None, _read("matches:read", EVERY_ROLE)),
    (
        "match detail",
        "get",
        lambda w: f"/api/v1/matches/{w.match.pk}/",
        None,
        lambda c: (
            404 if c in ("other_umkm", "other_buyer") else _read("matches:read", EVERY_ROLE)(c)
        ),
    ),
    (
        "introductions list",
        "get",
        lambda w: "/api/v1/introductions/",
        None,
        _read("partnerships:read", EVERY_ROLE),
    ),
    (
        "partnership detail",
        "get",
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/",
        None,
        # The association has no consent from ``consenting``: 404, like any non-party.
        lambda c: (
            404
            if c in ("other_umkm", "other_buyer", "ministry", "key:partnerships:read")
            else _read("partnerships:read", EVERY_ROLE)(c)
        ),
    ),
    ("stats", "get", lambda w: "/api/v1/stats/", None, _read("stats:read", {"ministry", "admin"})),
    (
        "quotation aggregates",
        "get",
        lambda w: "/api/v1/stats/quotations/",
        None,
        _read("stats:read", {"ministry", "admin"}),
    ),
    # Quotations and awards are for a buyer firm's own key (tests/api_quotations) or a member's
    # session: no partner scope opens them.
    (
        "quotations list",
        "get",
        lambda w: "/api/v1/quotations/",
        None,
        _read("quotations:read", {"buyer", "other_buyer"}),
    ),
    (
        "awards list",
        "get",
        lambda w: "/api/v1/awards/",
        None,
        _read("awards:read", {"buyer", "other_buyer"}),
    ),
    (
        "reference",
        "get",
        lambda w: "/api/v1/reference/provinces/",
        None,
        lambda c: 401 if c == "anonymous" else 200,
    ),
    (
        "supplier create",
        "post",
        lambda w: "/api/v1/suppliers/",
        _new_supplier_body(),
        lambda c: 401 if c == "anonymous" else 201 if c == "key:suppliers:write" else 403,
    ),
    (
        "supplier update",
        "patch",
        lambda w: f"/api/v1/suppliers/{w.consenting.pk}/",
        {"employees": 30},
        lambda c: (
            401
            if c == "anonymous"
            else 200
            if c in ("key:suppliers:write", "umkm", "admin")
            else 403
        ),
    ),
    (
        "supplier update (not managed)",
        "patch",
        lambda w: f"/api/v1/suppliers/{w.private.pk}/",
        {"employees": 30},
        lambda c: 401 if c == "anonymous" else 200 if c in ("other_umkm", "admin") else 403,
    ),
    (
        "requirement create",
        "post",
        lambda w: "/api/v1/requirements/",
        _new_requirement_body(),
        lambda c: 401 if c == "anonymous" else 201 if c in ("buyer", "other_buyer") else 403,
    ),
    (
        "requirement update",
        "patch",
        lambda w: f"/api/v1/requirements/{w.draft.pk}/",
        {"title": "Busbar tembaga"},
        lambda c: (
            401
            if c == "anonymous"
            else 200
            if c in ("buyer", "admin")
            else 404
            if c == "other_buyer"
            else 403
        ),
    ),
    (
        "requirement delete",
        "delete",
        lambda w: f"/api/v1/requirements/{w.draft.pk}/",
        None,
        lambda c: (
            401
            if c == "anonymous"
            else 204
            if c in ("buyer", "admin")
            else 404
            if c == "other_buyer"
            else 403
        ),
    ),
    (
        "match write",
        "post",
        lambda w: "/api/v1/matches/",
        {},
        lambda c: 401 if c == "anonymous" else 405,
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_permission_matrix(world, name, method, url, body, expected):
    """Each caller in its own rolled-back savepoint, so writes of one do not affect the next."""
    wrong = []
    for caller in CALLERS:
        with transaction.atomic():
            client = _client(world, caller)
            kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body else {}
            response = getattr(client, method)(url(world), **kwargs)
            if response.status_code != expected(caller):
                wrong.append(
                    (caller, expected(caller), response.status_code, response.content[:200])
                )
            elif response.status_code >= 400:
                error = response.json()["error"]
                assert error["code"] and error["message"]
            transaction.set_rollback(True)
    assert not wrong, wrong


def _contact(response):
    data = response.json()
    return {k: data[k] for k in ("nib", "address", "contact_email", "contact_visible")}


def test_private_fields_only_with_the_umkms_consent(world):
    bank = key_client(key_for(world.bank, "suppliers:read"))
    association = key_client(key_for(world.association, "suppliers:read"))
    consenting = f"/api/v1/suppliers/{world.consenting.pk}/"
    private = f"/api/v1/suppliers/{world.private.pk}/"

    assert _contact(bank.get(consenting)) == {
        "nib": world.consenting.nib,
        "address": world.consenting.address,
        "contact_email": world.consenting.contact_email,
        "contact_visible": True,
    }
    hidden = {"nib": None, "address": None, "contact_email": None, "contact_visible": False}
    assert _contact(bank.get(private)) == hidden
    assert _contact(association.get(consenting)) == hidden
    listing = bank.get("/api/v1/suppliers/").content.decode()
    assert world.private.contact_email not in listing
    assert world.private.nib not in listing
    assert world.consenting.contact_email in listing
    assert world.private.contact_email not in association.get("/api/v1/suppliers/").content.decode()


def test_revoking_consent_applies_to_the_very_next_request(world):
    bank = key_client(key_for(world.bank, "suppliers:read", "partnerships:read"))
    url = f"/api/v1/suppliers/{world.consenting.pk}/"
    assert bank.get(url).json()["contact_visible"] is True
    assert bank.get("/api/v1/partnerships/").json()["results"]

    for scope in PartnerConsent.Scope.values:
        consent_revoke(supplier=world.consenting, partner=world.bank, scope=scope, by=world.umkm)

    assert _contact(bank.get(url))["contact_email"] is None
    assert world.consenting.contact_email not in bank.get("/api/v1/suppliers/").content.decode()
    assert bank.get("/api/v1/partnerships/").json()["results"] == []
    assert bank.get("/api/v1/introductions/").json()["results"] == []
    assert bank.get(f"/api/v1/partnerships/{world.partnership.pk}/").status_code == 404

    consent_grant(supplier=world.consenting, partner=world.bank, scope="contact", by=world.umkm)
    assert bank.get(url).json()["contact_visible"] is True


def test_a_partner_sees_consented_partnerships_without_the_parties_notes(world):
    bank = key_client(key_for(world.bank, "partnerships:read"))
    [row] = bank.get("/api/v1/partnerships/").json()["results"]
    assert row["id"] == world.partnership.pk
    assert row["contract_value_idr"] == 250_000_000
    assert row["financing"] is True
    assert row["notes"] is None
    [intro] = bank.get("/api/v1/introductions/").json()["results"]
    assert intro["id"] == world.introduction.pk
    assert intro["message"] is None
    # The parties themselves read their notes and messages.
    buyer = session_client(world.buyer)
    assert buyer.get("/api/v1/partnerships/").json()["results"][0]["notes"] == (
        "Sampel dikirim minggu depan."
    )
    assert buyer.get("/api/v1/introductions/").json()["results"][0]["message"] == "Kami tertarik."


def test_session_users_see_contacts_of_their_own_company_and_accepted_introductions(world):
    own = session_client(world.umkm).get(f"/api/v1/suppliers/{world.consenting.pk}/").json()
    assert own["contact_email"] == world.consenting.contact_email
    other = session_client(world.umkm).get(f"/api/v1/suppliers/{world.private.pk}/").json()
    assert other["contact_email"] is None
    # The buyer's introduction to ``consenting`` was accepted; to ``private`` there is none.
    buyer = session_client(world.buyer)
    assert buyer.get(f"/api/v1/suppliers/{world.consenting.pk}/").json()["contact_visible"]
    assert not buyer.get(f"/api/v1/suppliers/{world.private.pk}/").json()["contact_visible"]
    ministry = session_client(world.ministry)
    assert ministry.get(f"/api/v1/suppliers/{world.private.pk}/").json()["contact_visible"]


def test_target_prices_are_only_for_the_owning_buyer(world):
    url = f"/api/v1/requirements/{world.requirement.pk}/"
    partner = key_client(key_for(world.bank, "requirements:read")).get(url).json()
    assert partner["target_price_min_idr"] is None and partner["is_mine"] is False
    assert "attachments" not in partner
    umkm = session_client(world.umkm).get(url).json()
    assert umkm["target_price_max_idr"] is None
    mine = session_client(world.buyer).get(url).json()
    assert mine["is_mine"] is True
    assert mine["target_price_min_idr"] == world.requirement.target_price_min_idr


def test_drafts_and_competitors_requirements_stay_hidden(world):
    partner_ids = {
        r["id"]
        for r in key_client(key_for(world.bank, "requirements:read"))
        .get("/api/v1/requirements/")
        .json()["results"]
    }
    assert partner_ids == {world.requirement.pk, world.other_requirement.pk}
    buyer_ids = {
        r["id"] for r in session_client(world.buyer).get("/api/v1/requirements/").json()["results"]
    }
    assert buyer_ids == {world.requirement.pk, world.draft.pk}
    umkm_ids = {
        r["id"] for r in session_client(world.umkm).get("/api/v1/requirements/").json()["results"]
    }
    assert umkm_ids == {world.requirement.pk, world.other_requirement.pk}


def test_match_decisions_are_for_the_buyer_only(world):
    from matchmaking.models import MatchDecision

    MatchDecision.objects.create(
        requirement=world.requirement, supplier=world.consenting, status="shortlisted"
    )
    url = f"/api/v1/matches/{world.match.pk}/"
    assert session_client(world.buyer).get(url).json()["decision"] == "shortlisted"
    assert key_client(key_for(world.bank, "matches:read")).get(url).json()["decision"] is None
    assert session_client(world.umkm).get(url).json()["decision"] is None
    buyer_matches = session_client(world.buyer).get("/api/v1/matches/").json()["results"]
    assert {m["requirement"] for m in buyer_matches} == {world.requirement.pk}
    umkm_matches = session_client(world.umkm).get("/api/v1/matches/").json()["results"]
    assert {m["supplier"] for m in umkm_matches} == {world.consenting.pk}
