"""Ministry dashboard benchmark: every figure and table of ``reports.dashboard`` at scale.

    .venv/bin/python bench/reports.py --suppliers 100000 --matches 1000000

Creates (or reuses) the PostgreSQL database ``rantai_bench_reports`` (``--database-url``),
fills it on first use with the seeded synthetic suppliers and requirements of
``bench/synthetic.py`` plus, in SQL, ``--matches`` match rows, introductions for the ten best
matches of each requirement, partnerships for the accepted ones and size records, spread over two
years. Then, side by side in one run, for the default twelve months unfiltered, with each filter,
with combinations, for one month and for two years, it times the full dashboard (key figures,
funnel, stage and pattern tables and the five breakdowns, i.e. what one uncached page view
computes) both ways: the direct queries of ``reports.dashboard.dashboard`` and the
pre-aggregated facts of ``reports.aggregated.dashboard``, and checks that they are identical.
It also times the facts for every single filter value, and the worker's refresh of the facts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.matching import _ensure_database, _setup  # noqa: E402


def _fill(n_suppliers: int, n_requirements: int, n_matches: int) -> None:
    """The synthetic UMKM and requirements (unless the database holds them already, e.g. made
    from ``bench/synthetic.py``'s database as a template), then the dashboard's rows in SQL:
    generated inside PostgreSQL, with no engine and no rows through the client."""
    from django.db import connection

    from bench import synthetic

    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM suppliers_supplier")
        if not c.fetchone()[0]:
            synthetic.generate(n_suppliers, n_requirements)
        c.execute("SELECT count(*) FROM suppliers_supplier")
        (n,) = c.fetchone()
        c.execute("SELECT count(*) FROM manufacturers_requirement")
        per_requirement = max(n_matches // max(c.fetchone()[0], 1), 1)
        # Registrations and verifications spread over the last two years.
        c.execute(
            """UPDATE suppliers_supplier SET
                 created_at = now() - ((id * 7919) % 730) * interval '1 day',
                 verified_at = CASE WHEN verification_status = 'verified'
                   THEN now() - ((id * 7919) % 730) * interval '1 day' + interval '5 days' END"""
        )
        # Millions of rows: without the secondary indexes (rebuilt by sorting afterwards) and
        # without the deferred foreign-key checks (every id is valid by construction), which
        # queued 20 million checks for the commit and thrashed 128 MB of shared buffers with
        # random index inserts (the first 1M-UMKM attempt wrote 218 GB through the page cache
        # in 20 minutes and was cancelled).
        c.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'matchmaking_match'"
            " AND indexname NOT IN ('matchmaking_match_pkey', 'match_unique_pair')"
        )
        index_definitions = [row[0] for row in c.fetchall()]
        for definition in index_definitions:
            c.execute("DROP INDEX " + definition.split()[2])
        c.execute("ALTER TABLE matchmaking_match DROP CONSTRAINT match_unique_pair")
        c.execute("SET session_replication_role = replica")
        c.execute("SET maintenance_work_mem = '1GB'")
        c.execute(
            """INSERT INTO matchmaking_match
                 (requirement_id, supplier_id, score, rank, components, facts, engine_version,
                  computed_at)
               SELECT r.id, ((r.id * 7919 + k * 1009) %% %s) + 1, 1.0 - k / 1000.0, k, '{}',
                      '{}', 'bench', now() - ((r.id + k) %% 365) * interval '1 day'
               FROM manufacturers_requirement r, generate_series(1, %s) k""",
            [n, per_requirement],
        )
        c.execute(
            "ALTER TABLE matchmaking_match ADD CONSTRAINT match_unique_pair"
            " UNIQUE (requirement_id, supplier_id)"
        )
        for definition in index_definitions:
            c.execute(definition)
        c.execute("RESET session_replication_role")
        c.execute(
            """INSERT INTO matchmaking_introduction
                 (requirement_id, supplier_id, direction, score, message, status, decline_reason,
                  requested_at, expires_at)
               SELECT requirement_id, supplier_id, 'buyer_request', score, '',
                      (ARRAY['requested','accepted','accepted','declined','expired',
                             'withdrawn'])[1 + (supplier_id + requirement_id) %% 6],
                      '', computed_at, computed_at + interval '14 days'
               FROM matchmaking_match WHERE rank <= 10""",
            [],
        )
        c.execute(
            """INSERT INTO matchmaking_partnership
                 (introduction_id, pattern_id, stage, ended_reason, contract_value_idr,
                  technology_transfer, financing, notes, created_at, updated_at)
               SELECT i.id, (SELECT code FROM suppliers_partnershippattern
                             ORDER BY code OFFSET i.id %% 3 LIMIT 1),
                      (ARRAY['in_discussion','sample_trial','contract','active'])[1 + i.id %% 4],
                      '', CASE WHEN i.id %% 4 >= 2 THEN 50000000 + (i.id %% 97) * 1000000 END,
                      false, false, '', i.requested_at + interval '10 days',
                      i.requested_at + interval '10 days'
               FROM matchmaking_introduction i WHERE i.status = 'accepted' AND i.id %% 2 = 0""",
            [],
        )
        c.execute(
            """INSERT INTO matchmaking_suppliersizerecord
                 (supplier_id, size_class_id, revenue_band, valid_from, recorded_at)
               SELECT DISTINCT s.id, 'mikro', '', date '2020-01-01', now()
               FROM suppliers_supplier s;
               INSERT INTO matchmaking_suppliersizerecord
                 (supplier_id, size_class_id, revenue_band, valid_from, recorded_at)
               SELECT DISTINCT ON (i.supplier_id) i.supplier_id, 'kecil', '',
                      (p.created_at + interval '90 days')::date, now()
               FROM matchmaking_partnership p
               JOIN matchmaking_introduction i ON i.id = p.introduction_id
               WHERE i.supplier_id %% 3 = 0
               ORDER BY i.supplier_id, p.created_at""",
            [],
        )
        c.execute("ANALYZE")


def _copy_database(template: str, database_url: str) -> None:
    """A file-level copy (CREATE DATABASE ... TEMPLATE): seconds, against minutes to generate;
    nothing may be connected to the template meanwhile."""
    import psycopg2

    name = database_url.rsplit("/", 1)[1]
    admin = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            t0 = time.perf_counter()
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            print(f"copied {template} to {name} in {time.perf_counter() - t0:.0f} s", flush=True)
    admin.close()


def _counts() -> dict:
    from django.db import connection

    tables = [
        "suppliers_supplier",
        "matchmaking_match",
        "matchmaking_introduction",
        "matchmaking_partnership",
        "matchmaking_suppliersizerecord",
    ]
    with connection.cursor() as c:
        result = {}
        for table in tables:
            c.execute(f"SELECT count(*) FROM {table}")
            result[table] = c.fetchone()[0]
    return result


def _cases() -> dict:
    from reports.dashboard import Filters, default_period

    start, end = default_period()
    month_start = end.replace(day=1)
    return {
        "all": Filters(start, end),
        "province=32": Filters(start, end, province="32"),
        "island=Jawa": Filters(start, end, island_group="Jawa"),
        "size=kecil": Filters(start, end, size_class="kecil"),
        "system=BAT": Filters(start, end, system="BAT"),
        "island=Sumatera+system=BAT": Filters(start, end, island_group="Sumatera", system="BAT"),
        "province=35+size=mikro+system=BAT": Filters(
            start, end, province="35", size_class="mikro", system="BAT"
        ),
        "this month": Filters(month_start, end),
        "two years": Filters(start.replace(year=start.year - 1), end),
    }


def _timed(fn, repeat: int) -> tuple[float, float, int, object]:
    """Median and max seconds of ``repeat`` calls after a warm-up, the queries of one, and the
    warm-up's result (for the comparison). With ``repeat`` 0, the warm-up is the one timing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = fn()  # warm-up (plans, caches), also counts the queries
    times = [time.perf_counter() - t0] if not repeat else []
    for _i in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times), len(queries), result


