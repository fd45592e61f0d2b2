"""The quotation's rules and arithmetic, without the database where none is needed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from introductions.quotations.rules import offer_errors, price_for, tier_errors, total_for
from tests.factories import SupplierCertificationFactory, SupplierFactory

from .conftest import offer

TIERS = [(1_000, 5_000), (10_000, 4_500), (40_000, 4_000)]


@pytest.mark.parametrize(
    ("quantity", "price"),
    [(999, None), (1_000, 5_000), (9_999, 5_000), (10_000, 4_500), (50_000, 4_000)],
)
def test_a_quantity_costs_the_price_of_the_largest_tier_it_reaches(quantity, price):
    assert price_for(TIERS, quantity) == price


def test_the_total_is_the_quantity_times_the_tier_price():
    assert total_for(TIERS, 50_000) == 200_000_000
    assert total_for(TIERS, 500) is None


def test_it_accepts_strictly_increasing_quantities_at_non_increasing_prices():
    assert tier_errors(1_000, 5_000, [(2_000, 5_000), (3_000, 4_000)]) == {}


@pytest.mark.parametrize(
    "tiers",
    [[(1_000, 4_000)], [(500, 4_000)], [(5_000, 4_000), (5_000, 3_000)]],
    ids=["at-minimum", "below-minimum", "repeated"],
)
def test_it_rejects_tiers_that_do_not_grow_in_quantity(tiers):
    assert "larger quantity than the one before" in tier_errors(1_000, 5_000, tiers)["tiers"][0]


def test_it_rejects_a_tier_that_costs_more_than_a_smaller_one():
    errors = tier_errors(1_000, 5_000, [(2_000, 5_001)])
    assert errors["tiers"] == ["A larger quantity cannot cost more per unit than a smaller one."]


def test_it_rejects_more_than_six_tiers():
    tiers = [(1_000 * n, 5_000 - n) for n in range(2, 8)]
    assert "At most 6 price tiers." in tier_errors(1_000, 5_000, tiers)["tiers"]


@pytest.mark.django_db
def test_it_rejects_a_validity_date_in_the_past_and_out_of_range_numbers():
    supplier = SupplierFactory()
    errors = offer_errors(
        offer(valid_until=date.today() - timedelta(days=1), lead_time_days=731, unit_price_idr=0),
        supplier=supplier,
        today=date.today(),
    )
    assert errors["valid_until"] == ["The offer must be valid today or later."]
    assert errors["lead_time_days"] == ["Enter a number of at most 730."]
    assert errors["unit_price_idr"] == ["Enter a number of at least 1."]
    assert "tiers" not in errors  # not judged against a price that is itself wrong


@pytest.mark.django_db
def test_only_the_suppliers_own_valid_tkdn_certificate_backs_a_declaration():
    supplier = SupplierFactory()
    today = date.today()
    own = SupplierCertificationFactory(
        supplier=supplier, cert_type_id="TKDN", local_content_pct=Decimal("42.50")
    )
    expired = SupplierCertificationFactory(
        supplier=supplier, cert_type_id="TKDN", valid_until=today - timedelta(days=1)
    )
    not_tkdn = SupplierCertificationFactory(supplier=supplier)
    someone_elses = SupplierCertificationFactory(cert_type_id="TKDN")

    def errors(certificate, pct=None):
        return offer_errors(
            offer(local_content_certificate=certificate, local_content_pct=pct),
            supplier=supplier,
            today=today,
        )

    assert errors(own, Decimal("40")) == {}
    for bad in (expired, not_tkdn, someone_elses):
        assert errors(bad)["local_content_certificate"] == [
            "Choose one of your company's valid TKDN certificates."
        ]
    assert errors(own, Decimal("50"))["local_content_pct"] == [
        "The declared local content is above what your certificate shows (42.50%)."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("id", "3 Des 2099"), ("en", "3 Dec 2099")])
def test_the_tkdn_certificate_choice_dates_its_validity_in_the_sites_one_format(language, expected):
    from django.utils import translation

    from introductions.quotation_forms import QuotationForm

    supplier = SupplierFactory()
    SupplierCertificationFactory(
        supplier=supplier,
        cert_type_id="TKDN",
        number="TKDN-7",
        local_content_pct=Decimal("42.50"),
        valid_until=date(2099, 12, 3),
    )
    with translation.override(language):
        form = QuotationForm(supplier=supplier, today=date.today())
        labels = [str(label) for _pk, label in form.fields["local_content_certificate"].choices]

    assert any(label.startswith("TKDN-7") and label.endswith(expected) for label in labels)
    assert not any("2099-12-03" in label for label in labels)
