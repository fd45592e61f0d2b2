"""Matching benchmark: the engine against a per-pair ORM scorer and PostgreSQL full-text search.

    .venv/bin/python bench/matching.py --suppliers 100000 --requirements 10000

Creates (or reuses) the PostgreSQL database ``rantai_bench`` (``--database-url`` to change),
fills it with seeded synthetic data on first use, and measures, end to end including the reads
from and the writes to PostgreSQL:

(a) one requirement against all suppliers (``services.score_requirement``),
(b) one supplier against all open requirements (``services.score_supplier``),
(c) the full rescore writing the top 50 of every requirement (``services.rescore_everything``),

and the same top-k computed by two baselines: the per-pair reference scorer over the ORM (timed on
a sample of pairs and extrapolated, as it would take hours) and a PostgreSQL full-text-search
ranking. It also reports peak memory and, on the labeled evaluation set (loaded in a transaction
that is rolled back), each method's nDCG@5 and hard-rule violations in the top 10.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(database_url: str) -> None:
    # One BLAS thread per process, as for the Celery workers: parallelism comes from processes,
    # and a contended multi-threaded BLAS call is slow and jittery.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
    os.environ["DEBUG"] = "false"  # DEBUG would keep every query in memory
    os.environ["REDIS_URL"] = ""
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _ensure_database(database_url: str) -> None:
    import psycopg2

    name = database_url.rsplit("/", 1)[1]
    admin = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


class MemorySampler:
    """Peak proportional set size (shared pages split between the processes sharing them) of
    this process and its descendants, sampled every 0.2 s: the memory the run really occupies."""

    def __init__(self) -> None:
        import threading

        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    @staticmethod
    def _tree() -> list[int]:
        """This process and all its descendants (a prefork worker's pool processes are the
        children of a child)."""
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry.name)] = int(fields[1])
        tree, frontier = [os.getpid()], [os.getpid()]
        while frontier:
            frontier = [pid for pid, parent in parents.items() if parent in frontier]
            tree += frontier
        return tree

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            total = sum(self._pss_kb(pid) for pid in self._tree())
            self.peak_mb = max(self.peak_mb, total / 1024)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _median(values):
    return statistics.median(values) if values else float("nan")


def _timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


# --- baselines ----------------------------------------------------------------------------------


def _fts_query_words(text: str) -> str:
    from matchmaking.engine.text import STOP_WORDS, normalise

    words = []
    for word in normalise(text).replace("-", " ").split():
        word = "".join(ch for ch in word if ch.isalnum())
        if len(word) >= 3 and word not in STOP_WORDS and not word.isdigit() and word not in words:
            words.append(word)
    return " | ".join(words) or "zzzz"


def fts_top_suppliers(requirement, k: int = 50) -> list[int]:
    """The full-text-search baseline: suppliers ranked by ts_rank of their description against
    the requirement's title and description (any word), no structured fields, no hard rules."""
    from django.db import connection

    from suppliers.models import Supplier

    table = Supplier._meta.db_table
    query = _fts_query_words(f"{requirement.title} {requirement.description}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table}, to_tsquery('simple', %s) q "
            f"WHERE to_tsvector('simple', description) @@ q "
            f"ORDER BY ts_rank(to_tsvector('simple', description), q) DESC, id LIMIT %s",
            [query, k],
        )
        return [row[0] for row in cursor.fetchall()]


def fts_top_requirements(supplier, k: int = 50) -> list[int]:
    from django.db import connection

    from manufacturers.models import Requirement

    table = Requirement._meta.db_table
    query = _fts_query_words(supplier.description)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table}, to_tsquery('simple', %s) q "
            f"WHERE status = 'open' AND to_tsvector('simple', title || ' ' || description) @@ q "
            f"ORDER BY ts_rank(to_tsvector('simple', title || ' ' || description), q) DESC, id "
            f"LIMIT %s",
            [query, k],
        )
        return [row[0] for row in cursor.fetchall()]


# --- quality on the labeled set -----------------------------------------------------------------


