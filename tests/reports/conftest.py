"""One small programme history, built so every dashboard figure can be counted by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from manufacturers.models import Requirement
from matchmaking.models import Match
from suppliers.models import ComponentCategory, Province, Regency, SizeClass, Supplier
from tests.factories import (
    IntroductionFactory,
    MatchFactory,
    PartnershipFactory,
    RequirementFactory,
    SupplierFactory,
    SupplierSizeRecordFactory,
)

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}


def at(day: str) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(12)))


@dataclass
class History:
    west_java: Province
    other: Province
    other_system: str
    small_size: SizeClass
    s1: Supplier
    s2: Supplier
    s3: Supplier
    r1: Requirement
    r2: Requirement


def _supplier(province: Province, created: str, size: SizeClass, component: str, **kw):
    supplier = SupplierFactory(
        province=province,
        regency=Regency.objects.filter(province=province).first(),
        size_class=size,
        **kw,
    )
    Supplier.objects.filter(pk=supplier.pk).update(created_at=at(created))
    supplier.components.set([component])
    return supplier


@pytest.fixture
def history(db) -> History:
    west_java = Province.objects.get(code="32")
    other = Province.objects.exclude(island_group=west_java.island_group).order_by("code").first()
    other_component = (
        ComponentCategory.objects.filter(level__gte=2).exclude(code__startswith="BAT.").first()
    )
    sizes = list(SizeClass.objects.order_by("rank"))
    micro, small = sizes[0], sizes[1]

    s1 = _supplier(
        west_java,
        "2026-02-10",
        micro,
        "BAT.MOD.HOLDER",
        verification_status="verified",
        verified_at=at("2026-03-01"),
    )
    s2 = _supplier(other, "2026-03-05", small, other_component.code)
    s3 = _supplier(
        other,
        "2025-01-01",
        micro,
        "BAT.MOD.HOLDER",
        verification_status="verified",
        verified_at=at("2025-02-01"),
    )
    r1 = RequirementFactory(status="open", delivery_province=west_java)
    r2 = RequirementFactory(status="open", delivery_province=other, component=other_component)
    RequirementFactory(status="draft")

    for requirement, supplier, day in ((r1, s1, "2026-02-20"), (r2, s2, "2026-03-10")):
        MatchFactory(requirement=requirement, supplier=supplier, computed_at=at(day))
    MatchFactory(requirement=r1, supplier=s3, computed_at=at("2025-06-01"))
    assert Match.objects.count() == 3

    i1 = IntroductionFactory(
        requirement=r1, supplier=s1, status="accepted", requested_at=at("2026-02-20")
    )
    IntroductionFactory(
        requirement=r2, supplier=s2, status="declined", requested_at=at("2026-03-20")
    )
    IntroductionFactory(
        requirement=r1, supplier=s3, status="expired", requested_at=at("2026-04-01")
    )
    IntroductionFactory(
        requirement=r2, supplier=s1, status="requested", requested_at=at("2026-05-01")
    )
    PartnershipFactory(
        introduction=i1,
        stage="contract",
        pattern_id="subkontrak",
        contract_value_idr=500_000_000,
        created_at=at("2026-03-01"),
    )
    # An earlier intro and partnership of s3, outside the period.
    old = IntroductionFactory(
        requirement=r2, supplier=s3, status="accepted", requested_at=at("2025-03-01")
    )
    PartnershipFactory(
        introduction=old, stage="active", contract_value_idr=7, created_at=at("2025-03-02")
    )

    # s1 moved up from micro to small after its partnership; s3 stayed micro.
    SupplierSizeRecordFactory(supplier=s1, size_class=micro, valid_from=date(2025, 1, 1))
    SupplierSizeRecordFactory(supplier=s1, size_class=small, valid_from=date(2026, 4, 1))
    SupplierSizeRecordFactory(supplier=s3, size_class=micro, valid_from=date(2024, 1, 1))
    return History(west_java, other, other_component.code.split(".")[0], small, s1, s2, s3, r1, r2)
