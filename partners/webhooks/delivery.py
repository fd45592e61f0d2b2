"""Webhook deliveries, the sending side: claim, sign, POST, retry, sweep.

At least once, like the e-mail outbox (``accounts.delivery``):
1. The fan-out writes one ``WebhookDelivery`` per (event, endpoint) in one transaction with the
   event row, then enqueues ``deliver_webhook(id)`` after the commit. A broker that is down only
   delays it: beat's ``sweep_webhooks`` sends whatever is due.
2. A sender claims the row with one conditional UPDATE (pending and due, or sending with its
   lease run out); only one of concurrent senders wins.
3. The answer decides: 2xx delivered; a timeout, a connection error, 5xx, 408 or 429 is tried
   again after 1, 2, 4 ... x ``WEBHOOK_BACKOFF_SECONDS`` (at most 6 hours) until
   ``WEBHOOK_MAX_ATTEMPTS``, then "failed"; any other answer (4xx, a redirect, which is never
   followed) and an address refused as private fail at once.

A retry sends the same body, unless a consent it relied on was withdrawn meanwhile: it is then
built again without what that consent allowed (same event id).

A worker that dies after the receiver answered but before the row is marked leaves it
"sending"; the sweep sends it again when the lease runs out, with the same body and event id:
receivers de-duplicate on ``X-Rantai-Event-Id``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone

from ..models import WebhookDelivery, WebhookEndpoint
from . import transport
from .payloads import consents_hold, payload_body

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
RETRY_STATUSES = frozenset({408, 429})
USER_AGENT = "Rantai-Webhooks/1.0"


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 8))


def lease_seconds() -> int:
    return int(getattr(settings, "WEBHOOK_LEASE_SECONDS", 120))


def backoff(attempts: int) -> timedelta:
    base = float(getattr(settings, "WEBHOOK_BACKOFF_SECONDS", 30.0))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def sign(secret: str, timestamp: int, body: str) -> str:
    """HMAC-SHA256 (hex) of ``"<timestamp>.<body>"`` with the endpoint's secret."""
    message = f"{timestamp}.{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signing_secrets(endpoint: WebhookEndpoint) -> list[str]:
    """The current secret, and the previous one during its grace period after a rotation."""
    secrets = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and until > timezone.now():
        secrets.append(endpoint.previous_secret)
    return secrets


def signature_header(endpoint: WebhookEndpoint, timestamp: int, body: str) -> str:
    signatures = [f"v1={sign(secret, timestamp, body)}" for secret in signing_secrets(endpoint)]
    return ",".join([f"t={timestamp}", *signatures])


def headers_for(delivery: WebhookDelivery, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Rantai-Event": delivery.event.name,
        "X-Rantai-Event-Id": str(delivery.event_id),
        "X-Rantai-Delivery": str(delivery.pk),
        "X-Rantai-Signature": signature_header(delivery.endpoint, timestamp, delivery.body),
    }


def _due() -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=Now()) | Q(
        status=Status.SENDING, lease_until__lt=Now()
    )


def _claim(delivery_id: int) -> bool:
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(_due())
        .update(
            status=Status.SENDING,
            lease_until=Now() + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


def _finish(delivery: WebhookDelivery, **fields) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        lease_until=None, **fields
    )


def _retry_or_fail(delivery: WebhookDelivery, error: str, **fields) -> str:
    if delivery.attempts >= max_attempts():
        _finish(delivery, status=Status.FAILED, next_attempt_at=None, last_error=error, **fields)
        return "failed"
    _finish(
        delivery,
        status=Status.PENDING,
        next_attempt_at=Now() + backoff(delivery.attempts),
        last_error=error,
        **fields,
    )
    return "retry"


def delivery_send(delivery_id: int) -> str:
    """One attempt if this caller wins the claim: "delivered", "retry", "failed" or "skipped".

    Runs outside any transaction: the claim is committed before the slow network part."""
    if not _claim(delivery_id):
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("event", "endpoint", "endpoint__partner").get(
        pk=delivery_id
    )
    endpoint = delivery.endpoint
    if delivery.attempts > max_attempts():
        # Claimed again after senders died with it (lease ran out) more often than allowed.
        _finish(delivery, status=Status.FAILED, next_attempt_at=None, last_error="lost")
        return "failed"
    if not endpoint.is_active:
        _finish(
            delivery, status=Status.FAILED, next_attempt_at=None, last_error="endpoint disabled"
        )
        return "failed"
    if delivery.consents and not consents_hold(endpoint.partner, delivery.consents):
        # A consent the body relied on was withdrawn since: what it allowed is not sent.
        rebuilt = payload_body(delivery.event, endpoint.partner)
        if rebuilt is None:
            _finish(delivery, status=Status.FAILED, next_attempt_at=None, last_error="gone")
            return "failed"
        delivery.body, delivery.consents = rebuilt.body, rebuilt.consents
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            body=rebuilt.body, consents=rebuilt.consents
        )
    timestamp = int(time.time())
    started = time.monotonic()
    try:
        response = transport.post(
            endpoint.url, delivery.body.encode(), headers_for(delivery, timestamp)
        )
    except transport.Refused as exc:
        _finish(
            delivery,
            status=Status.FAILED,
            next_attempt_at=None,
            response_code=None,
            duration_ms=None,
            last_error=f"refused: {exc}"[:500],
        )
        return "failed"
    except Exception as exc:  # timeouts, refused connections, TLS errors, unknown hosts
        if not isinstance(exc, OSError):
            logger.exception("webhook delivery %s: unexpected error", delivery_id)
        logger.info("webhook delivery %s attempt %s: %s", delivery_id, delivery.attempts, exc)
        return _retry_or_fail(
            delivery,
            f"{type(exc).__name__}: {exc}"[:500],
            response_code=None,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    measured = {"response_code": response.status, "duration_ms": response.duration_ms}
    if 200 <= response.status < 300:
        _finish(
            delivery,
            status=Status.DELIVERED,
            delivered_at=Now(),
            next_attempt_at=None,
            last_error="",
            **measured,
        )
        return "delivered"
    error = f"HTTP {response.status}"
    if response.status >= 500 or response.status in RETRY_STATUSES:
        return _retry_or_fail(delivery, error, **measured)
    _finish(delivery, status=Status.FAILED, next_attempt_at=None, last_error=error, **measured)
    return "failed"


def due_ids(limit: int = 200) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(_due())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
