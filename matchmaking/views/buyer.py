"""The buyer's side: ranked suppliers per requirement with filters, shortlist / dismiss (htmx),
a side-by-side comparison of up to three, and an overview of the buyer's requirements.

Reads go through ``selectors``, decision writes through ``decisions.match_decide``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manufacturers.models import Requirement
from suppliers.models import Supplier, SupplierCertification

from .. import selectors
from ..decisions import match_decide
from ..explain import explain, explain_components
from ..forms import MAX_COMPARE, CompareForm, DecisionForm, MatchFilterForm
from ..models import Match, MatchDecision
from .common import cert_names, is_admin, match_row, owned_requirement, safe_next

LIST_TARGET = "match-results"
OVERVIEW_PAGE_SIZE = 25
MATCH_PAGE_SIZE = 20


def _shortlisted(requirement: Requirement) -> int:
    return MatchDecision.objects.filter(
        requirement=requirement, status=MatchDecision.Status.SHORTLISTED
    ).count()


def _list_context(requirement: Requirement, query) -> dict[str, Any]:
    form = MatchFilterForm(query or None)
    filters = form.filters() if form.is_valid() else {}
    show_dismissed = form.is_valid() and form.cleaned_data.get("show_dismissed", False)
    names = cert_names()
    matches = selectors.matches_for_requirement(
        requirement, filters={**filters, "hide_dismissed": not show_dismissed}
    )
    hidden = (
        0
        if show_dismissed
        else selectors.matches_for_requirement(
            requirement, filters={**filters, "decision": MatchDecision.Status.DISMISSED}
        ).count()
    )
    page = Paginator(matches, MATCH_PAGE_SIZE).get_page(query.get("page") if query else None)
    rows = [match_row(match, match.decision, names) for match in page.object_list]
    # The current filters travel with the compare form, so a refused comparison keeps them.
    filter_items = [
        (name, value)
        for name, values in (query.lists() if query else [])
        if name in form.fields
        for value in values
    ]
    # Ticks survive paging: the page buttons submit the compare form back to the list, and the
    # suppliers ticked on other pages ride along as hidden fields.
    selected = list(dict.fromkeys(query.getlist("supplier") if query else []))
    on_page = {str(row.match.supplier_id) for row in rows}
    shortlisted = _shortlisted(requirement)
    return {
        "requirement": requirement,
        "form": form,
        "rows": rows,
        "page": page,
        "hidden_dismissed": hidden,
        "show_dismissed": show_dismissed,
        "filtered": bool(filters),
        "shortlisted": shortlisted,
        "has_any_match": bool(rows) or hidden > 0 or requirement.matches.exists(),
        "filter_items": filter_items,
        "compare_selected": set(selected),
        "selected_elsewhere": [pk for pk in selected if pk not in on_page],
        "list_url": reverse("matchmaking:requirement_matches", args=[requirement.pk]),
        "max_compare": MAX_COMPARE,
    }


@login_required
@require_GET
def requirement_matches(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = owned_requirement(request, pk)
    context = _list_context(requirement, request.GET)
    if request.htmx and request.htmx.target == LIST_TARGET:
        response = render(request, "matchmaking/_match_results.html", context)
    else:
        response = render(request, "matchmaking/requirement_matches.html", context)
    # One address, two bodies: caches (and the back button) must not mix them up.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, supplier_pk: int) -> HttpResponse:
    """Shortlist, dismiss or undo one supplier for one requirement (htmx swaps the card)."""
    requirement = owned_requirement(request, pk)
    match = get_object_or_404(
        selectors.matches_for_requirement(requirement, filters={}), supplier_id=supplier_pk
    )
    form = DecisionForm(request.POST)
    list_url = reverse("matchmaking:requirement_matches", args=[requirement.pk])
    if not form.is_valid():
        if request.htmx:
            return HttpResponse(_("Unknown decision."), status=400)
        return redirect(safe_next(request, list_url))
    try:
        match_decide(
            requirement=requirement,
            supplier=match.supplier,
            user=request.user,
            status=form.cleaned_data["status"] or None,
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    if request.htmx:
        row = match_row(match, form.cleaned_data["status"], cert_names())
        return render(
            request,
            "matchmaking/_match_card.html",
            {
                "row": row,
                "requirement": requirement,
                "list_url": list_url,
                "next_url": safe_next(request, list_url),
                "just_decided": True,
                "shortlisted": _shortlisted(requirement),
                "max_compare": MAX_COMPARE,
            },
        )
    return redirect(safe_next(request, list_url))


@dataclass
class CompareColumn:
    match: Match
    lines: list[str]
    components: list[dict[str, Any]]
    certifications: list[SupplierCertification]
    monthly_need: int | None
    coverage_pct: int | None

    @property
    def supplier(self) -> Supplier:
        return self.match.supplier

    @property
    def decision(self) -> str:
        return self.match.decision or ""

    @property
    def distance(self) -> dict[str, Any]:
        return (self.match.facts or {}).get("distance") or {}


@login_required
@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = owned_requirement(request, pk)
    matches = selectors.matches_for_requirement(requirement, filters={})
    form = CompareForm(
        request.GET, supplier_ids=list(matches.values_list("supplier_id", flat=True))
    )
    if not form.is_valid():
        # Back to the list with the message next to the compare button and the ticks kept.
        context = _list_context(requirement, request.GET)
        context.update(compare_errors=form.errors.get("supplier", []))
        return render(request, "matchmaking/requirement_matches.html", context, status=400)
    chosen = form.cleaned_data["supplier"]
    certifications = Prefetch(
        "supplier__certifications",
        queryset=SupplierCertification.objects.select_related(
            "cert_type", "cert_type__implies"
        ).order_by("cert_type__code", "-valid_until"),
    )
    selected = {
        match.supplier_id: match
        for match in matches.filter(supplier_id__in=chosen).prefetch_related(certifications)
    }
    monthly_need = -(-requirement.annual_volume // 12) if requirement.annual_volume else None
    names = cert_names()
    columns = []
    for supplier_id in chosen:
        match = selected[supplier_id]
        capacity = match.supplier.capacity_per_month
        columns.append(
            CompareColumn(
                match=match,
                lines=explain(match, names),
                components=[
                    {**row, "percent": round(100 * row["value"])}
                    for row in explain_components(match)
                ],
                certifications=list(match.supplier.certifications.all()),
                monthly_need=monthly_need,
                coverage_pct=round(100 * capacity / monthly_need)
                if capacity and monthly_need
                else None,
            )
        )
    return render(
        request,
        "matchmaking/compare.html",
        {
            "requirement": requirement,
            "columns": columns,
            "component_rows": _component_rows(columns),
            "required_codes": set(
                requirement.required_certifications.values_list("code", flat=True)
            ),
            "back_url": reverse("matchmaking:requirement_matches", args=[requirement.pk]),
        },
    )


def _component_rows(columns: list[CompareColumn]) -> list[dict[str, Any]]:
    """One row per score component, one cell per compared supplier."""
    rows: dict[str, dict[str, Any]] = {}
    for index, column in enumerate(columns):
        for component in column.components:
            row = rows.setdefault(
                component["key"],
                {"label": component["label"], "cells": [None] * len(columns)},
            )
            row["cells"][index] = component
    return list(rows.values())


@login_required
@require_GET
def buyer_overview(request: HttpRequest) -> HttpResponse:
    """The buyer's requirements with how many suppliers match and how many are shortlisted."""
    user = request.user
    if not (user.is_buyer or is_admin(user)):
        raise PermissionDenied(_("These pages are for buyers."))
    requirements = (
        Requirement.objects.for_user(user)
        .select_related("manufacturer", "component")
        .annotate(
            match_count=Count("matches", distinct=True),
            best_score=Max("matches__score"),
            shortlisted=Count(
                "match_decisions",
                filter=Q(match_decisions__status=MatchDecision.Status.SHORTLISTED),
                distinct=True,
            ),
        )
        .order_by("-status", "-updated_at", "-pk")
    )
    page = Paginator(requirements, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matchmaking/buyer_overview.html", {"page": page})
