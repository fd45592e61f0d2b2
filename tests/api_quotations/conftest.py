"""Two buyer firms with quotations and an award, a partner, and the clients that call them.

The quotation factories live here (tests/factories.py is being extended elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import factory
import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from introductions.models import Partnership, Quotation, QuotationRevision, QuotationTier
from manufacturers.models import Manufacturer, Requirement
from partners.api.authentication import forget_keys
from partners.models import ApiScope, BuyerApiScope, PartnerOrganisation
from partners.services import api_key_create, api_key_revoke
from tests.factories import (
    IntroductionFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    RequirementFactory,
    SupplierFactory,
    SupplierMemberFactory,
)


class QuotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quotation

    introduction = factory.SubFactory(IntroductionFactory, status="accepted")
    requirement = factory.SelfAttribute("introduction.requirement")
    supplier = factory.SelfAttribute("introduction.supplier")
    status = Quotation.Status.SUBMITTED


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuotationRevision

    quotation = factory.SubFactory(QuotationFactory)
    number = factory.Sequence(lambda n: n + 1)
    unit_price_idr = 5_000
    minimum_order = 1_000
    lead_time_days = 30
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=60))
    local_content_pct = Decimal("40.00")


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuotationTier

    revision = factory.SubFactory(RevisionFactory)
    min_quantity = 10_000
    unit_price_idr = 4_500


def quotation_for(requirement: Requirement, supplier=None, **kwargs) -> Quotation:
    introduction = IntroductionFactory(
        requirement=requirement,
        supplier=supplier or SupplierFactory(),
        status="accepted",
        decided_at=timezone.now(),
    )
    return QuotationFactory(introduction=introduction, **kwargs)


def award(quotation: Quotation, *, quantity: int, value: int, stage: str = "contract") -> None:
    quotation.status = Quotation.Status.AWARDED
    quotation.awarded_quantity = quantity
    quotation.awarded_value_idr = value
    quotation.decided_at = timezone.now()
    quotation.save()
    Partnership.objects.create(
        introduction=quotation.introduction,
        stage=stage,
        contract_value_idr=value,
        awarded_at=quotation.decided_at,
        awarded_quantity=quantity,
    )


@pytest.fixture(autouse=True)
def _forget_remembered_keys():
    # Keys are remembered per process for a few seconds; each test starts without any.
    forget_keys()
    yield
    forget_keys()


@dataclass
class World:
    firm: Manufacturer
    other_firm: Manufacturer
    owner: User
    staff: User
    other_owner: User
    umkm: User
    ministry: User
    partner: PartnerOrganisation
    requirement: Requirement  # the firm's, quotations open to prices
    sealed_requirement: Requirement  # the firm's, deadline ahead
    other_requirement: Requirement  # the other firm's
    quotation: Quotation  # on ``requirement``, two revisions, awarded
    pending: Quotation  # on ``requirement``, submitted
    sealed: Quotation  # on ``sealed_requirement``
    other_quotation: Quotation  # on ``other_requirement``
    keys: dict[str, str] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def world(db) -> World:
    owner_membership = ManufacturerMemberFactory(role="owner")
    firm = owner_membership.manufacturer
    staff = ManufacturerMemberFactory(manufacturer=firm, role="staff").user
    other_membership = ManufacturerMemberFactory(role="owner")
    other_firm = other_membership.manufacturer
    now = timezone.now()
    requirement = RequirementFactory(
        manufacturer=firm, status="open", published_at=now, quote_deadline=now - timedelta(days=1)
    )
    sealed_requirement = RequirementFactory(
        manufacturer=firm, status="open", published_at=now, quote_deadline=now + timedelta(days=7)
    )
    other_requirement = RequirementFactory(manufacturer=other_firm, status="open", published_at=now)

    supplier = SupplierFactory(legal_name="CV Presisi Jaya")
    umkm = SupplierMemberFactory(supplier=supplier).user
    quotation = quotation_for(requirement, supplier)
    RevisionFactory(quotation=quotation, number=1, unit_price_idr=5_500, lead_time_days=45)
    second = RevisionFactory(
        quotation=quotation, number=2, unit_price_idr=5_200, local_content_pct=Decimal("42.50")
    )
    TierFactory(revision=second, min_quantity=10_000, unit_price_idr=4_900)
    TierFactory(revision=second, min_quantity=20_000, unit_price_idr=4_600)
    award(quotation, quantity=30_000, value=150_000_000)

    pending = quotation_for(requirement)
    RevisionFactory(quotation=pending, number=1, unit_price_idr=6_100)
    sealed = quotation_for(sealed_requirement)
    sealed_revision = RevisionFactory(quotation=sealed, number=1, unit_price_idr=7_300)
    TierFactory(revision=sealed_revision, min_quantity=5_000, unit_price_idr=7_100)
    other_quotation = quotation_for(other_requirement)
    RevisionFactory(quotation=other_quotation, number=1, unit_price_idr=8_800)

    world = World(
        firm=firm,
        other_firm=other_firm,
        owner=owner_membership.user,
        staff=staff,
        other_owner=other_membership.user,
        umkm=umkm,
        ministry=MinistryUserFactory(),
        partner=PartnerOrganisation.objects.create(name="Bank Contoh", kind="bank"),
        requirement=requirement,
        sealed_requirement=sealed_requirement,
        other_requirement=other_requirement,
        quotation=quotation,
        pending=pending,
        sealed=sealed,
        other_quotation=other_quotation,
    )
    buyer_scopes = list(BuyerApiScope.values)
    world.keys["buyer_key"] = api_key_create(manufacturer=firm, scopes=buyer_scopes)[1]
    world.keys["other_buyer_key"] = api_key_create(manufacturer=other_firm, scopes=buyer_scopes)[1]
    world.keys["partner_key"] = api_key_create(partner=world.partner, scopes=ApiScope.values)[1]
    revoked, world.keys["revoked_key"] = api_key_create(manufacturer=firm, scopes=buyer_scopes)
    api_key_revoke(api_key=revoked)
    return world


def key_client(raw: str, language: str = "en") -> Client:
    return Client(headers={"authorization": f"Api-Key {raw}", "accept-language": language})


def session_client(user: User | None, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    if user is not None:
        client.force_login(user)
    return client


def client_for(world: World, caller: str) -> Client:
    if caller in world.keys:
        return key_client(world.keys[caller])
    return session_client(world.user(caller))


__all__ = ["QuotationFactory", "RevisionFactory", "TierFactory"]
