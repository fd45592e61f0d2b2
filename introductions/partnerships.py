"""Partnerships (kemitraan) grown from accepted introductions, and the size-class history.

Stages move forward (in discussion → sample / trial order → contract → active; steps may be
skipped) or to "ended" with a reason from any stage; "ended" is final. Either side may update;
every change is kept as a PartnershipEvent ``{field: [old, new]}``. The reads (who may edit,
the size class on a day, "naik kelas") are in ``selectors``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.events import PARTNERSHIP_STAGE_CHANGED, publish
from accounts.models import User
from accounts.outbox import notify
from suppliers.models import PartnershipPattern, SizeClass, Supplier

from .models import Introduction, Partnership, PartnershipEvent, SupplierSizeRecord
from .selectors import buyer_users, can_edit_partnership, is_buyer_side, is_party, supplier_users

EDITABLE = (
    "pattern",
    "stage",
    "ended_reason",
    "contract_value_idr",
    "start_date",
    "technology_transfer",
    "financing",
    "notes",
)


def _check_stage(old: str, new: str, ended_reason: str) -> None:
    if new == old:
        return
    if old == Partnership.Stage.ENDED:
        raise ValidationError({"stage": _("An ended partnership cannot be reopened.")})
    if new == Partnership.Stage.ENDED:
        if not ended_reason.strip():
            raise ValidationError({"ended_reason": _("Say why the partnership ended.")})
        return
    order = Partnership.STAGE_ORDER
    if new not in order or order.index(new) < order.index(old):
        raise ValidationError({"stage": _("A partnership stage can only move forward.")})


def _as_text(value: Any) -> Any:
    if isinstance(value, PartnershipPattern):
        return value.code
    if isinstance(value, date):
        return value.isoformat()
    return value


def _tell_other_side(partnership: Partnership, by: User, event: PartnershipEvent) -> None:
    introduction = partnership.introduction
    others = (
        supplier_users(introduction.supplier)
        if is_buyer_side(by, introduction)
        else buyer_users(introduction.requirement)
    )
    params = {
        "buyer": introduction.requirement.manufacturer.name,
        "supplier": introduction.supplier.legal_name,
        "requirement": introduction.requirement.title,
        "stage": partnership.stage,
    }
    for user in others:
        notify(
            user=user,
            kind="partnership_updated",
            params=params,
            url=reverse("introductions:partnership", args=[partnership.pk]),
            email_template="partnership_updated",
            key=f"partnership-event:{event.pk}:user:{user.pk}",
        )


@transaction.atomic
def partnership_create(*, introduction: Introduction, by: User, **fields: Any) -> Partnership:
    """Starts tracking a partnership from an accepted introduction (one per introduction)."""
    introduction = (
        Introduction.objects.select_for_update()
        .select_related("requirement", "requirement__manufacturer", "supplier")
        .get(pk=introduction.pk)
    )
    if not is_party(by, introduction):
        raise PermissionDenied(_("Only the two firms can record their partnership."))
    if not introduction.is_accepted:
        raise ValidationError(
            _("A partnership needs an accepted introduction."), code="not_accepted"
        )
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    stage = fields.get("stage") or Partnership.Stage.IN_DISCUSSION
    _check_stage(Partnership.Stage.IN_DISCUSSION, stage, fields.get("ended_reason") or "")
    partnership = Partnership(introduction=introduction, created_by=by, **fields)
    partnership.stage = stage
    try:
        with transaction.atomic():
            partnership.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("This introduction already has a partnership."), code="duplicate"
        ) from exc
    supplier = introduction.supplier
    if supplier.size_class_id and not supplier.size_records.exists():
        # The baseline for "naik kelas": the size class when the partnership started.
        supplier_size_record(
            supplier=supplier,
            size_class=supplier.size_class,
            valid_from=timezone.localdate(),
            by=by,
        )
    changes = {
        name: [None, _as_text(getattr(partnership, name))]
        for name in EDITABLE
        if getattr(partnership, name) not in (None, "", False)
    }
    event = PartnershipEvent.objects.create(partnership=partnership, actor=by, changes=changes)
    _tell_other_side(partnership, by, event)
    publish(
        PARTNERSHIP_STAGE_CHANGED,
        partnership_id=partnership.pk,
        from_stage=None,
        to_stage=partnership.stage,
    )
    return partnership


@transaction.atomic
def partnership_update(*, partnership: Partnership, by: User, **fields: Any) -> Partnership:
    partnership = (
        Partnership.objects.select_for_update()
        .select_related(
            "introduction",
            "introduction__requirement",
            "introduction__requirement__manufacturer",
            "introduction__supplier",
        )
        .get(pk=partnership.pk)
    )
    if not can_edit_partnership(by, partnership):
        raise PermissionDenied(_("Only the two firms can update their partnership."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    new_stage = fields.get("stage", partnership.stage)
    ended_reason = fields.get("ended_reason", partnership.ended_reason) or ""
    _check_stage(partnership.stage, new_stage, ended_reason)
    if new_stage != Partnership.Stage.ENDED and "ended_reason" in fields:
        fields["ended_reason"] = ""  # a reason belongs to an ended partnership only
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        old = getattr(partnership, name)
        if _as_text(old) != _as_text(value):
            changes[name] = [_as_text(old), _as_text(value)]
            setattr(partnership, name, value)
    if not changes:
        return partnership
    partnership.save()
    event = PartnershipEvent.objects.create(partnership=partnership, actor=by, changes=changes)
    _tell_other_side(partnership, by, event)
    if "stage" in changes:
        from_stage, to_stage = changes["stage"]
        publish(
            PARTNERSHIP_STAGE_CHANGED,
            partnership_id=partnership.pk,
            from_stage=from_stage,
            to_stage=to_stage,
        )
    return partnership


# --- size-class history ("naik kelas") --------------------------------------------------------


@transaction.atomic
def supplier_size_record(
    *,
    supplier: Supplier,
    size_class: SizeClass,
    valid_from: date,
    revenue_band: str = "",
    by: User | None = None,
) -> SupplierSizeRecord:
    """Records the size class from a date on; a second record for the same day replaces it."""
    if revenue_band and revenue_band not in SupplierSizeRecord.RevenueBand.values:
        raise ValidationError({"revenue_band": _("Choose a valid revenue band.")})
    record, _created = SupplierSizeRecord.objects.update_or_create(
        supplier=supplier,
        valid_from=valid_from,
        defaults={"size_class": size_class, "revenue_band": revenue_band, "recorded_by": by},
    )
    return record
