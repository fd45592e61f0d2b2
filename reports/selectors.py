"""Reads for the verification queue."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from manufacturers.models import Manufacturer
from suppliers.models import (
    FirmKind,
    Supplier,
    SupplierCertification,
    VerificationDecision,
    VerificationReview,
    VerificationStatus,
)
from suppliers.verification import change_rows


def can_use_reports(user: User) -> bool:
    # ``is_ministry`` is true for ministry staff and administrators only.
    return bool(user.is_authenticated and user.is_ministry)


def _with_reviews(firms: QuerySet, reviews: dict[int, VerificationReview]) -> list:
    """The firms, each with ``review`` (its open review or None) and ``review_changes`` (the
    review's changes, old next to new, with the fields' labels in the active language)."""
    model = firms.model
    result = []
    for firm in firms:
        firm.review = reviews.get(firm.pk)
        firm.review_changes = change_rows(model, firm.review.changes) if firm.review else []
        result.append(firm)
    return result


def _open_reviews(kind: str) -> dict[int, VerificationReview]:
    reviews = (
        VerificationReview.objects.open().filter(firm_kind=kind).select_related("requested_by")
    )
    return {review.firm_id: review for review in reviews}


def _waiting(reviews: dict[int, VerificationReview]) -> Q:
    # Never decided, or back in the queue: changed after verification, or asking for a new
    # review after a rejection (still rejected until the ministry decides).
    return Q(verification_status=VerificationStatus.UNVERIFIED) | Q(pk__in=list(reviews))


def pending_suppliers() -> list[Supplier]:
    """UMKM waiting for a verdict, oldest first (the fairest order for a queue)."""
    reviews = _open_reviews(FirmKind.SUPPLIER)
    firms = (
        Supplier.objects.filter(_waiting(reviews))
        .select_related("province", "size_class")
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=SupplierCertification.objects.select_related("cert_type").order_by(
                    "cert_type__code"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    return _with_reviews(firms, reviews)


def pending_manufacturers() -> list[Manufacturer]:
    reviews = _open_reviews(FirmKind.MANUFACTURER)
    firms = (
        Manufacturer.objects.filter(_waiting(reviews))
        .select_related("province")
        .order_by("created_at", "pk")
    )
    return _with_reviews(firms, reviews)


def recent_decisions(limit: int = 20) -> QuerySet[VerificationDecision]:
    return VerificationDecision.objects.select_related("decided_by")[:limit]
