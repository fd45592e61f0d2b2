"""Builds the dashboard's fact tables (``reports.models``) from the live tables, in SQL.

Each build copies what ``reports.filters`` and ``reports.breakdowns`` read through joins (the
supplier's province, island group and size class, the requirement's component system) onto one
narrow row, and turns timestamps into local days: a period filter on days is the same as
``Filters.period`` on timestamps, because a period starts and ends at local midnight.
"""

from __future__ import annotations

from django.db import connection

from introductions.models import Introduction, Partnership, SupplierSizeRecord
from manufacturers.models import Requirement
from matchmaking.models import Match
from suppliers.models import Province, SizeClass, Supplier

from .models import (
    AwardStat,
    IntroductionStat,
    MatchStat,
    PartnershipFact,
    PartnershipStat,
    SupplierFact,
    SupplierStat,
)

CUBES = (SupplierStat, MatchStat, IntroductionStat, PartnershipStat, AwardStat)
FACT_MODELS = (*CUBES, SupplierFact, PartnershipFact)

CONTRACT_STAGES = (Partnership.Stage.CONTRACT, Partnership.Stage.ACTIVE)


def _tables() -> dict[str, str]:
    return {
        "supplier": Supplier._meta.db_table,
        "components": Supplier.components.through._meta.db_table,
        "province": Province._meta.db_table,
        "size_class": SizeClass._meta.db_table,
        "requirement": Requirement._meta.db_table,
        "match": Match._meta.db_table,
        "introduction": Introduction._meta.db_table,
        "partnership": Partnership._meta.db_table,
        "size_record": SupplierSizeRecord._meta.db_table,
        **{model.__name__: model._meta.db_table for model in FACT_MODELS},
    }


# Statements take the time zone as %(tz)s; table names come from the models' metadata. The day
# rows of each cube are written first; its month rows are then summed from them.

# Each UMKM's distinct component systems, sorted (so equal sets fold into one cube row); read
# by two statements, so computed once.
_SYSTEMS = """
CREATE TEMPORARY TABLE reports_refresh_systems ON COMMIT DROP AS
SELECT supplier_id, array_agg(DISTINCT split_part(componentcategory_id, '.', 1)) AS systems
FROM {components} GROUP BY supplier_id
"""

_SUPPLIER_DAYS = """
INSERT INTO {SupplierStat} (kind, month, day, province, island, size_class, systems, n)
WITH events AS (
    SELECT 'registered' AS kind, s.id, (s.created_at AT TIME ZONE %(tz)s)::date AS day
    FROM {supplier} s
    UNION ALL
    SELECT 'verified', s.id, (s.verified_at AT TIME ZONE %(tz)s)::date
    FROM {supplier} s WHERE s.verification_status = 'verified' AND s.verified_at IS NOT NULL
)
SELECT e.kind, date_trunc('month', e.day::timestamp)::date, e.day, s.province_id,
       p.island_group, s.size_class_id, coalesce(sy.systems, '{{}}'), count(*)
FROM events e
JOIN {supplier} s ON s.id = e.id
LEFT JOIN {province} p ON p.code = s.province_id
LEFT JOIN reports_refresh_systems sy ON sy.supplier_id = s.id
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""

_MATCH_DAYS = """
INSERT INTO {MatchStat} (month, day, province, island, size_class, system, n)
SELECT date_trunc('month', d.day::timestamp)::date, d.day, s.province_id, p.island_group,
       s.size_class_id, split_part(r.component_id, '.', 1), count(*)
FROM {match} m
CROSS JOIN LATERAL (SELECT (m.computed_at AT TIME ZONE %(tz)s)::date AS day) d
JOIN {supplier} s ON s.id = m.supplier_id
JOIN {requirement} r ON r.id = m.requirement_id
LEFT JOIN {province} p ON p.code = s.province_id
GROUP BY 1, 2, 3, 4, 5, 6
"""

_INTRODUCTION_DAYS = """
INSERT INTO {IntroductionStat} (month, day, province, island, size_class, system, status,
                                partnered, contracted, n)
