"""The cost of one list page of the partner API and of the plain DRF baseline, in-process.

    .venv/bin/python bench/api_inprocess.py --database-url \
        postgres://postgres@127.0.0.1:5432/rantai_apibench_1m

Through Django's handler (the test client: the same middleware and views as under gunicorn,
no HTTP), on a database ``bench/api.py`` prepared (it needs its partner). For each, alternated
twice: wall time, CPU of this process and CPU of its PostgreSQL backend per page of 50, at
random cursor positions. Together with ``bench/api.py``'s CPU per request under load it tells
the cost of a request from what the server does with it.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api import DEFAULT_DB, _cpu_seconds, _environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.update(_environment(args.database_url, args.redis_url))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from partners.models import PartnerOrganisation
    from partners.services import api_key_create
    from suppliers.models import Supplier

    partner = PartnerOrganisation.objects.get(name="API benchmark")
    _key, raw = api_key_create(
        partner=partner, scopes=["suppliers:read"], name="in-process", rate_per_minute=10**8
    )
    high = Supplier.objects.order_by("-pk").values_list("pk", flat=True)[0]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Api-Key {raw}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    rng = random.Random(args.seed)
    endpoints = [("project", "/api/v1/suppliers/"), ("plain", "/bench/plain/suppliers/")]
    for label, base in endpoints * 2:
        paths = [
            f"{base}?page_size=50&cursor="
            + base64.b64encode(f"p={rng.randint(1, high - 60)}".encode()).decode()
            for _ in range(args.pages)
        ]
        for path in paths[:5]:  # warm-up
            client.get(path)
        wall, cpu, pg = time.perf_counter(), time.process_time(), _cpu_seconds([backend])
        for path in paths:
            assert client.get(path).status_code == 200
        n = len(paths)
        print(
            f"{label:8} wall {1000 * (time.perf_counter() - wall) / n:6.1f} ms"
            f"  Python CPU {1000 * (time.process_time() - cpu) / n:5.1f} ms"
            f"  PostgreSQL CPU {1000 * (_cpu_seconds([backend]) - pg) / n:4.1f} ms per page",
            flush=True,
        )


if __name__ == "__main__":
    main()
