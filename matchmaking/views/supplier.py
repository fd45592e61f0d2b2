"""The UMKM side: the open requirements that match a company, best first, and its readiness
(near misses: one more certification or process away); and the ministry's readiness overview.

Only what every UMKM may see of an open requirement is shown: never prices or attachments.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from manufacturers.models import Requirement
from suppliers.models import Supplier

from .. import selectors
from ..forms import ReadinessOverviewForm
from .common import cert_names, match_row, own_supplier, viewable_supplier


def _supplier_matches(request: HttpRequest, supplier: Supplier | None) -> HttpResponse:
    rows = []
    if supplier is not None:
        names = cert_names()
        rows = [match_row(match, None, names) for match in selectors.matches_for_supplier(supplier)]
    return render(
        request,
        "matchmaking/supplier_matches.html",
        {"supplier": supplier, "rows": rows, "own": _is_member(request, supplier)},
    )


@dataclass
class ReadinessGroup:
    item: selectors.ReadinessItem
    requirements: list[Requirement]

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def count(self) -> int:
        return self.item.count


def _readiness(request: HttpRequest, supplier: Supplier | None) -> HttpResponse:
    groups: list[ReadinessGroup] = []
    if supplier is not None:
        items = selectors.readiness_for_supplier(supplier)
        ids = {pk for item in items for pk in item.requirement_ids}
        # Only what every UMKM may see of a listed requirement: never prices or attachments.
        requirements = Requirement.objects.listed().select_related("manufacturer").in_bulk(ids)
        groups = [
            ReadinessGroup(
                item=item,
                requirements=sorted(
                    (requirements[pk] for pk in item.requirement_ids if pk in requirements),
                    key=lambda r: (r.needed_by, r.pk),
                ),
            )
            for item in items
        ]
    return render(
        request,
        "matchmaking/readiness.html",
        {"supplier": supplier, "items": groups, "own": _is_member(request, supplier)},
    )


def _is_member(request: HttpRequest, supplier: Supplier | None) -> bool:
    return supplier is not None and supplier.members.filter(user=request.user).exists()


@login_required
@require_GET
def my_matches(request: HttpRequest) -> HttpResponse:
    return _supplier_matches(request, own_supplier(request))


@login_required
@require_GET
def my_readiness(request: HttpRequest) -> HttpResponse:
    return _readiness(request, own_supplier(request))


@login_required
@require_GET
def supplier_matches(request: HttpRequest, pk: int) -> HttpResponse:
    return _supplier_matches(request, viewable_supplier(request, pk))


@login_required
@require_GET
def supplier_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    return _readiness(request, viewable_supplier(request, pk))


# --- ministry: where one more certificate or process would open the most requirements -----


@login_required
@require_GET
def readiness_overview(request: HttpRequest) -> HttpResponse:
    """Per certification and process: how many UMKM it would open requirements for, from the
    nightly rescore (to plan training and certification programmes)."""
    if not request.user.is_ministry:
        raise PermissionDenied(_("Only ministry staff can see the readiness overview."))
    form = ReadinessOverviewForm(request.GET or None)
    province = form.cleaned_data.get("province") if form.is_valid() else None
    rows = selectors.readiness_overview(province=province.code if province else None)
    return render(
        request,
        "matchmaking/readiness_overview.html",
        {
            "form": form,
            "province": province,
            "certifications": [row for row in rows if row["kind"] == "certification"],
            "processes": [row for row in rows if row["kind"] == "process"],
            "computed_at": max((row["computed_at"] for row in rows), default=None),
        },
    )
