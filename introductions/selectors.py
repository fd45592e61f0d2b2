"""Reads about introductions and partnerships: who is on which side, who may do what, and the
querysets the pages, the API and the dashboards show."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from accounts.models import User
from manufacturers.models import Requirement
from suppliers.models import Supplier

from .models import Introduction, Partnership, SupplierSizeRecord

# --- who is on which side ---------------------------------------------------------------------


def buyer_users(requirement: Requirement) -> QuerySet[User]:
    return User.objects.filter(
        manufacturer_membership__manufacturer_id=requirement.manufacturer_id, is_active=True
    )


def supplier_users(supplier: Supplier) -> QuerySet[User]:
    return User.objects.filter(supplier_membership__supplier_id=supplier.pk, is_active=True)


def is_buyer_side(user: User, introduction: Introduction) -> bool:
    membership = getattr(user, "manufacturer_membership", None) if user.is_authenticated else None
    return bool(
        membership and membership.manufacturer_id == introduction.requirement.manufacturer_id
    )


def is_supplier_side(user: User, introduction: Introduction) -> bool:
    membership = getattr(user, "supplier_membership", None) if user.is_authenticated else None
    return bool(membership and membership.supplier_id == introduction.supplier_id)


def is_party(user: User, introduction: Introduction) -> bool:
    return is_buyer_side(user, introduction) or is_supplier_side(user, introduction)


def can_answer(user: User, introduction: Introduction) -> bool:
    """The side that was asked: the supplier for a buyer request, the buyer for an interest."""
    if introduction.from_buyer:
        return is_supplier_side(user, introduction)
    return is_buyer_side(user, introduction)


def can_withdraw(user: User, introduction: Introduction) -> bool:
    if introduction.from_buyer:
        return is_buyer_side(user, introduction)
    return is_supplier_side(user, introduction)


def can_edit_partnership(user: User, partnership: Partnership) -> bool:
    return is_party(user, partnership.introduction)


# --- introductions ----------------------------------------------------------------------------


def introduction_accepted_between(requirement: Requirement, supplier: Supplier) -> bool:
    """Whether the two firms agreed to meet: contacts, target price and drawings are shared."""
    return Introduction.objects.filter(
        requirement=requirement, supplier=supplier, status=Introduction.Status.ACCEPTED
    ).exists()


def introductions_for_user(user: User) -> QuerySet[Introduction]:
    """Introductions of the user's company (either side); every one for administrators."""
    queryset = Introduction.objects.select_related(
        "requirement", "requirement__manufacturer", "supplier"
    )
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or user.role == User.Role.ADMIN:
        return queryset
    condition = Q(pk__in=[])
    supplier_membership = getattr(user, "supplier_membership", None)
    if supplier_membership:
        condition |= Q(supplier_id=supplier_membership.supplier_id)
    buyer_membership = getattr(user, "manufacturer_membership", None)
    if buyer_membership:
        condition |= Q(requirement__manufacturer_id=buyer_membership.manufacturer_id)
    return queryset.filter(condition)


def waiting_for_answer(user: User) -> int:
    """Introductions the user's company was asked about and has not answered yet (its
    dashboard shows them first)."""
    asked = Q(pk__in=[])
    supplier_membership = getattr(user, "supplier_membership", None)
    if supplier_membership:
        asked |= Q(
            supplier_id=supplier_membership.supplier_id,
            direction=Introduction.Direction.BUYER_REQUEST,
        )
    buyer_membership = getattr(user, "manufacturer_membership", None)
    if buyer_membership:
        asked |= Q(
            requirement__manufacturer_id=buyer_membership.manufacturer_id,
            direction=Introduction.Direction.UMKM_INTEREST,
        )
    return Introduction.objects.filter(asked, status=Introduction.Status.REQUESTED).count()


def open_introduction(requirement: Requirement, supplier: Supplier) -> Introduction | None:
    return (
        Introduction.objects.filter(
            requirement=requirement, supplier=supplier, status__in=Introduction.OPEN_STATUSES
        )
        .order_by("-requested_at")
        .first()
    )


# --- partnerships and the size-class history ("naik kelas") -----------------------------------


def partnerships_for_user(user: User) -> QuerySet[Partnership]:
    return Partnership.objects.filter(introduction__in=introductions_for_user(user))


def supplier_size_on(supplier: Supplier, day: date) -> SupplierSizeRecord | None:
    return (
        SupplierSizeRecord.objects.filter(supplier=supplier, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def supplier_moved_up(supplier: Supplier, since: date, until: date) -> bool:
    """Naik kelas: a higher size class at ``until`` than at ``since``."""
    before, after = supplier_size_on(supplier, since), supplier_size_on(supplier, until)
    return bool(before and after and after.size_class.rank > before.size_class.rank)
