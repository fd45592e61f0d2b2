"""The ministry's verification of firms: one service per event, whatever the door.

- ``verification_decide``: the ministry approves or rejects a firm (from the queue or the firm's
  page); records the decision, sets the status and tells the firm's members.
- ``identity_recheck``: the firms' own write services (forms, CSV imports, the partner API, the
  admin) call it after saving; a verified firm whose identity changed loses its badge and goes
  back to the queue as "changed after verification", with the old and new values.
- ``verification_review_request``: a rejected firm asks for a new review; it goes back to the
  queue with the rejection reason and what changed since the rejection.

The firm is any ``Verifiable`` (a supplier here, a manufacturer in the app above), reached
through ``firm_kind``, ``firm_name``, ``firm_members`` and ``firm_url``, so this app never
imports manufacturers. Firms are told through the outbox, in each member's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.events import SUPPLIER_VERIFIED, publish
from accounts.models import User
from accounts.outbox import notify

from .models import (
    Supplier,
    Verifiable,
    VerificationDecision,
    VerificationReview,
    VerificationStatus,
)
from .signals import supplier_changed

MAX_MESSAGE = 1000
DECISION_FIELDS = (
    "verification_status",
    "verification_reason",
    "verified_at",
    "verified_by",
    "updated_at",
)

Changes = dict[str, list[str]]


# --- reading a firm's fields ------------------------------------------------------------------


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname


def stored_values(firm: Verifiable, names: Iterable[str]) -> dict[str, Any]:
    """The values of ``names`` as stored in the database (ids for foreign keys): what a write
    service compares against, since a bound ModelForm has already changed the instance."""
    names = list(names)
    if firm.pk is None:
        return {}
    model = type(firm)
    attnames = [_attname(model, name) for name in names]
    row = model.objects.filter(pk=firm.pk).values(*attnames).first() or {}
    return {name: row.get(attname) for name, attname in zip(names, attnames, strict=True)}


def current_values(firm: Verifiable, names: Iterable[str]) -> dict[str, Any]:
    model = type(firm)
    return {name: getattr(firm, _attname(model, name)) for name in names}


def _text(model: type[models.Model], name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    field = model._meta.get_field(name)
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return str(value)


def _changes(model: type[models.Model], before: dict, after: dict) -> Changes:
    return {
        name: [_text(model, name, before[name]), _text(model, name, after[name])]
        for name in before
        if name in after and before[name] != after[name]
    }


def review_snapshot(firm: Verifiable) -> dict[str, str]:
    """The stored reviewed details of a firm (what a decision keeps): values as strings, codes
    for foreign keys, so that a later comparison does not depend on the language."""
    values = stored_values(firm, type(firm).review_fields)
    return {name: "" if value is None else str(value) for name, value in values.items()}


def changes_since_decision(firm: Verifiable) -> Changes:
    """What differs between the firm's details now and at its latest decision, as text."""
    latest = VerificationDecision.objects.filter(firm_kind=firm.firm_kind, firm_id=firm.pk).first()
    if latest is None or not latest.snapshot:
        return {}
    now = review_snapshot(firm)
    model = type(firm)
    return {
        name: [_text(model, name, old), _text(model, name, now[name])]
        for name, old in latest.snapshot.items()
        if name in now and now[name] != old
    }


def change_rows(model: type[models.Model], changes: Changes) -> list[dict[str, str]]:
    """``changes`` with each field's label in the active language, in the model's field order."""
    order = {field.name: i for i, field in enumerate(model._meta.get_fields())}
    rows = []
    for name in sorted(changes, key=lambda n: order.get(n, len(order))):
        old, new = changes[name]
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = name
        rows.append({"field": name, "label": label, "old": old, "new": new})
    return rows


# --- telling the firm -------------------------------------------------------------------------


def _tell(firm: Verifiable, kind: str, key: str, changes: Changes | None = None, **params) -> None:
    """An in-app notification and an e-mail to every member, each in their own language."""
    params = {"firm": firm.firm_name, **params}
    for user in firm.firm_members():
        extra = None
        if changes is not None:
            with translation.override(user.preferred_language):
                extra = {"changes": change_rows(type(firm), changes)}
        notify(
            user=user,
            kind=kind,
            params=params,
            url=firm.firm_url(),
            email_template=kind,
            email_context=extra,
            key=f"{key}:user:{user.pk}",
        )


def _announce(firm: Verifiable) -> None:
    # A supplier's verification is part of its matches (a rejected one has none): rescore.
    if isinstance(firm, Supplier):
        supplier_changed.send(sender=Supplier, supplier_id=firm.pk)


def _locked_status(firm: Verifiable) -> str:
    return (
        type(firm)
        .objects.select_for_update()
        .filter(pk=firm.pk)
        .values_list("verification_status", flat=True)
        .get()
    )


def open_review(firm: Verifiable, *, lock: bool = False) -> VerificationReview | None:
    reviews = VerificationReview.objects.open().of(firm)
    if lock:
        reviews = reviews.select_for_update()
    return reviews.first()


def review_context(firm: Verifiable) -> dict[str, Any]:
    """For a firm's own pages (``includes/verification_notice.html``): its open review and the
    review's changes, labelled in the active language."""
    review = open_review(firm)
    changes = change_rows(type(firm), review.changes) if review is not None else []
    return {"review": review, "review_changes": changes}


# --- the ministry's decision ------------------------------------------------------------------


