"""Certificate reminders through real Celery workers: the daily job run twice and the same
reminder task delivered many times to two workers at once send one e-mail and one notice."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Notification, OutboxEmail
from accounts.outbox import message_id
from matchmaking import services, tasks
from matchmaking.models import Match
from suppliers.models import CertificateReminder
from tests.database import database_url
from tests.factories import SupplierMemberFactory, UmkmUserFactory
from tests.matching.helpers import make_requirement, make_supplier

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, name: str) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "RANTAI_TESTING": "true",
            "CONN_MAX_AGE": "0",
            # The console backend prints each sent e-mail: the log counts the deliveries.
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        }
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
                "--loglevel", "INFO", "--without-gossip", "--without-mingle", "-n", f"{name}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if " ready." in line:
                self.ready.set()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def workers(reference_data):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("celery")
    cache.clear()
    started = [Worker("reminders-1"), Worker("reminders-2")]
    for worker in started:
        if not worker.ready.wait(90):
            for w in started:
                w.stop()
            pytest.fail("a worker did not start:\n" + "".join(worker.lines[-40:]))
    yield started
    for worker in started:
        worker.stop()
    broker.delete("celery")


def log(workers) -> str:
    return "".join(line for worker in workers for line in worker.lines)


def wait_for(condition, workers, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    pytest.fail("timed out waiting for the workers:\n" + log(workers)[-6000:])


def test_the_reminder_is_sent_once_however_often_the_workers_run_it(workers):
    ends = timezone.localdate() + timedelta(days=30)
    supplier = make_supplier(certs=[("ISO9001", ends)])
    member = SupplierMemberFactory(
        supplier=supplier, user=UmkmUserFactory(preferred_language="en")
    ).user
    requirement = make_requirement(required=["ISO9001"], title="Battery cell holder")
    services.score_requirement(requirement.id)
    assert Match.objects.filter(supplier=supplier).exists()
    certification = supplier.certifications.get()

    # The daily job twice (a second beat, a redelivery) and the reminder task itself six times,
    # shared by two workers running side by side.
    tasks.send_certificate_reminders.delay()
    tasks.send_certificate_reminders.delay()
    for _ in range(6):
        tasks.remind_certificate.delay(certification.pk)

    def all_ran() -> bool:
        text = log(workers)
        sweeps = [int(n) for n in re.findall(r"send_certificate_reminders: (\d+) due", text)]
        runs = text.count(f"remind_certificate {certification.pk}: ")
        return len(sweeps) == 2 and runs == 6 + sum(sweeps)

    wait_for(all_ran, workers)
    wait_for(
        lambda: (
            OutboxEmail.objects.filter(user=member, status="sent").exists()
            and not OutboxEmail.objects.exclude(status="sent").exists()
        ),
        workers,
    )
    time.sleep(1)  # any duplicate send would have shown by now

    assert CertificateReminder.objects.filter(certification=certification).count() == 1
    [email] = OutboxEmail.objects.filter(user=member, template="certificate_expiring")
    assert log(workers).count(f"Message-ID: {message_id(email)}") == 1  # delivered once
    assert Notification.objects.filter(user=member, kind="certificate_expiring").count() == 1
    assert log(workers).count(f"remind_certificate {certification.pk}: sent 30 d") == 1
    # The two workers both took part (the tasks were not all run by one of them).
    assert all("remind_certificate" in "".join(worker.lines) for worker in workers), (
        "one worker ran every task"
    )
