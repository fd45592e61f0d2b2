"""Reads for the verification queue."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from manufacturers.models import Manufacturer
from suppliers.models import Supplier, SupplierCertification, VerificationStatus

from .models import VerificationDecision


def can_use_reports(user: User) -> bool:
    # ``is_ministry`` is true for ministry staff and administrators only.
    return bool(user.is_authenticated and user.is_ministry)


def pending_suppliers() -> QuerySet[Supplier]:
    """UMKM waiting for a verdict, oldest first (the fairest order for a queue)."""
    return (
        Supplier.objects.filter(verification_status=VerificationStatus.UNVERIFIED)
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


def pending_manufacturers() -> QuerySet[Manufacturer]:
    return (
        Manufacturer.objects.filter(verification_status=VerificationStatus.UNVERIFIED)
        .select_related("province")
        .order_by("created_at", "pk")
    )


def recent_decisions(limit: int = 20) -> QuerySet[VerificationDecision]:
    return VerificationDecision.objects.select_related("decided_by")[:limit]
