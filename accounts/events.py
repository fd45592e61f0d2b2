"""Business events that other parts of Rantai (and partners' webhooks) may react to.

The apps low in the stack announce what happened with ``publish``; the apps above them (partner
webhooks, for one) connect to ``domain_event``. Announcing through a signal keeps the layers
flowing one way: the service that verifies a supplier does not know who listens.

Listeners run inside the transaction that caused the event, so what they record (a webhook's
deliveries, for one) is saved with the change or not at all: an event can be neither lost
between a commit and a crash nor sent for a change that was rolled back. A listener therefore
only writes rows; whatever leaves the process (a task, an HTTP call) it defers with
``transaction.on_commit``. Payloads carry ids, not objects: a listener re-reads what it needs,
under its own rules (a partner's consent, for one).
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
# The same for many events of one kind at once (a bulk import): items=<list of data dicts>.
domain_events = Signal()


def publish(name: str, **data: int | str | None) -> None:
    """Announces `name` with `data`, within the current transaction."""
    _check(name)
    with transaction.atomic():
        domain_event.send(sender=None, name=name, data=dict(data))


def publish_many(name: str, items: list[dict[str, int | str | None]]) -> None:
    """Announces one `name` event per item (listeners handle them in bulk)."""
    _check(name)
    if items:
        with transaction.atomic():
            domain_events.send(sender=None, name=name, items=items)


def _check(name: str) -> None:
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown event {name!r}")