@transaction.atomic
def verification_decide(
    *, firm: Verifiable, by: User, decision: str, reason: str = ""
) -> VerificationDecision:
    """Approves or rejects a firm: sets its status, records the decision (with the details the
    ministry saw), closes its open review and tells its members. A refused decision (not
    ministry staff, a rejection without reason) changes, records and sends nothing."""
    if not by.is_ministry:
        raise PermissionDenied(_("Only ministry staff can verify companies."))
    if decision not in VerificationDecision.Decision.values:
        raise ValueError(f"Unknown decision {decision!r}")
    rejected = decision == VerificationDecision.Decision.REJECTED
    reason = (reason or "").strip() if rejected else ""
    if rejected and not reason:
        raise ValidationError(
            {"verification_reason": _("Give the reason for the rejection.")}, code="reason_required"
        )
    before = _locked_status(firm)
    firm.verification_status = (
        VerificationStatus.REJECTED if rejected else VerificationStatus.VERIFIED
    )
    firm.verification_reason = reason
    firm.verified_at = timezone.now()
    firm.verified_by = by
    firm.save(update_fields=list(DECISION_FIELDS))
    record = VerificationDecision.objects.create(
        decided_by=by,
        decided_at=firm.verified_at,
        firm_kind=firm.firm_kind,
        firm_id=firm.pk,
        firm_name=firm.firm_name,
        decision=decision,
        reason=reason,
        status_before=before,
        status_after=firm.verification_status,
        snapshot=review_snapshot(firm),
    )
    VerificationReview.objects.open().of(firm).update(closed_at=record.decided_at, decision=record)
    kind = "verification_rejected" if rejected else "verification_approved"
    _tell(firm, kind, key=f"verification-decision:{record.pk}", reason=reason)
    _announce(firm)
    if not rejected and isinstance(firm, Supplier):
        publish(SUPPLIER_VERIFIED, supplier_id=firm.pk, decision_id=record.pk)
    return record


# --- identity changes -------------------------------------------------------------------------


def _merge(stored: Changes, new: Changes) -> Changes:
    """Changes on top of changes: each field keeps its first old value; a field changed back to
    it is no change."""
    merged = {name: list(values) for name, values in stored.items()}
    for name, (old, value) in new.items():
        first = merged[name][0] if name in merged else old
        if first == value:
            merged.pop(name, None)
        else:
            merged[name] = [first, value]
    return merged


@transaction.atomic
def identity_recheck(
    *, firm: Verifiable, before: dict[str, Any], by: User | None = None
) -> VerificationReview | None:
    """Called by a firm's write service after saving it, with ``before`` the stored values of
    its ``identity_fields`` (``stored_values``). A verified firm whose identity changed loses
    its badge and goes back to the ministry's queue as "changed after verification", and its
    members are told; a firm already waiting in the queue gets its listed changes updated."""
    model = type(firm)
    changes = _changes(model, before, current_values(firm, model.identity_fields))
    review = open_review(firm, lock=True)
    if review is not None:
        if review.reason == VerificationReview.Reason.RESUBMITTED:
            review.changes = changes_since_decision(firm)
        elif changes:
            review.changes = _merge(review.changes, changes)
        review.firm_name = firm.firm_name
        review.save(update_fields=["changes", "firm_name"])
        return review
    if not changes or _locked_status(firm) != VerificationStatus.VERIFIED:
        return None
    model.objects.filter(pk=firm.pk).update(
        verification_status=VerificationStatus.UNVERIFIED,
        verified_at=None,
        verified_by=None,
        updated_at=timezone.now(),
    )
    firm.verification_status = VerificationStatus.UNVERIFIED
    firm.verified_at = None
    firm.verified_by = None
    review = VerificationReview.objects.create(
        firm_kind=firm.firm_kind,
        firm_id=firm.pk,
        firm_name=firm.firm_name,
        reason=VerificationReview.Reason.CHANGED,
        changes=changes,
        requested_by=by,
    )
    _tell(firm, "verification_changed", key=f"verification-review:{review.pk}", changes=changes)
    _announce(firm)
    return review


def identity_recheck_many(*, firms: Iterable[tuple[Verifiable, dict[str, Any]]]) -> None:
    """``identity_recheck`` for a bulk write, given (saved firm, the stored values of the fields
    the write changed) pairs; firms whose identity was not among them are skipped."""
    for firm, previous in firms:
        names = type(firm).identity_fields
        if not any(name in previous for name in names):
            continue
        now = current_values(firm, names)
        identity_recheck(firm=firm, before={name: previous.get(name, now[name]) for name in names})


# --- a new review after a rejection -----------------------------------------------------------


@transaction.atomic
def verification_review_request(
    *, firm: Verifiable, by: User, message: str = ""
) -> VerificationReview:
    """A member of a rejected firm asks for a new review: the firm goes back to the ministry's
    queue with the rejection reason and what changed since; its members are told."""
    if not firm.firm_members().filter(pk=by.pk).exists():
        raise PermissionDenied(_("Only members of the company can ask for a new review."))
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            {"message": _("At most %(max)d characters.") % {"max": MAX_MESSAGE}},
            code="max_length",
        )
    if _locked_status(firm) != VerificationStatus.REJECTED:
        raise ValidationError(
            _("Only a company whose verification was rejected can ask for a new review."),
            code="not_rejected",
        )
    if open_review(firm, lock=True) is not None:
        raise ValidationError(
            _("A new review was already requested; the ministry will look at it soon."),
            code="already_requested",
        )
    firm.refresh_from_db()
    review = VerificationReview.objects.create(
        firm_kind=firm.firm_kind,
        firm_id=firm.pk,
        firm_name=firm.firm_name,
        reason=VerificationReview.Reason.RESUBMITTED,
        changes=changes_since_decision(firm),
        rejection_reason=firm.verification_reason,
        message=message,
        requested_by=by,
    )
    _tell(firm, "verification_review_requested", key=f"verification-review:{review.pk}")
    return review