def evaluate_quality() -> dict:
    from datetime import date

    from django.db import transaction

    from matchmaking import data, services
    from matchmaking.models import Match
    from matchmaking.reference_scorer import (
        ReferenceScorer,
        requirement_queryset,
        supplier_queryset,
    )
    from tests.matching import eval_set

    out = {}
    with transaction.atomic():
        data.clear_caches()
        requirements, suppliers = eval_set.load()
        key_of = {s.id: key for key, s in suppliers.items()}
        scorer = ReferenceScorer(date.today())
        sups = list(supplier_queryset().filter(id__in=key_of))
        reqs = {k: requirement_queryset().get(pk=r.pk) for k, r in requirements.items()}
        excluded = {
            key: {key_of[s.id] for s in sups if scorer.score(r, s).excluded}
            for key, r in reqs.items()
        }
        services.rescore_everything()
        engine = {
            key: [
                key_of[s]
                for s in Match.objects.filter(requirement=r)
                .order_by("rank")
                .values_list("supplier_id", flat=True)
            ]
            for key, r in requirements.items()
        }
        reference = {
            key: [key_of[sid] for sid, _ in scorer.rank(r, sups, 10)] for key, r in reqs.items()
        }
        fts = {
            key: [key_of[s] for s in fts_top_suppliers(r, 10) if s in key_of]
            for key, r in reqs.items()
        }
        for name, rankings in (("engine", engine), ("per_pair_orm", reference), ("fts", fts)):
            result = eval_set.evaluate(rankings, excluded)
            out[name] = {
                "ndcg5": round(result["ndcg5"], 4),
                "violations_top10": result["violations"],
            }
        transaction.set_rollback(True)
    data.clear_caches()
    return out


# --- the measurements -------------------------------------------------------------------------


