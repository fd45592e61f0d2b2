"""A quotation's rules and arithmetic: what an offer may contain, and what a quantity costs.

The submit form and the service share ``offer_errors`` so the page and any other caller refuse
the same values with the same messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from suppliers.models import Supplier, SupplierCertification

PRICE_MAX = 10**15  # as a requirement's target price: far above any part, below the column
QUANTITY_MAX = 2_000_000_000
LEAD_TIME_MAX = 730
NOTES_MAX = 2000
MAX_TIERS = 6  # the minimum-order tier and up to five volume breaks
MAX_FILES = 5
TKDN_CODE = "TKDN"

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class Offer:
    """What an UMKM quotes; ``tiers`` are the volume breaks above the minimum order."""

    unit_price_idr: int
    minimum_order: int
    lead_time_days: int
    valid_until: date
    tiers: Sequence[tuple[int, int]] = ()
    local_content_pct: Decimal | None = None
    local_content_certificate: SupplierCertification | None = None
    notes: str = ""

    def all_tiers(self) -> list[tuple[int, int]]:
        """Every tier, the minimum order first: that is the first tier by construction."""
        return [(self.minimum_order, self.unit_price_idr), *self.tiers]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _in_range(errors: Errors, name: str, value: int, low: int, high: int) -> None:
    if value < low:
        _add(errors, name, _("Enter a number of at least %(low)s.") % {"low": low})
    elif value > high:
        _add(errors, name, _("Enter a number of at most %(high)s.") % {"high": high})


def tier_errors(minimum_order: int, unit_price: int, tiers: Sequence[tuple[int, int]]) -> Errors:
    errors: Errors = {}
    if len(tiers) + 1 > MAX_TIERS:
        _add(errors, "tiers", _("At most %(count)d price tiers.") % {"count": MAX_TIERS})
        return errors
    previous_quantity, previous_price = minimum_order, unit_price
    for quantity, price in tiers:
        if quantity > QUANTITY_MAX or price < 1 or price > PRICE_MAX:
            _add(errors, "tiers", _("Each tier needs a quantity and a unit price above zero."))
            return errors
        if quantity <= previous_quantity:
            _add(
                errors,
                "tiers",
                _(
                    "Each tier must start at a larger quantity than the one before it (the first "
                    "tier is the minimum order)."
                ),
            )
            return errors
        if price > previous_price:
            _add(
                errors,
                "tiers",
                _("A larger quantity cannot cost more per unit than a smaller one."),
            )
            return errors
        previous_quantity, previous_price = quantity, price
    return errors


def certificate_errors(
    supplier: Supplier,
    certificate: SupplierCertification | None,
    declared: Decimal | None,
    today: date,
) -> Errors:
    errors: Errors = {}
    if declared is not None and not (Decimal(0) <= declared <= Decimal(100)):
        _add(errors, "local_content_pct", _("Enter a percentage from 0 to 100."))
    if certificate is None:
        return errors
    if (
        certificate.supplier_id != supplier.pk
        or certificate.cert_type_id != TKDN_CODE
        or not certificate.is_valid_on(today)
    ):
        _add(
            errors,
            "local_content_certificate",
            _("Choose one of your company's valid TKDN certificates."),
        )
    elif (
        declared is not None
        and certificate.local_content_pct is not None
        and declared > certificate.local_content_pct
    ):
        _add(
            errors,
            "local_content_pct",
            _("The declared local content is above what your certificate shows (%(pct)s%%).")
            % {"pct": certificate.local_content_pct},
        )
    return errors


def offer_errors(offer: Offer, *, supplier: Supplier, today: date) -> Errors:
    errors: Errors = {}
    _in_range(errors, "unit_price_idr", offer.unit_price_idr, 1, PRICE_MAX)
    _in_range(errors, "minimum_order", offer.minimum_order, 1, QUANTITY_MAX)
    _in_range(errors, "lead_time_days", offer.lead_time_days, 1, LEAD_TIME_MAX)
    if offer.valid_until < today:
        _add(errors, "valid_until", _("The offer must be valid today or later."))
    if len(offer.notes or "") > NOTES_MAX:
        _add(errors, "notes", _("At most %(max)d characters.") % {"max": NOTES_MAX})
    if not {"unit_price_idr", "minimum_order"} & set(errors):
        for name, messages in tier_errors(
            offer.minimum_order, offer.unit_price_idr, offer.tiers
        ).items():
            errors.setdefault(name, []).extend(messages)
    for name, messages in certificate_errors(
        supplier, offer.local_content_certificate, offer.local_content_pct, today
    ).items():
        errors.setdefault(name, []).extend(messages)
    return errors


def tkdn_certificates(supplier: Supplier, today: date):
    """The supplier's TKDN certificates valid today: what may back a declared local content."""
    return [
        certificate
        for certificate in supplier.certifications.filter(cert_type_id=TKDN_CODE).order_by(
            "-valid_until"
        )
        if certificate.is_valid_on(today)
    ]


# --- arithmetic -------------------------------------------------------------------------------


def price_for(tiers: Sequence[tuple[int, int]], quantity: int) -> int | None:
    """The unit price of the largest tier that ``quantity`` reaches; None below the minimum."""
    price = None
    for min_quantity, unit_price in sorted(tiers):
        if quantity >= min_quantity:
            price = unit_price
    return price


def total_for(tiers: Sequence[tuple[int, int]], quantity: int) -> int | None:
    price = price_for(tiers, quantity)
    return None if price is None else price * quantity
