"""The audit trail (issue 11.5): what is recorded from every door, and the ministry's page."""

from __future__ import annotations

import pytest
from django.utils import translation

from partners.api.authentication import forget_keys


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
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _forget_remembered_keys():
    forget_keys()
    yield
    forget_keys()