def measure(args) -> dict:
    import numpy as np
    from django.db import connection

    from manufacturers.models import Requirement
    from matchmaking import data, services
    from matchmaking.models import Match
    from matchmaking.reference_scorer import (
        ReferenceScorer,
        requirement_queryset,
        supplier_queryset,
    )
    from suppliers.models import Supplier

    report: dict = {"suppliers": Supplier.objects.count()}
    report["open_requirements"] = Requirement.objects.filter(status="open").count()
    report["pairs"] = report["suppliers"] * report["open_requirements"]
    rng = np.random.default_rng(args.seed)
    req_ids = list(Requirement.objects.filter(status="open").values_list("id", flat=True))
    sup_ids = list(Supplier.objects.values_list("id", flat=True))
    sample_r = [
        int(x) for x in rng.choice(req_ids, size=min(args.repeat, len(req_ids)), replace=False)
    ]
    sample_s = [
        int(x) for x in rng.choice(sup_ids, size=min(args.repeat, len(sup_ids)), replace=False)
    ]

    with connection.cursor() as cursor:  # the FTS baseline gets its indexes
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS bench_supplier_fts ON {Supplier._meta.db_table} "
            "USING gin (to_tsvector('simple', description))"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS bench_requirement_fts ON {Requirement._meta.db_table} "
            "USING gin (to_tsvector('simple', title || ' ' || description))"
        )
        cursor.execute("ANALYZE")

    # (c) first, from cold caches: reads everything, scores 10^9 pairs, writes the top 50s.
    data.clear_caches()
    with MemorySampler() as memory:
        seconds, stats = _timed(services.rescore_everything, processes=args.processes)
    report["c_full_rescore"] = {
        "seconds": round(seconds, 2),
        "pairs_per_second": round(report["pairs"] / seconds),
        "matches_written": Match.objects.count(),
        "processes": args.processes,
        "peak_pss_mb_all_processes": round(memory.peak_mb),
        "stats": stats.as_dict(),
    }
    print("(c) full rescore", report["c_full_rescore"], flush=True)

    # (a) one requirement against all suppliers.
    data.clear_caches()
    cold, _ = _timed(services.score_requirement, sample_r[0])
    warm = [_timed(services.score_requirement, rid)[0] for rid in sample_r]
    report["a_one_requirement"] = {
        "cold_seconds": round(cold, 3),
        "warm_median_ms": round(_median(warm) * 1000, 1),
        "warm_max_ms": round(max(warm) * 1000, 1),
    }
    print("(a) one requirement", report["a_one_requirement"], flush=True)

    # (b) one supplier against all open requirements.
    data.clear_caches()
    cold, _ = _timed(services.score_supplier, sample_s[0])
    warm = [_timed(services.score_supplier, sid)[0] for sid in sample_s]
    report["b_one_supplier"] = {
        "cold_seconds": round(cold, 3),
        "warm_median_ms": round(_median(warm) * 1000, 1),
        "warm_max_ms": round(max(warm) * 1000, 1),
    }
    print("(b) one supplier", report["b_one_supplier"], flush=True)

    # Baseline 1: the per-pair reference scorer over the ORM, on a sample, extrapolated.
    from datetime import date

    scorer = ReferenceScorer(date.today())
    requirement = requirement_queryset().get(pk=sample_r[0])
    started = time.perf_counter()
    sample_sup = list(supplier_queryset().filter(id__in=sup_ids[: args.baseline_sample]))
    scorer.rank(requirement, sample_sup, 50)
    per_pair = (time.perf_counter() - started) / len(sample_sup)
    supplier = supplier_queryset().get(pk=sample_s[0])
    started = time.perf_counter()
    sample_req = list(requirement_queryset().filter(id__in=req_ids[: args.baseline_sample]))
    for req in sample_req:
        scorer.score(req, supplier)
    per_pair_b = (time.perf_counter() - started) / len(sample_req)
    report["baseline_per_pair_orm"] = {
        "sample_pairs": len(sample_sup) + len(sample_req),
        "seconds_per_pair": per_pair,
        "a_extrapolated_seconds": round(per_pair * report["suppliers"], 1),
        "b_extrapolated_seconds": round(per_pair_b * report["open_requirements"], 1),
        "c_extrapolated_hours": round(per_pair * report["pairs"] / 3600, 1),
    }
    print("per-pair ORM baseline", report["baseline_per_pair_orm"], flush=True)

    # Baseline 2: PostgreSQL full-text search (ranking only; no hard rules, no writes).
    reqs = {r.id: r for r in Requirement.objects.filter(id__in=sample_r)}
    fts_a = [_timed(fts_top_suppliers, reqs[rid], 50)[0] for rid in sample_r]
    sups = {s.id: s for s in Supplier.objects.filter(id__in=sample_s)}
    fts_b = [_timed(fts_top_requirements, sups[sid], 50)[0] for sid in sample_s]
    report["baseline_fts"] = {
        "a_median_ms": round(_median(fts_a) * 1000, 1),
        "b_median_ms": round(_median(fts_b) * 1000, 1),
        "c_extrapolated_seconds": round(_median(fts_a) * report["open_requirements"], 1),
    }
    print("FTS baseline", report["baseline_fts"], flush=True)

    a_ms = report["a_one_requirement"]["warm_median_ms"]
    b_ms = report["b_one_supplier"]["warm_median_ms"]
    report["speedup_vs_per_pair"] = {
        "a": round(report["baseline_per_pair_orm"]["a_extrapolated_seconds"] * 1000 / a_ms),
        "b": round(report["baseline_per_pair_orm"]["b_extrapolated_seconds"] * 1000 / b_ms),
        "c": round(
            report["baseline_per_pair_orm"]["c_extrapolated_hours"]
            * 3600
            / report["c_full_rescore"]["seconds"]
        ),
    }
    report["speedup_vs_fts"] = {
        "a": round(report["baseline_fts"]["a_median_ms"] / a_ms, 2),
        "b": round(report["baseline_fts"]["b_median_ms"] / b_ms, 2),
        "c": round(
            report["baseline_fts"]["c_extrapolated_seconds"] / report["c_full_rescore"]["seconds"],
            2,
        ),
    }
    report["peak_rss_mb"] = {
        "main_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        # The largest forked process of (c); the generator ran before (c) in its own process.
        "largest_child": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--requirements", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=20, help="samples for (a), (b), FTS")
    parser.add_argument("--baseline-sample", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="for (c)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/rantai_bench")
    parser.add_argument("--regenerate", action="store_true", help="drop and recreate the data")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quality-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the report to this file")
    args = parser.parse_args()

    if args.generate_only:
        _setup(args.database_url)
        from bench.synthetic import generate

        started = time.perf_counter()
        generate(args.suppliers, args.requirements, args.seed)
        print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
        return

    if args.quality_only:
        _ensure_database(args.database_url)
        _setup(args.database_url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print("QUALITY " + json.dumps(evaluate_quality()), flush=True)
        return

    # The labeled set is scored in its own database, so that the synthetic data stays out of it.
    output = subprocess.run(
        [sys.executable, __file__, "--quality-only", "--database-url", args.database_url + "_eval"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    quality = json.loads(output.split("QUALITY ", 1)[1])
    print("quality on the labeled set", quality, flush=True)

    _ensure_database(args.database_url)
    _setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from manufacturers.models import Requirement
    from suppliers.models import Supplier

    call_command("migrate", verbosity=0)
    have = (Supplier.objects.count(), Requirement.objects.count())
    if args.regenerate or have != (args.suppliers, args.requirements):
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE suppliers_supplier, manufacturers_manufacturer, "
                "manufacturers_requirement RESTART IDENTITY CASCADE"
            )
    if Supplier.objects.count() != args.suppliers:
        # A child process, so that generating the data does not count in the peak memory.
        connection.close()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate-only",
                "--suppliers",
                str(args.suppliers),
                "--requirements",
                str(args.requirements),
                "--seed",
                str(args.seed),
                "--database-url",
                args.database_url,
            ],
            check=True,
        )
    report = measure(args)
    report["quality"] = quality
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