SELECT date_trunc('month', d.day::timestamp)::date, d.day, s.province_id, p.island_group,
       s.size_class_id, split_part(r.component_id, '.', 1), i.status,
       pt.id IS NOT NULL, coalesce(pt.stage IN %(contract_stages)s, false), count(*)
FROM {introduction} i
CROSS JOIN LATERAL (SELECT (i.requested_at AT TIME ZONE %(tz)s)::date AS day) d
JOIN {supplier} s ON s.id = i.supplier_id
JOIN {requirement} r ON r.id = i.requirement_id
LEFT JOIN {province} p ON p.code = s.province_id
LEFT JOIN {partnership} pt ON pt.introduction_id = i.id
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""

_PARTNERSHIP_DAYS = """
INSERT INTO {PartnershipStat} (month, day, province, island, size_class, system, stage, pattern,
                               contract_value_idr, n)
SELECT date_trunc('month', d.day::timestamp)::date, d.day, s.province_id, p.island_group,
       s.size_class_id, split_part(r.component_id, '.', 1), pt.stage, pt.pattern_id,
       sum(pt.contract_value_idr), count(*)
FROM {partnership} pt
CROSS JOIN LATERAL (SELECT (pt.created_at AT TIME ZONE %(tz)s)::date AS day) d
JOIN {introduction} i ON i.id = pt.introduction_id
JOIN {supplier} s ON s.id = i.supplier_id
JOIN {requirement} r ON r.id = i.requirement_id
LEFT JOIN {province} p ON p.code = s.province_id
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""

# By the local day of the award; the sums as ``reports.breakdowns.award_sums`` takes them.
_AWARD_DAYS = """
INSERT INTO {AwardStat} (month, day, province, island, size_class, system, awarded_value_idr,
                         lc_weighted, lc_valued, n)
SELECT date_trunc('month', d.day::timestamp)::date, d.day, s.province_id, p.island_group,
       s.size_class_id, split_part(r.component_id, '.', 1), sum(pt.contract_value_idr),
       sum(pt.contract_value_idr * pt.local_content_pct),
       sum(pt.contract_value_idr) FILTER (WHERE pt.local_content_pct IS NOT NULL), count(*)
FROM {partnership} pt
CROSS JOIN LATERAL (SELECT (pt.awarded_at AT TIME ZONE %(tz)s)::date AS day) d
JOIN {introduction} i ON i.id = pt.introduction_id
JOIN {supplier} s ON s.id = i.supplier_id
JOIN {requirement} r ON r.id = i.requirement_id
LEFT JOIN {province} p ON p.code = s.province_id
WHERE pt.awarded_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6
"""

# Microseconds, as whole numbers: the median divides them exactly as the direct computation does.
_SUPPLIER_FACTS = """
INSERT INTO {SupplierFact} (supplier_id, province, island, size_class, systems,
                            first_introduction_day, microseconds_to_first_introduction)
WITH firsts AS (
    SELECT supplier_id, min(requested_at) AS first_at FROM {introduction} GROUP BY supplier_id
)
SELECT s.id, s.province_id, p.island_group, s.size_class_id, coalesce(sy.systems, '{{}}'),
       (f.first_at AT TIME ZONE %(tz)s)::date,
       ((extract(epoch FROM f.first_at) - extract(epoch FROM s.created_at)) * 1000000)::bigint
FROM firsts f
JOIN {supplier} s ON s.id = f.supplier_id
LEFT JOIN {province} p ON p.code = s.province_id
LEFT JOIN reports_refresh_systems sy ON sy.supplier_id = s.id
"""

# ``moved_up`` as reports.dashboard.moved_up_after_partnership decides it for a partnership that
# started on that local day: the highest size class recorded after the day is above the one in
# force on the day.
_PARTNERSHIP_FACTS = """
INSERT INTO {PartnershipFact} (partnership_id, supplier_id, created_at, day, province, island,
                               size_class, system, moved_up)
