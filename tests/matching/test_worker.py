"""Through a real Celery worker on Redis: a separate process, the test database, the real queue."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from matchmaking import tasks, triggers
from matchmaking.models import Match, ReadinessSummary
from tests.database import database_url
from tests.matching.helpers import make_requirement, make_supplier

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(reference_data):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("celery")
    cache.clear()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "RANTAI_TESTING": "true",
        "CONN_MAX_AGE": "0",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "h5-test@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60):
        process.terminate()
        pytest.fail("the worker did not start:\n" + "".join(lines[-40:]))
    yield lines
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
    broker.delete("celery")


def wait_for(condition, timeout=60.0, logs=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    pytest.fail("timed out waiting for the worker:\n" + "".join((logs or [])[-40:]))


def test_an_edit_is_rescored_by_the_worker(worker):
    suppliers = [make_supplier(capacity=100 * (5 - i)) for i in range(3)]
    requirement = make_requirement()
    with transaction.atomic():
        for _ in range(3):  # a burst of edits
            triggers.requirement_changed(requirement.id)
    wait_for(lambda: Match.objects.filter(requirement=requirement).count() == 3, logs=worker)
    ranked = list(
        Match.objects.filter(requirement=requirement)
        .order_by("rank")
        .values_list("supplier_id", flat=True)
    )
    assert ranked == [s.id for s in suppliers]
    log = "".join(worker)
    assert log.count(f"score_requirement {requirement.id}:") == 1  # one run for the burst

    # A supplier change flows through the supplier task.
    supplier = suppliers[2]
    supplier.processes.set(["SEWING"])
    supplier.components.set(["INT.SEAT"])
    supplier.save()
    with transaction.atomic():
        triggers.supplier_changed(supplier.id)
    wait_for(lambda: not Match.objects.filter(supplier=supplier).exists(), logs=worker)
    assert Match.objects.filter(requirement=requirement).count() == 2


def test_the_nightly_rescore_runs_in_chunks_on_the_worker(worker):
    make_supplier(processes=["CNC_MILL"], components=["MOT.HOUSING"])
    for _ in range(3):
        make_requirement()
    make_requirement(processes=["INJ_MOULD"], required=["ISO9001"]).processes.set(["CNC_MILL"])
    tasks.rescore_all.delay()
    wait_for(lambda: ReadinessSummary.objects.exists(), logs=worker)
    wait_for(lambda: "(requirements, 4 ids)" in "".join(worker), logs=worker)
    assert ReadinessSummary.objects.filter(kind="certification", code="ISO9001").exists()
