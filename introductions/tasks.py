"""Periodic introduction and digest tasks (the beat schedule in config/settings.py runs them).

Each is idempotent: a second run, or a redelivery, finds nothing left to do.
"""

from __future__ import annotations

import logging

from celery import shared_task

from . import digests, services
from .conversation import services as conversation

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=240, time_limit=300)
def expire_introductions() -> dict[str, int]:
    result = {
        "reminded": services.introductions_remind(),
        "expired": services.introductions_expire(),
    }
    logger.info("expire_introductions: %s", result)
    return result


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=1700, time_limit=1800)
def send_weekly_digests() -> int:
    count = digests.digests_send()
    logger.info("send_weekly_digests: %s digests queued", count)
    return count


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=240, time_limit=300)
def send_unread_message_emails() -> int:
    count = conversation.unread_message_emails_send()
    logger.info("send_unread_message_emails: %s e-mails queued", count)
    return count
