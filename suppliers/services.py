"""Writes to supplier profiles. Views, the CSV import, the API and tasks all call these.

Every function validates with ``validation.supplier_validate`` (the model's own rules and those
declared in ``fields.SUPPLIER``) so that the browser, the import, the API and the admin reject
exactly the same input with the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from . import audit, validation, verification
from .fields import CERTIFICATE_FIELDS, COMPANY, M2M_FIELDS, PROFILE_FIELDS, SUPPLIER
from .models import (
    CertificationType,
    Supplier,
    SupplierCertification,
    SupplierMember,
    SupplierPhoto,
)
from .selectors import is_owner
from .signals import supplier_changed

# The company page: identity (what the ministry verifies) and contacts. Staff keep the
# capabilities, certifications and photos up to date; these stay with the owners.
OWNER_ONLY_FIELDS = frozenset(SUPPLIER.names(form=COMPANY))


def _apply(supplier: Supplier, data: dict[str, Any]) -> dict[str, Iterable]:
    """Sets plain fields on the instance, returns the many-to-many values to set after saving."""
    many = {}
    for name, value in validation.normalise(data).items():
        if name in M2M_FIELDS:
            many[name] = value
        elif name in PROFILE_FIELDS:
            setattr(supplier, name, value)
        else:
            raise ValueError(f"Unknown supplier field: {name}")
    return many


def _save(supplier: Supplier, many: dict[str, Iterable], names: Iterable[str]) -> Supplier:
    validation.raise_errors(validation.supplier_validate(supplier, names=set(names)))
    supplier.save()
    for name, values in many.items():
        getattr(supplier, name).set(values)
    # Matchmaking listens and rescores its matches after the commit
    supplier_changed.send(sender=Supplier, supplier_id=supplier.pk)
    return supplier


@transaction.atomic
def supplier_create(*, owner: User | None, data: dict[str, Any]) -> Supplier:
    """Creates a company; ``owner`` (if any) becomes its first member."""
    supplier = Supplier()
    audited = audit.firm_before(supplier, data)
    many = _apply(supplier, data)
    _save(supplier, many, data)
    audit.firm_saved(supplier, audited)
    if owner is not None:
        if SupplierMember.objects.filter(user=owner).exists():
            raise ValidationError(_("You already belong to a company."), code="already_member")
        SupplierMember.objects.create(user=owner, supplier=supplier, role=SupplierMember.Role.OWNER)
    return supplier


@transaction.atomic
def supplier_update(
    *, supplier: Supplier, data: dict[str, Any], by: User | None = None
) -> Supplier:
    """Saves changes; a new NIB, legal name or province sends a verified company back to the
    ministry's queue (``verification.identity_recheck``). ``by``: who changes it (a member in
    the browser, an administrator in the admin), checked with ``supplier_assert_can_edit``;
    None for the doors with their own rules (the CSV import, the partner API)."""
    if by is not None:
        supplier_assert_can_edit(supplier=supplier, user=by, fields=data)
    before = verification.stored_values(supplier, Supplier.identity_fields)
    audited = audit.firm_before(supplier, data)
    many = _apply(supplier, data)
    _save(supplier, many, data)
    audit.firm_saved(supplier, audited)
    verification.identity_recheck(firm=supplier, before=before, by=by)
    return supplier


def supplier_assert_can_edit(*, supplier: Supplier, user: User, fields: Iterable[str] = ()) -> None:
    """Members change their own company; its identity and contacts (``OWNER_ONLY_FIELDS``)
    only its owners; administrators any company."""
    if not Supplier.objects.for_user(user).filter(pk=supplier.pk).exists():
        raise PermissionDenied(_("You can only change your own company."))
    if OWNER_ONLY_FIELDS.intersection(fields) and not is_owner(user, supplier):
        raise PermissionDenied(
            _("Only an owner of the company can change its identity and contact details.")
        )


@transaction.atomic
def certification_add(
    *,
    supplier: Supplier,
    cert_type: CertificationType,
    number: str = "",
    issuer: str = "",
    valid_until: date | None = None,
    local_content_pct: Decimal | None = None,
    document: UploadedFile | None = None,
) -> SupplierCertification:
    certification = SupplierCertification(
        supplier=supplier,
        cert_type=cert_type,
        number=number,
        issuer=issuer,
        valid_until=valid_until,
        local_content_pct=local_content_pct,
    )
    if document is not None:
        certification.document = document
    validation.raise_errors(validation.certification_validate(certification))
    certification.save()
    audit.certification_recorded(
        certification,
        audit.Action.CERTIFICATION_ADDED,
        fields=[
            name
            for name in ("number", "issuer", "local_content_pct", "document")
            if getattr(certification, name) not in (None, "")
        ],
    )
    supplier.save(update_fields=["updated_at"])
    supplier_changed.send(sender=Supplier, supplier_id=supplier.pk)
    return certification


@transaction.atomic
def certification_update(
    *, certification: SupplierCertification, data: dict[str, Any]
) -> SupplierCertification:
    """Changes a certificate held (its number, issuer, end date, local content or document; the
    admin)."""
    allowed = set(CERTIFICATE_FIELDS)
    # As stored: an admin form has already put the posted values on the instance.
    valid_until_before = (
        SupplierCertification.objects.filter(pk=certification.pk)
        .values_list("valid_until", flat=True)
        .first()
    )
    for name, value in data.items():
        if name not in allowed:
            raise ValueError(f"Unknown certification field: {name}")
        setattr(certification, name, value)
    validation.raise_errors(validation.certification_validate(certification))
    certification.save()
    audit.certification_recorded(
        certification,
        audit.Action.CERTIFICATION_CHANGED,
        valid_until_before=valid_until_before,
        fields=sorted(data),
    )
    supplier = certification.supplier
    supplier.save(update_fields=["updated_at"])
    supplier_changed.send(sender=Supplier, supplier_id=supplier.pk)
    return certification


@transaction.atomic
def certification_set(
    *, supplier: Supplier, cert_type: CertificationType, valid_until: date | None
) -> SupplierCertification:
    """Create-or-update a certification by type (used by the CSV import, which has no files)."""
    held = SupplierCertification.objects.filter(supplier=supplier, cert_type=cert_type).first()
    certification, created = SupplierCertification.objects.update_or_create(
        supplier=supplier, cert_type=cert_type, defaults={"valid_until": valid_until}
    )
    if created or held.valid_until != valid_until:
        audit.certification_recorded(
            certification,
            audit.Action.CERTIFICATION_ADDED if created else audit.Action.CERTIFICATION_CHANGED,
            valid_until_before=None if created else held.valid_until,
            fields=["valid_until"],
        )
    # The matching engine's cached index notices profile changes by updated_at.
    supplier.save(update_fields=["updated_at"])
    supplier_changed.send(sender=Supplier, supplier_id=supplier.pk)
    return certification


@transaction.atomic
def certification_delete(*, certification: SupplierCertification) -> None:
    supplier = certification.supplier
    audit.certification_recorded(certification, audit.Action.CERTIFICATION_REMOVED)
    certification.document.delete(save=False)
    certification.delete()
    supplier.save(update_fields=["updated_at"])
    supplier_changed.send(sender=Supplier, supplier_id=supplier.pk)


@transaction.atomic
def photo_add(*, supplier: Supplier, image: UploadedFile, caption: str = "") -> SupplierPhoto:
    photo = SupplierPhoto(supplier=supplier, image=image, caption=caption)
    photo.full_clean()
    photo.save()
    audit.photo_recorded(photo, added=True)
    return photo


@transaction.atomic
def photo_delete(*, photo: SupplierPhoto) -> None:
    audit.photo_recorded(photo, added=False)
    photo.image.delete(save=False)
    photo.delete()
