"""Webhook deliveries in this process, against a real HTTP server on 127.0.0.1: the answer
decides delivered / retry / failed, the backoff, timeouts, lost workers, the secret's rotation and
the addresses refused (SSRF). The worker's part is in test_webhook_worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.events import (
    SUPPLIER_VERIFIED,
)
from partners.models import WebhookDelivery
from partners.webhooks import delivery, transport
from partners.webhooks.services import endpoint_create, endpoint_secret_rotate, webhook_test_send
from tests.factories import (
    PartnerOrganisationFactory,
)
from tests.partners.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_endpoints(settings):
    settings.WEBHOOK_ALLOW_LOCAL = True
    settings.WEBHOOK_BACKOFF_SECONDS = 0


def _endpoint(receiver: Receiver, *events: str, partner=None, path: str = "/hook"):
    return endpoint_create(
        partner=partner or PartnerOrganisationFactory(),
        url=receiver.url + path,
        events=list(events),
        by=None,
    )


def _send_all() -> list[str]:
    return [delivery.delivery_send(pk) for pk in delivery.due_ids()]


@pytest.mark.parametrize(
    ("statuses", "results", "final"),
    [
        ([500, 200], ["retry", "delivered"], "delivered"),
        ([503, 429, 200], ["retry", "retry", "delivered"], "delivered"),
        ([408, 200], ["retry", "delivered"], "delivered"),
        ([404], ["failed"], "failed"),
        ([410], ["failed"], "failed"),
        ([302], ["failed"], "failed"),  # a redirect is never followed
        ([500], ["retry", "retry", "failed"], "failed"),  # the third attempt is the last
    ],
)
def test_the_answer_decides_whether_a_delivery_is_tried_again(settings, statuses, results, final):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    with Receiver(statuses) as receiver:
        endpoint = _endpoint(receiver, SUPPLIER_VERIFIED)
        sent = webhook_test_send(endpoint=endpoint)
        got = []
        while len(got) < 5 and (result := delivery.delivery_send(sent.pk)) != "skipped":
            got.append(result)
    assert got == results
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_code) == (final, len(results), statuses[-1])
    assert len(receiver.received) == len(results)
    assert len({request.headers["X-Rantai-Event-Id"] for request in receiver.received}) == 1
    assert {request.body for request in receiver.received} == {sent.body.encode()}


def test_retries_wait_longer_each_time(settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 30
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert delivery.backoff(30) == timedelta(hours=6)
    with Receiver([500]) as receiver:
        sent = webhook_test_send(endpoint=_endpoint(receiver, SUPPLIER_VERIFIED))
        assert delivery.delivery_send(sent.pk) == "retry"
        assert delivery.delivery_send(sent.pk) == "skipped"  # not due yet
    sent.refresh_from_db()
    wait = (sent.next_attempt_at - timezone.now()).total_seconds()
    assert 20 < wait <= 30


def test_a_server_that_does_not_answer_in_time_is_tried_again(settings):
    import socket

    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        endpoint = endpoint_create(
            partner=PartnerOrganisationFactory(),
            url=f"http://127.0.0.1:{silent.getsockname()[1]}/hook",
            events=[SUPPLIER_VERIFIED],
            by=None,
        )
        sent = webhook_test_send(endpoint=endpoint)
        assert delivery.delivery_send(sent.pk) == "retry"
    finally:
        silent.close()
    sent.refresh_from_db()
    assert sent.response_code is None
    assert "timed out" in sent.last_error


def test_after_a_rotation_the_new_secret_signs_and_the_old_one_until_its_grace_ends():
    with Receiver() as receiver:
        endpoint = _endpoint(receiver, SUPPLIER_VERIFIED)
        old = endpoint.secret
        endpoint = endpoint_secret_rotate(endpoint=endpoint)
        delivery.delivery_send(webhook_test_send(endpoint=endpoint).pk)
        type(endpoint).objects.filter(pk=endpoint.pk).update(
            previous_secret_until=timezone.now() - timedelta(seconds=1)
        )
        delivery.delivery_send(webhook_test_send(endpoint=endpoint).pk)

    during, after = receiver.received
    assert endpoint.secret != old
    assert during.signed_with(endpoint.secret) and during.signed_with(old)
    assert after.signed_with(endpoint.secret) and not after.signed_with(old)


@pytest.mark.parametrize(
    ("url", "local", "code"),
    [
        ("http://rantai-partner.example.id/hook", False, "not_https"),
        ("http://127.0.0.1:8080/hook", False, "not_https"),
        ("https://127.0.0.1/hook", False, "private"),
        ("https://10.1.2.3/hook", False, "private"),
        ("https://169.254.169.254/latest/meta-data", False, "private"),
        ("https://[::1]/hook", False, "private"),
        ("https://localhost/hook", False, "private"),
        ("https://user:pw@example.id/hook", False, "credentials"),
        ("ftp://example.id/hook", False, "invalid"),
        ("not a url", False, "invalid"),
        ("https://bad host.example.id/hook", False, "invalid"),
        ("https://bücher.example.id/hook", False, "invalid"),
        ("https://example.id:0/hook", False, "invalid"),
        ("http://partner.example.id/hook", True, "not_https"),  # http only on loopback
    ],
)
def test_it_refuses_addresses_that_are_not_public_https(settings, url, local, code):
    settings.WEBHOOK_ALLOW_LOCAL = local
    with pytest.raises(ValidationError) as refused:
        transport.check_url(url)
    assert refused.value.code == code


def test_it_accepts_public_https_and_in_development_loopback_http(settings):
    settings.WEBHOOK_ALLOW_LOCAL = False
    assert transport.check_url(" https://hooks.example.id/rantai ") == (
        "https://hooks.example.id/rantai"
    )
    settings.WEBHOOK_ALLOW_LOCAL = True
    assert transport.check_url("http://127.0.0.1:9/x") == "http://127.0.0.1:9/x"


def test_in_production_a_delivery_to_a_name_resolving_to_loopback_is_refused(settings):
    with Receiver() as receiver:
        endpoint = _endpoint(receiver, SUPPLIER_VERIFIED)
        # A name that passed the form's check but resolves to this machine (DNS rebinding).
        type(endpoint).objects.filter(pk=endpoint.pk).update(
            url=receiver.url.replace("http://127.0.0.1", "https://localhost") + "/hook"
        )
        sent = webhook_test_send(endpoint=endpoint)
        settings.WEBHOOK_ALLOW_LOCAL = False
        assert delivery.delivery_send(sent.pk) == "failed"
    assert receiver.received == []
    sent.refresh_from_db()
    assert sent.last_error.startswith("refused")


def test_an_endpoint_needs_an_event(settings):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        endpoint_create(
            partner=PartnerOrganisationFactory(),
            url="https://hooks.example.id/x",
            events=[],
            by=None,
        )
    assert refused.value.message_dict == {"events": ["Pick at least one event."]}


def test_a_delivery_lost_with_its_worker_is_sent_again_after_its_lease(settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    with Receiver() as receiver:
        sent = webhook_test_send(endpoint=_endpoint(receiver, SUPPLIER_VERIFIED))
        assert delivery._claim(sent.pk)  # a worker took it, then died
        assert delivery.due_ids() == []  # its lease still runs
        WebhookDelivery.objects.filter(pk=sent.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1)
        )
        assert delivery.due_ids() == [sent.pk]
        assert delivery.delivery_send(sent.pk) == "delivered"
        sent.refresh_from_db()
        assert (sent.status, sent.attempts) == ("delivered", 2)

        again = webhook_test_send(endpoint=sent.endpoint)
        for _died in range(2):
            assert delivery._claim(again.pk)
            WebhookDelivery.objects.filter(pk=again.pk).update(
                lease_until=timezone.now() - timedelta(seconds=1)
            )
        assert delivery.delivery_send(again.pk) == "failed"  # a third claim is one too many
    assert len(receiver.received) == 1
    again.refresh_from_db()
    assert (again.status, again.last_error) == ("failed", "lost")
