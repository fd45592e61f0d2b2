"""The buyer's comparison rows, built from factory quotations."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from introductions.quotations.compare import comparison
from manufacturers.models import Requirement
from tests.factories import (
    IntroductionFactory,
    QuotationFactory,
    QuotationRevisionFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def requirement():
    # 50,000 units a year, needed in 90 days.
    return RequirementFactory(status="open")


def quoted(requirement, *, price, lead, tiers=(), tkdn=None, status="submitted"):
    introduction = IntroductionFactory(requirement=requirement, status="accepted")
    quotation = QuotationFactory(introduction=introduction, status=status)
    QuotationRevisionFactory(quotation=quotation, number=1, unit_price_idr=price * 2)
    return QuotationRevisionFactory(
        quotation=quotation,
        number=2,
        unit_price_idr=price,
        lead_time_days=lead,
        local_content_pct=tkdn,
        tiers=list(tiers),
    ).quotation


def test_rows_price_the_annual_volume_at_the_tier_it_reaches_and_sort(requirement):
    cheap_late = quoted(requirement, price=4_000, lead=120)
    tiered = quoted(requirement, price=5_000, lead=20, tiers=[(40_000, 3_900)], tkdn=Decimal(60))
    withdrawn = quoted(requirement, price=1_000, lead=5, status="withdrawn")

    rows = comparison(requirement)
    assert [row.quotation for row in rows] == [tiered, cheap_late, withdrawn]
    first = rows[0]
    assert first.revisions == 2 and first.revision.number == 2  # the latest revision counts
    assert first.unit_price_at_volume == 3_900 and first.total == 50_000 * 3_900
    assert first.on_time and not rows[1].on_time and rows[1].late_days == 30
    assert not rows[2].live
    assert [row.quotation for row in comparison(requirement, sort="lead_time")][:2] == [
        tiered,
        cheap_late,
    ]
    assert comparison(requirement, sort="tkdn")[0].quotation == tiered


def test_sealed_rows_carry_no_prices(requirement):
    quoted(requirement, price=4_000, lead=30, tkdn=Decimal(40))
    Requirement.objects.filter(pk=requirement.pk).update(
        quote_deadline=timezone.now() + timedelta(days=1)
    )
    requirement.refresh_from_db()
    [row] = comparison(requirement)
    assert row.sealed and row.tiers == [] and row.total is None and row.tkdn is None
    assert row.revision.valid_until > date.today()  # the row exists: who quoted is shown
