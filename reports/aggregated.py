"""The dashboard read from the pre-aggregated facts (``reports.facts``): the same figures as the
direct queries of ``reports.dashboard`` (the tests compare the two on built data), in seven
queries on small tables, without joins, whatever the filters.

Each cube is read once with ``GROUPING SETS``: the total and every breakdown in one scan, of
month rows for the whole months of the period and day rows for its partial months. The median
and "moved up" stay exact: they are read from one row per UMKM or partnership.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _

from introductions.models import Partnership
from suppliers.models import PartnershipPattern

from .breakdowns import (
    AWARD_DIMENSIONS,
    BREAKDOWN_COLUMNS,
    DIMENSIONS,
    award_rows,
    breakdown_rows,
    weighted_local_content,
)
from .filters import Filters, open_requirements
from .models import (
    AwardStat,
    DashboardRefresh,
    IntroductionStat,
    MatchStat,
    PartnershipFact,
    PartnershipStat,
    SupplierFact,
    SupplierStat,
)

# Breakdown slug -> the fact tables' column.
DIMENSION_COLUMNS = {
    "province": "province",
    "island": "island",
    "size": "size_class",
    "system": "system",
    "month": "month",
}

Groups = dict[str | None, dict[Any, dict[str, int]]]


def _number(value: Any) -> int | Decimal:
    """A sum as read: whole numbers as int (PostgreSQL sums bigints as numeric), a fraction (a
    sum of value x percentage) kept exact."""
    if value is None:
        return 0
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return value
    return int(value)


def _conditions(f: Filters, *, many_systems: bool = False) -> tuple[list[str], list[Any]]:
    clauses, params = [], []
    for column, value in (
        ("province", f.province),
        ("island", f.island_group),
        ("size_class", f.size_class),
    ):
        if value:
            clauses.append(f"{column} = %s")
            params.append(value)
    if f.system:
        # A supplier counts for a system if any of its component categories belongs to it.
        clauses.append("%s = ANY(systems)" if many_systems else "system = %s")
        params.append(f.system)
    return clauses, params


def _in_days(f: Filters, column: str = "day") -> tuple[str, list[Any]]:
    return f"{column} BETWEEN %s AND %s", [f.date_from, f.date_to]


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _in_cube_period(f: Filters) -> tuple[str, list[Any]]:
    """The cube rows that make up the period: month rows for its whole months, day rows for
    the days before and after them."""
    first_whole = f.date_from if f.date_from.day == 1 else _next_month(f.date_from)
    ends_a_month = (f.date_to + timedelta(days=1)).day == 1
    after_whole = _next_month(f.date_to) if ends_a_month else f.date_to.replace(day=1)
    if first_whole >= after_whole:  # no whole month inside
        return "day BETWEEN %s AND %s", [f.date_from, f.date_to]
    last_day_before = first_whole - timedelta(days=1)
    return (
        "((day IS NULL AND month >= %s AND month < %s)"
        " OR day BETWEEN %s AND %s OR day BETWEEN %s AND %s)",
        [first_whole, after_whole, f.date_from, last_day_before, after_whole, f.date_to],
    )


def _where(*parts: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
    clauses = [sql for sql, _params in parts if sql] or ["TRUE"]
    return " AND ".join(clauses), [p for _sql, params in parts for p in params]


def _grouping_sets(
    inner_sql: str,
    params: list[Any],
    columns: Iterable[str],
    measures: dict[str, str],
) -> Groups:
    """``{None: {None: total}, column: {key: {measure: value}}}`` for the rows of ``inner_sql``
    grouped by nothing and by each column alone. Groups whose measures are all zero are left
    out (as a direct grouped count never yields them)."""
    columns = list(columns)
    grouping = ", ".join(f"GROUPING({c})" for c in columns)
    sets = ", ".join(["()"] + [f"({c})" for c in columns])
    sql = (
        f"SELECT {grouping}, {', '.join(columns)}, "  # noqa: S608 (names from the models; values are parameters)
        + ", ".join(f"{expression} AS {name}" for name, expression in measures.items())
        + f" FROM ({inner_sql}) t GROUP BY GROUPING SETS ({sets})"
    )
    n = len(columns)
    result: Groups = {None: {None: dict.fromkeys(measures, 0)}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            grouped_by = [c for c, flag in zip(columns, row[:n], strict=True) if flag == 0]
            values = dict(zip(measures, (_number(v) for v in row[2 * n :]), strict=True))
            if not grouped_by:
                result[None][None] = values
            elif any(values.values()):
                column = grouped_by[0]
                result.setdefault(column, {})[row[columns.index(column) + n]] = values
    return result


def _filters(f: Filters, *, many_systems: bool = False) -> tuple[str, list[Any]]:
    clauses, params = _conditions(f, many_systems=many_systems)
    return " AND ".join(clauses), params


def _supplier_groups(f: Filters) -> Groups:
    where, params = _where(_filters(f, many_systems=True), _in_cube_period(f))
    inner = f"""SELECT province, island, size_class, month, kind, n
                FROM {SupplierStat._meta.db_table} WHERE {where}"""  # noqa: S608 (names from the models; values are parameters)
    return _grouping_sets(
        inner,
        params,
        ["province", "island", "size_class", "month"],
        {
            "registered": "sum(n) FILTER (WHERE kind = 'registered')",
            "verified": "sum(n) FILTER (WHERE kind = 'verified')",
        },
    )


def _suppliers_by_system(f: Filters) -> dict[Any, dict[str, int]]:
    """Registered and verified UMKM per component system: once in each of their systems."""
    where, params = _where(_filters(f, many_systems=True), _in_cube_period(f))
    sql = f"""
        SELECT u.system, sum(n) FILTER (WHERE kind = 'registered'),
               sum(n) FILTER (WHERE kind = 'verified')
        FROM {SupplierStat._meta.db_table}
        LEFT JOIN LATERAL unnest(systems) AS u(system) ON TRUE
        WHERE {where}
        GROUP BY u.system"""  # noqa: S608 (names from the models; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            system: {"registered": int(registered or 0), "verified": int(verified or 0)}
            for system, registered, verified in cursor.fetchall()
        }


def _median_days_to_first_introduction(f: Filters) -> float | None:
    """As ``statistics.median`` over the same days: the middle value, or the mean of the two
    middle values, of the exact microseconds divided as the direct computation divides them."""
    where, params = _where(_filters(f, many_systems=True), _in_days(f, "first_introduction_day"))
    us = "microseconds_to_first_introduction"
    sql = f"""
        SELECT count(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY {us}),
               percentile_disc(0.5) WITHIN GROUP (ORDER BY {us} DESC)
        FROM {SupplierFact._meta.db_table} WHERE {where}"""  # noqa: S608 (names from the models; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, lower, upper = cursor.fetchone()
    if not count:
        return None
    # percentile_disc(0.5) is the lower middle value; in descending order, the upper one.
    low, high = (int(lower) / 10**6) / 86400, (int(upper) / 10**6) / 86400
    return round(low if count % 2 else (low + high) / 2, 1)


def _introduction_groups(f: Filters) -> Groups:
    where, params = _where(_filters(f), _in_cube_period(f))
    inner = f"""SELECT province, island, size_class, system, month, status, partnered,
                       contracted, n
                FROM {IntroductionStat._meta.db_table} WHERE {where}"""  # noqa: S608 (names from the models; values are parameters)
    return _grouping_sets(
        inner,
        params,
        DIMENSION_COLUMNS.values(),
        {
            "introductions": "sum(n)",
            "status_accepted": "sum(n) FILTER (WHERE status = 'accepted')",
            "declined": "sum(n) FILTER (WHERE status = 'declined')",
            "expired": "sum(n) FILTER (WHERE status = 'expired')",
            # An introduction with a partnership was accepted first, whatever its status now.
            "accepted": "sum(n) FILTER (WHERE status = 'accepted' OR partnered)",
            "partnered": "sum(n) FILTER (WHERE partnered)",
            "contracted": "sum(n) FILTER (WHERE contracted)",
        },
    )


def _partnership_groups(f: Filters) -> Groups:
    where, params = _where(_filters(f), _in_cube_period(f))
    inner = f"""SELECT province, island, size_class, system, month, stage, pattern,
                       contract_value_idr, n
                FROM {PartnershipStat._meta.db_table} WHERE {where}"""  # noqa: S608 (names from the models; values are parameters)
    return _grouping_sets(
        inner,
        params,
        [*DIMENSION_COLUMNS.values(), "stage", "pattern"],
        {"partnerships": "sum(n)", "contract_value_idr": "sum(contract_value_idr)"},
    )


def _award_groups(f: Filters) -> Groups:
    where, params = _where(_filters(f), _in_cube_period(f))
    inner = f"""SELECT province, island, size_class, system, month, awarded_value_idr,
                       lc_weighted, lc_valued, n
                FROM {AwardStat._meta.db_table} WHERE {where}"""  # noqa: S608 (names from the models; values are parameters)
    return _grouping_sets(
        inner,
        params,
        DIMENSION_COLUMNS.values(),
        {
            "awards": "sum(n)",
            "awarded_value_idr": "sum(awarded_value_idr)",
            "lc_weighted": "sum(lc_weighted)",
            "lc_valued": "sum(lc_valued)",
        },
    )


def _moved_up(f: Filters) -> int:
    """UMKM whose first partnership in the period (among the filtered ones) moved them up."""
    where, params = _where(_filters(f), _in_days(f))
    sql = f"""
        SELECT count(*) FROM (
            SELECT DISTINCT ON (supplier_id) moved_up FROM {PartnershipFact._meta.db_table}
            WHERE {where} ORDER BY supplier_id, created_at
        ) first_ones WHERE moved_up"""  # noqa: S608 (names from the models; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _matches(f: Filters) -> int:
    where, params = _where(_filters(f), _in_cube_period(f))
    with connection.cursor() as cursor:
        sql = f"SELECT sum(n) FROM {MatchStat._meta.db_table} WHERE {where}"  # noqa: S608 (names from the models; values are parameters)
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0] or 0)


def _breakdown_counts(
    slug: str,
    suppliers: Groups,
    by_system: dict,
    intros: Groups,
    partnerships: Groups,
) -> dict[Any, dict[str, int]]:
    column = DIMENSION_COLUMNS[slug]
    grouped: dict[Any, dict[str, int]] = {}

    def merge(counts: dict[Any, dict[str, int]], names: tuple[str, ...]) -> None:
        for key, values in counts.items():
            picked = {name: values[name] for name in names if values[name]}
            if picked:
                grouped.setdefault(key, {}).update(picked)

    if slug == "system":
        merge(by_system, ("registered", "verified"))
    else:
        merge(suppliers.get(column, {}), ("registered", "verified"))
    merge(intros.get(column, {}), ("introductions", "accepted"))
    merge(partnerships.get(column, {}), ("partnerships", "contract_value_idr"))
    return grouped


def dashboard(f: Filters, refresh: DashboardRefresh) -> dict[str, Any]:
    """What ``reports.dashboard.dashboard`` returns, from the facts of ``refresh``."""
    suppliers = _supplier_groups(f)
    by_system = _suppliers_by_system(f)
    intros = _introduction_groups(f)
    partnerships = _partnership_groups(f)
    awarded = _award_groups(f)
    award_total = awarded[None][None]
    supplier_total = suppliers[None][None]
    intro_total = intros[None][None]
    partnership_total = partnerships[None][None]
    matches = _matches(f)
    figures = {
        "registered": supplier_total["registered"],
        "verified": supplier_total["verified"],
        "open_requirements": open_requirements(f),
        "matches": matches,
        "intro_requested": intro_total["introductions"],
        "intro_accepted": intro_total["status_accepted"],
        "intro_declined": intro_total["declined"],
        "intro_expired": intro_total["expired"],
        "partnerships": partnership_total["partnerships"],
        "contract_value_idr": partnership_total["contract_value_idr"],
        "awarded_value_idr": award_total["awarded_value_idr"],
        "awarded_tkdn_pct": weighted_local_content(
            award_total["lc_weighted"], award_total["lc_valued"]
        ),
        "median_days_to_intro": _median_days_to_first_introduction(f),
        "moved_up": _moved_up(f),
    }
    stages = {k: v["partnerships"] for k, v in partnerships.get("stage", {}).items()}
    patterns = {k: v["partnerships"] for k, v in partnerships.get("pattern", {}).items()}
    by_pattern = [
        (p.name, patterns.get(p.code, 0)) for p in PartnershipPattern.objects.order_by("code")
    ]
    if patterns.get(None):
        by_pattern.append((str(_("Not given")), patterns[None]))
    return {
        "figures": figures,
        "funnel": [
            (str(_("Matched")), matches),
            (str(_("Introduced")), intro_total["introductions"]),
            (str(_("Accepted")), intro_total["accepted"]),
            (str(_("Partnership")), intro_total["partnered"]),
            (str(_("Contract")), intro_total["contracted"]),
        ],
        "by_stage": [
            (str(label), stages.get(value, 0)) for value, label in Partnership.Stage.choices
        ],
        "by_pattern": by_pattern,
        "breakdowns": [
            (
                d.slug,
                breakdown_rows(
                    f,
                    d,
                    _breakdown_counts(d.slug, suppliers, by_system, intros, partnerships),
                ),
            )
            for d in DIMENSIONS.values()
        ],
        "awards": [
            (slug, award_rows(f, DIMENSIONS[slug], awarded.get(DIMENSION_COLUMNS[slug], {})))
            for slug in AWARD_DIMENSIONS
        ],
        "computed_at": refresh.refreshed_at,
    }


__all__ = ["BREAKDOWN_COLUMNS", "dashboard"]
