from __future__ import annotations

import pytest


@pytest.fixture
def reference_data(transactional_db):
    """transactional_db tests flush every table, the reference data included: put it back."""
    from django.apps import apps

    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    if not Province.objects.exists():
        load_reference_data(apps)
