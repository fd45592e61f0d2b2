"""Quotations: submit and revise, withdraw, shortlist (the award and the round's close: ``award``).

submitted ⇄ shortlisted → awarded | not awarded; submitted/shortlisted → withdrawn → submitted
(quoting again). Every submission is a new QuotationRevision (the old ones are kept). Award
creates or advances the partnership of the quotation's introduction with the awarded value; the
buyer closing the round tells every other UMKM, politely, that it was not this time. Each step
writes its notifications and outbox e-mails in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.outbox import notify
from manufacturers.models import Requirement
from manufacturers.validators import validate_requirement_attachment

from ..models import (
    Introduction,
    Quotation,
    QuotationFile,
    QuotationRevision,
    QuotationTier,
)
from ..selectors import buyer_users, is_supplier_side
from .access import LIVE, deadline_passed, is_buyer_member, is_sealed, may_quote_on
from .rules import MAX_FILES, Offer, offer_errors

# --- shared -----------------------------------------------------------------------------------


def notice_params(quotation: Quotation) -> dict[str, Any]:
    requirement = quotation.requirement
    return {
        "buyer": requirement.manufacturer.name,
        "supplier": quotation.supplier.legal_name,
        "requirement": requirement.title,
    }


def compare_path(requirement: Requirement) -> str:
    return reverse("introductions:quotation_compare", args=[requirement.pk])


def quotation_path(quotation: Quotation) -> str:
    return reverse("introductions:quotation", args=[quotation.pk])


def _lock_quotation(quotation: Quotation) -> Quotation:
    return (
        Quotation.objects.select_for_update(of=("self",))
        .select_related("introduction", "requirement", "requirement__manufacturer", "supplier")
        .get(pk=quotation.pk)
    )


def assert_buyer(user: User, requirement: Requirement) -> None:
    if not is_buyer_member(user, requirement):
        raise PermissionDenied(_("Only the buyer who posted the requirement can do this."))


def assert_unsealed(requirement: Requirement) -> None:
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
    params = {**notice_params(quotation), "revision": revision.number}
    for user in buyer_users(quotation.requirement):
        notify(
            user=user,
            kind=kind,
            params=params,
            url=compare_path(quotation.requirement),
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
            params=notice_params(quotation),
            url=compare_path(quotation.requirement),
            key=f"quotation:{quotation.pk}:withdrawn:{quotation.decided_at.isoformat()}:{user.pk}",
        )
    return quotation


# --- the buyer's side -------------------------------------------------------------------------


@transaction.atomic
def quotation_shortlist(*, quotation: Quotation, by: User, shortlisted: bool = True) -> Quotation:
    quotation = _lock_quotation(quotation)
    assert_buyer(by, quotation.requirement)
    assert_unsealed(quotation.requirement)
    if quotation.status not in LIVE:
        raise ValidationError(
            _("Only a quotation still under consideration can be shortlisted."), code="not_live"
        )
    quotation.status = Quotation.Status.SHORTLISTED if shortlisted else Quotation.Status.SUBMITTED
    quotation.save(update_fields=["status", "updated_at"])
    return quotation
