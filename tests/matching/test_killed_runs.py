"""Killed runs: a killed ``rematch`` takes its forked children with it, and a chunk lost with a
SIGKILLed worker is redone by another worker within minutes (the lease, then beat's sweep)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections

from bench.synthetic import generate
from manufacturers.models import Requirement
from matchmaking import services, tasks
from matchmaking.models import Match, ScoringChunk
from matchmaking.services import ADVISORY_LOCK_CLASS
from tests.database import database_url

pytestmark = [pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "RANTAI_TESTING": "true",
        "CONN_MAX_AGE": "0",
        **extra,
    }


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, timeout: float = 60.0, what: str = "", logs=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n" + "".join((logs or [])[-40:]))


class HeldLocks:
    """The match-list locks of these requirements, held by a connection of the test's own
    (session-level): whoever scores them waits until ``release``."""

    def __init__(self, ids: list[int]) -> None:
        import psycopg2

        self.conn = psycopg2.connect(database_url())
        self.conn.autocommit = True
        with self.conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_advisory_lock(%s, x)) FROM unnest(%s::int[]) AS x",
                [ADVISORY_LOCK_CLASS, ids],
            )

    def release(self) -> None:
        self.conn.close()


def test_killing_rematch_stops_its_forked_children(reference_data):
    generate(200, 300, seed=5)  # three blocks: the run forks
    ids = list(Requirement.objects.values_list("id", flat=True))
    locks = HeldLocks(ids)  # the children block on their first chunk
    connections.close_all()
    parent = subprocess.Popen(
        [sys.executable, "manage.py", "rematch", "--processes", "2"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: len(_children(parent.pid)) >= 2, what="the forked children")
        children = _children(parent.pid)
        time.sleep(0.5)  # the children are past their initialiser, waiting for the locks
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        wait_for(lambda: not any(_alive(c) for c in children), timeout=10, what="children exit")
    finally:
        locks.release()
        if parent.poll() is None:
            parent.kill()
    time.sleep(3)  # had a child survived, it would now take the locks and write
    assert not Match.objects.exists()


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("celery")
    cache.clear()
    conf = current_app.conf
    before, conf.task_always_eager = conf.task_always_eager, False
    yield client
    conf.task_always_eager = before
    client.delete("celery")


def start_worker(name: str, lease: int, **env: str) -> tuple[subprocess.Popen, list[str]]:
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"),
            *("--loglevel", "INFO", "--without-gossip", "--without-mingle", "-n", name),
        ],
        cwd=ROOT,
        env=_env(MATCHMAKING_CHUNK_LEASE_SECONDS=str(lease), **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: SIGKILL takes all of it
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
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("the worker did not start:\n" + "".join(lines[-40:]))
    return process, lines


def test_a_chunk_lost_with_a_killed_worker_is_redone_after_its_lease(reference_data, broker):
    generate(200, 30, seed=9)
    ids = list(Requirement.objects.order_by("id").values_list("id", flat=True))
    locks = HeldLocks(ids)
    first, logs = start_worker("kill-1@%h", lease=3)
    try:
        tasks.plan_requirements(ids)  # outside a transaction: enqueued at once
        wait_for(
            lambda: ScoringChunk.objects.exclude(lease_until=None).exists(),
            what="a worker to claim a chunk",
            logs=logs,
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        locks.release()
    assert ScoringChunk.objects.exists()
    assert not Match.objects.exists()

    second, logs = start_worker("kill-2@%h", lease=3)
    try:
        time.sleep(3.5)  # the dead worker's lease runs out
        counts = tasks.sweep_chunks()
        assert counts["enqueued"] >= 1
        wait_for(lambda: not ScoringChunk.objects.exists(), timeout=60, what="the redo", logs=logs)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(20)
    connection.close()
    after = list(
        Match.objects.order_by("requirement_id", "rank").values_list(
            "requirement_id", "supplier_id", "score", "rank"
        )
    )
    assert after
    services.rescore_everything()
    assert after == list(
        Match.objects.order_by("requirement_id", "rank").values_list(
            "requirement_id", "supplier_id", "score", "rank"
        )
    )
