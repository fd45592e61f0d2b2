"""What the manufacturers app keeps about a person, for "download my data" and account deletion
(connected to ``accounts.signals`` in ``ManufacturersConfig.ready``).

accounts.privacy explains the rules; here: the person's membership of a buyer goes, the buyer and
its requirements stay; if they were its last owner, the longest-standing other member becomes
owner; invitations sent to the person's addresses are deleted.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.export import ExportPart
from accounts.models import User

from .models import (
    Manufacturer,
    ManufacturerInvitation,
    ManufacturerMember,
    Requirement,
    RequirementAttachment,
)


def _codes(manager) -> list[str]:
    return sorted(manager.values_list("code", flat=True))


def _requirement_row(requirement: Requirement, user: User) -> dict[str, Any]:
    return {
        "id": requirement.pk,
        "reference": requirement.reference,
        "title": requirement.title,
        "status": requirement.status,
        "close_reason": requirement.close_reason,
        "component": requirement.component_id,
        "processes": _codes(requirement.processes),
        "materials": _codes(requirement.materials),
        "required_certifications": _codes(requirement.required_certifications),
        "preferred_certifications": _codes(requirement.preferred_certifications),
        "annual_volume": requirement.annual_volume,
        "target_price_min_idr": requirement.target_price_min_idr,
        "target_price_max_idr": requirement.target_price_max_idr,
        "needed_by": requirement.needed_by,
        "delivery_province": requirement.delivery_province_id,
        "min_local_content_pct": requirement.min_local_content_pct,
        "description": requirement.description,
        "created_by_you": requirement.created_by_id == user.pk,
        "published_at": requirement.published_at,
        "closed_at": requirement.closed_at,
        "created_at": requirement.created_at,
        "updated_at": requirement.updated_at,
    }


def export_personal_data(sender, *, user: User, **kwargs) -> list[ExportPart]:
    parts = []
    invitations = ManufacturerInvitation.objects.filter(email__iexact=user.email).select_related(
        "manufacturer"
    )
    if invitations:
        parts.append(
            ExportPart(
                "buyer_invitations",
                _("Invitations to join a buyer sent to your e-mail address."),
                [
                    {
                        "manufacturer": i.manufacturer.name,
                        "email": i.email,
                        "created_at": i.created_at,
                        "expires": i.expires,
                        "accepted_at": i.accepted_at,
                    }
                    for i in invitations
                ],
            )
        )
    membership = ManufacturerMember.objects.select_related("manufacturer").filter(user=user).first()
    if membership is None:
        return parts
    manufacturer = membership.manufacturer
    requirements = list(manufacturer.requirements.order_by("pk"))
    attachments = list(
        RequirementAttachment.objects.filter(requirement__manufacturer=manufacturer).order_by("pk")
    )
    return [
        *parts,
        ExportPart(
            "buyer_membership",
            _("Your membership of your company (owner or staff) and since when."),
            [
                {
                    "manufacturer_id": manufacturer.pk,
                    "role": membership.role,
                    "created_at": membership.created_at,
                }
            ],
        ),
        ExportPart(
            "buyer",
            _("Your company's profile and verification."),
            [
                {
                    "id": manufacturer.pk,
                    "name": manufacturer.name,
                    "kind": manufacturer.kind,
                    "npwp": manufacturer.npwp,
                    "province": manufacturer.province_id,
                    "address": manufacturer.address,
                    "website": manufacturer.website,
                    "verification_status": manufacturer.verification_status,
                    "verification_reason": manufacturer.verification_reason,
                    "verified_at": manufacturer.verified_at,
                    "created_at": manufacturer.created_at,
                }
            ],
        ),
        ExportPart(
            "requirements",
            _("Your company's part requirements."),
            [_requirement_row(requirement, user) for requirement in requirements],
        ),
        ExportPart(
            "requirement_attachments",
            _("The drawings and documents attached to them; the files are under files/."),
            [
                {
                    "id": a.pk,
                    "requirement_id": a.requirement_id,
                    "original_name": a.original_name,
                    "size": a.size,
                    "file": _attachment_name(a),
                    "created_at": a.created_at,
                }
                for a in attachments
            ],
            [(_attachment_name(a), a.file) for a in attachments if a.file],
        ),
    ]


def _attachment_name(attachment) -> str:
    return f"attachment-{attachment.pk}{PurePosixPath(attachment.file.name).suffix.lower()}"


def erase_personal_data(sender, *, user: User, emails: list[str], **kwargs) -> None:
    for email in emails:
        ManufacturerInvitation.objects.filter(email__iexact=email).delete()
    membership = ManufacturerMember.objects.filter(user=user).first()
    if membership is None:
        return
    manufacturer = Manufacturer.objects.select_for_update().get(pk=membership.manufacturer_id)
    membership.delete()
    others = ManufacturerMember.objects.filter(manufacturer=manufacturer).order_by(
        "created_at", "pk"
    )
    if others.exists() and not others.filter(role=ManufacturerMember.Role.OWNER).exists():
        heir = others.first()
        heir.role = ManufacturerMember.Role.OWNER
        heir.save(update_fields=["role"])