SELECT pt.id, i.supplier_id, pt.created_at, d.day, s.province_id, p.island_group,
       s.size_class_id, split_part(r.component_id, '.', 1),
       coalesce((SELECT max(c.rank) FROM {size_record} sr
                 JOIN {size_class} c ON c.code = sr.size_class_id
                 WHERE sr.supplier_id = i.supplier_id AND sr.valid_from > d.day)
                > (SELECT c.rank FROM {size_record} sr
                   JOIN {size_class} c ON c.code = sr.size_class_id
                   WHERE sr.supplier_id = i.supplier_id AND sr.valid_from <= d.day
                   ORDER BY sr.valid_from DESC LIMIT 1), false)
FROM {partnership} pt
CROSS JOIN LATERAL (SELECT (pt.created_at AT TIME ZONE %(tz)s)::date AS day) d
JOIN {introduction} i ON i.id = pt.introduction_id
JOIN {supplier} s ON s.id = i.supplier_id
JOIN {requirement} r ON r.id = i.requirement_id
LEFT JOIN {province} p ON p.code = s.province_id
"""

_MONTHS = """
INSERT INTO {table} (month, day, {keys}, n{sums})
SELECT month, NULL, {keys}, sum(n){sum_values}
FROM {table} WHERE day IS NOT NULL
GROUP BY month, {keys}
"""

_CUBE_KEYS = {
    SupplierStat: (["province", "island", "size_class", "kind", "systems"], []),
    MatchStat: (["province", "island", "size_class", "system"], []),
    IntroductionStat: (
        ["province", "island", "size_class", "system", "status", "partnered", "contracted"],
        [],
    ),
    PartnershipStat: (
        ["province", "island", "size_class", "system", "stage", "pattern"],
        ["contract_value_idr"],
    ),
    AwardStat: (
        ["province", "island", "size_class", "system"],
        ["awarded_value_idr", "lc_weighted", "lc_valued"],
    ),
}


def _months_sql(model) -> str:
    keys, sums = _CUBE_KEYS[model]
    return _MONTHS.format(
        table=model._meta.db_table,
        keys=", ".join(keys),
        sums="".join(f", {c}" for c in sums),
        sum_values="".join(f", sum({c})" for c in sums),
    )


def rebuild(tz: str) -> dict[str, int]:
    """Replaces every fact table's rows; returns the rows written per table.

    Runs inside the caller's transaction: readers keep seeing the previous facts until it
    commits (DELETE, not TRUNCATE, which would block them).
    """
    names = _tables()
    params = {"tz": tz, "contract_stages": tuple(str(s) for s in CONTRACT_STAGES)}
    statements = [
        # The grouped joins of a million matches stay in memory rather than spill to disk.
        "SET LOCAL work_mem = '64MB'",
        # Compiling these one-off statements costs more than it saves.
        "SET LOCAL jit = off",
        # Left by an earlier refresh in the same, still open, transaction (as in tests).
        "DROP TABLE IF EXISTS pg_temp.reports_refresh_systems",
        _SYSTEMS,
        _SUPPLIER_DAYS,
        _MATCH_DAYS,
        _INTRODUCTION_DAYS,
        _PARTNERSHIP_DAYS,
        _AWARD_DAYS,
        *(_months_sql(model) for model in CUBES),
        _SUPPLIER_FACTS,
        _PARTNERSHIP_FACTS,
    ]
    with connection.cursor() as cursor:
        for model in FACT_MODELS:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 (model names)
        for sql in statements:
            cursor.execute(sql.format(**names), params)
        # Fresh statistics, so the planner sees the new row counts at once.
        written = {}
        for model in FACT_MODELS:
            table = model._meta.db_table
            cursor.execute(f"ANALYZE {table}")
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (model names)
            written[table] = cursor.fetchone()[0]
    return written
