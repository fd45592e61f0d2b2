"""Double opt-in introductions: the state machine and what each side is told.

requested → accepted | declined | expired | withdrawn. A buyer request is answered by the
supplier's members; an UMKM's expression of interest by the buyer's members. Only the side that
asked may withdraw. Every transition writes an IntroductionEvent, the in-app notifications and the
outbox e-mails in the same transaction. Who may do what, and the reads, are in ``selectors``.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.events import INTRODUCTION_ACCEPTED, publish
from accounts.models import User
from accounts.outbox import notify
from manufacturers.models import Requirement
from matchmaking.models import Match
from suppliers.models import Supplier

from .models import INTRODUCTION_TTL, REMINDER_AFTER, Introduction, IntroductionEvent
from .privacy import accepted_contacts_sent
from .selectors import buyer_users, can_answer, can_withdraw, supplier_users

MAX_MESSAGE = 1000


def _asking_users(introduction: Introduction) -> QuerySet[User]:
    if introduction.from_buyer:
        return buyer_users(introduction.requirement)
    return supplier_users(introduction.supplier)


def _answering_users(introduction: Introduction) -> QuerySet[User]:
    if introduction.from_buyer:
        return supplier_users(introduction.supplier)
    return buyer_users(introduction.requirement)


def _detail_path(introduction: Introduction) -> str:
    return reverse("introductions:detail", args=[introduction.pk])


def _params(introduction: Introduction) -> dict[str, str]:
    return {
        "buyer": introduction.requirement.manufacturer.name,
        "supplier": introduction.supplier.legal_name,
        "requirement": introduction.requirement.title,
    }


def _record(
    introduction: Introduction, *, by: User | None, from_status: str, note: str = ""
) -> IntroductionEvent:
    return IntroductionEvent.objects.create(
        introduction=introduction,
        actor=by,
        from_status=from_status,
        to_status=introduction.status,
        note=note,
    )


def _tell(
    users,
    introduction: Introduction,
    event: IntroductionEvent,
    kind: str,
    extra: dict | None = None,
) -> None:
    params = _params(introduction)
    for user in users:
        notify(
            user=user,
            kind=kind,
            params=params,
            url=_detail_path(introduction),
            email_template=kind,
            email_context=extra,
            key=f"introduction-event:{event.pk}:user:{user.pk}",
        )


def _clean_message(message: str, field: str = "message") -> str:
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            {field: _("At most %(max)d characters.") % {"max": MAX_MESSAGE}}, code="max_length"
        )
    return message


def _assert_may_meet(requirement: Requirement, supplier: Supplier) -> None:
    """Contacts are exchanged only between a verified buyer and an UMKM the ministry has not
    rejected, whichever side asks and whichever answers; checked again on acceptance, since
    either firm may have lost its verification meanwhile (a new name or NPWP, a rejection)."""
    if not requirement.manufacturer.is_verified:
        raise ValidationError(
            _(
                "The buyer's company is not verified by the ministry at the moment, so no "
                "introduction can be made or accepted until it is verified again."
            ),
            code="buyer_unverified",
        )
    if supplier.is_rejected:
        raise ValidationError(
            _(
                "The ministry rejected the verification of this UMKM, so no introduction can be "
                "made or accepted until it is verified."
            ),
            code="supplier_rejected",
        )


def _create(
    *,
    requirement: Requirement,
    supplier: Supplier,
    direction: str,
    by: User,
    message: str,
    now: datetime,
) -> Introduction:
    match = Match.objects.filter(requirement=requirement, supplier=supplier).first()
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(
                requirement=requirement,
                supplier=supplier,
                direction=direction,
                score=match.score if match else None,
                message=message,
                requested_by=by,
                requested_at=now,
                expires_at=now + INTRODUCTION_TTL,
            )
    except IntegrityError as exc:
        if "introduction_one_open_per_pair" not in str(exc):
            raise
        raise ValidationError(
            _("There is already an open introduction for this requirement and supplier."),
            code="duplicate",
        ) from exc
    return introduction


@transaction.atomic
def introduction_request(
    *, requirement: Requirement, supplier: Supplier, by: User, message: str = ""
) -> Introduction:
    """A buyer asks to be introduced to a matched supplier."""
    membership = getattr(by, "manufacturer_membership", None)
    if (
        not by.is_buyer
        or membership is None
        or membership.manufacturer_id != (requirement.manufacturer_id)
    ):
        raise PermissionDenied(_("Only the buyer who posted the requirement can ask for this."))
    if not requirement.manufacturer.is_verified:
        raise ValidationError(
            _("Your company must be verified before you can request introductions."),
            code="unverified",
        )
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    if not requirement.is_open:
        raise ValidationError(_("The requirement is not open."), code="not_open")
    _assert_may_meet(requirement, supplier)
    if not Match.objects.filter(requirement=requirement, supplier=supplier).exists():
        raise ValidationError(
            _("This supplier is not among the matches of the requirement."), code="no_match"
        )
    message = _clean_message(message)
    introduction = _create(
        requirement=requirement,
        supplier=supplier,
        direction=Introduction.Direction.BUYER_REQUEST,
        by=by,
        message=message,
        now=timezone.now(),
    )
    event = _record(introduction, by=by, from_status="")
    _tell(supplier_users(supplier), introduction, event, "intro_requested", {"message": message})
    return introduction


@transaction.atomic
def introduction_express_interest(
    *, requirement: Requirement, supplier: Supplier, by: User, message: str = ""
) -> Introduction:
    """An UMKM tells the buyer it would like to supply an open requirement."""
    membership = getattr(by, "supplier_membership", None)
    if not by.is_umkm or membership is None or membership.supplier_id != supplier.pk:
        raise PermissionDenied(_("Only members of the supplier can express its interest."))
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    if not requirement.is_open:
        raise ValidationError(_("The requirement is not open."), code="not_open")
    _assert_may_meet(requirement, supplier)
    message = _clean_message(message)
    introduction = _create(
        requirement=requirement,
        supplier=supplier,
        direction=Introduction.Direction.UMKM_INTEREST,
        by=by,
        message=message,
        now=timezone.now(),
    )
    event = _record(introduction, by=by, from_status="")
    _tell(buyer_users(requirement), introduction, event, "intro_interest", {"message": message})
    return introduction


def _lock_waiting(introduction: Introduction) -> Introduction:
    locked = (
        Introduction.objects.select_for_update()
        .select_related("requirement", "requirement__manufacturer", "supplier")
        .get(pk=introduction.pk)
    )
    if not locked.is_requested:
        raise ValidationError(
            _("This introduction is no longer waiting for an answer."), code="not_waiting"
        )
    if locked.expires_at <= timezone.now():
        raise ValidationError(_("This introduction has expired."), code="expired")
    return locked


def contacts_context(introduction: Introduction) -> dict[str, str]:
    """Both sides' contact details, for the acceptance e-mail."""
    supplier = introduction.supplier
    buyers = list(buyer_users(introduction.requirement).order_by("pk"))
    return {
        "supplier_contact": supplier.contact_name,
        "supplier_email": supplier.contact_email,
        "supplier_phone": supplier.contact_phone,
        "supplier_address": supplier.address,
        "buyer_contacts": "; ".join(f"{u.get_full_name()} <{u.email}>" for u in buyers),
    }


