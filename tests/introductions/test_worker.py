"""The outbox through a real Celery worker, a real Redis and a real SMTP server.

Each test starts its own throw-away redis-server on a free port (the shared Redis on 6379 is
never stopped), an aiosmtpd server that records every accepted message, and `celery -A config
worker` processes pointed at the pytest database. An e-mail counts as delivered when the SMTP
server accepted it (answered 250 to DATA); a client that disconnects earlier delivers nothing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import transaction

from accounts import outbox
from accounts.models import OutboxEmail
from tests.database import database_url
from tests.factories import UmkmUserFactory
from tests.introductions.brokers import free_port, use_broker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")
LEASE_SECONDS = 6


def wait_for(condition, timeout: float, message: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s: {message}")


# --- Redis ------------------------------------------------------------------------------------


class RedisServer:
    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.answers, 10, "redis-server did not start")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


# --- SMTP -------------------------------------------------------------------------------------


class RecordingHandler:
    """Counts DATA transfers begun and messages accepted; ``delay`` makes sending slow."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.begun = 0
        self.accepted: list[dict] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.begun += 1
        # Cancelled by aiosmtpd if the client disconnects: the message is then never accepted.
        await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.accepted.append(
                {
                    "message_id": message["Message-ID"],
                    "to": list(envelope.rcpt_tos),
                    "subject": message["Subject"],
                    "multipart": message.is_multipart(),
                }
            )
        return "250 Message accepted for delivery"

    def count(self, message_id: str) -> int:
        with self.lock:
            return sum(1 for m in self.accepted if m["message_id"] == message_id)


@pytest.fixture
def smtp() -> Iterator[tuple[RecordingHandler, int]]:
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


# --- Celery processes -------------------------------------------------------------------------


class Processes:
    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.running: list[subprocess.Popen] = []

    def _start(self, name: str, args: list[str]) -> tuple[subprocess.Popen, Path]:
        log = self.logs / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(
                [CELERY, "-A", "config", *args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.running.append(process)
        return process, log

    def worker(self, name: str) -> tuple[subprocess.Popen, Path]:
        process, log = self._start(
            name,
            [
                "worker", "--pool", "solo", "--loglevel", "INFO", "--hostname", f"{name}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
        )  # fmt: skip
        wait_for(lambda: "ready." in log.read_text(errors="replace"), 90, f"{name} not ready")
        return process, log

    def beat(self) -> tuple[subprocess.Popen, Path]:
        schedule = self.logs / "beat-schedule"
        return self._start("beat", ["beat", "--loglevel", "INFO", "--schedule", str(schedule)])

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.terminate()
        for process in self.running:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


@pytest.fixture
def processes(redis_server, smtp, tmp_path) -> Iterator[Processes]:
    _handler, smtp_port = smtp
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_server.url,
        "CELERY_BROKER_URL": redis_server.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "OUTBOX_SWEEP_SECONDS": "1",
        "RANTAI_TESTING": "true",
        "PYTHONUNBUFFERED": "1",
    }
    running = Processes(env, tmp_path)
    yield running
    running.stop_all()


def queue_email(key: str, user=None) -> OutboxEmail:
    """Queues an e-mail the way the services do: in a transaction, enqueued after the commit."""
    user = user or UmkmUserFactory(preferred_language="en")
    with transaction.atomic():
        email = outbox.email_queue(
            user=user,
            template="intro_accepted",
            context={
                "buyer": "PT Motor Listrik",
                "supplier": "CV Logam",
                "requirement": "Cell holder",
                "supplier_email": "sales@logam.example.id",
                "buyer_contacts": "Rina <rina@motor.example.id>",
                "url": "/introductions/1/",
            },
            key=key,
        )
    return email


def status_of(email: OutboxEmail) -> str:
    return OutboxEmail.objects.values_list("status", flat=True).get(pk=email.pk)


# --- the tests --------------------------------------------------------------------------------


def test_an_email_is_sent_by_the_worker_as_html_with_a_text_part(redis_server, smtp, processes):
    handler, _port = smtp
    processes.worker("w1")
    with use_broker(redis_server.url):
        email = queue_email("worker:plain")
    wait_for(lambda: status_of(email) == "sent", 30, "e-mail not sent")
    [received] = handler.accepted
    assert received["message_id"] == outbox.message_id(email)
    assert received["multipart"] and received["to"] == [email.recipient]
    assert "Introduction accepted" in received["subject"]


def test_a_worker_killed_while_sending_delivers_the_email_exactly_once(
    redis_server, smtp, processes
):
    handler, _port = smtp
    handler.delay = 3.0  # the SMTP server takes 3 s to accept a message
    worker, _log = processes.worker("w1")
    with use_broker(redis_server.url):
        email = queue_email("worker:killed")

    wait_for(lambda: handler.begun == 1, 30, "the worker never started sending")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    time.sleep(handler.delay + 0.5)
    assert handler.count(outbox.message_id(email)) == 0  # the half-sent message was dropped
    assert status_of(email) == "sending"  # claimed by the dead worker

    # A new worker and the periodic sweep take the row over once the lease has run out.
    processes.worker("w2")
    processes.beat()
    wait_for(lambda: status_of(email) == "sent", LEASE_SECONDS + 40, "not re-sent after the kill")
    time.sleep(LEASE_SECONDS + 3)  # several more sweeps: nothing more is sent
    assert handler.count(outbox.message_id(email)) == 1
    row = OutboxEmail.objects.get(pk=email.pk)
    assert row.attempts == 2 and row.sent_at is not None


def test_the_same_task_run_many_times_by_two_workers_delivers_once(redis_server, smtp, processes):
    handler, _port = smtp
    handler.delay = 1.0
    _w1, log1 = processes.worker("w1")
    _w2, log2 = processes.worker("w2")
    with use_broker(redis_server.url) as app:
        email = queue_email("worker:duplicate")  # enqueued once after the commit ...
        for _ in range(5):  # ... and five more times, as a redelivery or a double enqueue would
            app.send_task("accounts.tasks.send_outbox_email", args=[email.pk])

    def finished_runs() -> int:
        text = log1.read_text(errors="replace") + log2.read_text(errors="replace")
        return text.count(f"send_outbox_email {email.pk}: ")

    wait_for(lambda: finished_runs() >= 6, 60, "not every task ran")
    time.sleep(0.5)
    assert handler.count(outbox.message_id(email)) == 1
    runs = (log1.read_text(errors="replace") + log2.read_text(errors="replace")).count(
        f"send_outbox_email {email.pk}: sent"
    )
    assert runs == 1
    assert OutboxEmail.objects.get(pk=email.pk).attempts == 1


def test_an_email_queued_while_redis_is_down_is_sent_once_redis_is_back(
    redis_server, smtp, processes
):
    handler, _port = smtp
    processes.worker("w1")
    processes.beat()
    redis_server.stop()

    user = UmkmUserFactory()
    with use_broker(redis_server.url):
        started = time.monotonic()
        email = queue_email("worker:outage", user)  # the enqueue after the commit fails, quietly
        elapsed = time.monotonic() - started
    assert elapsed < 1.9, f"took {elapsed:.2f} s"  # not the 2 s of a retry (test_broker_outage)
    assert status_of(email) == "pending"
    time.sleep(2)
    assert handler.count(outbox.message_id(email)) == 0

    redis_server.start()  # same port: the worker and beat reconnect by themselves
    wait_for(lambda: status_of(email) == "sent", 90, "not sent after Redis came back")
    time.sleep(3)
    assert handler.count(outbox.message_id(email)) == 1
