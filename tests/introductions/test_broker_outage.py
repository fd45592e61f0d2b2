"""A broken broker must not break the site: the request succeeds, the e-mail waits in the outbox.

The enqueue runs after the commit (captured and executed here, as a real request would); the
sweep sends the e-mail later (tests/introductions/test_worker.py shows that part).
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from accounts.models import OutboxEmail
from introductions.models import Introduction
from tests.introductions.brokers import free_port, silent_server, use_broker

pytestmark = [pytest.mark.worker, pytest.mark.django_db]


def post_request(client, pair, django_capture_on_commit_callbacks) -> tuple[float, object]:
    from config.celery import app

    client.force_login(pair.buyer)
    url = reverse("introductions:request", args=[pair.requirement.pk, pair.supplier.pk])
    # A running web process has loaded its templates and the broker transport already (both
    # happen once per process, ~0.4 s here); time a request like the second one it serves.
    assert client.get(url).status_code == 200
    assert app.connection_for_write().transport is not None  # imports without connecting
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Sample order in March?"})
    return time.monotonic() - started, response


def assert_saved_and_pending(pair, response) -> None:
    introduction = Introduction.objects.get(requirement=pair.requirement, supplier=pair.supplier)
    assert response.status_code == 302
    assert response["Location"] == reverse("introductions:detail", args=[introduction.pk])
    email = OutboxEmail.objects.get(recipient=pair.umkm.email)
    assert email.status == OutboxEmail.Status.PENDING and email.attempts == 0


# The bounds are generous (a loaded 2-core machine serves the request itself in ~0.1-1 s) but
# below what the failures they guard against cost: Kombu's default retry waits 2 s before it
# tries a refused broker again, and without socket timeouts a silent broker holds the request
# for good.
def test_with_redis_refusing_connections_the_request_does_not_wait_for_a_retry(
    client, pair, django_capture_on_commit_callbacks
):
    with use_broker(f"redis://127.0.0.1:{free_port()}/0"):
        elapsed, response = post_request(client, pair, django_capture_on_commit_callbacks)
    assert_saved_and_pending(pair, response)
    assert elapsed < 1.9, f"took {elapsed:.2f} s"


def test_with_redis_accepting_but_never_answering_the_request_times_out(
    client, pair, django_capture_on_commit_callbacks
):
    with silent_server() as port, use_broker(f"redis://127.0.0.1:{port}/0"):
        elapsed, response = post_request(client, pair, django_capture_on_commit_callbacks)
    assert_saved_and_pending(pair, response)
    assert elapsed < 15.0, f"took {elapsed:.2f} s"


def test_after_a_broker_switch_the_app_sends_to_its_own_broker_again(settings):
    # The switch must not leave a closed pool behind for the tests that run after it.
    from config.celery import app

    with app.producer_or_acquire() as producer:  # the real broker's pools are in use
        producer.connection.ensure_connection(max_retries=1)
    with use_broker(f"redis://127.0.0.1:{free_port()}/0"):
        assert app.conf.broker_url != settings.CELERY_BROKER_URL
    with app.producer_or_acquire() as producer:
        producer.connection.ensure_connection(max_retries=1)
        assert producer.connection.as_uri() == app.connection_for_write().as_uri()
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
