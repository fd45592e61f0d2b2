"""Reads for quotations and awards through the API.

- a buyer firm (its own key, or a member's session) reads the quotations on its requirements and
  its awards, nothing of any other firm's;
- partners (``stats:read``) and ministry staff read aggregates only: per month, UMKM province and
  component system, a cell is published only when at least ``MIN_FIRMS`` different UMKM *and*
  ``MIN_FIRMS`` different buyers are behind it, so that no firm's prices, volumes or awards can be
  read off a cell. Suppressed cells are left out (no totals are published, so a left-out cell
  cannot be recovered by subtraction).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import TruncMonth

from introductions.models import Quotation, QuotationRevision

# The smallest number of different UMKM and of different buyers behind a published cell.
MIN_FIRMS = 3


def quotations_of_firm(manufacturer_id: int | None) -> QuerySet[Quotation]:
    """The quotations on one buyer firm's requirements, with every revision and its tiers
    (newest revision first)."""
    if manufacturer_id is None:
        return Quotation.objects.none()
    revisions = QuotationRevision.objects.prefetch_related("tiers").order_by("-number")
    return (
        Quotation.objects.filter(requirement__manufacturer_id=manufacturer_id)
        .select_related("requirement", "supplier")
        .prefetch_related(Prefetch("revisions", queryset=revisions))
    )


def awards_of_firm(manufacturer_id: int | None) -> QuerySet[Quotation]:
    """One buyer firm's awarded quotations, with the partnership each award created."""
    if manufacturer_id is None:
        return Quotation.objects.none()
    return Quotation.objects.filter(
        requirement__manufacturer_id=manufacturer_id, status=Quotation.Status.AWARDED
    ).select_related("requirement", "supplier", "introduction__partnership")


# --- aggregates for partners ---------------------------------------------------------------


class _System(Func):
    """The component system of a category code: ``BAT`` for ``BAT.MOD.HOLDER``."""

    function = "split_part"
    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value("."), Value(1), **extra)


@dataclass
class Cell:
    month: str
    province: str
    component_system: str
    quotations: int | None = None
    awards: int | None = None
    awarded_value_idr: int | None = None
    local_content_pct_weighted: Decimal | None = None


def _dimensions(month_field: str):
    return {
        "month": TruncMonth(month_field),
        "province": F("supplier__province_id"),
        "system": _System("requirement__component_id"),
    }


def _published(row: dict) -> bool:
    return row["firms"] >= MIN_FIRMS and row["buyers"] >= MIN_FIRMS


def quotation_aggregates() -> tuple[list[Cell], int]:
    """The published cells (sorted by month, province, system) and how many cells had a figure
    suppressed (a cell may show its quotations and hide its awards).

    Quotations count in the month they were first submitted (withdrawn ones do not count),
    awards in the month they were decided; the value-weighted local content is over the awards
    whose last revision declared one, weighted by awarded value.
    """
    current_tkdn = (
        QuotationRevision.objects.filter(quotation_id=OuterRef("pk"))
        .order_by("-number")
        .values("local_content_pct")[:1]
    )
    quoted = (
        Quotation.objects.exclude(status=Quotation.Status.WITHDRAWN)
        .annotate(**_dimensions("created_at"))
        .values("month", "province", "system")
        .annotate(
            n=Count("pk"),
            firms=Count("supplier_id", distinct=True),
            buyers=Count("requirement__manufacturer_id", distinct=True),
        )
        .order_by()
    )
    weighted = ExpressionWrapper(
        F("awarded_value_idr") * F("tkdn"),
        output_field=DecimalField(max_digits=30, decimal_places=2),
    )
    awarded = (
        Quotation.objects.filter(status=Quotation.Status.AWARDED, decided_at__isnull=False)
        .annotate(tkdn=Subquery(current_tkdn))
        .annotate(**_dimensions("decided_at"))
        .values("month", "province", "system")
        .annotate(
            n=Count("pk"),
            value=Sum("awarded_value_idr"),
            weighted=Sum(weighted),
            declared_value=Sum("awarded_value_idr", filter=Q(tkdn__isnull=False)),
            firms=Count("supplier_id", distinct=True),
            buyers=Count("requirement__manufacturer_id", distinct=True),
        )
        .order_by()
    )
    cells: dict[tuple, Cell] = {}
    suppressed: set[tuple] = set()

    def key_of(row: dict) -> tuple:
        return (row["month"].strftime("%Y-%m"), row["province"], row["system"])

    def cell(key: tuple) -> Cell:
        if key not in cells:
            cells[key] = Cell(month=key[0], province=key[1], component_system=key[2])
        return cells[key]

    for row in quoted:
        if _published(row):
            cell(key_of(row)).quotations = row["n"]
        else:
            suppressed.add(key_of(row))
    for row in awarded:
        if not _published(row):
            suppressed.add(key_of(row))
            continue
        target = cell(key_of(row))
        target.awards = row["n"]
        target.awarded_value_idr = row["value"] or 0
        if row["declared_value"]:
            target.local_content_pct_weighted = (
                Decimal(row["weighted"]) / Decimal(row["declared_value"])
            ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return [cells[key] for key in sorted(cells)], len(suppressed)
