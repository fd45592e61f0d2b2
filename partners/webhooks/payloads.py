"""What one partner receives of an event: the same rules as its API reads (docs/webhooks.md).

An event carries ids (``accounts.events``); the payload is built here, per partner, from the
rows as they are when the event is fanned out:

- a supplier's public profile to everyone; its contact details (NIB, address, contact person,
  e-mail, phone) only to a partner it gave the *contact* consent (the NIB also to the partner
  that manages it), as in the API;
- which supplier an introduction, partnership or award concerns only to a partner it gave the
  *partnerships* consent; other partners get the ids of the introduction, requirement and
  buyer, and ``"supplier": null``;
- never prices, messages or notes.

Private fields sent to a partner leave an audit record, as the API's reads do. The consents a
body relied on are kept with the delivery: a retry after one is withdrawn sends a body built
again without what it allowed (``delivery.delivery_send``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from accounts.audit import Actor, AuditDoor, AuditRecord, Entry, audit_records
from accounts.events import (
    INTRODUCTION_ACCEPTED,
    PARTNERSHIP_STAGE_CHANGED,
    QUOTATION_AWARDED,
    REQUIREMENT_PUBLISHED,
    SUPPLIER_VERIFIED,
)
from introductions.models import Introduction, Partnership, Quotation
from manufacturers.models import Requirement
from suppliers.models import Supplier

from ..models import PartnerConsent, PartnerManagedSupplier, PartnerOrganisation, WebhookEvent
from ..privacy import PRIVATE_SUPPLIER_FIELDS

TEST_EVENT = "webhook.test"
CONTACT_FIELDS = tuple(name for name in PRIVATE_SUPPLIER_FIELDS if name != "nib")


@dataclass
class Reader:
    """The partner a body is built for, and the consents the body relied on."""

    partner: PartnerOrganisation
    consents: list[list] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.partner.name

    @property
    def pk(self) -> int:
        return self.partner.pk


Builder = Callable[[dict[str, Any], Reader], dict[str, Any] | None]


def _consented(reader: Reader, supplier_id: int, scope: str) -> bool:
    allowed = PartnerConsent.objects.filter(
        partner=reader.partner, supplier_id=supplier_id, scope=scope, revoked_at__isnull=True
    ).exists()
    if allowed:
        reader.consents.append([supplier_id, str(scope)])
    return allowed


def consents_hold(partner: PartnerOrganisation, consents: list[list]) -> bool:
    """Whether every consent a body relied on is still given."""
    return all(
        PartnerConsent.objects.filter(
            partner=partner, supplier_id=supplier_id, scope=scope, revoked_at__isnull=True
        ).exists()
        for supplier_id, scope in consents
    )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _audit(partner: Reader, kind: str, pk: int, supplier_id: int, fields) -> None:
    audit_records(
        [
            Entry(
                AuditRecord.Action.API_PRIVATE_READ,
                kind,
                pk,
                "supplier",
                supplier_id,
                fields=fields,
            )
        ],
        actor=Actor(door=AuditDoor.SYSTEM, label=f"webhook · {partner.name}"),
    )


def _supplier(data: dict[str, Any], partner: Reader) -> dict[str, Any] | None:
    supplier = (
        Supplier.objects.select_related("province", "regency", "size_class")
        .filter(pk=data.get("supplier_id"))
        .first()
    )
    if supplier is None:
        return None
    payload: dict[str, Any] = {
        "id": supplier.pk,
        "legal_name": supplier.legal_name,
        "province": supplier.province_id,
        "regency": supplier.regency_id,
        "size_class": supplier.size_class_id,
        "verification_status": supplier.verification_status,
        "verified_at": _iso(supplier.verified_at),
        "contact_visible": False,
        "contact": None,
    }
    private: dict[str, Any] = {}
    if _consented(partner, supplier.pk, PartnerConsent.Scope.CONTACT):
        private = {name: getattr(supplier, name) for name in PRIVATE_SUPPLIER_FIELDS}
        payload["contact_visible"] = True
    elif PartnerManagedSupplier.objects.filter(partner=partner.partner, supplier=supplier).exists():
        private = {"nib": supplier.nib}
    if private:
        payload["contact"] = private
        sent = [name for name, value in private.items() if value not in (None, "")]
        _audit(partner, "supplier", supplier.pk, supplier.pk, sent)
    return {"supplier": payload}


def _requirement(data: dict[str, Any], partner: Reader) -> dict[str, Any] | None:
    requirement = (
        Requirement.objects.select_related("manufacturer")
        .filter(pk=data.get("requirement_id"))
        .first()
    )
    if requirement is None:
        return None
    return {
        "requirement": {
            "id": requirement.pk,
            "title": requirement.title,
            "manufacturer": requirement.manufacturer_id,
            "manufacturer_name": requirement.manufacturer.name,
            "component": requirement.component_id,
            "annual_volume": requirement.annual_volume,
            "needed_by": _iso(requirement.needed_by),
            "delivery_province": requirement.delivery_province_id,
            "min_local_content_pct": requirement.min_local_content_pct,
            "status": requirement.status,
            "published_at": _iso(requirement.published_at),
        }
    }


def _supplier_if_consented(partner: Reader, supplier_id: int, kind: str, pk: int) -> int | None:
    if not _consented(partner, supplier_id, PartnerConsent.Scope.PARTNERSHIPS):
        return None
    _audit(partner, kind, pk, supplier_id, ["supplier"])
    return supplier_id


def _introduction(data: dict[str, Any], partner: Reader) -> dict[str, Any] | None:
    introduction = (
        Introduction.objects.select_related("requirement")
        .filter(pk=data.get("introduction_id"))
        .first()
    )
    if introduction is None:
        return None
    return {
        "introduction": {
            "id": introduction.pk,
            "requirement": introduction.requirement_id,
            "manufacturer": introduction.requirement.manufacturer_id,
            "supplier": _supplier_if_consented(
                partner, introduction.supplier_id, "introduction", introduction.pk
            ),
            "direction": introduction.direction,
            "status": introduction.status,
            "decided_at": _iso(introduction.decided_at),
        }
    }


def _partnership(data: dict[str, Any], partner: Reader) -> dict[str, Any] | None:
    partnership = (
        Partnership.objects.select_related("introduction", "introduction__requirement")
        .filter(pk=data.get("partnership_id"))
        .first()
    )
    if partnership is None:
        return None
    introduction = partnership.introduction
    supplier = _supplier_if_consented(
        partner, introduction.supplier_id, "partnership", partnership.pk
    )
    return {
        "partnership": {
            "id": partnership.pk,
            "introduction": introduction.pk,
            "requirement": introduction.requirement_id,
            "manufacturer": introduction.requirement.manufacturer_id,
            "supplier": supplier,
            "pattern": partnership.pattern_id,
            "stage": partnership.stage,
            "contract_value_idr": partnership.contract_value_idr if supplier else None,
        },
        "stage_from": data.get("from_stage"),
        "stage_to": data.get("to_stage", partnership.stage),
    }


def _quotation(data: dict[str, Any], partner: Reader) -> dict[str, Any] | None:
    quotation = (
        Quotation.objects.select_related("requirement").filter(pk=data.get("quotation_id")).first()
    )
    if quotation is None:
        return None
    supplier = _supplier_if_consented(partner, quotation.supplier_id, "quotation", quotation.pk)
    return {
        "award": {
            "quotation": quotation.pk,
            "introduction": quotation.introduction_id,
            "requirement": quotation.requirement_id,
            "manufacturer": quotation.requirement.manufacturer_id,
            "supplier": supplier,
            "awarded_quantity": quotation.awarded_quantity if supplier else None,
            "awarded_at": _iso(quotation.decided_at),
        }
    }


def _test(data: dict[str, Any], partner: Reader) -> dict[str, Any]:
    return {"test": True, "partner": partner.pk}


BUILDERS: dict[str, Builder] = {
    SUPPLIER_VERIFIED: _supplier,
    REQUIREMENT_PUBLISHED: _requirement,
    INTRODUCTION_ACCEPTED: _introduction,
    PARTNERSHIP_STAGE_CHANGED: _partnership,
    QUOTATION_AWARDED: _quotation,
    TEST_EVENT: _test,
}


@dataclass
class Built:
    body: str
    consents: list[list]


def payload_body(event: WebhookEvent, partner: PartnerOrganisation) -> Built | None:
    """The JSON body ``partner`` receives for ``event`` and the consents it relied on; None
    when there is nothing to send (the object is gone)."""
    reader = Reader(partner)
    data = BUILDERS[event.name](event.data, reader)
    if data is None:
        return None
    envelope = {
        "id": str(event.pk),
        "type": event.name,
        "created_at": _iso(event.created_at),
        "data": data,
    }
    body = json.dumps(envelope, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return Built(body=body, consents=reader.consents)
