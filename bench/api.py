"""Partner API benchmark: supplier list (a page of 50) and detail at 100,000 suppliers.

    .venv/bin/python bench/api.py                     # 100,000 suppliers, 15 s per endpoint
    .venv/bin/python bench/api.py --duration 30 --workers 4 --server-threads 1

Creates (or reuses) the PostgreSQL database ``rantai_apibench`` (``--database-url``), fills it
with the seeded synthetic suppliers of ``bench/synthetic.py`` on first use, creates an API key,
starts gunicorn on 127.0.0.1 (a free port; 3 workers x 2 threads, as in the Dockerfile) with the
project's production settings (DEBUG off, Redis cache for the rate limits) and drives it with
``wrk`` at 16 connections:

- ``/api/v1/suppliers/`` (the project's API) against ``/bench/plain/suppliers/`` (a plain DRF
  ModelViewSet + ModelSerializer with prefetches and cursor pagination, same key authentication:
  ``bench/api_urls.py``), both walking random cursor positions over all 100,000 rows;
- the detail of random suppliers on both;
- a filtered list (province + verified) on the project's API.

Reports requests/s and p50/p95/p99 latency per endpoint. Loopback only; each run is bounded by
``--duration``. Needs ``wrk`` (Debian: ``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/rantai_apibench"
LUA = r"""
local paths = {%(paths)s}
local header = "%(header)s"
math.randomseed(%(seed)d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Authorization"] = header})
end
local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  local out = io.open("%(out)s", "w")
  out:write(string.format(
    '{"requests": %%d, "seconds": %%f, "errors": %%d, "non2xx": %%d, ' ..
    '"p50_ms": %%f, "p95_ms": %%f, "p99_ms": %%f, "max_ms": %%f}',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  out:close()
end
"""


def _environment(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY", "api-bench-" + "x" * 60),
        CELERY_TASK_ALWAYS_EAGER="true",
        LOG_LEVEL="WARNING",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        DJANGO_SETTINGS_MODULE="bench.api_settings",
        CONN_MAX_AGE="600",
    )
    return env


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


def prepare(args) -> dict:
    """Data and a key, in this process; the server runs in others."""
    os.environ.update(_environment(args.database_url, args.redis_url))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import synthetic
    from partners.models import PartnerConsent, PartnerOrganisation
    from partners.services import api_key_create
    from suppliers.models import Supplier

    call_command("migrate", verbosity=0)
    have = Supplier.objects.count()
    if have < args.suppliers:
        if have:
            sys.exit(f"{args.database_url} has {have} suppliers; drop it to regenerate.")
        started = time.perf_counter()
        synthetic.generate(args.suppliers, 200, seed=args.seed)
        print(f"generated {args.suppliers} suppliers in {time.perf_counter() - started:.0f} s")
    partner, _created = PartnerOrganisation.objects.get_or_create(
        name="API benchmark", defaults={"kind": "bank"}
    )
    # One supplier in ten lets the partner see its contact details (a realistic mix).
    if not PartnerConsent.objects.filter(partner=partner).exists():
        PartnerConsent.objects.bulk_create(
            PartnerConsent(supplier_id=pk, partner=partner, scope="contact")
            for pk in Supplier.objects.filter(pk__lte=args.suppliers, pk__gt=0).values_list(
                "pk", flat=True
            )[::10]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum keeps them in production
    _key, raw = api_key_create(
        partner=partner, scopes=["suppliers:read"], name="bench", rate_per_minute=10**8
    )
    ids = list(Supplier.objects.order_by("pk").values_list("pk", flat=True))
    return {"key": raw, "min_id": ids[0], "max_id": ids[-1], "count": len(ids)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cursor(position: int) -> str:
    # DRF's cursor: base64 of a query string, "p" being the last id seen.
    return quote(base64.b64encode(f"p={position}".encode()).decode(), safe="")


def _wait_until_up(url: str, key: str, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Authorization": f"Api-Key {key}"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not come up")


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def _server_pids(server_pid: int, database_url: str) -> list[int]:
    """The gunicorn master and workers, and the PostgreSQL backends connected to the bench's
    database: all the CPU one request costs, whatever else the machine runs."""
    import psycopg2

    pids = [server_pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == server_pid:
                pids.append(int(entry.name))
    name = database_url.rsplit("/", 1)[1]
    with psycopg2.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        pids += [row[0] for row in cursor.fetchall()]
    return pids


def _wait_until_idle(pids: list[int], limit: float = 60) -> None:
    """wrk leaves the requests in flight when it stops (the warm-up's, the previous
    endpoint's): the server still answers them. Measuring before they are done would charge a
    slow endpoint for up to 16 of its own or another endpoint's requests."""
    deadline = time.time() + limit
    last = _cpu_seconds(pids)
    while time.time() < deadline:
        time.sleep(0.5)
        now = _cpu_seconds(pids)
        if now - last < 0.02:
            return
        last = now


def _wrk(base: str, paths: list[str], key: str, args, seed: int, server_pid: int = 0) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        script = Path(tmp) / "bench.lua"
        script.write_text(
            LUA
            % {
                "paths": ", ".join(json.dumps(p) for p in paths),
                "header": f"Api-Key {key}",
                "seed": seed,
                "out": out,
            }
        )
        command = [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            "--timeout",
            f"{args.wrk_timeout}s",
        ]
        subprocess.run(  # warm-up: connections, caches, worker imports
            [*command, "-d2s", "-s", str(script), base], check=True, capture_output=True
        )
        # Persistent connections: after the warm-up every backend the run uses exists already.
        pids = _server_pids(server_pid, args.database_url) if server_pid else []
        _wait_until_idle(pids)
        cpu_before = _cpu_seconds(pids)
        subprocess.run(
            [*command, f"-d{args.duration}s", "-s", str(script), base],
            check=True,
            capture_output=True,
            timeout=args.duration + 60,
        )
        cpu = _cpu_seconds(pids) - cpu_before
        result = json.loads(out.read_text())
    result["rps"] = result["requests"] / result["seconds"]
    result["cpu_ms_per_request"] = 1000 * cpu / max(result["requests"], 1)
    return result


def _row(name: str, result: dict) -> str:
    return (
        f"{name:58} {result['rps']:8.0f} {result['p50_ms']:8.1f} "
        f"{result['p95_ms']:8.1f} {result['p99_ms']:8.1f} "
        f"{result['errors'] + result['non2xx']:6d} {result['cpu_ms_per_request']:10.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    # 3 x 2 threads: on 2 cores, fewer processes switch less, and the threads cover the waits on
    # PostgreSQL and Redis (2, 3, 4 workers x 1, 2, 4 threads measured: bench/README.md).
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--server-threads", type=int, default=2, help="threads per worker")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the endpoints N times")
    # Long enough that no request is abandoned: wrk drops a timed-out connection and opens
    # another while the server still computes the abandoned answer (work that is never counted).
    parser.add_argument("--wrk-timeout", type=int, default=30, help="seconds")
    parser.add_argument("--only", help="run only the endpoints whose name contains this")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if args.duration > 120:
        parser.error("--duration is capped at 120 seconds per endpoint")
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed. On Debian: apt-get install -y wrk")

    _ensure_database(args.database_url)
    setup = prepare(args)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.server_threads),
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_environment(args.database_url, args.redis_url),
    )
    try:
        _wait_until_up(f"{base}/api/v1/suppliers/", setup["key"])
        rng = random.Random(args.seed)
        lo, hi = setup["min_id"], setup["max_id"]
        positions = [rng.randint(lo, hi - 60) for _ in range(500)]
        ids = [rng.randint(lo, hi) for _ in range(2000)]
        cases = {
            "list, page of 50 (project API)": [
                f"/api/v1/suppliers/?page_size=50&cursor={_cursor(p)}" for p in positions
            ],
            "list, page of 50 (plain DRF ModelViewSet)": [
                f"/bench/plain/suppliers/?page_size=50&cursor={_cursor(p)}" for p in positions
            ],
            "detail (project API)": [f"/api/v1/suppliers/{i}/" for i in ids],
            "detail (plain DRF ModelViewSet)": [f"/bench/plain/suppliers/{i}/" for i in ids],
            "list filtered province=32&verified=true (project API)": [
                f"/api/v1/suppliers/?province=32&verified=true&page_size=50&cursor={_cursor(p)}"
                for p in positions
            ],
        }
        results: dict[str, list[dict]] = {}
        print(
            f"{setup['count']} suppliers, gunicorn {args.workers} workers "
            f"({args.worker_class} x{args.server_threads}), "
            f"wrk {args.connections} connections, {args.duration} s per endpoint"
            f" x {args.rounds} rounds"
        )
        print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        header = (
            f"{'endpoint':58} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} errors"
            f" {'CPU ms/req':>10}"
        )
        print(header)
        # Rounds alternate the endpoints, so that each meets the same load from the rest of a
        # shared machine; the medians over rounds are compared.
        for _round in range(args.rounds):
            for number, (name, paths) in enumerate(cases.items()):
                if args.only and args.only not in name:
                    continue
                result = _wrk(base, paths, setup["key"], args, args.seed + number, server.pid)
                results.setdefault(name, []).append(result)
                print(_row(name, result), flush=True)
        if args.rounds > 1:
            print(f"median of {args.rounds} rounds:")
            print(header)
            for name, rounds in results.items():
                median = {
                    k: statistics.median(r[k] for r in rounds)
                    for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "cpu_ms_per_request")
                }
                median["errors"] = sum(r["errors"] for r in rounds)
                median["non2xx"] = sum(r["non2xx"] for r in rounds)
                print(_row(name, median), flush=True)
        print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
