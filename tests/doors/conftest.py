"""The door x rule matrix (issue 11.1): every way a firm's data gets in, every rule it must meet."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connection
from django.utils import translation

from config.celery import app


@pytest.fixture(scope="session", autouse=True)
def _reference_data_present(django_db_setup, django_db_blocker):
    # A reused test database may have been flushed by an earlier run's transactional tests.
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


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Commits as a real request or command does (the on-commit callbacks run: the rescoring
    is enqueued through the real debounce on Redis), and runs the enqueued tasks in this process
    against the test database, so that the test reads what the worker would have stored."""

    @contextmanager
    def committed():
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield
        finally:
            app.conf.task_always_eager = eager
            connection.run_on_commit.clear()

    return committed
