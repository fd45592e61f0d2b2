"""Builders for introduction scenarios, on top of the shared factories."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from manufacturers.models import Requirement
from matchmaking.models import Match
from suppliers.models import Supplier
from tests.factories import (
    ManufacturerMemberFactory,
    RequirementFactory,
    SupplierFactory,
    SupplierMemberFactory,
)


@dataclass
class Pair:
    buyer: User
    umkm: User
    requirement: Requirement
    supplier: Supplier
    match: Match


def make_match(requirement: Requirement, supplier: Supplier, score: float = 82.5) -> Match:
    return Match.objects.create(
        requirement=requirement,
        supplier=supplier,
        score=score,
        rank=1,
        components={},
        facts={},
        engine_version="test",
    )


def make_pair(
    *,
    requirement_status: str = "open",
    manufacturer_status: str = "verified",
    buyer_language: str = "en",
    umkm_language: str = "id",
) -> Pair:
    """A verified buyer with an open requirement and an UMKM member whose company matched it."""
    membership = ManufacturerMemberFactory(
        manufacturer__verification_status=manufacturer_status,
        user__preferred_language=buyer_language,
        user__full_name="Rina Pembeli",
    )
    requirement = RequirementFactory(
        manufacturer=membership.manufacturer,
        status=requirement_status,
        close_reason="cancelled" if requirement_status == "closed" else "",
    )
    if requirement_status == "open":
        Requirement.objects.filter(pk=requirement.pk).update(published_at=requirement.created_at)
    supplier = SupplierFactory(
        verification_status="verified",
        contact_name="Budi Santoso",
        contact_phone="+6281234567890",
        address="Jl. Industri No. 7, Bekasi",
    )
    umkm = SupplierMemberFactory(supplier=supplier, user__preferred_language=umkm_language).user
    match = make_match(requirement, supplier)
    return Pair(membership.user, umkm, requirement, supplier, match)
