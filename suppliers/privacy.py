"""What the suppliers app keeps about a person, for "download my data" and account deletion
(connected to ``accounts.signals`` in ``SuppliersConfig.ready``), and the record of ministry
staff reading an UMKM's private contacts.

accounts.privacy explains the rules; here: the person's membership of an UMKM goes, the firm
stays; if they were its last owner, the longest-standing other member becomes owner; if no
member is left, or the firm's contact fields name the person, the contact person, e-mail and
phone are cleared.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_
from pathlib import PurePosixPath
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.export import ExportPart
from accounts.models import AuditRecord, User
from accounts.privacy import audit_record

from .models import Supplier, SupplierInvitation, SupplierMember

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


# --- ministry staff reading private contacts ----------------------------------------------------


def private_contacts_read(*, user: User, supplier_ids: Iterable[int]) -> int:
    """Records that ministry staff saw these UMKM's private contacts (the firm's own members
    are not recorded: it is their own data). Returns how many records were written."""
    if not (user.is_authenticated and user.is_ministry):
        return 0
    membership = getattr(user, "supplier_membership", None)
    own = membership.supplier_id if membership else None
    ids = [pk for pk in supplier_ids if pk != own]
    if not ids:
        return 0
    return audit_record(
        actor=user,
        action=AuditRecord.Action.CONTACT_READ,
        object_kind="supplier",
        object_ids=ids,
        firm_kind="supplier",
    )


# --- download my data -------------------------------------------------------------------------


def _codes(manager) -> list[str]:
    return sorted(manager.values_list("code", flat=True))


def _supplier_row(supplier: Supplier) -> dict[str, Any]:
    return {
        "id": supplier.pk,
        "legal_name": supplier.legal_name,
        "nib": supplier.nib,
        "size_class": supplier.size_class_id,
        "province": supplier.province_id,
        "regency": supplier.regency_id,
        "address": supplier.address,
        "founded_year": supplier.founded_year,
        "employees": supplier.employees,
        "kbli": _codes(supplier.kbli),
        "description": supplier.description,
        "website": supplier.website,
        "contact_name": supplier.contact_name,
        "contact_email": supplier.contact_email,
        "contact_phone": supplier.contact_phone,
        "components": _codes(supplier.components),
        "processes": _codes(supplier.processes),
        "materials": _codes(supplier.materials),
        "capacity_per_month": supplier.capacity_per_month,
        "lead_time_days": supplier.lead_time_days,
        "min_order_qty": supplier.min_order_qty,
        "verification_status": supplier.verification_status,
        "verification_reason": supplier.verification_reason,
        "verified_at": supplier.verified_at,
        "created_at": supplier.created_at,
        "updated_at": supplier.updated_at,
    }


def _file_name(prefix: str, pk: int, name: str) -> str:
    return f"{prefix}-{pk}{PurePosixPath(name).suffix.lower()}"


def _invitations_part(user: User) -> list[ExportPart]:
    invitations = SupplierInvitation.objects.filter(email__iexact=user.email)
    if not invitations:
        return []
    return [
        ExportPart(
            "supplier_invitations",
            _("Invitations to join an UMKM sent to your e-mail address."),
            [
                {
                    "supplier_id": i.supplier_id,
                    "role": i.role,
                    "created_at": i.created_at,
                    "expires": i.expires,
                    "accepted_at": i.accepted_at,
                }
                for i in invitations
            ],
        )
    ]


def export_personal_data(sender, *, user: User, **kwargs) -> list[ExportPart]:
    invitations = _invitations_part(user)
    membership = SupplierMember.objects.select_related("supplier").filter(user=user).first()
    if membership is None:
        return invitations
    supplier = membership.supplier
    certifications = list(supplier.certifications.select_related("cert_type"))
    photos = list(supplier.photos.all())
    return [
        ExportPart(
            "supplier_membership",
            _("Your membership of your company (owner or staff) and since when."),
            [
                {
                    "supplier_id": supplier.pk,
                    "role": membership.role,
                    "created_at": membership.created_at,
                }
            ],
        ),
        ExportPart(
            "supplier",
            _("Your company's profile: identity, location, contacts, capabilities, verification."),
            [_supplier_row(supplier)],
        ),
        ExportPart(
            "supplier_certifications",
            _("Your company's certifications; their documents are under files/."),
            [
                {
                    "id": c.pk,
                    "cert_type": c.cert_type.code,
                    "number": c.number,
                    "issuer": c.issuer,
                    "valid_until": c.valid_until,
                    "document": _file_name("certificate", c.pk, c.document.name)
                    if c.document
                    else "",
                    "created_at": c.created_at,
                }
                for c in certifications
            ],
            [
                (_file_name("certificate", c.pk, c.document.name), c.document)
                for c in certifications
                if c.document
            ],
        ),
        ExportPart(
            "supplier_photos",
            _("Your company's photos; the images are under files/."),
            [
                {
                    "id": p.pk,
                    "caption": p.caption,
                    "file": _file_name("photo", p.pk, p.image.name),
                    "created_at": p.created_at,
                }
                for p in photos
            ],
            [(_file_name("photo", p.pk, p.image.name), p.image) for p in photos if p.image],
        ),
        *invitations,
    ]


# --- account deletion -------------------------------------------------------------------------


def _clear_contacts(suppliers) -> int:
    return suppliers.update(**dict.fromkeys(CONTACT_FIELDS, ""), updated_at=timezone.now())


def erase_personal_data(sender, *, user: User, emails: list[str], **kwargs) -> None:
    named = [Q(contact_email__iexact=email) for email in emails]
    for email in emails:
        SupplierInvitation.objects.filter(email__iexact=email).delete()
    membership = SupplierMember.objects.filter(user=user).first()
    if membership is not None:
        supplier = Supplier.objects.select_for_update().get(pk=membership.supplier_id)
        membership.delete()
        others = SupplierMember.objects.filter(supplier=supplier).order_by("created_at", "pk")
        if not others.exists():
            named.append(Q(pk=supplier.pk))
        elif not others.filter(role=SupplierMember.Role.OWNER).exists():
            heir = others.first()
            heir.role = SupplierMember.Role.OWNER
            heir.save(update_fields=["role"])
        if user.full_name:
            named.append(Q(pk=supplier.pk, contact_name__iexact=user.full_name))
    if named:
        # Any firm whose contact fields are this person (their own, or one that listed them).
        _clear_contacts(Supplier.objects.filter(reduce(or_, named)))
