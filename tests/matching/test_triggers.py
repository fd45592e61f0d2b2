"""Debouncing: a burst of edits enqueues one rescore (checked on the real Redis broker queue)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from matchmaking import tasks, triggers
from matchmaking.models import Match
from tests.matching.helpers import make_requirement, make_supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks of the block, then forgets them, as a real commit does (the
    test itself stays inside pytest-django's transaction)."""

    @contextmanager
    def committed():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        connection.run_on_commit.clear()

    return committed


@pytest.fixture
def queue():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("celery")
    cache.clear()
    yield client
    client.delete("celery")
    cache.clear()


def test_a_burst_of_edits_enqueues_one_rescore(queue, commit):
    requirement = make_requirement()
    with commit():
        for _ in range(5):
            triggers.requirement_changed(requirement.id)
    with commit():
        triggers.requirement_changed(requirement.id)  # a later edit, still before the run
    assert queue.llen("celery") == 1


def test_edits_in_one_transaction_register_one_callback(django_capture_on_commit_callbacks):
    requirement = make_requirement()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _ in range(4):
            triggers.requirement_changed(requirement.id)
        triggers.supplier_changed(7)
    assert len(callbacks) == 2


def test_nothing_is_enqueued_before_commit(queue, django_capture_on_commit_callbacks):
    supplier = make_supplier()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        triggers.supplier_changed(supplier.id)
    assert queue.llen("celery") == 0
    assert len(callbacks) == 1


def test_an_edit_after_the_run_started_enqueues_again(queue, commit):
    make_supplier()
    requirement = make_requirement()
    with commit():
        triggers.requirement_changed(requirement.id)
    tasks.score_requirement.apply(args=(requirement.id,))  # the run clears the pending key
    assert Match.objects.filter(requirement=requirement).count() == 1
    with commit():
        triggers.requirement_changed(requirement.id)
    assert queue.llen("celery") == 2


def test_supplier_and_requirement_keys_are_separate(queue, commit):
    supplier = make_supplier()
    requirement = make_requirement()
    with commit():
        triggers.supplier_changed(supplier.id)
        triggers.requirement_changed(requirement.id)
        triggers.supplier_changed(supplier.id)
    assert queue.llen("celery") == 2


def test_tasks_are_idempotent(queue):
    make_supplier()
    requirement = make_requirement()
    tasks.score_requirement.apply(args=(requirement.id,))
    first = list(Match.objects.values_list("supplier_id", "rank", "score"))
    tasks.score_requirement.apply(args=(requirement.id,))
    assert list(Match.objects.values_list("supplier_id", "rank", "score")) == first
