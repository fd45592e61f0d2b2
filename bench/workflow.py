"""Fan-out benchmark: the nightly rescore as blocks of requirements x shards of UMKM on real
Celery workers, with 1 and then 2 worker processes, beside today's ``rematch`` in the same run.

    .venv/bin/python bench/workflow.py --suppliers 100000 --requirements 2000 --shard-size 25000

The defaults are those figures.

Creates (or reuses) the PostgreSQL database ``rantai_bench_fanout`` and fills it with seeded
synthetic data on first use. Then, every run starting from an empty match table:

(a) ``services.rescore_everything`` (what ``manage.py rematch`` runs) in one process, the
    reference table;
(b) for each ``--layouts`` (default 1x1, 1x2, 2x1: workers x processes): that many ``celery
    worker`` subprocesses with that many prefork processes each, ``tasks.rescore_all``
    published to them (the nightly job, above the shard size: maps and merges) and the wall
    time until the chunk ledger is empty; the workers' logs give each map's and merge's own
    time. The final table is compared with (a).
(c) the same with the shard size above the number of UMKM: today's nightly chunks (each block
    of requirements against all UMKM in one task), for comparison.

Peak memory is the proportional set size of this process and all its descendants (the worker
and its pool processes). The load average before and after each run is printed: on a shared
machine other processes' load inflates the times.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.matching import MemorySampler  # noqa: E402

# Celery's own line for every task, with its wall time and its result.
LINE = re.compile(r"run_chunk\[[^\]]+\] succeeded in ([\d.]+)s: (\{.*\})")


def _setup(database_url: str, redis_url: str, shard_size: int) -> dict[str, str]:
    env = {
        "OPENBLAS_NUM_THREADS": "1",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 60),
        "DEBUG": "false",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MATCHMAKING_SHARD_SIZE": str(shard_size),
        "LOG_LEVEL": "INFO",
        "CONN_MAX_AGE": "0",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import logging

    logging.getLogger().setLevel(logging.WARNING)  # this process: the figures only
    return env


def _table_digest() -> tuple[int, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), md5(coalesce(string_agg(concat_ws(',', requirement_id, "
            "supplier_id, score, rank), ';' ORDER BY requirement_id, rank), '')) "
            "FROM matchmaking_match"
        )
        return cursor.fetchone()


def _empty_matches() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM matchmaking_match")
        cursor.execute("DELETE FROM matchmaking_readinesssummary")
        cursor.execute("VACUUM ANALYZE matchmaking_match")


class Worker:
    """``celery worker`` with ``concurrency`` prefork processes; its log lines are kept."""

    def __init__(self, env: dict[str, str], concurrency: int, name: str) -> None:
        self.lines: list[str] = []
        ready = threading.Event()
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork"),
                *("--concurrency", str(concurrency), "--loglevel", "INFO"),
                *("--without-gossip", "--without-mingle", "-n", f"{name}@%h"),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

        def read() -> None:
            for line in self.process.stdout:
                self.lines.append(line)
                if " ready." in line:
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(120):
            self.stop()
            raise RuntimeError("the worker did not start:\n" + "".join(self.lines[-40:]))

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)

    def results(self) -> dict[str, list[tuple[float, dict]]]:
        """(task seconds, result) of every chunk, by kind."""
        found: dict[str, list[tuple[float, dict]]] = {
            "shard": [],
            "merge": [],
            "requirements": [],
            "readiness": [],
            "other": [],
        }
        for line in self.lines:
            match = LINE.search(line)
            if not match:
                continue
            result = ast.literal_eval(match.group(2))
            if "shard" in result:
                kind = "shard"
            elif "map_seconds" in result:
                kind = "merge"
            elif "readiness_rows" in result:
                kind = "readiness"
            elif "matches" in result:
                kind = "requirements"
            else:
                kind = "other"
            found[kind].append((float(match.group(1)), result))
        return found


def _summary(values: list[float]) -> dict:
    if not values:
        return {}
    return {
        "n": len(values),
        "median_s": round(statistics.median(values), 3),
        "mean_s": round(statistics.fmean(values), 3),
        "max_s": round(max(values), 3),
        "sum_s": round(sum(values), 2),
    }


def run_nightly(env: dict[str, str], workers: int, concurrency: int, shard_size: int) -> dict:
    """``tasks.rescore_all`` on ``workers`` fresh workers of ``concurrency`` processes each,
    until the ledger is empty. Above ``shard_size`` suppliers it fans out; below, today's
    requirement chunks. Each worker is a session of its own, as a machine of its own would be:
    the kernel's autogroup scheduling shares the CPU between sessions, not processes."""
    import redis
    from django.conf import settings

    from matchmaking import tasks
    from matchmaking.models import ScoringBlock, ScoringChunk

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("celery")
    _empty_matches()
    ScoringChunk.objects.all().delete()
    ScoringBlock.objects.all().delete()
    settings.MATCHMAKING_SHARD_SIZE = shard_size
    pool = [
        Worker({**env, "MATCHMAKING_SHARD_SIZE": str(shard_size)}, concurrency, f"bench-{n}")
        for n in range(workers)
    ]
    load = os.getloadavg()[0]
    try:
        with MemorySampler() as memory:
            started = time.perf_counter()
            planned = tasks.rescore_all()
            while ScoringChunk.objects.exists() or ScoringBlock.objects.exists():
                time.sleep(0.2)
            wall = time.perf_counter() - started
    finally:
        for worker in pool:
            worker.stop()
    found: dict[str, list] = {}
    for worker in pool:
        for kind, rows in worker.results().items():
            found.setdefault(kind, []).extend(rows)
    maps = found["shard"]
    report = {
        "workers": workers,
        "concurrency": concurrency,
        "planned": planned,
        "wall_s": round(wall, 2),
        "busy_s": round(sum(t for kind in found.values() for t, _ in kind), 2),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "peak_memory_mb": round(memory.peak_mb),
        "table": _table_digest(),
    }
    for kind, rows in found.items():
        if rows:
            report[kind] = _summary([t for t, _ in rows])
    if maps:
        # The scoring alone (the map's own clock: no message, no candidates write).
        report["map_scoring"] = _summary([r["seconds"] for _, r in maps])
        report["map_pairs"] = statistics.median(r["pairs"] for _, r in maps)
        report["merge_candidates"] = statistics.median(r["candidates"] for _, r in found["merge"])
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--requirements", type=int, default=2_000)
    parser.add_argument("--shard-size", type=int, default=25_000)
    parser.add_argument(
        "--layouts",
        nargs="+",
        default=["1x1", "1x2", "2x1"],
        help="workers x processes each: 1x2 is one worker of two processes",
    )
    parser.add_argument("--modes", nargs="+", default=["fanout", "chunks"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/rantai_bench_fanout"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--skip-rematch", action="store_true", help="no (a): no equality check")
    parser.add_argument("--json", help="also write the report to this file")
    args = parser.parse_args()

    from bench.matching import _ensure_database

    _ensure_database(args.database_url)
    env = _setup(args.database_url, args.redis_url, args.shard_size)
    from django.core.management import call_command
    from django.db import connection

    from manufacturers.models import Requirement
    from matchmaking import services
    from suppliers.models import Supplier

    call_command("migrate", verbosity=0)
    if (Supplier.objects.count(), Requirement.objects.count()) != (
        args.suppliers,
        args.requirements,
    ):
        from bench.synthetic import generate

        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE suppliers_supplier, manufacturers_manufacturer, "
                "manufacturers_requirement RESTART IDENTITY CASCADE"
            )
        generate(args.suppliers, args.requirements, args.seed)
    print(
        f"{args.suppliers} UMKM x {args.requirements} requirements, shards of {args.shard_size}",
        flush=True,
    )
    report: dict = {"suppliers": args.suppliers, "requirements": args.requirements}
    report["shard_size"] = args.shard_size
    if not args.skip_rematch:
        _empty_matches()
        # In a child process: its arrays must not count in the workers' memory, nor stay in
        # this process while the workers run.
        code = (
            "import sys, time; sys.argv=['x']; from bench.workflow import _setup; "
            f"_setup({args.database_url!r}, {args.redis_url!r}, {args.shard_size}); "
            "from matchmaking import services; t=time.perf_counter(); "
            "services.rescore_everything(); print('SECONDS', time.perf_counter()-t)"
        )
        with MemorySampler() as memory:
            out = subprocess.run(
                [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
            ).stdout
        seconds = float(out.split("SECONDS", 1)[1])
        report["rematch"] = {
            "wall_s": round(seconds, 2),
            "peak_memory_mb": round(memory.peak_mb),
            "table": _table_digest(),
        }
        print("rematch (today, 1 process)", json.dumps(report["rematch"]), flush=True)
    del services
    report["nightly"] = []
    modes = {"fan-out": args.shard_size, "chunks (today)": args.suppliers + 1}
    for mode in args.modes:
        name = "fan-out" if mode == "fanout" else "chunks (today)"
        for layout in args.layouts:
            workers, concurrency = (int(n) for n in layout.split("x"))
            result = {"mode": name, **run_nightly(env, workers, concurrency, modes[name])}
            if "rematch" in report:
                result["same_table_as_rematch"] = result["table"] == report["rematch"]["table"]
            report["nightly"].append(result)
            print(f"{name}, {layout} worker processes", json.dumps(result), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
