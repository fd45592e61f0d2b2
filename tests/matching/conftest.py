from __future__ import annotations

import pytest

from matchmaking import data


@pytest.fixture(autouse=True)
def _fresh_engine_caches():
    # The worker caches of suppliers and requirements are per process; a test's rolled-back rows
    # must not leak into the next test.
    data.clear_caches()
    yield
    data.clear_caches()


@pytest.fixture
def reference_data(transactional_db):
    """transactional_db tests flush every table, the reference data included: put it back."""
    from django.apps import apps

    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    if not Province.objects.exists():
        load_reference_data(apps)
