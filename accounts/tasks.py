"""Outbox and retention tasks: thin wrappers over accounts.delivery and accounts.retention."""

from __future__ import annotations

import logging

from celery import shared_task

from . import delivery, retention

logger = logging.getLogger(__name__)


# The hard time limit must stay below the outbox lease (OUTBOX_LEASE_SECONDS, 300 s): a sender
# is dead before another one may take its row over.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=90, time_limit=120)
def send_outbox_email(email_id: int) -> str:
    result = delivery.outbox_send(email_id)
    logger.info("send_outbox_email %s: %s", email_id, result)
    return result


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=100, time_limit=120)
def outbox_sweep() -> dict[str, int]:
    counts = delivery.outbox_sweep()
    if counts:
        logger.info("outbox_sweep: %s", counts)
    return counts


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=500, time_limit=600)
def apply_retention() -> dict[str, int]:
    counts = retention.retention_apply()
    logger.info("apply_retention: %s", counts)
    return counts
