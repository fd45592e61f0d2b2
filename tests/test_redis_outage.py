"""Redis down must not take the site down: log-in, the partner API and the ministry dashboard
keep answering while the cache and the broker are a real Redis that refuses connections (stopped)
or accepts them and never answers (frozen with SIGSTOP); an edit's rescore that could not be
enqueued is kept in PostgreSQL and swept once the broker is back.

Each test starts its own throw-away ``redis-server`` on a free port (the shared one is never
touched) and points the cache and the Celery broker at it. ``redis-server`` must be installed:
these tests fail, never skip, without it (``make test`` installs nothing for them; Debian:
``apt-get install redis-server``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from kombu import pools

from accounts.outage import broker_outage, clear_outages
from config.celery import app as celery_app
from matchmaking import tasks
from matchmaking.models import PendingRescore
from suppliers.services import supplier_update
from tests.api.conftest import key_client, key_for
from tests.factories import MinistryUserFactory, SupplierFactory, UserFactory
from tests.introductions.brokers import use_broker

pytestmark = pytest.mark.django_db

PASSWORD = "rantai-test-pass-123"
# A request may wait for one Redis timeout (0.5 s for the cache, 1 s for the broker) before the
# outage is remembered; everything else is the page itself.
BOUND_SECONDS = 4.0
NO_DISK = ["--save", "", "--appendonly", "no"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayRedis:
    def __init__(self) -> None:
        self.executable = shutil.which("redis-server")
        if self.executable is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis.from_url(self.url, socket_timeout=1)
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", *NO_DISK],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.wait_until_up()

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("the throw-away redis-server did not start")
                time.sleep(0.05)

    def kill(self) -> None:
        """Stopped: connections are refused."""
        self.process.terminate()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        """Frozen: connections are accepted and never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)
        self.wait_until_up()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.kill()


@contextmanager
def _broker_at(url: str):
    conf = celery_app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    try:
        with use_broker(url):
            yield
    finally:
        conf.task_always_eager = eager


def _reconnect() -> None:
    """Drops the pooled broker connections that failed (a web process's pool would replace
    them on its own as they are used; here the test wants the next enqueue to be clean)."""
    pools.reset()
    celery_app._after_fork()


@pytest.fixture
def throwaway_redis(settings):
    server = ThrowawayRedis()
    settings.CACHES = {
        "default": {
            "BACKEND": "accounts.cache.FallbackRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
    clear_outages()
    with _broker_at(server.url):
        yield server
    server.stop()
    clear_outages()


@pytest.fixture
def people(db):
    from accounts.services import email_address_mark_verified

    user = UserFactory(email="siti@umkm.example.id", role="umkm")
    user.set_password(PASSWORD)
    user.save()
    email_address_mark_verified(user=user)
    return {"user": user, "ministry": MinistryUserFactory()}


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def _the_site_answers(client, people, api_key: str, supplier) -> None:
    """Log-in, a keyed API list and the dashboard: each answers (not 500) within the bound."""
    response, took = _timed(
        lambda: client.post(
            "/accounts/login/", {"login": people["user"].email, "password": PASSWORD}
        )
    )
    assert response.status_code == 302, response.content[:500]
    assert took < BOUND_SECONDS
    assert client.session["_auth_user_id"] == str(people["user"].pk)

    api = key_client(api_key)
    response, took = _timed(lambda: api.get("/api/v1/suppliers/"))
    assert response.status_code == 200, response.content[:500]
    assert supplier.pk in [row["id"] for row in response.json()["results"]]
    assert took < BOUND_SECONDS

    client.force_login(people["ministry"])
    response, took = _timed(lambda: client.get("/reports/"))
    assert response.status_code == 200, response.content[:500]
    assert took < BOUND_SECONDS


@pytest.fixture
def partner_key(db):
    from partners.models import PartnerOrganisation

    return key_for(PartnerOrganisation.objects.create(name="Bank Uji", kind="bank"))


def _edit(supplier, django_capture_on_commit_callbacks) -> None:
    """A saved profile edit, committed (its on-commit rescore runs as after a real commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        supplier_update(supplier=supplier, data={"employees": supplier.employees + 1})
    connection.run_on_commit.clear()


def _sweep_after_recovery(server: ThrowawayRedis, supplier) -> None:
    clear_outages()  # as after the outage window
    server.client.delete("celery")
    counts = tasks.rescore_pending.apply().get()
    assert counts == {"enqueued": 1, "left": 0}
    assert not PendingRescore.objects.exists()
    assert server.client.llen("celery") == 1  # score_supplier(supplier) is on the queue


def test_with_redis_stopped_the_site_answers(throwaway_redis, client, people, partner_key, caplog):
    supplier = SupplierFactory()
    throwaway_redis.kill()

    _the_site_answers(client, people, partner_key, supplier)
    assert "unreachable" in caplog.text  # the outage is logged


def test_with_redis_frozen_the_site_answers_within_the_bound(
    throwaway_redis, client, people, partner_key
):
    supplier = SupplierFactory()
    throwaway_redis.freeze()

    _the_site_answers(client, people, partner_key, supplier)
    # The outage is remembered: later requests do not wait for the timeout again.
    _response, took = _timed(lambda: key_client(partner_key).get("/api/v1/suppliers/"))
    assert took < 0.4


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_an_edit_whose_rescore_cannot_be_enqueued_is_recorded_and_swept(
    throwaway_redis, fault, django_capture_on_commit_callbacks
):
    supplier = SupplierFactory()
    if fault == "stopped":
        throwaway_redis.kill()
    else:
        throwaway_redis.freeze()

    started = time.monotonic()
    _edit(supplier, django_capture_on_commit_callbacks)
    assert time.monotonic() - started < BOUND_SECONDS
    assert broker_outage(celery_app).down()  # the next edits do not wait for it again
    pending = PendingRescore.objects.get()
    assert (pending.kind, pending.object_id) == ("supplier", supplier.pk)

    # Still down: the sweep leaves the row for the next minute.
    assert tasks.rescore_pending.apply().get() == {"enqueued": 0, "left": 1}

    if fault == "stopped":
        throwaway_redis.start()
    else:
        # The publish that timed out may still reach the queue now: a duplicate rescore,
        # harmless (the tasks are idempotent); the sweep's own is counted below.
        throwaway_redis.thaw()
    _reconnect()
    _sweep_after_recovery(throwaway_redis, supplier)


def test_the_cache_uses_redis_again_after_the_outage(throwaway_redis):
    cache = caches["default"]
    cache.set("before", 1)
    throwaway_redis.freeze()
    cache.set("during", 2)  # times out once, then the memory of this process answers
    assert cache.get("during") == 2
    assert cache.get("before") is None  # Redis is not asked while the outage is remembered
    throwaway_redis.thaw()
    clear_outages()  # as after the outage window
    assert cache.get("before") == 1
    cache.set("after", 3)
    assert throwaway_redis.client.get(cache.make_key("after")) is not None
