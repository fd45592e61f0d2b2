"""Business events that other parts of Rantai (and partners' webhooks) may react to.

The apps low in the stack announce what happened with ``publish``; the apps above them (partner
webhooks, for one) connect to ``domain_event``. Announcing through a signal keeps the layers
flowing one way: the service that verifies a supplier does not know who listens.

An event goes out only after the transaction that caused it commits, so a listener never sees
a change that was rolled back. Payloads carry ids, not objects: a listener re-reads what it
needs, under its own rules (a partner's consent, for one).
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

SUPPLIER_VERIFIED = "supplier.verified"
REQUIREMENT_PUBLISHED = "requirement.published"
INTRODUCTION_ACCEPTED = "introduction.accepted"
PARTNERSHIP_STAGE_CHANGED = "partnership.stage_changed"
QUOTATION_AWARDED = "quotation.awarded"

EVENT_NAMES = (
    SUPPLIER_VERIFIED,
    REQUIREMENT_PUBLISHED,
    INTRODUCTION_ACCEPTED,
    PARTNERSHIP_STAGE_CHANGED,
    QUOTATION_AWARDED,
)

# Sent with name=<one of EVENT_NAMES> and data=<dict of ids and plain values>.
domain_event = Signal()


def publish(name: str, **data: int | str | None) -> None:
    """Announces `name` with `data` once the current transaction commits."""
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown event {name!r}")
    payload = dict(data)
    transaction.on_commit(lambda: domain_event.send(sender=None, name=name, data=payload))
