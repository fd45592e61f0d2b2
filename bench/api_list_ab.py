"""Issue 15: the partner API list page before and after its two changes, alternated in one process.

    .venv/bin/python bench/api_list_ab.py --database-url \
        postgres://postgres@127.0.0.1:5432/rantai_apibench_1m

"before" puts back, in this process, what the two changes replaced: the audit records of a page
written by ``bulk_create`` (model instances, its own BEGIN ... COMMIT) and the partner's
visibility filter built with the ORM (``exclude(rejected & ~Q(pk__in=<managed subquery>))``).
Rounds alternate (before, after, after, before, ...); CPU of this process and of its PostgreSQL
backend per page of 50 at random cursor positions, as ``bench/api_inprocess.py`` measures.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import statistics
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
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.update(_environment(args.database_url, args.redis_url))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Q
    from django.test import Client

    import accounts.audit as audit
    import partners.api.views.suppliers as views
    from accounts.models import AuditRecord
    from partners.api.selectors import supplier_values
    from partners.models import PartnerManagedSupplier, PartnerOrganisation
    from partners.services import api_key_create
    from suppliers.models import Supplier, VerificationStatus

    def insert_before(rows):
        AuditRecord.objects.bulk_create(
            (AuditRecord(**dict(zip(audit.COLUMNS, row, strict=True))) for row in rows),
            batch_size=1000,
        )

    def visible_before(*, partner, user):
        rejected = Q(verification_status=VerificationStatus.REJECTED)
        managed = PartnerManagedSupplier.objects.filter(partner=partner).values("supplier_id")
        return supplier_values().exclude(rejected & ~Q(pk__in=managed))

    versions = {
        "before": (insert_before, visible_before),
        "after": (audit._insert, views.visible_supplier_values),
    }
    partner = PartnerOrganisation.objects.get(name="API benchmark")
    _key, raw = api_key_create(
        partner=partner, scopes=["suppliers:read"], name="in-process a/b", rate_per_minute=10**8
    )
    high = Supplier.objects.order_by("-pk").values_list("pk", flat=True)[0]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Api-Key {raw}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    rng = random.Random(args.seed)
    totals: dict[str, list[float]] = {"before": [], "after": []}
    for round_ in range(args.rounds):
        for label in ("before", "after") if round_ % 2 == 0 else ("after", "before"):
            audit._insert, views.visible_supplier_values = versions[label]
            paths = [
                "/api/v1/suppliers/?page_size=50&cursor="
                + base64.b64encode(f"p={rng.randint(1, high - 60)}".encode()).decode()
                for _ in range(args.pages)
            ]
            for path in paths[:5]:  # warm-up
                client.get(path)
            cpu, pg = time.process_time(), _cpu_seconds([backend])
            for path in paths:
                assert client.get(path).status_code == 200
            python = 1000 * (time.process_time() - cpu) / len(paths)
            postgres = 1000 * (_cpu_seconds([backend]) - pg) / len(paths)
            totals[label].append(python + postgres)
            print(
                f"{label:6} Python CPU {python:5.2f} ms  PostgreSQL CPU {postgres:5.2f} ms"
                f"  total {python + postgres:5.2f} ms per page",
                flush=True,
            )
    before, after = (statistics.median(totals[k]) for k in ("before", "after"))
    print(f"median total: before {before:.2f} ms, after {after:.2f} ms ({after / before:.2f}x)")


if __name__ == "__main__":
    main()
