"""The import is an ordinary manage.py command: it writes to whatever DATABASE_URL names."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from suppliers.models import Province, Supplier
from suppliers.reference_loader import load_reference_data
from tests.database import database_url

from .conftest import DATA

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def committed_reference_data(transactional_db):
    # Transactional tests flush every table between tests, reference data included.
    if not Province.objects.exists():
        load_reference_data(apps)


def test_the_command_writes_to_the_database_in_database_url(committed_reference_data):
    assert connection.settings_dict["NAME"].startswith("test_")
    env = {**os.environ, "DATABASE_URL": database_url(), "LANGUAGE": "en"}

    result = subprocess.run(
        [sys.executable, "manage.py", "import_suppliers", str(DATA / "suppliers_good.csv")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert Supplier.objects.filter(nib__startswith="912000000000").count() == 7

    again = subprocess.run(
        [sys.executable, "manage.py", "import_suppliers", str(DATA / "suppliers_bad.csv")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 1
    assert Supplier.objects.filter(nib="9120000000101").exists()
    assert not Supplier.objects.filter(nib="9120000000114").exists()
