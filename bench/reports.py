"""Ministry dashboard benchmark: every figure and table of ``reports.dashboard`` at scale.

    .venv/bin/python bench/reports.py --suppliers 100000 --matches 1000000

Creates (or reuses) the PostgreSQL database ``rantai_bench_reports`` (``--database-url``),
fills it on first use with the seeded synthetic suppliers and requirements of
``bench/synthetic.py`` plus, in SQL, ``--matches`` match rows, introductions for the ten best
matches of each requirement, partnerships for the accepted ones and size records, spread over two
years. Then it times the full dashboard (key figures, funnel, stage and pattern tables and the
five breakdowns, i.e. what one page view computes) for the default twelve months, unfiltered
and with each filter, and prints the medians and the number of queries.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.matching import _ensure_database, _setup  # noqa: E402


def _fill(n_suppliers: int, n_matches: int) -> None:
    from django.db import connection

    from bench import synthetic

    synthetic.generate(n_suppliers, max(n_suppliers // 10, 10))
    per_requirement = max(n_matches // max(n_suppliers // 10, 10), 1)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM suppliers_supplier")
        (n,) = c.fetchone()
        # Registrations and verifications spread over the last two years.
        c.execute(
            """UPDATE suppliers_supplier SET
                 created_at = now() - ((id * 7919) % 730) * interval '1 day',
                 verified_at = CASE WHEN verification_status = 'verified'
                   THEN now() - ((id * 7919) % 730) * interval '1 day' + interval '5 days' END"""
        )
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


def measure(repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.dashboard import Filters, dashboard, default_period

    start, end = default_period()
    cases = {
        "all": Filters(start, end),
        "province=32": Filters(start, end, province="32"),
        "island=Jawa": Filters(start, end, island_group="Jawa"),
        "size=kecil": Filters(start, end, size_class="kecil"),
        "system=BAT": Filters(start, end, system="BAT"),
    }
    results = {}
    for name, f in cases.items():
        with CaptureQueriesContext(connection) as queries:
            dashboard(f)  # warm-up (plans, caches), also counts the queries
        times = []
        for _i in range(repeat):
            t0 = time.perf_counter()
            dashboard(f)
            times.append(time.perf_counter() - t0)
        results[name] = {
            "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3),
            "queries": len(queries),
        }
        print(
            f"{name:14} median {results[name]['median_s']:.3f} s  max {results[name]['max_s']:.3f}"
            f" s  {results[name]['queries']} queries",
            flush=True,
        )
    # What a ministry user gets for the default view: the worker has computed it already.
    from reports.dashboard import cached_dashboard
    from reports.tasks import warm_dashboard

    t0 = time.perf_counter()
    warm_dashboard()
    warm = time.perf_counter() - t0
    times = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        cached_dashboard(cases["all"])
        times.append(time.perf_counter() - t0)
    results["all, warmed by the worker"] = {
        "median_s": round(statistics.median(times), 4),
        "worker_task_s": round(warm, 3),
    }
    print(f"warmed: task {warm:.2f} s, page read median {statistics.median(times):.4f} s")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/rantai_bench_reports"
    )
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--matches", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args()

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
        _fill(args.suppliers, args.matches)
        print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
    counts = _counts()
    print(json.dumps(counts))
    results = {"rows": counts, "timings": measure(args.repeat)}
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
