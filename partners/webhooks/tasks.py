"""Webhook tasks: thin wrappers over ``partners.webhooks.delivery``."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from accounts.outage import enqueue

from ..models import WebhookDelivery
from . import delivery

logger = logging.getLogger(__name__)


# The hard limit stays below the claim's lease (WEBHOOK_LEASE_SECONDS, 120 s): a sender is dead
# before another may take its delivery over.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=45, time_limit=60)
def deliver_webhook(delivery_id: int) -> str:
    result = delivery.delivery_send(delivery_id)
    logger.info("deliver_webhook %s: %s", delivery_id, result)
    if result == "retry":
        # The next attempt at its backoff; if this is lost, the sweep sends it once due.
        when = (
            WebhookDelivery.objects.filter(pk=delivery_id)
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        countdown = max((when - timezone.now()).total_seconds(), 0) if when else 0
        enqueue(deliver_webhook, (delivery_id,), countdown=countdown)
    return result


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=50, time_limit=60)
def sweep_webhooks() -> int:
    """Enqueues the deliveries that are due and have no task: never enqueued (broker down),
    or lost with a worker (their lease ran out)."""
    ids = delivery.due_ids()
    for delivery_id in ids:
        enqueue(deliver_webhook, (delivery_id,))
    if ids:
        logger.info("sweep_webhooks: %s due", len(ids))
    return len(ids)
