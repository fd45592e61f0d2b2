"""The buyer's decision: award quotations (one or several, split volume) and close the round.

Award creates or advances the partnership of each winner's introduction with the awarded value
(quantity x the tier price it reaches), announces ``quotation.awarded``, and tells the winners;
closing the round tells every other UMKM, politely and in its language, that it was not chosen
this time, and closes the requirement.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import events
from accounts.models import User
from accounts.outbox import notify
from manufacturers import services as requirement_services
from manufacturers.models import Requirement
from suppliers.models import PartnershipPattern

from .. import services as introduction_services
from ..models import (
    Introduction,
    Partnership,
    PartnershipEvent,
    Quotation,
)
from ..partnerships import supplier_size_record
from ..selectors import supplier_users
from .access import LIVE
from .rules import price_for
from .services import assert_buyer, assert_unsealed, notice_params, quotation_path


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
    assert_buyer(by, requirement)
    assert_unsealed(requirement)
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
                % {"supplier": name, "date": date_format(revision.valid_until)},
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
        params = {**notice_params(quotation), "quantity": quantity, "value": value}
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
    assert_buyer(by, requirement)
    if not requirement.is_open:
        raise ValidationError(_("The requirement is not open."), code="not_open")
    told = _tell_not_chosen(requirement, by=by)
    awarded = Quotation.objects.filter(
        requirement=requirement, status=Quotation.Status.AWARDED
    ).exists()
    requirement_services.requirement_close(
        requirement=requirement,
        by=by,
        reason=Requirement.CloseReason.AWARDED if awarded else Requirement.CloseReason.CANCELLED,
    )
    return told


def _tell_not_chosen(requirement: Requirement, *, by: User | None) -> int:
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
                params=notice_params(quotation),
                url=quotation_path(quotation),
                email_template="quotation_not_awarded",
                key=f"quotation:{quotation.pk}:not-awarded:user:{user.pk}",
            )
    return len(others)


def quotations_settle_closed(*, requirement_id: int) -> int:
    """A requirement closed by any door (its page, the API, the nightly expiry) ends its round:
    the quotations still under consideration are told, as when the buyer closes the round."""
    requirement = (
        Requirement.objects.select_related("manufacturer").filter(pk=requirement_id).first()
    )
    if requirement is None or not requirement.is_closed:
        return 0
    with transaction.atomic():
        return _tell_not_chosen(requirement, by=None)


def on_requirement_changed(sender, requirement_id: int, **kwargs) -> None:
    quotations_settle_closed(requirement_id=requirement_id)
