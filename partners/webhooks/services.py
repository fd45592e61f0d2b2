"""Webhook writes: partners' endpoints (create, change, rotate the secret, remove), the fan-out
of a business event to the endpoints that picked it, and the "send test event" button."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.events import EVENT_NAMES
from accounts.models import User
from accounts.outage import enqueue

from ..models import PartnerOrganisation, WebhookDelivery, WebhookEndpoint, WebhookEvent
from . import tasks
from .payloads import TEST_EVENT, Built, payload_body
from .transport import check_url

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105 (a label, not a secret)
MAX_ENDPOINTS = 10


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _clean_events(events: Iterable[str]) -> list[str]:
    cleaned = [name for name in EVENT_NAMES if name in set(events)]
    if not cleaned:
        raise ValidationError({"events": _("Pick at least one event.")}, code="no_events")
    unknown = set(events) - set(EVENT_NAMES)
    if unknown:
        raise ValidationError({"events": _("Unknown event.")}, code="unknown_event")
    return cleaned


def _clean(url: str, events: Iterable[str], description: str) -> dict[str, Any]:
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {"description": (description or "").strip()[:200]}
    try:
        cleaned["url"] = check_url(url)
    except ValidationError as exc:
        errors["url"] = exc.messages
    try:
        cleaned["events"] = _clean_events(list(events))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def endpoint_create(
    *,
    partner: PartnerOrganisation,
    url: str,
    events: Iterable[str],
    by: User | None,
    description: str = "",
) -> WebhookEndpoint:
    """A new endpoint with a new secret (``endpoint.secret``: show it once, now)."""
    cleaned = _clean(url, events, description)
    PartnerOrganisation.objects.select_for_update().get(pk=partner.pk)
    if partner.webhook_endpoints.filter(is_active=True).count() >= MAX_ENDPOINTS:
        raise ValidationError(
            _("A partner can register at most %(count)s endpoints.") % {"count": MAX_ENDPOINTS},
            code="too_many",
        )
    return WebhookEndpoint.objects.create(
        partner=partner, secret=_new_secret(), created_by=by, **cleaned
    )


@transaction.atomic
def endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, events: Iterable[str], description: str = ""
) -> WebhookEndpoint:
    cleaned = _clean(url, events, description)
    for name, value in cleaned.items():
        setattr(endpoint, name, value)
    endpoint.save(update_fields=list(cleaned))
    return endpoint


@transaction.atomic
def endpoint_secret_rotate(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret signs from now on; the old one also signs (a second ``v1=``) for
    ``WEBHOOK_SECRET_GRACE_HOURS``, so the partner can switch without losing deliveries."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = now + timedelta(hours=settings.WEBHOOK_SECRET_GRACE_HOURS)
    endpoint.secret = _new_secret()
    endpoint.secret_rotated_at = now
    endpoint.save(
        update_fields=["previous_secret", "previous_secret_until", "secret", "secret_rotated_at"]
    )
    return endpoint


@transaction.atomic
def endpoint_remove(*, endpoint: WebhookEndpoint) -> None:
    """Stops deliveries at once; the endpoint and its log stay (for the record), disabled."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    endpoint.deliveries.filter(
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.SENDING]
    ).update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None, last_error="removed")


# --- fan-out ----------------------------------------------------------------------------------


def _enqueue(delivery_id: int) -> None:
    if not enqueue(tasks.deliver_webhook, (delivery_id,)):
        logger.warning("webhooks: could not enqueue delivery %s; the sweep will", delivery_id)


def _deliver(event: WebhookEvent, endpoints: Iterable[WebhookEndpoint]) -> list[WebhookDelivery]:
    built: dict[int, Built | None] = {}
    deliveries = []
    for endpoint in endpoints:
        if endpoint.partner_id not in built:
            built[endpoint.partner_id] = payload_body(event, endpoint.partner)
        payload = built[endpoint.partner_id]
        if payload is None:
            continue
        delivery = WebhookDelivery.objects.create(
            event=event, endpoint=endpoint, body=payload.body, consents=payload.consents
        )
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk), robust=True)
        deliveries.append(delivery)
    return deliveries


def _subscribed(name: str) -> list[WebhookEndpoint]:
    return list(
        WebhookEndpoint.objects.filter(
            is_active=True, partner__is_active=True, events__contains=[name]
        ).select_related("partner")
    )


@transaction.atomic
def webhook_event_fan_out(*, name: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """The event and one delivery per endpoint that picked it, in one transaction."""
    return webhook_events_fan_out(name=name, items=[data])


@transaction.atomic
def webhook_events_fan_out(*, name: str, items: list[dict[str, Any]]) -> list[WebhookDelivery]:
    """Many events of one kind (a bulk import): the endpoints are looked up once, and nothing
    is written when none picked the event."""
    endpoints = _subscribed(name)
    deliveries: list[WebhookDelivery] = []
    if not endpoints:
        return deliveries
    for data in items:
        event = WebhookEvent.objects.create(name=name, data=data)
        deliveries.extend(_deliver(event, endpoints))
    return deliveries


@transaction.atomic
def webhook_test_send(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``webhook.test`` event to this endpoint only, signed and logged like any other."""
    event = WebhookEvent.objects.create(name=TEST_EVENT, data={})
    [delivery] = _deliver(event, [endpoint])
    return delivery


def on_domain_event(sender, *, name: str, data: dict[str, Any], **kwargs) -> None:
    """``accounts.events.domain_event`` receiver (connected in ``PartnersConfig.ready``). It
    runs inside the business transaction, so the event's deliveries are saved with the change
    (an outbox: none lost to a crash after the commit, none for a change rolled back). A
    failure of the fan-out itself rolls back only its own savepoint and is logged: the partner's
    copy must not cost the user their work."""
    on_domain_events(sender, name=name, items=[data])


def on_domain_events(sender, *, name: str, items: list[dict[str, Any]], **kwargs) -> None:
    """``accounts.events.domain_events`` receiver: the bulk form of ``on_domain_event``."""
    try:
        webhook_events_fan_out(name=name, items=items)
    except Exception:
        logger.exception("webhooks: fan-out of %s (%d events) failed", name, len(items))