@transaction.atomic
def introduction_accept(*, introduction: Introduction, by: User) -> Introduction:
    if not can_answer(by, introduction):
        raise PermissionDenied(_("Only the side that was asked can accept."))
    introduction = _lock_waiting(introduction)
    _assert_may_meet(introduction.requirement, introduction.supplier)
    before = introduction.status
    introduction.status = Introduction.Status.ACCEPTED
    introduction.decided_at = timezone.now()
    introduction.decided_by = by
    introduction.save(update_fields=["status", "decided_at", "decided_by"])
    event = _record(introduction, by=by, from_status=before)
    # Everyone on both sides except the person who just accepted (they see the contacts now).
    everyone = [
        user
        for user in [*buyer_users(introduction.requirement), *supplier_users(introduction.supplier)]
        if user.pk != by.pk
    ]
    _tell(everyone, introduction, event, "intro_accepted", contacts_context(introduction))
    # The e-mail discloses each side's contacts: the trail says to whom (UU PDP).
    accepted_contacts_sent(introduction=introduction, recipients=everyone, by=by)
    publish(INTRODUCTION_ACCEPTED, introduction_id=introduction.pk)
    return introduction


@transaction.atomic
def introduction_decline(*, introduction: Introduction, by: User, reason: str = "") -> Introduction:
    if not can_answer(by, introduction):
        raise PermissionDenied(_("Only the side that was asked can decline."))
    reason = _clean_message(reason, field="reason")
    introduction = _lock_waiting(introduction)
    before = introduction.status
    introduction.status = Introduction.Status.DECLINED
    introduction.decline_reason = reason
    introduction.decided_at = timezone.now()
    introduction.decided_by = by
    introduction.save(update_fields=["status", "decline_reason", "decided_at", "decided_by"])
    event = _record(introduction, by=by, from_status=before, note=reason)
    _tell(_asking_users(introduction), introduction, event, "intro_declined", {"reason": reason})
    return introduction


