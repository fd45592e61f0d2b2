"""What the partners app keeps about a person's firm, for "download my data" (connected to
``accounts.signals`` in ``PartnersConfig.ready``), and the audit records of partners' API reads of
what an UMKM consented to show them. Consents stay when the person leaves: they are the firm's,
and the rows keep pointing at the anonymised account."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_lazy as _

from accounts.audit import Entry, audit_records
from accounts.export import ExportPart
from accounts.models import AuditRecord, User
from suppliers.fields import SUPPLIER, Audience

from .models import PartnerConsent


def export_personal_data(sender, *, user: User, **kwargs) -> list[ExportPart]:
    membership = getattr(user, "supplier_membership", None)
    if membership is None:
        return []
    consents = PartnerConsent.objects.filter(supplier_id=membership.supplier_id).select_related(
        "partner"
    )
    return [
        ExportPart(
            "partner_consents",
            _("What your company let partners (banks, associations, BUMN programs) see."),
            [
                {
                    "partner": c.partner.name,
                    "scope": c.scope,
                    "granted_at": c.granted_at,
                    "granted_by_you": c.granted_by_id == user.pk,
                    "revoked_at": c.revoked_at,
                }
                for c in consents.order_by("pk")
            ],
        )
    ]


# --- partners' reads of consented private data ------------------------------------------------

# The supplier fields an API reader sees only with the UMKM's consent (or as its members).
PRIVATE_SUPPLIER_FIELDS = tuple(
    spec.name for spec in SUPPLIER if spec.audience is not Audience.PUBLIC
)


def consented_suppliers_read(representations: Sequence[dict]) -> int:
    """A partner's key was sent these suppliers: one record per supplier whose private fields
    it saw by consent (``contact_visible``), naming the fields it got."""
    return audit_records(
        Entry(
            AuditRecord.Action.API_PRIVATE_READ,
            "supplier",
            row["id"],
            "supplier",
            row["id"],
            fields=[name for name in PRIVATE_SUPPLIER_FIELDS if row.get(name) not in (None, "")],
        )
        for row in representations
        if row.get("contact_visible")
    )


def consented_objects_read(
    *, object_kind: str, objects: Iterable[tuple[int, int]], fields: Iterable[str]
) -> int:
    """A partner's key was sent introductions or partnerships of UMKM that consented to it:
    one record per object, given as (object id, supplier id), with the fields it got."""
    fields = list(fields)
    return audit_records(
        Entry(
            AuditRecord.Action.API_PRIVATE_READ,
            object_kind,
            pk,
            "supplier",
            supplier_id,
            fields=fields,
        )
        for pk, supplier_id in objects
    )
