"""Through a real Celery worker on Redis: an UMKM imported from a CSV file becomes matches
(issue 11: imported and API-written UMKM never became matches before the nightly run)."""

from __future__ import annotations

import csv

import pytest

from matchmaking.models import Match
from suppliers.importing import COLUMNS, import_suppliers_file
from suppliers.models import Supplier
from tests.matching.conftest import reference_data  # noqa: F401 (a fixture the worker needs)
from tests.matching.helpers import make_requirement
from tests.matching.test_worker import wait_for, worker  # noqa: F401 (the worker fixture)

pytestmark = pytest.mark.worker


def test_an_imported_umkm_is_scored_by_the_worker(worker, tmp_path):  # noqa: F811
    requirement = make_requirement()
    row = {column: "" for column in COLUMNS}
    row.update(
        nib="8120000000555",
        name="CV Impor Cetak",
        province="32",
        regency="32.04",
        components="BAT.MOD.HOLDER",
        processes="INJ_MOULD",
        materials="PC",
        capacity_per_month="5000",
    )
    path = tmp_path / "suppliers.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerow(row)

    report = import_suppliers_file(path)

    assert report.count("created") == 1
    supplier = Supplier.objects.get(nib="8120000000555")
    wait_for(
        lambda: Match.objects.filter(requirement=requirement, supplier=supplier).exists(),
        logs=worker,
    )
