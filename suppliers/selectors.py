"""Reads for supplier pages: who may see what, the public directory, profile completeness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import (
    ComponentCategory,
    Supplier,
    SupplierCertification,
    SupplierInvitation,
    SupplierMember,
    VerificationStatus,
)
from .search import text_condition

STEPS = ("company", "capabilities", "certifications", "photos")


def user_supplier(user: User) -> Supplier | None:
    """The company this user belongs to, if any."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "supplier_membership", None)
    return membership.supplier if membership else None


def can_edit(user: User, supplier: Supplier) -> bool:
    return Supplier.objects.for_user(user).filter(pk=supplier.pk).exists()


def _is_admin(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == User.Role.ADMIN))


def membership_in(user: User, supplier: Supplier) -> SupplierMember | None:
    """The user's membership of this company (None for anyone else)."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "supplier_membership", None)
    return membership if membership and membership.supplier_id == supplier.pk else None


def is_owner(user: User, supplier: Supplier) -> bool:
    """Owners (and administrators) change the firm's identity and its members; staff answer
    introductions and keep the capabilities up to date."""
    if _is_admin(user):
        return True
    membership = membership_in(user, supplier)
    return bool(membership and membership.is_owner)


def team_of(supplier: Supplier) -> QuerySet[SupplierMember]:
    # Owners first, then by e-mail: the page reads like an org chart.
    return supplier.members.select_related("user").order_by("role", "user__email")


def open_invitations_of(supplier: Supplier) -> QuerySet[SupplierInvitation]:
    """Invitations not used yet, the expired ones too (the owner may revoke or re-send)."""
    return supplier.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def can_see_private(user: User, supplier: Supplier) -> bool:
    """Members, administrators and ministry staff (who verify firms) see contact details."""
    if not user.is_authenticated:
        return False
    return user.is_ministry or can_edit(user, supplier)


def can_download_documents(user: User, supplier: Supplier) -> bool:
    return can_see_private(user, supplier)


def holding_valid_certification(code: str, day: date | None = None) -> QuerySet:
    """Suppliers (as a ``supplier_id`` subquery) holding a valid certificate of this type or of
    one that implies it (IATF 16949 counts as ISO 9001; chains up to three deep)."""
    day = day or timezone.localdate()
    satisfies = (
        Q(cert_type_id=code)
        | Q(cert_type__implies_id=code)
        | Q(cert_type__implies__implies_id=code)
    )
    return SupplierCertification.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day), satisfies
    ).values("supplier_id")


def _through(name: str, condition: Q) -> QuerySet:
    # Subqueries instead of joins: no duplicate rows, no DISTINCT.
    through = Supplier._meta.get_field(name).remote_field.through
    return through.objects.filter(condition).values("supplier_id")


def filter_suppliers(
    suppliers: QuerySet[Supplier],
    *,
    q: str = "",
    province=None,
    system: ComponentCategory | str | None = None,
    process=None,
    material=None,
    certification=None,
    verified_only: bool = False,
) -> QuerySet[Supplier]:
    """The directory's filters, shared with the partners' API (codes or model instances):
    ``q`` searches name and description with Indonesian stemming (suppliers.search)."""
    if q:
        suppliers = suppliers.filter(text_condition(q))
    if province:
        suppliers = suppliers.filter(province=province)
    if system:
        code = getattr(system, "code", system)
        suppliers = suppliers.filter(
            id__in=_through(
                "components",
                Q(componentcategory__code=code) | Q(componentcategory__code__startswith=f"{code}."),
            )
        )
    if process:
        suppliers = suppliers.filter(
            id__in=_through("processes", Q(process_id=getattr(process, "code", process)))
        )
    if material:
        suppliers = suppliers.filter(
            id__in=_through("materials", Q(material_id=getattr(material, "code", material)))
        )
    if certification:
        suppliers = suppliers.filter(
            id__in=holding_valid_certification(getattr(certification, "code", certification))
        )
    if verified_only:
        suppliers = suppliers.verified()
    return suppliers


def supplier_directory(
    *,
    include_rejected: bool = False,
    **filters,
) -> QuerySet[Supplier]:
    """The public directory (``filters``: see filter_suppliers). A company the ministry rejected
    is offered to nobody (as in the matches): only ministry staff (``include_rejected``) see it
    listed."""
    suppliers = Supplier.objects.select_related("province", "regency", "size_class")
    if not include_rejected:
        suppliers = suppliers.exclude(verification_status=VerificationStatus.REJECTED)
    suppliers = filter_suppliers(suppliers, **filters)
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


def invitations_waiting_for(user: User) -> QuerySet[SupplierInvitation]:
    """Invitations sent to this person's address that they can still accept."""
    return SupplierInvitation.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True, expires__gt=timezone.now()
    ).select_related("supplier")
