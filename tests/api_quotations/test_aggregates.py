"""Partners read quotations and awards only as cells of month x UMKM province x component
system, and only cells with at least 3 UMKM and 3 buyers behind them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from introductions.models import Quotation
from partners.api.procurement import MIN_FIRMS
from tests.factories import ManufacturerFactory, RequirementFactory, SupplierFactory

from .conftest import RevisionFactory, award, client_for, quotation_for

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def _quote(requirement, supplier, *, tkdn, month: datetime) -> Quotation:
    quotation = quotation_for(requirement, supplier, created_at=month)
    RevisionFactory(quotation=quotation, number=1, local_content_pct=tkdn)
    return quotation


def _awarded(quotation: Quotation, value: int, month: datetime) -> None:
    award(quotation, quantity=100, value=value)
    Quotation.objects.filter(pk=quotation.pk).update(decided_at=month)


def _cells(world) -> dict:
    response = client_for(world, "partner_key").get("/api/v1/stats/quotations/")
    assert response.status_code == 200
    return response.json()


def _populated(world):
    """Five buyers' requirements for battery parts, quoted by UMKM of West Java (32) in March
    2026; three awards by three buyers to three UMKM. Two UMKM of Central Java (33) quote too."""
    march = datetime(2026, 3, 10, 10, tzinfo=JAKARTA)
    suppliers = [SupplierFactory(province_id="32", regency_id="32.04") for _ in range(4)]
    few = [SupplierFactory(province_id="33", regency_id="33.01") for _ in range(2)]
    requirements = [
        RequirementFactory(manufacturer=ManufacturerFactory(), status="open") for _ in range(5)
    ]
    quoted = [
        _quote(requirements[i], suppliers[i % 4], tkdn=Decimal(tkdn), month=march)
        for i, tkdn in enumerate(["40", "60", "30", "50", "45"])
    ]
    for i, supplier in enumerate(few):
        _quote(requirements[i], supplier, tkdn=Decimal("70"), month=march)
    _awarded(quoted[0], 100_000_000, march)  # 40 %
    _awarded(quoted[1], 300_000_000, march)  # 60 %
    _awarded(quoted[2], 100_000_000, march)  # 30 %
    return quoted


def test_a_cell_with_enough_firms_shows_counts_value_and_value_weighted_tkdn(world):
    _populated(world)
    data = _cells(world)
    assert data["min_firms"] == MIN_FIRMS == 3
    cell = next(
        c
        for c in data["results"]
        if (c["month"], c["province"], c["component_system"]) == ("2026-03", "32", "BAT")
    )
    assert cell["quotations"] == 5
    assert cell["awards"] == 3
    assert cell["awarded_value_idr"] == 500_000_000
    # (100 x 40 + 300 x 60 + 100 x 30) / 500 = 50
    assert cell["local_content_pct_weighted"] == 50.0


def test_cells_with_fewer_than_three_umkm_or_buyers_are_left_out(world):
    _populated(world)
    data = _cells(world)
    keys = {(c["month"], c["province"]) for c in data["results"]}
    # Central Java had two UMKM quoting: suppressed. The world's own quotations (this month,
    # one buyer firm each) are suppressed too.
    assert ("2026-03", "33") not in keys
    this_month = timezone.localtime().strftime("%Y-%m")
    assert all(month != this_month for month, _province in keys)
    assert data["suppressed_cells"] >= 2


def test_awards_of_fewer_than_three_firms_hide_their_figures_but_not_the_quotation_count(world):
    quoted = _populated(world)
    # Undo the third award: two awards (two buyers, two UMKM) can no longer be published.
    Quotation.objects.filter(pk=quoted[2].pk).update(
        status=Quotation.Status.SUBMITTED,
        awarded_quantity=None,
        awarded_value_idr=None,
        decided_at=None,
    )
    [cell] = [c for c in _cells(world)["results"] if c["province"] == "32"]
    assert cell["quotations"] == 5
    assert cell["awards"] is None
    assert cell["awarded_value_idr"] is None
    assert cell["local_content_pct_weighted"] is None


def test_partners_get_no_firm_of_any_quotation(world):
    _populated(world)
    body = client_for(world, "partner_key").get("/api/v1/stats/quotations/").content.decode()
    for row in _cells(world)["results"]:
        assert set(row) == {
            "month",
            "province",
            "component_system",
            "quotations",
            "awards",
            "awarded_value_idr",
            "local_content_pct_weighted",
        }
    assert "CV Presisi Jaya" not in body
    assert world.firm.name not in body


def test_ministry_staff_read_the_same_aggregates(world):
    _populated(world)
    assert client_for(world, "ministry").get("/api/v1/stats/quotations/").json() == _cells(world)
