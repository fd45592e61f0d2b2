"""The machine's shared supplier snapshot against each process's own copy, side by side in one run.

    .venv/bin/python bench/snapshot.py \
        --database-url postgres://postgres@127.0.0.1:5432/rantai_bench_1m --pool 1 2 4

Measures, on an existing generated database (``bench/synthetic.py``):
(1) memory of a pool of k scoring processes, each holding the supplier arrays and the engine's
    feature matrix ready to score: the pool's total PSS (shared pages split between sharers) and
    each process's private memory (USS), own copies against the mapped snapshot;
(2) bringing the arrays up to date after ``--edits`` profile edits: the snapshot's new version
    against today's in-process refresh, and the snapshot's full build;
(3) one requirement against every UMKM, warm (``services.score_requirement``), end to end with
    the PostgreSQL writes, and one UMKM against every open requirement (``score_supplier``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.matching import _setup  # noqa: E402


def _smaps(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            values[parts[0].rstrip(":")] = int(parts[1])
    return values


def _child(mode: str) -> None:
    """A scoring process: loads the arrays as a worker would, scores one block, then waits."""
    from django.utils import timezone

    from matchmaking import data

    vocab, engine = data.load_engine(timezone.localdate())
    sups = data.supplier_index(vocab, day=engine.today)
    engine.supplier_features(sups)
    reqs = data.load_requirements(vocab)
    import numpy as np

    engine.score_block(reqs, np.arange(min(128, len(reqs))), sups)
    print("ready", len(sups), flush=True)
    sys.stdin.readline()


def _pool_memory(mode: str, k: int, env: dict) -> dict:
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--child", mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(k)
    ]
    try:
        for proc in procs:
            line = proc.stdout.readline()
            if not line.startswith("ready"):
                raise RuntimeError(f"child failed: {line!r}")
        ready = time.perf_counter() - started
        rollups = [_smaps(p.pid) for p in procs]
    finally:
        for proc in procs:
            try:
                proc.stdin.write("\n")
                proc.stdin.flush()
            except BrokenPipeError:
                pass
            proc.wait(60)
    uss = [(r.get("Private_Clean", 0) + r.get("Private_Dirty", 0)) / 1024 for r in rollups]
    return {
        "mode": mode,
        "processes": k,
        "pool_pss_mb": round(sum(r.get("Pss", 0) for r in rollups) / 1024),
        "uss_mb_each": round(statistics.mean(uss)),
        "rss_mb_each": round(statistics.mean(r.get("Rss", 0) for r in rollups) / 1024),
        "ready_s": round(ready, 1),
    }


def _edit(ids: list[int]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE suppliers_supplier SET lead_time_days = COALESCE(lead_time_days, 14) + 1, "
            "updated_at = now() WHERE id = ANY(%s)",
            [ids],
        )


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/rantai_bench")
    parser.add_argument("--pool", type=int, nargs="+", default=[1, 2], help="0: skip (1)")
    parser.add_argument("--skip-single", action="store_true", help="skip (2) and (3)")
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--snapshot-dir", default="")
    parser.add_argument(
        "--rescore-requirements",
        type=int,
        default=0,
        help="(4) full rescore of this many open requirements against every UMKM, both ways",
    )
    parser.add_argument("--processes", type=int, default=2, help="for (4)")
    parser.add_argument("--rescore-modes", nargs="+", default=["own copy", "snapshot"])
    parser.add_argument("--child", default="")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    if args.child:
        _setup(os.environ["DATABASE_URL"])
        _child(args.child)
        return

    snapshot_dir = args.snapshot_dir or tempfile.mkdtemp(prefix="rantai-snapshot-")
    os.environ["MATCHMAKING_SNAPSHOT_DIR"] = snapshot_dir
    _setup(args.database_url)
    import logging

    from django.conf import settings
    from django.utils import timezone

    from matchmaking import data, services, snapshot
    from suppliers.models import Supplier

    logging.getLogger("matchmaking.snapshot").setLevel(logging.INFO)
    load = os.getloadavg()[0]
    results: dict = {"database": args.database_url, "load_before": round(load, 1)}
    vocab, engine = data.load_engine(timezone.localdate())
    day = engine.today

    # Generated rows share one timestamp, and an update re-reads the rows within the late-commit
    # window of the newest one (all of them): one edit first, as a live database would have.
    all_ids = list(Supplier.objects.order_by().values_list("id", flat=True))
    _edit(all_ids[:1])
    # The snapshot's full build (what the first process of a machine does once).
    snapshot.discard()
    started = time.perf_counter()
    sups = data.supplier_index(vocab, day=day)
    results["snapshot_build_s"] = round(time.perf_counter() - started, 1)
    results["suppliers"] = len(sups)

    # (1) memory of a pool
    base_env = {**os.environ, "DATABASE_URL": args.database_url}
    pools = []
    for k in (k for k in args.pool if k > 0):
        for mode, directory in (("own copy", ""), ("snapshot", snapshot_dir)):
            env = {**base_env, "MATCHMAKING_SNAPSHOT_DIR": directory}
            pools.append(_pool_memory(mode, k, env))
            print(json.dumps(pools[-1]), flush=True)
    results["pools"] = pools

    from manufacturers.models import Requirement

    if not args.skip_single:
        # (2) after N edits: snapshot update against today's in-process refresh
        rng = random.Random(7)
        edited = rng.sample(all_ids, min(args.edits, len(all_ids)))
        settings.MATCHMAKING_SNAPSHOT_DIR = ""
        data.clear_caches(snapshot_files=False)
        data.supplier_index(vocab, day=day)  # warm own copy
        settings.MATCHMAKING_SNAPSHOT_DIR = snapshot_dir
        results["snapshot_version_before_edits"] = data.supplier_index(vocab, day=day).version
        time.sleep(1.1)
        _edit(edited)
        started = time.perf_counter()
        updated = data.supplier_index(vocab, day=day)
        results["snapshot_update_s"] = round(time.perf_counter() - started, 2)
        results["snapshot_version"] = updated.version
        settings.MATCHMAKING_SNAPSHOT_DIR = ""
        started = time.perf_counter()
        data.supplier_index(vocab, day=day)
        results["own_copy_refresh_s"] = round(time.perf_counter() - started, 2)

        # The freshness check every scoring task makes: counting the rows, as before, against the
        # deletion counter with two index lookups.
        from django.db.models import Count, Max

        def counted() -> tuple:
            return tuple(
                Supplier.objects.order_by()
                .aggregate(n=Count("id"), latest=Max("updated_at"), top=Max("id"))
                .values()
            )

        results["signature_ms[count]"] = _median_ms(counted, args.repeat)
        results["signature_ms[counter]"] = _median_ms(data.supplier_signature, args.repeat)

        # (3) one requirement warm, one UMKM
        from manufacturers.models import Requirement

        req_ids = list(
            Requirement.objects.filter(status="open")
            .order_by("?")
            .values_list("id", flat=True)[:50]
        )
        sample = rng.sample(all_ids, args.repeat)
        for mode, directory in (("own copy", ""), ("snapshot", snapshot_dir)):
            settings.MATCHMAKING_SNAPSHOT_DIR = directory
            data.clear_caches(snapshot_files=False)
            services.score_requirement(req_ids[0])  # warm
            it = iter(req_ids[1:])
            results[f"one_requirement_ms[{mode}]"] = _median_ms(
                lambda it=it: services.score_requirement(next(it)), args.repeat
            )
        data.clear_caches(snapshot_files=False)
        services.score_supplier(sample[0])
        it = iter(sample[1:] + sample[:1])
        results["one_umkm_ms"] = _median_ms(
            lambda: services.score_supplier(next(it)), args.repeat - 1
        )

    # (4) the full rescore's work on a sample of requirements, with its peak memory (all
    # processes' PSS: shared pages counted once)
    if args.rescore_requirements:
        from bench.matching import MemorySampler

        sample_ids = sorted(
            Requirement.objects.filter(status="open")
            .order_by("id")
            .values_list("id", flat=True)[: args.rescore_requirements]
        )
        for mode, directory in (("own copy", ""), ("snapshot", snapshot_dir)):
            if mode not in args.rescore_modes:
                continue
            settings.MATCHMAKING_SNAPSHOT_DIR = directory
            data.clear_caches(snapshot_files=False)
            with MemorySampler() as memory:
                started = time.perf_counter()
                stats = services.rescore_everything(
                    processes=args.processes, requirement_ids=sample_ids
                )
                seconds = time.perf_counter() - started
            results[f"rescore[{mode}]"] = {
                "requirements": stats.requirements,
                "pairs": stats.pairs,
                "matches": stats.matches,
                "seconds": round(seconds, 1),
                "peak_pss_mb": round(memory.peak_mb),
                "load": round(os.getloadavg()[0], 1),
            }
            print(mode, json.dumps(results[f"rescore[{mode}]"]), flush=True)
    results["load_after"] = round(os.getloadavg()[0], 1)
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
