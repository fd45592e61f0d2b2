"""A small world for the API: two partners, two UMKM (one consenting to the bank), two buyers
with requirements, matches, an accepted introduction with a partnership, and staff users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from introductions.models import Introduction, Partnership
from manufacturers.models import Requirement
from matchmaking.models import Match
from partners.api.authentication import forget_keys
from partners.models import ApiScope, PartnerConsent, PartnerOrganisation
from partners.services import api_key_create, consent_grant
from suppliers.models import Supplier
from tests.factories import (
    AdminUserFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    RequirementFactory,
    SupplierCertificationFactory,
    SupplierFactory,
    SupplierMemberFactory,
)

ALL_SCOPES = list(ApiScope.values)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _forget_remembered_keys():
    # Keys are remembered per process for a few seconds; each test starts without any.
    forget_keys()
    yield
    forget_keys()


@dataclass
class World:
    bank: PartnerOrganisation
    association: PartnerOrganisation
    consenting: Supplier  # consented "contact" and "partnerships" to the bank
    private: Supplier  # consented nothing
    umkm: User  # member of ``consenting``
    other_umkm: User  # member of ``private``
    buyer: User
    other_buyer: User
    ministry: User
    admin: User
    requirement: Requirement  # the buyer's, open
    draft: Requirement  # the buyer's, draft
    other_requirement: Requirement  # the other buyer's, open
    match: Match  # requirement ~ consenting
    other_match: Match  # other_requirement ~ private
    introduction: Introduction  # accepted: requirement ~ consenting
    partnership: Partnership
    other_introduction: Introduction  # requested: other_requirement ~ private

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def _match(requirement, supplier, rank=1, score=80.0) -> Match:
    return Match.objects.create(
        requirement=requirement,
        supplier=supplier,
        score=score,
        rank=rank,
        components={"process": 1.0},
        facts={},
        engine_version="test",
    )


def _introduction(requirement, supplier, status, by) -> Introduction:
    now = timezone.now()
    return Introduction.objects.create(
        requirement=requirement,
        supplier=supplier,
        direction=Introduction.Direction.BUYER_REQUEST,
        status=status,
        message="Kami tertarik.",
        requested_by=by,
        expires_at=now + timedelta(days=14),
        decided_at=now if status == Introduction.Status.ACCEPTED else None,
    )


@pytest.fixture
def world(db) -> World:
    bank = PartnerOrganisation.objects.create(name="Bank Rakyat Contoh", kind="bank")
    association = PartnerOrganisation.objects.create(name="Asosiasi Komponen", kind="association")
    consenting = SupplierFactory(legal_name="CV Setuju", verification_status="verified")
    private = SupplierFactory(legal_name="CV Rahasia", contact_email="rahasia@umkm.example.id")
    consenting.processes.set(["INJ_MOULD"])
    consenting.components.set(["BAT.MOD.HOLDER"])
    SupplierCertificationFactory(supplier=consenting, cert_type_id="IATF16949")
    umkm = SupplierMemberFactory(supplier=consenting).user
    other_umkm = SupplierMemberFactory(supplier=private).user
    for scope in PartnerConsent.Scope.values:
        consent_grant(supplier=consenting, partner=bank, scope=scope, by=umkm)

    buyer_membership = ManufacturerMemberFactory()
    other_membership = ManufacturerMemberFactory()
    requirement = RequirementFactory(
        manufacturer=buyer_membership.manufacturer, status="open", published_at=timezone.now()
    )
    draft = RequirementFactory(manufacturer=buyer_membership.manufacturer, status="draft")
    other_requirement = RequirementFactory(
        manufacturer=other_membership.manufacturer, status="open", published_at=timezone.now()
    )
    match = _match(requirement, consenting)
    other_match = _match(other_requirement, private)
    _match(requirement, private, rank=2, score=60.0)
    introduction = _introduction(
        requirement, consenting, Introduction.Status.ACCEPTED, buyer_membership.user
    )
    partnership = Partnership.objects.create(
        introduction=introduction,
        stage=Partnership.Stage.SAMPLE_TRIAL,
        contract_value_idr=250_000_000,
        financing=True,
        notes="Sampel dikirim minggu depan.",
        created_by=buyer_membership.user,
    )
    other_introduction = _introduction(
        other_requirement, private, Introduction.Status.REQUESTED, other_membership.user
    )
    return World(
        bank=bank,
        association=association,
        consenting=consenting,
        private=private,
        umkm=umkm,
        other_umkm=other_umkm,
        buyer=buyer_membership.user,
        other_buyer=other_membership.user,
        ministry=MinistryUserFactory(),
        admin=AdminUserFactory(),
        requirement=requirement,
        draft=draft,
        other_requirement=other_requirement,
        match=match,
        other_match=other_match,
        introduction=introduction,
        partnership=partnership,
        other_introduction=other_introduction,
    )


def key_for(partner: PartnerOrganisation, *scopes: str, **kwargs) -> str:
    _api_key, raw = api_key_create(partner=partner, scopes=scopes or ALL_SCOPES, **kwargs)
    return raw


def key_client(raw: str, language: str = "en") -> Client:
    return Client(headers={"authorization": f"Api-Key {raw}", "accept-language": language})


def session_client(user: User | None, language: str = "en", csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf, headers={"accept-language": language})
    if user is not None:
        client.force_login(user)
    return client
