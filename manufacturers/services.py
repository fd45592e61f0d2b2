"""Writes to manufacturers and their requirements. Views, the CSV import, tasks and the demo
seed all call these.

The requirement services below are the only place a requirement is created, edited, published
or closed, so the matching engine hooks its rescoring (``transaction.on_commit``) here, and they
check every value with ``validation.requirement_errors`` whatever the door (form, CSV import,
partner API, admin).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import invitations
from accounts.events import REQUIREMENT_PUBLISHED, publish
from accounts.models import User
from suppliers import audit, verification

from .fields import (
    MANUFACTURER_FIELDS,
    REQUIREMENT_FIELDS,
    REQUIREMENT_M2M_FIELDS,
)
from .models import (
    Manufacturer,
    ManufacturerInvitation,
    ManufacturerMember,
    Requirement,
    RequirementAttachment,
    RequirementRevision,
)
from .signals import requirement_changed
from .validation import raise_errors, requirement_errors
from .validators import normalize_npwp

INVITATION_DAYS = invitations.INVITATION_DAYS


# --- Manufacturers ----------------------------------------------------------------------------


def _apply_manufacturer(manufacturer: Manufacturer, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in MANUFACTURER_FIELDS:
            raise ValueError(f"Unknown manufacturer field: {name}")
        if name == "npwp":
            try:
                value = normalize_npwp(value)
            except ValidationError as exc:
                raise ValidationError({"npwp": exc.messages}) from exc
        setattr(manufacturer, name, value)


@transaction.atomic
def manufacturer_create(*, owner: User | None, data: dict[str, Any]) -> Manufacturer:
    """Creates an unverified manufacturer; ``owner`` (if any) becomes its first member."""
    if owner is not None:
        _assert_can_join(owner)
    manufacturer = Manufacturer()
    audited = audit.firm_before(manufacturer, data)
    _apply_manufacturer(manufacturer, data)
    manufacturer.full_clean()
    manufacturer.save()
    audit.firm_saved(manufacturer, audited)
    if owner is not None:
        ManufacturerMember.objects.create(
            user=owner, manufacturer=manufacturer, role=ManufacturerMember.Role.OWNER
        )
        if owner.role != User.Role.BUYER:
            owner.role = User.Role.BUYER
            owner.save(update_fields=["role"])
    return manufacturer


@transaction.atomic
def manufacturer_update(
    *, manufacturer: Manufacturer, data: dict[str, Any], by: User | None = None
) -> Manufacturer:
    """Saves changes; a new name or NPWP sends a verified manufacturer back to the ministry's
    queue (``suppliers.verification.identity_recheck``): its open requirements are hidden from
    UMKM and it exchanges no contacts until the ministry verifies it again."""
    before = verification.stored_values(manufacturer, Manufacturer.identity_fields)
    audited = audit.firm_before(manufacturer, data)
    _apply_manufacturer(manufacturer, data)
    manufacturer.full_clean()
    manufacturer.save()
    audit.firm_saved(manufacturer, audited)
    verification.identity_recheck(firm=manufacturer, before=before, by=by)
    return manufacturer


def manufacturer_assert_is_owner(*, manufacturer: Manufacturer, user: User) -> None:
    membership = getattr(user, "manufacturer_membership", None)
    if (
        membership is None
        or membership.manufacturer_id != manufacturer.pk
        or not membership.is_owner
    ):
        raise PermissionDenied(_("Only the owner of the company account can do this."))


# --- Invitations ------------------------------------------------------------------------------


def _assert_can_join(user: User) -> None:
    if ManufacturerMember.objects.filter(user=user).exists():
        raise ValidationError(_("You already belong to a company."), code="already_member")
    if hasattr(user, "supplier_membership"):
        raise ValidationError(
            _("This account belongs to an UMKM company; use another e-mail address."),
            code="supplier_member",
        )
    if user.role in (User.Role.MINISTRY, User.Role.ADMIN, User.Role.PARTNER):
        raise ValidationError(
            _("Ministry, partner and administrator accounts cannot join a buyer company."),
            code="wrong_role",
        )


def _send_invitation(invitation: ManufacturerInvitation, site_url: str) -> None:
    invitations.invitation_send(
        invitation=invitation,
        templates="manufacturers/email/invitation",
        accept_path=reverse("manufacturers:invitation_accept", args=[invitation.token]),
        site_url=site_url,
        context={"manufacturer": invitation.manufacturer},
    )


@transaction.atomic
def invitation_create(
    *, manufacturer: Manufacturer, email: str, invited_by: User, site_url: str | None = None
) -> ManufacturerInvitation:
    """The owner invites a colleague; the e-mail carries a one-time link."""
    manufacturer_assert_is_owner(manufacturer=manufacturer, user=invited_by)
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and hasattr(existing, "manufacturer_membership"):
        raise ValidationError(
            {"email": _("This person already belongs to a company on Rantai.")},
            code="already_member",
        )
    invitation = ManufacturerInvitation.objects.create(
        manufacturer=manufacturer,
        email=email,
        token=invitations.invitation_token(),
        invited_by=invited_by,
        expires=invitations.invitation_expiry(INVITATION_DAYS),
    )
    _send_invitation(invitation, site_url or settings.SITE_URL)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: ManufacturerInvitation, user: User) -> ManufacturerMember:
    invitation = ManufacturerInvitation.objects.select_for_update().get(pk=invitation.pk)
    invitations.invitation_check_usable(invitation=invitation, user=user)
    _assert_can_join(user)
    member = ManufacturerMember.objects.create(
        user=user, manufacturer=invitation.manufacturer, role=ManufacturerMember.Role.STAFF
    )
    if user.role != User.Role.BUYER:
        user.role = User.Role.BUYER
        user.save(update_fields=["role"])
    invitations.invitation_mark_accepted(invitation)
    return member


# --- Requirements -----------------------------------------------------------------------------


def _snapshot_value(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _snapshot(requirement: Requirement) -> dict[str, Any]:
    """JSON-ready values of every editable field (codes for related objects)."""
    values = {name: _snapshot_value(getattr(requirement, name)) for name in REQUIREMENT_FIELDS}
    if requirement.pk:
        for name in REQUIREMENT_M2M_FIELDS:
            values[name] = sorted(
                str(pk) for pk in getattr(requirement, name).values_list("pk", flat=True)
            )
    else:
        values.update({name: [] for name in REQUIREMENT_M2M_FIELDS})
    return values


def _apply_requirement(requirement: Requirement, data: dict[str, Any]) -> dict[str, Iterable]:
    many = {}
    for name, value in data.items():
        if name in REQUIREMENT_M2M_FIELDS:
            many[name] = list(value)
        elif name in REQUIREMENT_FIELDS:
            setattr(requirement, name, value)
        else:
            raise ValueError(f"Unknown requirement field: {name}")
    return many


def _check_unique_reference(requirement: Requirement) -> None:
    clash = Requirement.objects.filter(
        manufacturer_id=requirement.manufacturer_id, reference=requirement.reference
    ).exclude(pk=requirement.pk)
    if clash.exists():
        raise ValidationError(
            {"reference": _("Your company already has a requirement with this reference.")},
            code="duplicate_reference",
        )


def _save_requirement(requirement: Requirement, many: dict[str, Iterable]) -> None:
    _check_unique_reference(requirement)
    requirement.full_clean(validate_constraints=False)
    requirement.save()
    for name, values in many.items():
        getattr(requirement, name).set(values)


def _assert_needed_by_ahead(requirement: Requirement, today: date) -> None:
    if requirement.needed_by < today:
        raise ValidationError(
            {"needed_by": _("The needed-by date has passed; choose a date from today on.")},
            code="needed_by_past",
        )


@transaction.atomic
def requirement_create(
    *,
    manufacturer: Manufacturer,
    created_by: User | None,
    data: dict[str, Any],
) -> Requirement:
    """A new draft; publish it with ``requirement_publish``."""
    raise_errors(requirement_errors(data, manufacturer=manufacturer))
    requirement = Requirement(manufacturer=manufacturer, created_by=created_by)
    many = _apply_requirement(requirement, data)
    _save_requirement(requirement, many)
    return requirement


@transaction.atomic
def requirement_update(
    *, requirement: Requirement, changed_by: User | None, data: dict[str, Any]
) -> Requirement:
    """Edits a draft or an open requirement; an open one keeps a revision of what changed."""
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    if requirement.is_closed:
        raise ValidationError(
            _("This requirement is closed and can no longer be changed."), code="closed"
        )
    raise_errors(requirement_errors(data, requirement=requirement, partial=True))
    before = _snapshot(requirement)
    many = _apply_requirement(requirement, data)
    if requirement.is_open:
        _assert_needed_by_ahead(requirement, timezone.localdate())
    _save_requirement(requirement, many)
    after = _snapshot(requirement)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes and requirement.is_open:
        RequirementRevision.objects.create(
            requirement=requirement, changed_by=changed_by, changes=changes
        )
    if requirement.is_open:
        # Matchmaking listens and rescores its matches after the commit
        requirement_changed.send(sender=Requirement, requirement_id=requirement.pk)
    return requirement


@transaction.atomic
def requirement_publish(
    *, requirement: Requirement, by: User | None, enforce_verification: bool = True
) -> Requirement:
    """draft -> open. Only a verified manufacturer publishes (UMKM must not meet fake buyers);
    the CSV import, run by administrators, passes ``enforce_verification=False``."""
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    if requirement.is_open:
        raise ValidationError(_("This requirement is already open."), code="already_open")
    if requirement.is_closed:
        raise ValidationError(
            _("A closed requirement cannot be published again; create a new one."),
            code="closed",
        )
    if enforce_verification and not requirement.manufacturer.is_verified:
        raise ValidationError(
            _(
                "Your company has not been verified by the ministry yet. You can keep drafts; "
                "you can publish once your company is verified."
            ),
            code="unverified",
        )
    _assert_needed_by_ahead(requirement, timezone.localdate())
    requirement.status = Requirement.Status.OPEN
    requirement.published_at = timezone.now()
    requirement.save(update_fields=["status", "published_at", "updated_at"])
    requirement_changed.send(sender=Requirement, requirement_id=requirement.pk)
    publish(REQUIREMENT_PUBLISHED, requirement_id=requirement.pk)
    return requirement


@transaction.atomic
def requirement_close(*, requirement: Requirement, by: User | None, reason: str) -> Requirement:
    """open -> closed (awarded, cancelled or expired)."""
    if reason not in Requirement.CloseReason.values:
        raise ValidationError(
            {"close_reason": _("Choose why the requirement is closed.")}, code="bad_reason"
        )
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    if not requirement.is_open:
        message = (
            _("This requirement is already closed.")
            if requirement.is_closed
            else _("Only an open requirement can be closed; this one is still a draft.")
        )
        raise ValidationError(message, code="not_open")
    requirement.status = Requirement.Status.CLOSED
    requirement.close_reason = reason
    requirement.closed_at = timezone.now()
    requirement.save(update_fields=["status", "close_reason", "closed_at", "updated_at"])
    # Matchmaking listens and removes its matches
    requirement_changed.send(sender=Requirement, requirement_id=requirement.pk)
    return requirement


def requirements_expire_overdue(*, today: date | None = None) -> int:
    """Closes every open requirement whose needed-by date has passed; returns how many."""
    today = today or timezone.localdate()
    overdue = Requirement.objects.open().filter(needed_by__lt=today).values_list("pk", flat=True)
    closed = 0
    for pk in list(overdue):
        requirement_close(
            requirement=Requirement(pk=pk), by=None, reason=Requirement.CloseReason.EXPIRED
        )
        closed += 1
    return closed


@transaction.atomic
def requirement_delete_draft(*, requirement: Requirement) -> None:
    if not requirement.is_draft:
        raise ValidationError(
            _("Only drafts can be deleted; close an open requirement instead."), code="not_draft"
        )
    for attachment in requirement.attachments.all():
        attachment.file.delete(save=False)
    requirement.delete()


# --- Attachments ------------------------------------------------------------------------------


def _clean_original_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "drawing"
    return base[-200:]


@transaction.atomic
def attachment_add(
    *, requirement: Requirement, upload: UploadedFile, uploaded_by: User | None
) -> RequirementAttachment:
    if requirement.is_closed:
        raise ValidationError(
            _("This requirement is closed and can no longer be changed."), code="closed"
        )
    original_name = _clean_original_name(upload.name or "")
    attachment = RequirementAttachment(
        requirement=requirement,
        file=upload,
        original_name=original_name,
        size=upload.size,
        uploaded_by=uploaded_by,
    )
    attachment.full_clean()
    attachment.save()
    if requirement.is_open:
        RequirementRevision.objects.create(
            requirement=requirement,
            changed_by=uploaded_by,
            changes={"attachments": [None, original_name]},
        )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: RequirementAttachment, by: User | None) -> None:
    requirement = attachment.requirement
    if requirement.is_closed:
        raise ValidationError(
            _("This requirement is closed and can no longer be changed."), code="closed"
        )
    if requirement.is_open:
        RequirementRevision.objects.create(
            requirement=requirement,
            changed_by=by,
            changes={"attachments": [attachment.original_name, None]},
        )
    attachment.file.delete(save=False)
    attachment.delete()