@transaction.atomic
def introduction_withdraw(*, introduction: Introduction, by: User) -> Introduction:
    if not can_withdraw(by, introduction):
        raise PermissionDenied(_("Only the side that asked can withdraw."))
    introduction = _lock_waiting(introduction)
    before = introduction.status
    introduction.status = Introduction.Status.WITHDRAWN
    introduction.save(update_fields=["status"])
    event = _record(introduction, by=by, from_status=before)
    _tell(_answering_users(introduction), introduction, event, "intro_withdrawn")
    return introduction


def introductions_expire(*, now: datetime | None = None) -> int:
    """Expires unanswered requests after 14 days; each in its own short transaction."""
    now = now or timezone.now()
    ids = list(
        Introduction.objects.filter(
            status=Introduction.Status.REQUESTED, expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    expired = 0
    for pk in ids:
        with transaction.atomic():
            introduction = (
                Introduction.objects.select_for_update(skip_locked=True)
                .select_related("requirement", "requirement__manufacturer", "supplier")
                .filter(pk=pk, status=Introduction.Status.REQUESTED, expires_at__lte=now)
                .first()
            )
            if introduction is None:
                continue  # answered meanwhile, or being answered right now
            introduction.status = Introduction.Status.EXPIRED
            introduction.save(update_fields=["status"])
            event = _record(introduction, by=None, from_status=Introduction.Status.REQUESTED)
            everyone = list(_asking_users(introduction)) + list(_answering_users(introduction))
            _tell(everyone, introduction, event, "intro_expired")
            expired += 1
    return expired


def introductions_remind(*, now: datetime | None = None) -> int:
    """One reminder to the side that was asked, 7 days after the request."""
    now = now or timezone.now()
    ids = list(
        Introduction.objects.filter(
            status=Introduction.Status.REQUESTED,
            reminded_at__isnull=True,
            requested_at__lte=now - REMINDER_AFTER,
            expires_at__gt=now,
        ).values_list("pk", flat=True)
    )
    reminded = 0
    for pk in ids:
        with transaction.atomic():
            introduction = (
                Introduction.objects.select_for_update(skip_locked=True)
                .select_related("requirement", "requirement__manufacturer", "supplier")
                .filter(pk=pk, status=Introduction.Status.REQUESTED, reminded_at__isnull=True)
                .first()
            )
            if introduction is None:
                continue
            introduction.reminded_at = now
            introduction.save(update_fields=["reminded_at"])
            params = _params(introduction)
            params["expires"] = introduction.expires_at.date().isoformat()
            for user in _answering_users(introduction):
                notify(
                    user=user,
                    kind="intro_reminder",
                    params=params,
                    url=_detail_path(introduction),
                    email_template="intro_reminder",
                    key=f"introduction:{introduction.pk}:reminder:user:{user.pk}",
                )
            reminded += 1
    return reminded
