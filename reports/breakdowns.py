"""The dashboard's breakdown tables: one row per province, island group, size class, component
system or month, each table a fixed number of grouped queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, DateField, DecimalField, F, Func, Q, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from introductions.models import Introduction
from suppliers.models import ComponentCategory, Province, SizeClass, VerificationStatus

from .filters import Filters, awards, introductions, partnerships, suppliers


class FirstSegment(Func):
    """The part of a dotted code before the first dot (``BAT.PACK.BRKT`` -> ``BAT``)."""

    function = "split_part"
    output_field = CharField()

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, Value("."), Value(1))


def system_of(path: str) -> Func:
    """The component system (first segment of a category code, e.g. ``BAT``)."""
    return FirstSegment(F(path))


# --- breakdowns -------------------------------------------------------------------------------

BREAKDOWN_COLUMNS = {
    "registered": _("UMKM registered"),
    "verified": _("UMKM verified"),
    "introductions": _("Introductions"),
    "accepted": _("Accepted"),
    "partnerships": _("Partnerships"),
    "contract_value_idr": _("Contract value (IDR)"),
}

# The awarded contracts' tables: by the dimensions the ministry asked for, by day of the award.
AWARD_DIMENSIONS = ("province", "system", "month")
AWARD_COLUMNS = {
    "awarded_value_idr": _("Awarded value (IDR)"),
    # Derived from the sums below, per row (empty when no award states its TKDN).
    "awarded_tkdn_pct": _("Value-weighted local content (TKDN %)"),
}

# What every award adds up, on both paths (the direct queries and the facts): the awards, their
# value, and over the awards that state a local content, value x TKDN % and their value.
AWARD_SUMS = ("awards", "awarded_value_idr", "lc_weighted", "lc_valued")


def award_sums() -> dict[str, Any]:
    """The ``AWARD_SUMS`` as aggregates of a partnership queryset."""
    stated = Q(local_content_pct__isnull=False)
    return {
        "awards": Count("pk"),
        "awarded_value_idr": Sum("contract_value_idr", default=0),
        "lc_weighted": Sum(
            F("contract_value_idr") * F("local_content_pct"),
            output_field=DecimalField(max_digits=30, decimal_places=2),
            default=0,
        ),
        "lc_valued": Sum("contract_value_idr", filter=stated, default=0),
    }


def weighted_local_content(weighted: Any, valued: Any) -> float | None:
    """sum(value x TKDN %) / sum(value), over the awards that state their TKDN, to one decimal;
    None when there are none (or no value)."""
    if not valued:
        return None
    return round(float(Decimal(weighted or 0) / Decimal(valued)), 1)


# How a dimension is read from a supplier (``s`` is the path to it), a requirement (``r``, or
# None for rows that are suppliers) and the row's date field (``d``).
KeyFn = Callable[[str, str | None, str], Any]


@dataclass(frozen=True)
class Dimension:
    slug: str
    title: Any
    key: KeyFn
    labels: Callable[[Filters], dict[Any, str]] = field(default=lambda f: {})
    all_keys: bool = False
    # A supplier has several component systems: only then can a supplier row repeat (and be
    # counted once with DISTINCT, which is slow). Introductions and partnerships never repeat.
    many: bool = False


def _province_labels(f: Filters) -> dict[Any, str]:
    return dict(Province.objects.order_by("code").values_list("code", "name"))


def _size_labels(f: Filters) -> dict[Any, str]:
    return {s.code: s.name for s in SizeClass.objects.order_by("rank")}


def _system_labels(f: Filters) -> dict[Any, str]:
    return {c.code: c.name for c in ComponentCategory.objects.filter(level=1).order_by("code")}


def _month_labels(f: Filters) -> dict[Any, str]:
    labels, month = {}, f.date_from.replace(day=1)
    while month <= f.date_to:
        # The site's one month format in the reader's language ("Mei 2026" / "May 2026"), as
        # every other date on the page and in the exports.
        labels[month] = date_format(month, "YEAR_MONTH_FORMAT")
        month = (month + timedelta(days=32)).replace(day=1)
    return labels


def _system_key(s: str, r: str | None, d: str) -> Func:
    return system_of(f"{s}components__code" if r is None else f"{r}component_id")


DIMENSIONS = {
    d.slug: d
    for d in (
        Dimension(
            "province",
            _("By province"),
            lambda s, r, d: F(f"{s}province_id"),
            _province_labels,
            all_keys=True,
        ),
        Dimension("island", _("By island group"), lambda s, r, d: F(f"{s}province__island_group")),
        Dimension(
            "size", _("By size class"), lambda s, r, d: F(f"{s}size_class_id"), _size_labels, True
        ),
        Dimension("system", _("By component system"), _system_key, _system_labels, True, many=True),
        Dimension(
            "month",
            _("By month"),
            lambda s, r, d: TruncMonth(d, output_field=DateField()),
            _month_labels,
            all_keys=True,
        ),
    )
}


def breakdown(f: Filters, dimension: Dimension) -> list[dict[str, Any]]:
    """Rows of ``BREAKDOWN_COLUMNS`` per key of the dimension: four grouped queries."""
    k = dimension.key
    grouped: dict[Any, dict[str, int]] = {}

    def merge(rows) -> None:
        for row in rows:
            key = row.pop("key")
            grouped.setdefault(key, {}).update(row)

    merge(
        suppliers(f)
        .filter(f.period("created_at"))
        .values(key=k("", None, "created_at"))
        .annotate(registered=Count("pk", distinct=dimension.many))
        .order_by()
    )
    merge(
        suppliers(f)
        .filter(f.period("verified_at"), verification_status=VerificationStatus.VERIFIED)
        .values(key=k("", None, "verified_at"))
        .annotate(verified=Count("pk", distinct=dimension.many))
        .order_by()
    )
    merge(
        introductions(f)
        .values(key=k("supplier__", "requirement__", "requested_at"))
        .annotate(
            introductions=Count("pk"),
            accepted=Count(
                "pk",
                filter=Q(status=Introduction.Status.ACCEPTED) | Q(partnership__isnull=False),
            ),
        )
        .order_by()
    )
    merge(
        partnerships(f)
        .values(key=k("introduction__supplier__", "introduction__requirement__", "created_at"))
        .annotate(
            partnerships=Count("pk"),
            contract_value_idr=Sum("contract_value_idr", default=0),
        )
        .order_by()
    )
    return breakdown_rows(f, dimension, grouped)


def award_breakdown(f: Filters, dimension: Dimension) -> list[dict[str, Any]]:
    """Rows of ``AWARD_COLUMNS`` per key of the dimension: one grouped query."""
    rows = (
        awards(f)
        .values(
            key=dimension.key(
                "introduction__supplier__", "introduction__requirement__", "awarded_at"
            )
        )
        .annotate(**award_sums())
        .order_by()
    )
    return award_rows(f, dimension, {row.pop("key"): row for row in rows})


def breakdown_rows(
    f: Filters, dimension: Dimension, grouped: dict[Any, dict[str, int]]
) -> list[dict[str, Any]]:
    """The table's rows from the counts per key (however they were counted): every labelled key
    in order for the dimensions that list them all, then the others."""
    labels = dimension.labels(f)
    keys = list(labels) if dimension.all_keys else []
    keys += sorted((key for key in grouped if key not in labels), key=lambda x: (x is None, x))
    empty = str(_("Not given"))
    return [
        {
            "key": key,
            "label": labels.get(key, key if key not in (None, "") else empty),
            **{column: grouped.get(key, {}).get(column, 0) for column in BREAKDOWN_COLUMNS},
        }
        for key in keys
    ]


def award_rows(
    f: Filters, dimension: Dimension, grouped: dict[Any, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The awards table's rows from the ``AWARD_SUMS`` per key, keys as ``breakdown_rows``."""
    labels = dimension.labels(f)
    keys = list(labels) if dimension.all_keys else []
    keys += sorted((key for key in grouped if key not in labels), key=lambda x: (x is None, x))
    empty = str(_("Not given"))
    rows = []
    for key in keys:
        sums = grouped.get(key, {})
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key if key not in (None, "") else empty),
                "awarded_value_idr": sums.get("awarded_value_idr", 0),
                "awarded_tkdn_pct": weighted_local_content(
                    sums.get("lc_weighted"), sums.get("lc_valued")
                ),
            }
        )
    return rows
