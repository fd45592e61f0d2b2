"""Webhook deliveries through a real Celery worker (``celery -A config worker``) and the real
Redis broker, to a real HTTP server on 127.0.0.1: a 500 is retried after its backoff until the
server accepts, with the same body and event id every time; a delivery whose task was lost is
sent after beat's sweep."""

from __future__ import annotations

import os
import signal

import pytest
from django.db import transaction

from partners.models import PartnerConsent, WebhookDelivery, WebhookEvent
from partners.services import consent_grant
from partners.webhooks import tasks
from partners.webhooks.payloads import TEST_EVENT, payload_body
from partners.webhooks.services import endpoint_create
from suppliers.verification import verification_decide
from tests.factories import (
    MinistryUserFactory,
    PartnerOrganisationFactory,
    SupplierFactory,
    SupplierMemberFactory,
)
from tests.matching.test_killed_runs import broker, start_worker, wait_for  # noqa: F401
from tests.partners.receiver import Receiver

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WORKER_ENV = {"WEBHOOK_ALLOW_LOCAL": "true", "WEBHOOK_BACKOFF_SECONDS": "1"}


@pytest.fixture
def local(settings):
    settings.WEBHOOK_ALLOW_LOCAL = True


@pytest.fixture
def worker(broker):  # noqa: F811
    process, logs = start_worker("webhooks@%h", lease=150, **WORKER_ENV)
    yield logs
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(20)


def test_the_worker_retries_after_500_until_delivered_with_one_event_id(
    reference_data, local, worker
):
    supplier = SupplierFactory(verification_status="unverified", contact_email="cv@umkm.id")
    owner = SupplierMemberFactory(supplier=supplier).user
    bank = PartnerOrganisationFactory()
    consent_grant(supplier=supplier, partner=bank, scope=PartnerConsent.Scope.CONTACT, by=owner)
    with Receiver([500, 500, 200]) as receiver:
        endpoint = endpoint_create(
            partner=bank, url=f"{receiver.url}/hook", events=["supplier.verified"], by=None
        )
        with transaction.atomic():
            verification_decide(firm=supplier, by=MinistryUserFactory(), decision="approved")

        wait_for(
            lambda: WebhookDelivery.objects.filter(status="delivered").exists(),
            timeout=60,
            what="the delivery after two 500s",
            logs=worker,
        )

    assert len(receiver.received) == 3
    sent = WebhookDelivery.objects.get()
    assert (sent.attempts, sent.response_code, sent.last_error) == (3, 200, "")
    event = WebhookEvent.objects.get()
    assert {request.headers["X-Rantai-Event-Id"] for request in receiver.received} == {
        str(event.pk)
    }
    assert {request.body for request in receiver.received} == {sent.body.encode()}
    assert all(request.signed_with(endpoint.secret) for request in receiver.received)
    assert receiver.received[-1].json["data"]["supplier"]["contact"]["contact_email"] == (
        "cv@umkm.id"
    )


def test_a_delivery_whose_task_was_lost_is_sent_after_the_sweep(reference_data, local, worker):
    bank = PartnerOrganisationFactory()
    with Receiver() as receiver:
        endpoint = endpoint_create(
            partner=bank, url=f"{receiver.url}/hook", events=["supplier.verified"], by=None
        )
        # Written as the fan-out writes it, but its task never reached the broker.
        event = WebhookEvent.objects.create(name=TEST_EVENT, data={})
        lost = WebhookDelivery.objects.create(
            event=event, endpoint=endpoint, body=payload_body(event, bank).body
        )
        assert tasks.sweep_webhooks() == 1

        wait_for(
            lambda: WebhookDelivery.objects.filter(pk=lost.pk, status="delivered").exists(),
            timeout=60,
            what="the swept delivery",
            logs=worker,
        )
    [request] = receiver.received
    assert request.headers["X-Rantai-Event-Id"] == str(event.pk)