def _plain(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "computed_at"}


def measure(repeat: int, direct_repeat: int | None = None) -> dict:
    """Side by side per filter combination: the direct queries (``reports.dashboard.dashboard``,
    what every uncached page view computed before) and the pre-aggregated facts
    (``reports.aggregated.dashboard``, what a page view computes now, uncached), and whether
    the two give the same figures; then the worker's refresh of the facts. ``direct_repeat``
    (default ``repeat``) bounds the direct path, which takes tens of seconds a view at national
    scale: 0 times its first, cold call only; a negative value skips it and the comparison."""
    from django.db import connection

    from reports import aggregated, services
    from reports.dashboard import Filters, dashboard, default_period
    from reports.facts import FACT_MODELS
    from suppliers.models import ComponentCategory, Province, SizeClass

    t0 = time.perf_counter()
    refresh = services.dashboard_facts_refresh()
    first_refresh = time.perf_counter() - t0
    results: dict = {"cases": {}}
    for name, f in _cases().items():
        facts = _timed(lambda f=f: aggregated.dashboard(f, refresh), repeat)
        if direct_repeat is not None and direct_repeat < 0:
            results["cases"][name] = {
                "facts_median_s": round(facts[0], 3),
                "facts_max_s": round(facts[1], 3),
                "facts_queries": facts[2],
            }
            print(
                f"{name:36} facts {facts[0]:.3f} s (max {facts[1]:.3f}, {facts[2]} q)",
                flush=True,
            )
            continue
        direct = _timed(
            lambda f=f: dashboard(f), repeat if direct_repeat is None else direct_repeat
        )
        same = _plain(direct[3]) == _plain(facts[3])
        results["cases"][name] = {
            "direct_median_s": round(direct[0], 3),
            "direct_max_s": round(direct[1], 3),
            "direct_queries": direct[2],
            "facts_median_s": round(facts[0], 3),
            "facts_max_s": round(facts[1], 3),
            "facts_queries": facts[2],
            "ratio": round(direct[0] / facts[0], 1),
            "identical": same,
        }
        print(
            f"{name:36} direct {direct[0]:.3f} s ({direct[2]} q)  facts {facts[0]:.3f} s"
            f" (max {facts[1]:.3f}, {facts[2]} q)  x{direct[0] / facts[0]:.0f}"
            f"  identical={same}",
            flush=True,
        )

    # Every single filter value, on the facts only (the direct path would take minutes).
    start, end = default_period()
    singles = (
        [Filters(start, end, province=c) for c in Province.objects.values_list("pk", flat=True)]
        + [
            Filters(start, end, island_group=i)
            for i in Province.objects.values_list("island_group", flat=True).distinct()
        ]
        + [
            Filters(start, end, size_class=c)
            for c in SizeClass.objects.values_list("pk", flat=True)
        ]
        + [
            Filters(start, end, system=c)
            for c in ComponentCategory.objects.filter(level=1).values_list("pk", flat=True)
        ]
    )
    sweep = []
    for f in singles:
        t0 = time.perf_counter()
        aggregated.dashboard(f, refresh)
        sweep.append(time.perf_counter() - t0)
    results["every_single_filter_value"] = {
        "views": len(sweep),
        "median_s": round(statistics.median(sweep), 3),
        "max_s": round(max(sweep), 3),
    }
    print(
        f"every single filter value ({len(sweep)} views, facts): median"
        f" {statistics.median(sweep):.3f} s, max {max(sweep):.3f} s",
        flush=True,
    )

    # The worker's task: a full rebuild of the facts, while the data sit still.
    times = []
    for _i in range(max(repeat // 2, 2)):
        t0 = time.perf_counter()
        services.dashboard_facts_refresh()
        times.append(time.perf_counter() - t0)
    with connection.cursor() as c:
        rows = {}
        for table in (model._meta.db_table for model in FACT_MODELS):
            c.execute(f"SELECT count(*) FROM {table}")
            rows[table] = c.fetchone()[0]
    results["refresh"] = {
        "first_s": round(first_refresh, 2),
        "median_s": round(statistics.median(times), 2),
        "max_s": round(max(times), 2),
        "fact_rows": rows,
    }
    print(
        f"worker refresh: median {statistics.median(times):.2f} s, max {max(times):.2f} s"
        f" (first {first_refresh:.2f} s); fact rows {json.dumps(rows)}",
        flush=True,
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/rantai_bench_reports"
    )
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument(
        "--requirements", type=int, help="when generating (default: one per 10 suppliers)"
    )
    parser.add_argument("--matches", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--direct-repeat",
        type=int,
        help="timed calls of the direct path (default --repeat; 0: the first call only; -1: skip)",
    )
    parser.add_argument(
        "--template",
        help="create the database as a copy of this one (e.g. rantai_bench_1m from"
        " bench/synthetic.py) instead of generating the UMKM and requirements",
    )
    parser.add_argument("--json")
    args = parser.parse_args()

    if args.template:
        _copy_database(args.template, args.database_url)
    _ensure_database(args.database_url)
    _setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM matchmaking_match")
        empty = c.fetchone()[0] == 0
    if empty:
        t0 = time.perf_counter()
        _fill(args.suppliers, args.requirements or max(args.suppliers // 10, 10), args.matches)
        print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
    counts = _counts()
    print(json.dumps(counts))
    load_before = os.getloadavg()
    timings = measure(args.repeat, args.direct_repeat)
    load_after = os.getloadavg()
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    results = {
        "rows": counts,
        "load_average": {"before": load_before, "after": load_after},
        "timings": timings,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
