"""Reads: who sees which manufacturers and requirements."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.models import User

from .models import Manufacturer, ManufacturerInvitation, ManufacturerMember, Requirement


def membership_of(user: User) -> ManufacturerMember | None:
    if not user.is_authenticated:
        return None
    return ManufacturerMember.objects.select_related("manufacturer").filter(user=user).first()


def manufacturers_visible_to(user: User) -> QuerySet[Manufacturer]:
    """Members see their own company; ministry staff and administrators see every one."""
    if user.is_authenticated and user.is_ministry:
        return Manufacturer.objects.all()
    return Manufacturer.objects.for_user(user)


def manufacturer_list_for_ministry(*, status: str = "") -> QuerySet[Manufacturer]:
    queryset = Manufacturer.objects.select_related("province").annotate(
        requirement_count=Count("requirements")
    )
    if status:
        queryset = queryset.filter(verification_status=status)
    return queryset.order_by("verification_status", "name")


def requirements_of(user: User) -> QuerySet[Requirement]:
    return Requirement.objects.for_user(user).select_related(
        "manufacturer", "component", "delivery_province"
    )


def requirements_by_status(user: User) -> dict[str, list[Requirement]]:
    grouped: dict[str, list[Requirement]] = {status: [] for status in Requirement.Status.values}
    for requirement in requirements_of(user).order_by("needed_by", "reference"):
        grouped[requirement.status].append(requirement)
    return grouped


@dataclass(frozen=True)
class BrowseFilters:
    component: str = ""
    process: str = ""
    province: str = ""
    q: str = ""


def open_requirements(filters: BrowseFilters) -> QuerySet[Requirement]:
    """Listed requirements (open, of a verified buyer) for UMKM to browse. Callers must not show
    price or attachments."""
    queryset = (
        Requirement.objects.listed()
        .select_related("manufacturer", "component", "delivery_province")
        .prefetch_related("processes", "materials", "required_certifications")
    )
    if filters.component:
        # A system or subsystem code includes every category below it.
        queryset = queryset.filter(
            Q(component_id=filters.component)
            | Q(component__code__startswith=filters.component + ".")
        )
    if filters.process:
        queryset = queryset.filter(processes__code=filters.process)
    if filters.province:
        queryset = queryset.filter(delivery_province_id=filters.province)
    if filters.q:
        queryset = queryset.filter(
            Q(title__icontains=filters.q) | Q(description__icontains=filters.q)
        )
    return queryset.distinct().order_by("needed_by", "pk")


def listed_requirement(pk: int) -> Requirement:
    """One listed requirement (``Requirement.DoesNotExist`` otherwise), for the UMKM side."""
    return (
        Requirement.objects.listed()
        .select_related("manufacturer", "component", "delivery_province")
        .get(pk=pk)
    )


def pending_invitations_for(user: User) -> QuerySet[ManufacturerInvitation]:
    from django.utils import timezone

    return ManufacturerInvitation.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True, expires__gt=timezone.now()
    ).select_related("manufacturer")
