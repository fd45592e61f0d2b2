"""Verification of firms, through every door: decisions, identity changes, new reviews, and
what a firm that is not (or no longer) verified may do."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(scope="session", autouse=True)
def _reference_data_present(django_db_setup, django_db_blocker):
    # A reused test database may have been flushed by an earlier run's transactional tests
    # (worker, browser), which removes what the data migration loaded; put it back once.
    from django.apps import apps

    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    with django_db_blocker.unblock():
        if not Province.objects.exists():
            load_reference_data(apps)


@pytest.fixture(autouse=True)
def _english():
    # Assertions compare the English source strings (e-mails in Indonesian are checked apart).
    with translation.override("en"):
        yield
