"""E-mail outbox and in-app notifications: the writes.

How an e-mail is sent exactly once is told in ``accounts.delivery``, which holds the sending
side; this module queues (``email_queue``) and enqueues the send task after the commit.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from . import tasks
from .delivery import (  # noqa: F401  (the outbox's public face: callers use outbox.outbox_send)
    backoff,
    lease_seconds,
    max_attempts,
    message_id,
    outbox_due_ids,
    outbox_send,
    outbox_sweep,
    render_email,
)
from .models import EmailPreference, Notification, OutboxEmail, User
from .outage import enqueue

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "accounts.digest-unsubscribe"


# --- queueing ---------------------------------------------------------------------------------


def _enqueue(email_id: int) -> None:
    # No publish retries: the sweep is the retry. A broker that refuses or hangs must not hold
    # up the request that queued the e-mail (a known outage is not even tried).
    if not enqueue(tasks.send_outbox_email, (email_id,)):
        logger.warning("outbox: could not enqueue e-mail %s; the sweep will send it", email_id)


def email_queue(
    *,
    template: str,
    context: dict[str, Any],
    key: str,
    user: User | None = None,
    recipient: str | None = None,
    language: str | None = None,
) -> OutboxEmail:
    """Queues one e-mail; call inside the transaction that records the event causing it.

    The same ``key`` queues nothing new (the existing row is returned).
    """
    address = recipient or (user.email if user else "")
    if not address:
        raise ValueError("An e-mail needs a recipient")
    language = language or (user.preferred_language if user else settings.LANGUAGE_CODE)
    with transaction.atomic():
        email, created = OutboxEmail.objects.get_or_create(
            idempotency_key=key,
            defaults={
                "user": user,
                "recipient": address,
                "language": language,
                "template": template,
                "context": context,
            },
        )
        if created:
            transaction.on_commit(lambda: _enqueue(email.pk), robust=True)
    return email


@transaction.atomic
def outbox_retry(*, emails) -> int:
    """Administrators' "retry now": failed or waiting rows become due again."""
    ids = list(
        OutboxEmail.objects.filter(pk__in=[e.pk for e in emails])
        .filter(status__in=[OutboxEmail.Status.PENDING, OutboxEmail.Status.FAILED])
        .values_list("pk", flat=True)
    )
    OutboxEmail.objects.filter(pk__in=ids).update(
        status=OutboxEmail.Status.PENDING, next_attempt_at=Now(), last_error=""
    )
    for email_id in ids:
        transaction.on_commit(lambda email_id=email_id: _enqueue(email_id), robust=True)
    return len(ids)


# --- in-app notifications -------------------------------------------------------------------


def notify(
    *,
    user: User,
    kind: str,
    params: dict[str, Any],
    url: str = "",
    email_template: str | None = None,
    email_context: dict[str, Any] | None = None,
    key: str,
) -> Notification:
    """An in-app notification and, optionally, the matching e-mail (same transaction)."""
    notification = Notification.objects.create(user=user, kind=kind, params=params, url=url)
    if email_template and user.is_active and user.email:
        email_queue(
            user=user,
            template=email_template,
            context={**params, **(email_context or {}), "url": url},
            key=key,
        )
    return notification


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    notification = Notification.objects.get(pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- digest preferences -----------------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_path(user: User) -> str:
    return reverse("digest_unsubscribe", args=[unsubscribe_token(user)])


def user_from_unsubscribe_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u")).first() if isinstance(data, dict) else None


def digest_set(*, user: User, enabled: bool) -> EmailPreference:
    preference, _ = EmailPreference.objects.get_or_create(user=user)
    if preference.weekly_digest != enabled:
        preference.weekly_digest = enabled
        preference.save(update_fields=["weekly_digest", "updated_at"])
    return preference
