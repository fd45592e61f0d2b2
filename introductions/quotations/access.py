"""Who may do what with quotations, and the reads the pages show.

Only members of the quoting UMKM submit, revise and withdraw; only the buyer's members see,
compare, shortlist and award. No one else (another UMKM, another buyer, the ministry) learns that
a quotation exists: the pages answer 404. Before the buyer's quotation deadline the buyer sees
who quoted, never the prices or the files (sealed quotations).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from manufacturers.models import Requirement

from ..models import Introduction, Quotation
from ..selectors import is_buyer_side, is_supplier_side

# A quotation still in the running: it can be revised, shortlisted, awarded.
LIVE = (Quotation.Status.SUBMITTED, Quotation.Status.SHORTLISTED)


def is_buyer_member(user: User, requirement: Requirement) -> bool:
    membership = getattr(user, "manufacturer_membership", None) if user.is_authenticated else None
    return bool(
        user.is_authenticated
        and user.is_buyer
        and membership
        and membership.manufacturer_id == requirement.manufacturer_id
    )


def is_sealed(requirement: Requirement, now: datetime | None = None) -> bool:
    deadline = requirement.quote_deadline
    return deadline is not None and (now or timezone.now()) < deadline


def deadline_passed(requirement: Requirement, now: datetime | None = None) -> bool:
    deadline = requirement.quote_deadline
    return deadline is not None and (now or timezone.now()) >= deadline


def may_quote_on(introduction: Introduction) -> bool:
    """Whether the introduction allows a quotation at all (whoever asks): accepted, or an
    UMKM's interest still waiting on a requirement the buyer opened to quotations."""
    requirement = introduction.requirement
    if not requirement.is_open:
        return False
    if introduction.is_accepted:
        return True
    return (
        introduction.status == Introduction.Status.REQUESTED
        and introduction.direction == Introduction.Direction.UMKM_INTEREST
        and requirement.quotes_open
    )


def can_submit(user: User, introduction: Introduction) -> bool:
    return (
        user.is_authenticated
        and user.is_umkm
        and is_supplier_side(user, introduction)
        and may_quote_on(introduction)
        and not deadline_passed(introduction.requirement)
    )


def can_see(user: User, quotation: Quotation) -> bool:
    introduction = quotation.introduction
    if is_supplier_side(user, introduction) and user.is_umkm:
        return True
    return is_buyer_side(user, introduction) and user.is_buyer


def prices_visible(user: User, quotation: Quotation) -> bool:
    """The quoting UMKM always sees its own prices; the buyer once the quotations unseal."""
    if is_supplier_side(user, quotation.introduction):
        return True
    return not is_sealed(quotation.requirement)


def quotations_for_requirement(requirement: Requirement) -> QuerySet[Quotation]:
    return (
        Quotation.objects.filter(requirement=requirement)
        .select_related("supplier", "introduction", "requirement")
        .prefetch_related("revisions__tiers", "revisions__files")
    )


def quotation_of(introduction: Introduction) -> Quotation | None:
    return Quotation.objects.filter(introduction=introduction).first()


def latest_revision(quotation: Quotation):
    revisions = list(quotation.revisions.all())  # prefetched, newest first (model ordering)
    return revisions[0] if revisions else None
