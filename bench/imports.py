"""Imports including their matches, side by side: this checkout against another (today's main).

Generates synthetic data once (``bench/synthetic.py``) into a source database, writes it as
import files (``bench/csvfiles.py``), then for each checkout copies the source into a fresh
database (``CREATE DATABASE ... TEMPLATE``) and times the real commands with in-process tasks
(``make run``'s mode, so "including the matches" means: until the command returns):

* requirements: ``import_requirements`` of every requirement into the suppliers alone;
* suppliers: ``import_suppliers`` of every supplier into the open requirements alone; a
  checkout whose import stores no matches (main) is followed by ``rematch`` to count the same
  work;
* 1,000 suppliers: ``import_suppliers`` of 1,000 new companies into all the data.

    .venv/bin/python bench/imports.py --suppliers 10000 --requirements 1000 --baseline /work/main
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = "postgres://postgres@127.0.0.1:5432"
LAST_CPU: dict = {}  # of the last command run


def _admin(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{SERVER}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def _sql(db: str, sql: str) -> list:
    import psycopg2

    conn = psycopg2.connect(f"{SERVER}/{db}")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall() if cursor.description else []
    conn.close()
    return rows


def _copy_db(source: str, target: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{target}"')
    _admin(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


class _BackendCpu(threading.Thread):
    """Polls the CPU time (user + system, from /proc) of the PostgreSQL backends serving ``db``
    while a command runs: the database's share of the work, which the command's own CPU time
    leaves out. A lower bound (a backend's last ticks before it exits are missed)."""

    def __init__(self, db: str) -> None:
        super().__init__(daemon=True)
        self.db, self.ticks, self.done = db, {}, threading.Event()

    def run(self) -> None:
        import psycopg2

        conn = psycopg2.connect(f"{SERVER}/postgres")
        conn.autocommit = True
        while not self.done.is_set():
            with conn.cursor() as cursor:
                cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.db])
                pids = [row[0] for row in cursor.fetchall()]
            for pid in pids:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.ticks[pid] = int(fields[11]) + int(fields[12])
            self.done.wait(0.2)
        conn.close()

    def seconds(self) -> float:
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")


