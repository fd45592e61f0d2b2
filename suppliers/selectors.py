"""Reads for supplier pages: who may see what, the public directory, profile completeness."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import ComponentCategory, Supplier, SupplierCertification, VerificationStatus

STEPS = ("company", "capabilities", "certifications", "photos")


def user_supplier(user: User) -> Supplier | None:
    """The company this user belongs to, if any."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "supplier_membership", None)
    return membership.supplier if membership else None


def can_edit(user: User, supplier: Supplier) -> bool:
    return Supplier.objects.for_user(user).filter(pk=supplier.pk).exists()


def can_see_private(user: User, supplier: Supplier) -> bool:
    """Members, administrators and ministry staff (who verify firms) see contact details."""
    if not user.is_authenticated:
        return False
    return user.is_ministry or can_edit(user, supplier)


def can_download_documents(user: User, supplier: Supplier) -> bool:
    return can_see_private(user, supplier)


def supplier_directory(
    *,
    q: str = "",
    province=None,
    system: ComponentCategory | None = None,
    process=None,
    verified_only: bool = False,
    include_rejected: bool = False,
) -> QuerySet[Supplier]:
    """The public directory. A company the ministry rejected is offered to nobody (as in the
    matches): only ministry staff (``include_rejected``) see it listed."""
    suppliers = Supplier.objects.select_related("province", "regency", "size_class")
    if not include_rejected:
        suppliers = suppliers.exclude(verification_status=VerificationStatus.REJECTED)
    if q:
        suppliers = suppliers.filter(legal_name__icontains=q)
    if province:
        suppliers = suppliers.filter(province=province)
    if system:
        suppliers = suppliers.filter(components__code__startswith=f"{system.code}.")
    if process:
        suppliers = suppliers.filter(processes=process)
    if verified_only:
        suppliers = suppliers.verified()
    if system or process:
        suppliers = suppliers.distinct()
    return suppliers.prefetch_related("processes", "components").order_by("legal_name", "pk")


def supplier_profile(pk: int) -> Supplier:
    """One supplier with everything its profile page shows, in a fixed number of queries."""
    return (
        Supplier.objects.select_related("province", "regency", "size_class", "verified_by")
        .prefetch_related(
            "kbli",
            "processes",
            "materials",
            Prefetch("components", queryset=ComponentCategory.objects.select_related("parent")),
            Prefetch(
                "certifications",
                queryset=SupplierCertification.objects.select_related("cert_type"),
            ),
            "photos",
        )
        .get(pk=pk)
    )


def systems_of(supplier: Supplier) -> list[str]:
    """Level-1 system codes covered by a supplier's (prefetched) components."""
    return sorted({category.system_code for category in supplier.components.all()})


@dataclass
class ComponentGroup:
    system: ComponentCategory
    entries: list[ComponentCategory] = field(default_factory=list)
    selected: int = 0


def component_groups(selected: set[str]) -> list[ComponentGroup]:
    """The taxonomy grouped by system, for the capabilities checkboxes."""
    groups: dict[str, ComponentGroup] = {}
    for category in ComponentCategory.objects.order_by("code"):
        if category.level == 1:
            groups[category.code] = ComponentGroup(system=category)
        else:
            group = groups[category.system_code]
            group.entries.append(category)
            if category.code in selected:
                group.selected += 1
    return list(groups.values())


@dataclass
class Completeness:
    missing: dict[str, list[str]]
    percent: int

    @property
    def complete(self) -> bool:
        return not any(self.missing.values())


def supplier_completeness(supplier: Supplier) -> Completeness:
    """What an owner still has to fill in, per step."""
    checks = {
        "company": [
            (supplier.size_class_id, _("size class")),
            (supplier.regency_id, _("regency or city")),
            (supplier.address, _("address")),
            (supplier.description, _("description")),
            (supplier.contact_name, _("contact person")),
            (supplier.contact_phone or supplier.contact_email, _("phone or e-mail")),
        ],
        "capabilities": [
            (supplier.components.exists(), _("component categories")),
            (supplier.processes.exists(), _("processes")),
            (supplier.capacity_per_month, _("monthly capacity")),
            (supplier.lead_time_days, _("typical lead time")),
        ],
        "certifications": [(supplier.certifications.exists(), _("at least one certification"))],
        "photos": [(supplier.photos.exists(), _("at least one photo"))],
    }
    missing = {
        step: [str(label) for ok, label in items if not ok] for step, items in checks.items()
    }
    total = sum(len(items) for items in checks.values())
    done = total - sum(len(labels) for labels in missing.values())
    return Completeness(missing=missing, percent=round(100 * done / total))
