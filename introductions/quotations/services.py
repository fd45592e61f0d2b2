"""Quotations: submit and revise, withdraw, shortlist, award (split volume) and close the round.

submitted ⇄ shortlisted → awarded | not awarded; submitted/shortlisted → withdrawn → submitted
(quoting again). Every submission is a new QuotationRevision (the old ones are kept). Award
creates or advances the partnership of the quotation's introduction with the awarded value; the
buyer closing the round tells every other UMKM, politely, that it was not this time. Each step
writes its notifications and outbox e-mails in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import events
from accounts.models import User
from accounts.outbox import notify
from manufacturers import services as requirement_services
from manufacturers.models import Requirement
from manufacturers.validators import validate_requirement_attachment
from suppliers.models import PartnershipPattern

from .. import services as introduction_services
from ..models import (
    Introduction,
    Partnership,
    PartnershipEvent,
    Quotation,
    QuotationFile,
    QuotationRevision,
    QuotationTier,
)
from ..partnerships import supplier_size_record
from ..selectors import buyer_users, is_supplier_side, supplier_users
from .access import LIVE, deadline_passed, is_buyer_member, is_sealed, may_quote_on
from .rules import MAX_FILES, Offer, offer_errors, price_for

# --- shared -----------------------------------------------------------------------------------


def _params(quotation: Quotation) -> dict[str, Any]:
    requirement = quotation.requirement
    return {
        "buyer": requirement.manufacturer.name,
        "supplier": quotation.supplier.legal_name,
        "requirement": requirement.title,
    }


def _compare_path(requirement: Requirement) -> str:
    return reverse("introductions:quotation_compare", args=[requirement.pk])


def _quotation_path(quotation: Quotation) -> str:
    return reverse("introductions:quotation", args=[quotation.pk])


def _lock_quotation(quotation: Quotation) -> Quotation:
    return (
        Quotation.objects.select_for_update(of=("self",))
        .select_related("introduction", "requirement", "requirement__manufacturer", "supplier")
        .get(pk=quotation.pk)
    )


def _assert_buyer(user: User, requirement: Requirement) -> None:
    if not is_buyer_member(user, requirement):
        raise PermissionDenied(_("Only the buyer who posted the requirement can do this."))


def _assert_unsealed(requirement: Requirement) -> None:
    if is_sealed(requirement):
        raise ValidationError(
            _("The quotations are sealed until the quotation deadline."), code="sealed"
        )


def _clean_name(name: str) -> str:
    return (name or "file").replace("/", "_").replace("\\", "_")[:200]


# --- the UMKM's side --------------------------------------------------------------------------


def _assert_may_submit(introduction: Introduction, by: User) -> None:
    if not (by.is_authenticated and by.is_umkm and is_supplier_side(by, introduction)):
        raise PermissionDenied(_("Only members of the supplier can quote."))
    if not may_quote_on(introduction):
        raise ValidationError(
            _(
                "You can quote once the introduction is accepted (or, when the buyer opened the "
                "requirement to quotations, after expressing your interest)."
            ),
            code="not_quotable",
        )
    if deadline_passed(introduction.requirement):
        raise ValidationError(_("The quotation deadline has passed."), code="deadline_passed")


@transaction.atomic
def quotation_submit(
    *,
    introduction: Introduction,
    by: User,
    offer: Offer,
    uploads: Sequence[UploadedFile] = (),
    drop_file_ids: Iterable[int] = (),
) -> Quotation:
    """Quotes (the first time) or revises: each call adds a revision with its tiers and files.

    The files of the previous revision are carried over unless listed in ``drop_file_ids``."""
    introduction = (
        Introduction.objects.select_for_update(of=("self",))
        .select_related("requirement", "requirement__manufacturer", "supplier")
        .get(pk=introduction.pk)
    )
    _assert_may_submit(introduction, by)
    today = timezone.localdate()
    errors = offer_errors(offer, supplier=introduction.supplier, today=today)
    file_errors = []
    for upload in uploads:
        try:
            validate_requirement_attachment(upload)
        except ValidationError as exc:
            file_errors.extend(exc.messages)
    if file_errors:
        errors.setdefault("files", []).extend(file_errors)
    if errors:
        raise ValidationError(errors)

    quotation = Quotation.objects.select_for_update().filter(introduction=introduction).first()
    previous = None
    if quotation is None:
        quotation = Quotation.objects.create(
            introduction=introduction,
            requirement=introduction.requirement,
            supplier=introduction.supplier,
        )
    else:
        if quotation.status not in (*LIVE, Quotation.Status.WITHDRAWN):
            raise ValidationError(
                _("This quotation has been decided and can no longer be revised."),
                code="decided",
            )
        previous = quotation.revisions.order_by("-number").first()
        if quotation.status == Quotation.Status.WITHDRAWN:
            quotation.status = Quotation.Status.SUBMITTED
        quotation.save()
    kept = []
    if previous is not None:
        dropped = {int(pk) for pk in drop_file_ids}
        kept = [f for f in previous.files.all() if f.pk not in dropped]
    if len(kept) + len(uploads) > MAX_FILES:
        raise ValidationError(
            {"files": [_("At most %(count)d files per quotation.") % {"count": MAX_FILES}]}
        )

    certificate = offer.local_content_certificate
    declared = offer.local_content_pct
    if declared is None and certificate is not None:
        declared = certificate.local_content_pct
    revision = QuotationRevision.objects.create(
        quotation=quotation,
        number=(previous.number + 1) if previous else 1,
        unit_price_idr=offer.unit_price_idr,
        minimum_order=offer.minimum_order,
        lead_time_days=offer.lead_time_days,
        valid_until=offer.valid_until,
        local_content_pct=declared,
        local_content_certificate=certificate,
        notes=(offer.notes or "").strip(),
        submitted_by=by,
    )
    QuotationTier.objects.bulk_create(
        QuotationTier(revision=revision, min_quantity=quantity, unit_price_idr=price)
        for quantity, price in offer.all_tiers()
    )
    for old in kept:
        # The same stored file: a revision lists what the offer includes, nothing is copied.
        QuotationFile.objects.create(
            revision=revision, file=old.file.name, original_name=old.original_name, size=old.size
        )
    for upload in uploads:
        QuotationFile.objects.create(
            revision=revision,
            file=upload,
            original_name=_clean_name(upload.name),
            size=upload.size,
        )

    kind = "quotation_submitted" if revision.number == 1 else "quotation_revised"
    params = {**_params(quotation), "revision": revision.number}
    for user in buyer_users(quotation.requirement):
        notify(
            user=user,
            kind=kind,
            params=params,
            url=_compare_path(quotation.requirement),
            email_template=kind,
            key=f"quotation-revision:{revision.pk}:user:{user.pk}",
        )
    return quotation


@transaction.atomic
def quotation_withdraw(*, quotation: Quotation, by: User) -> Quotation:
    quotation = _lock_quotation(quotation)
    if not (by.is_authenticated and by.is_umkm and is_supplier_side(by, quotation.introduction)):
        raise PermissionDenied(_("Only members of the supplier can withdraw its quotation."))
    if quotation.status not in LIVE:
        raise ValidationError(
            _("Only a quotation still under consideration can be withdrawn."), code="not_live"
        )
    quotation.status = Quotation.Status.WITHDRAWN
    quotation.decided_at = timezone.now()
    quotation.decided_by = by
    quotation.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    for user in buyer_users(quotation.requirement):
        notify(
            user=user,
            kind="quotation_withdrawn",
            params=_params(quotation),
            url=_compare_path(quotation.requirement),
            key=f"quotation:{quotation.pk}:withdrawn:{quotation.decided_at.isoformat()}:{user.pk}",
        )
    return quotation


# --- the buyer's side -------------------------------------------------------------------------


@transaction.atomic
def quotation_shortlist(*, quotation: Quotation, by: User, shortlisted: bool = True) -> Quotation:
    quotation = _lock_quotation(quotation)
    _assert_buyer(by, quotation.requirement)
    _assert_unsealed(quotation.requirement)
    if quotation.status not in LIVE:
        raise ValidationError(
            _("Only a quotation still under consideration can be shortlisted."), code="not_live"
        )
    quotation.status = Quotation.Status.SHORTLISTED if shortlisted else Quotation.Status.SUBMITTED
    quotation.save(update_fields=["status", "updated_at"])
    return quotation


def _advance_partnership(
    *,
    introduction: Introduction,
    by: User,
    quantity: int,
    value: int,
    local_content_pct,
    pattern: PartnershipPattern | None,
    start_date: date,
) -> Partnership:
    partnership = Partnership.objects.select_for_update().filter(introduction=introduction).first()
    created = partnership is None
    if created:
        partnership = Partnership(introduction=introduction, created_by=by)
        old = dict.fromkeys(("stage", "contract_value_idr", "start_date", "pattern"))
    else:
        if partnership.stage == Partnership.Stage.ENDED:
            raise ValidationError(
                _("The partnership with %(supplier)s has ended; it cannot be awarded.")
                % {"supplier": introduction.supplier.legal_name},
                code="partnership_ended",
            )
        old = {
            "stage": partnership.stage,
            "contract_value_idr": partnership.contract_value_idr,
            "start_date": partnership.start_date,
            "pattern": partnership.pattern_id,
        }
    order = Partnership.STAGE_ORDER
    if created or order.index(partnership.stage) < order.index(Partnership.Stage.CONTRACT):
        partnership.stage = Partnership.Stage.CONTRACT
    partnership.contract_value_idr = value
    partnership.awarded_at = timezone.now()
    partnership.awarded_quantity = quantity
    partnership.local_content_pct = local_content_pct
    partnership.start_date = start_date
    if pattern is not None:
        partnership.pattern = pattern
    partnership.save()
    if created:
        supplier = introduction.supplier
        if supplier.size_class_id and not supplier.size_records.exists():
            # The baseline for "naik kelas", as when a partnership is recorded by hand.
            supplier_size_record(
                supplier=supplier,
                size_class=supplier.size_class,
                valid_from=timezone.localdate(),
                by=by,
            )
    new = {
        "stage": partnership.stage,
        "contract_value_idr": partnership.contract_value_idr,
        "start_date": partnership.start_date,
        "pattern": partnership.pattern_id,
    }
    changes = {
        name: [
            old[name].isoformat() if isinstance(old[name], date) else old[name],
            new[name].isoformat() if isinstance(new[name], date) else new[name],
        ]
        for name in new
        if old[name] != new[name]
    }
    PartnershipEvent.objects.create(partnership=partnership, actor=by, changes=changes)
    return partnership


@transaction.atomic
def quotation_award(
    *,
    requirement: Requirement,
    by: User,
    awards: Mapping[int, int],
    pattern: PartnershipPattern | None = None,
    start_date: date | None = None,
) -> list[Partnership]:
    """Awards quotations of ``requirement``: ``awards`` maps a quotation id to the quantity it
    wins (several winners split the volume). Each winner's partnership records the value at the
    tier price that quantity reaches."""
    requirement = (
        Requirement.objects.select_for_update()
        .select_related("manufacturer")
        .get(pk=requirement.pk)
    )
    _assert_buyer(by, requirement)
    _assert_unsealed(requirement)
    if not requirement.is_open:
        raise ValidationError(_("The requirement is not open."), code="not_open")
    awards = {int(pk): int(quantity) for pk, quantity in awards.items() if quantity}
    if not awards:
        raise ValidationError(
            _("Choose at least one quotation and the quantity it wins."), code="empty"
        )
    quotations = {
        q.pk: q
        for q in Quotation.objects.select_for_update(of=("self",))
        .select_related("introduction", "supplier", "requirement__manufacturer")
        .filter(requirement=requirement, pk__in=awards)
    }
    if set(quotations) != set(awards):
        raise ValidationError(_("Choose quotations of this requirement."), code="unknown")
    if sum(awards.values()) > requirement.annual_volume:
        raise ValidationError(
            _("The awarded quantities add up to more than the annual volume (%(volume)s).")
            % {"volume": requirement.annual_volume},
            code="over_volume",
        )
    today = timezone.localdate()
    start_date = start_date or today
    partnerships = []
    for pk, quantity in awards.items():
        quotation = quotations[pk]
        name = quotation.supplier.legal_name
        if quotation.status not in LIVE:
            raise ValidationError(
                _("The quotation of %(supplier)s is no longer under consideration.")
                % {"supplier": name},
                code="not_live",
            )
        revision = quotation.revisions.order_by("-number").first()
        if revision.valid_until < today:
            raise ValidationError(
                _("The offer of %(supplier)s expired on %(date)s.")
                % {"supplier": name, "date": revision.valid_until.isoformat()},
                code="offer_expired",
            )
        tiers = [(t.min_quantity, t.unit_price_idr) for t in revision.tiers.all()]
        price = price_for(tiers, quantity)
        if price is None or quantity < 1:
            raise ValidationError(
                _("%(supplier)s quoted a minimum order of %(minimum)s units.")
                % {"supplier": name, "minimum": revision.minimum_order},
                code="below_minimum",
            )
        introduction = quotation.introduction
        if introduction.status == Introduction.Status.REQUESTED:
            # An UMKM's interest on a requirement open to quotations: the award answers it.
            introduction = introduction_services.introduction_accept(
                introduction=introduction, by=by
            )
        elif not introduction.is_accepted:
            raise ValidationError(
                _("The introduction with %(supplier)s is no longer open.") % {"supplier": name},
                code="introduction_closed",
            )
        value = price * quantity
        partnership = _advance_partnership(
            introduction=introduction,
            by=by,
            quantity=quantity,
            value=value,
            local_content_pct=revision.local_content_pct,
            pattern=pattern,
            start_date=start_date,
        )
        quotation.status = Quotation.Status.AWARDED
        quotation.awarded_quantity = quantity
        quotation.awarded_value_idr = value
        quotation.decided_at = timezone.now()
        quotation.decided_by = by
        quotation.save()
        params = {**_params(quotation), "quantity": quantity, "value": value}
        for user in supplier_users(quotation.supplier):
            notify(
                user=user,
                kind="quotation_awarded",
                params=params,
                url=reverse("introductions:partnership", args=[partnership.pk]),
                email_template="quotation_awarded",
                key=f"quotation:{quotation.pk}:awarded:user:{user.pk}",
            )
        events.publish(
            events.QUOTATION_AWARDED, quotation_id=quotation.pk, partnership_id=partnership.pk
        )
        partnerships.append(partnership)
    return partnerships


@transaction.atomic
def quotation_round_close(*, requirement: Requirement, by: User) -> int:
    """The buyer ends the round: every quotation still under consideration is not awarded, its
    UMKM is told so (politely, in its language), and the requirement closes (awarded when any
    quotation won). Returns how many were told."""
    requirement = (
        Requirement.objects.select_for_update()
        .select_related("manufacturer")
        .get(pk=requirement.pk)
    )
    _assert_buyer(by, requirement)
    if not requirement.is_open:
        raise ValidationError(_("The requirement is not open."), code="not_open")
    now = timezone.now()
    others = list(
        Quotation.objects.select_for_update(of=("self",))
        .select_related("supplier", "requirement__manufacturer")
        .filter(requirement=requirement, status__in=LIVE)
    )
    for quotation in others:
        quotation.status = Quotation.Status.NOT_AWARDED
        quotation.decided_at = now
        quotation.decided_by = by
        quotation.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        for user in supplier_users(quotation.supplier):
            notify(
                user=user,
                kind="quotation_not_awarded",
                params=_params(quotation),
                url=_quotation_path(quotation),
                email_template="quotation_not_awarded",
                key=f"quotation:{quotation.pk}:not-awarded:user:{user.pk}",
            )
    awarded = Quotation.objects.filter(
        requirement=requirement, status=Quotation.Status.AWARDED
    ).exists()
    requirement_services.requirement_close(
        requirement=requirement,
        by=by,
        reason=Requirement.CloseReason.AWARDED if awarded else Requirement.CloseReason.CANCELLED,
    )
    return len(others)