def _run(checkout: Path, db: str, *args: str) -> float:
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{db}",
        "REDIS_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "OPENBLAS_NUM_THREADS": "1",
        "SECRET_KEY": "bench-" + "x" * 60,
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    backends = _BackendCpu(db)
    backends.start()
    started = time.perf_counter()
    done = subprocess.run(
        [str(checkout / ".venv/bin/python"), "manage.py", *args],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    backends.done.set()
    backends.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # Wall time depends on what else the shared machine runs; CPU time much less.
    print(
        f"  {checkout.name or checkout} {' '.join(args)[:60]}: {seconds:.1f} s wall, "
        f"command CPU {cpu:.1f} s, PostgreSQL backends CPU >= {backends.seconds():.1f} s, "
        f"load {load:.1f} -> {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    LAST_CPU.update(
        command_cpu_s=round(cpu, 1),
        postgres_cpu_s=round(backends.seconds(), 1),
        load=[round(load, 1), round(os.getloadavg()[0], 1)],
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"{args} failed in {checkout}:\n{done.stderr[-3000:]}")
    return seconds


def _matches(db: str) -> int:
    return _sql(db, "SELECT count(*) FROM matchmaking_match")[0][0]


def _prepare(args) -> dict[str, Path]:
    source = f"{args.prefix}_src"
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    files = {name: Path(args.workdir) / f"{name}.csv" for name in ("req", "sup", "sup1000")}
    exists = _sql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{source}'")
    if not exists or args.regenerate:
        _admin(f'DROP DATABASE IF EXISTS "{source}"')
        _admin(f'CREATE DATABASE "{source}"')
        code = (
            "import django, os; django.setup(); from django.core.management import call_command; "
            "call_command('migrate', verbosity=0); from bench.synthetic import generate; "
            f"generate({args.suppliers}, {args.requirements}, 42); "
            "from bench.csvfiles import write_requirements_csv, write_suppliers_csv; "
            f"write_requirements_csv('{files['req']}'); write_suppliers_csv('{files['sup']}'); "
            f"write_suppliers_csv('{files['sup1000']}', nib_offset=10**9, ids=range(1, 1001))"
        )
        env = {
            **os.environ,
            "DATABASE_URL": f"{SERVER}/{source}",
            "REDIS_URL": "",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "bench-" + "x" * 60,
            "DEBUG": "false",
        }
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
        # Variants: the suppliers alone, the requirements alone (their buyers stay), all.
        for name, sql in (
            ("suppliers_only", "TRUNCATE manufacturers_requirement CASCADE"),
            ("requirements_only", "TRUNCATE suppliers_supplier CASCADE"),
        ):
            _copy_db(source, f"{args.prefix}_{name}")
            _sql(f"{args.prefix}_{name}", sql)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--requirements", type=int, default=10_000)
    parser.add_argument("--baseline", default="/work/main", help="the checkout to compare with")
    parser.add_argument("--prefix", default="rantai_bench_imports")
    parser.add_argument("--workdir", default=str(ROOT / "bench" / "data"))
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--prepare-only", action="store_true", help="generate the data, stop")
    parser.add_argument("--only", choices=("requirements", "suppliers", "sup1000"))
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the checkouts alternately this many times (A B A B: the shared machine's "
        "load changes during a run)",
    )
    parser.add_argument(
        "--baseline-requirements-sample",
        type=int,
        default=0,
        help="the baseline imports only this many requirements, timed and scaled linearly",
    )
    args = parser.parse_args()
    files = _prepare(args)
    if args.prepare_only:
        return
    checkouts = {"this": ROOT}
    if not args.skip_baseline:
        checkouts["baseline"] = Path(args.baseline)
    report: dict = {}
    runs = [
        (f"{label} #{i + 1}" if args.rounds > 1 else label, checkout)
        for i in range(args.rounds)
        for label, checkout in checkouts.items()
    ]
    for label, checkout in runs:
        db = f"{args.prefix}_run"
        out: dict = {}
        if args.only in (None, "requirements"):
            _copy_db(f"{args.prefix}_suppliers_only", db)
            path, scale = files["req"], 1.0
            sample = args.baseline_requirements_sample
            if label.startswith("baseline") and sample:
                lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
                path = path.with_name("req_sample.csv")
                path.write_text("".join(lines[: sample + 1]), encoding="utf-8")
                scale = (len(lines) - 1) / sample
                out["requirements_sample"] = sample
            seconds = _run(checkout, db, "import_requirements", str(path))
            out["requirements_import_s"] = round(seconds, 1)
            out["requirements_import_cpu"] = dict(LAST_CPU)
            if scale != 1.0:
                out["requirements_import_s_extrapolated"] = round(seconds * scale, 1)
            out["requirements_import_matches"] = _matches(db)
        if args.only in (None, "suppliers"):
            _copy_db(f"{args.prefix}_requirements_only", db)
            seconds = _run(checkout, db, "import_suppliers", str(files["sup"]))
            out["suppliers_import_s"] = round(seconds, 1)
            out["suppliers_import_matches"] = _matches(db)
            if not out["suppliers_import_matches"]:
                rematch = _run(checkout, db, "rematch", "--processes", "2")
                out["suppliers_import_plus_rematch_s"] = round(seconds + rematch, 1)
                out["suppliers_rematch_matches"] = _matches(db)
        if args.only in (None, "sup1000"):
            matched = f"{args.prefix}_matched"  # every list stored once, by a full rematch
            if not _sql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{matched}'"):
                _copy_db(f"{args.prefix}_src", matched)
                _run(ROOT, matched, "rematch", "--processes", "2")
            _copy_db(matched, db)
            before = _matches(db)
            out["sup1000_import_s"] = round(
                _run(checkout, db, "import_suppliers", str(files["sup1000"])), 1
            )
            out["sup1000_new_supplier_matches"] = _sql(
                db,
                "SELECT count(*) FROM matchmaking_match m JOIN suppliers_supplier s "
                f"ON s.id = m.supplier_id WHERE s.nib >= '{7_000_000_000_000 + 10**9}'",
            )[0][0]
            out["matches_before_after"] = [before, _matches(db)]
        report[label] = out
        print(label, json.dumps(out), flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
