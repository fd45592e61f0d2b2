"""What every match screen shares: who may see what, and one match as a row of the list.

A requirement's matches are the owning buyer's (and administrators') business only: everyone
else gets a 404, so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from manufacturers.models import Requirement
from suppliers import selectors as supplier_selectors
from suppliers.models import Supplier

from ..explain import Names, explain, names
from ..models import Match


def is_admin(user) -> bool:
    return user.is_superuser or user.role == user.Role.ADMIN


def owned_requirement(request: HttpRequest, pk: int) -> Requirement:
    """A requirement of the user's own manufacturer (any, for administrators); 404 otherwise."""
    user = request.user
    # Ministry staff see aggregates elsewhere, never one buyer's shortlist.
    if not (user.is_buyer or is_admin(user)):
        raise Http404
    queryset = Requirement.objects.for_user(user).select_related(
        "manufacturer", "component", "delivery_province"
    )
    return get_object_or_404(queryset, pk=pk)


def viewable_supplier(request: HttpRequest, pk: int) -> Supplier:
    """The company's own members, ministry staff and administrators; 404 for everyone else."""
    user = request.user
    supplier = get_object_or_404(Supplier.objects.select_related("province", "size_class"), pk=pk)
    if user.is_ministry or supplier_selectors.can_edit(user, supplier):
        return supplier
    raise Http404


def own_supplier(request: HttpRequest) -> Supplier | None:
    user = request.user
    if not user.is_umkm:
        raise PermissionDenied(_("These pages are for UMKM members."))
    return supplier_selectors.user_supplier(user)


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@dataclass
class MatchRow:
    match: Match
    decision: str  # "", "shortlisted" or "dismissed"
    lines: list[str] = field(default_factory=list)

    @property
    def supplier(self) -> Supplier:
        return self.match.supplier


def cert_names() -> Names:
    # Once per request: explain() would otherwise look the names up for every match.
    return names()


def match_row(match: Match, decision: str | None, names: Names) -> MatchRow:
    """One match with the buyer's decision and its explanation (``names``: cert_names())."""
    return MatchRow(match=match, decision=decision or "", lines=explain(match, names))
