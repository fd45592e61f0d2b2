"""A rescore that cannot be enqueued (broker unreachable) is kept in PostgreSQL and beat's sweep
enqueues it, instead of leaving the edit to the nightly full rescore."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from accounts.outage import broker_outage, clear_outages
from config.celery import app as celery_app
from matchmaking import debounce, tasks, triggers
from matchmaking.models import PendingRescore
from tests.matching.helpers import make_requirement, make_supplier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_remembered_outage():
    clear_outages()
    yield
    clear_outages()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
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


def _broker_is_down() -> None:
    broker_outage(celery_app).failed(ConnectionRefusedError("test: the broker is down"))


def test_an_edit_while_the_broker_is_down_is_recorded_once_per_object(queue, commit):
    requirement = make_requirement()
    _broker_is_down()
    with commit():
        triggers.requirement_changed(requirement.id)
    first = PendingRescore.objects.get()
    assert (first.kind, first.object_id) == ("requirement", requirement.id)
    with commit():
        triggers.requirement_changed(requirement.id)
    again = PendingRescore.objects.get()
    assert again.pk == first.pk and again.requested_at > first.requested_at
    assert queue.llen("celery") == 0


def test_the_sweep_enqueues_the_recorded_rescores_and_removes_them(queue, commit):
    supplier, requirement = make_supplier(), make_requirement()
    _broker_is_down()
    with commit():
        triggers.supplier_changed(supplier.id)
        triggers.requirement_changed(requirement.id)
    assert PendingRescore.objects.count() == 2
    assert tasks.rescore_pending.apply().get() == {"enqueued": 0, "left": 2}  # still down

    clear_outages()
    assert tasks.rescore_pending.apply().get() == {"enqueued": 2, "left": 0}
    assert queue.llen("celery") == 2
    assert not PendingRescore.objects.exists()


def test_a_row_renewed_while_the_sweep_ran_stays_for_the_next_sweep(monkeypatch):
    debounce.record_pending("supplier", 41)

    def enqueue_while_another_edit_fails(task, args=(), **options):
        debounce.record_pending("supplier", 41)  # an edit saved meanwhile, broker down again
        return True

    monkeypatch.setattr(debounce, "enqueue", enqueue_while_another_edit_fails)
    assert debounce.sweep_pending({"supplier": tasks.score_supplier}) == {
        "enqueued": 1,
        "left": 1,
    }


def test_beat_sweeps_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["matchmaking-rescore-pending"]
    assert entry["task"] == tasks.rescore_pending.name
    assert entry["schedule"] == 60.0
