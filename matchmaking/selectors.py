"""Reads for the match screens: ranked matches with decisions, a supplier's matches, readiness."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum

from manufacturers.models import Requirement, listed_q
from suppliers.models import CertificationType, Process, Supplier

from . import data
from .engine import Engine, near_misses
from .models import Match, MatchDecision, ReadinessSummary


def _with_decision(qs: QuerySet[Match]) -> QuerySet[Match]:
    decision = MatchDecision.objects.filter(
        requirement_id=OuterRef("requirement_id"), supplier_id=OuterRef("supplier_id")
    ).values("status")[:1]
    return qs.annotate(decision=Subquery(decision))


def matches_for_requirement(
    requirement: Requirement, *, filters: Mapping | None = None
) -> QuerySet[Match]:
    """The requirement's matches, best first, each with ``decision`` (shortlisted / dismissed /
    None) and its supplier (province, size class) joined in: one query.

    ``filters``: ``province`` (code), ``island_group``, ``size_class`` (code), ``verified_only``,
    ``min_score``, ``decision`` ("shortlisted", "dismissed", "undecided"), ``hide_dismissed``.
    Empty values are ignored.
    """
    filters = filters or {}
    qs = (
        Match.objects.filter(requirement=requirement)
        .select_related("supplier", "supplier__province", "supplier__size_class")
        .order_by("rank", "supplier_id")
    )
    if filters.get("province"):
        qs = qs.filter(supplier__province_id=filters["province"])
    if filters.get("island_group"):
        qs = qs.filter(supplier__province__island_group=filters["island_group"])
    if filters.get("size_class"):
        qs = qs.filter(supplier__size_class_id=filters["size_class"])
    if filters.get("verified_only"):
        qs = qs.filter(supplier__verification_status="verified")
    if filters.get("min_score") not in (None, ""):
        qs = qs.filter(score__gte=float(filters["min_score"]))
    qs = _with_decision(qs)
    decision = filters.get("decision")
    if decision in (MatchDecision.Status.SHORTLISTED, MatchDecision.Status.DISMISSED):
        qs = qs.filter(decision=decision)
    elif decision == "undecided":
        qs = qs.filter(decision__isnull=True)
    if filters.get("hide_dismissed"):
        # An undecided match has a NULL decision, which a bare exclude() would drop too.
        qs = qs.filter(Q(decision__isnull=True) | ~Q(decision=MatchDecision.Status.DISMISSED))
    return qs


def matches_for_supplier(supplier: Supplier) -> QuerySet[Match]:
    """Listed requirements (open, of a verified buyer) this supplier matches, best first
    (requirement and buyer joined in)."""
    return (
        Match.objects.filter(listed_q("requirement__"), supplier=supplier)
        .select_related(
            "requirement",
            "requirement__manufacturer",
            "requirement__component",
            "requirement__delivery_province",
        )
        .order_by("-score", "requirement_id")
    )


@dataclass
class ReadinessItem:
    kind: str  # ReadinessSummary.Kind
    code: str
    name: str
    requirement_ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.requirement_ids)


def _names() -> dict[tuple[str, str], str]:
    names = {
        (ReadinessSummary.Kind.CERTIFICATION, code): name
        for code, name in CertificationType.objects.values_list("code", "name")
    }
    names.update(((ReadinessSummary.Kind.PROCESS, p.code), p.name) for p in Process.objects.all())
    return names


def readiness_for_supplier(supplier: Supplier) -> list[ReadinessItem]:
    """Near misses, computed now with the engine: open requirements this supplier would match
    with exactly one more certification or one more process, grouped by that certification or
    process, most requirements first ("ISO 9001 would open 14 requirements")."""
    from .services import today

    vocab = data.load_vocabulary()
    engine = Engine(vocab, today())
    sups = data.load_suppliers(vocab, [supplier.pk])
    reqs = data.requirement_index(vocab)
    if not len(sups) or not len(reqs):
        return []
    rows = np.arange(len(reqs))
    block = engine.score_block(reqs, rows, sups, with_parts=True)
    misses = near_misses(engine, reqs, rows, sups, block)
    grouped: dict[tuple[str, str], list[int]] = {}
    for r, _s, c in misses.cert:
        key = (ReadinessSummary.Kind.CERTIFICATION, vocab.certifications[c])
        grouped.setdefault(key, []).append(int(reqs.ids[r]))
    for r, _s in misses.process:
        for p in np.flatnonzero(reqs.processes[r]):
            grouped.setdefault((ReadinessSummary.Kind.PROCESS, vocab.processes[p]), []).append(
                int(reqs.ids[r])
            )
    # Only listed requirements count: an UMKM is not pointed at a buyer that is not verified.
    listed = set(
        Requirement.objects.listed()
        .filter(pk__in={pk for ids in grouped.values() for pk in ids})
        .values_list("pk", flat=True)
    )
    names = _names()
    items = [
        ReadinessItem(
            kind=kind,
            code=code,
            name=names.get((kind, code), code),
            requirement_ids=[pk for pk in ids if pk in listed],
        )
        for (kind, code), ids in grouped.items()
        if any(pk in listed for pk in ids)
    ]
    items.sort(key=lambda item: (-item.count, item.kind, item.code))
    return items


def readiness_overview(*, province: str | None = None) -> list[dict]:
    """For the ministry: per certification / process, how many suppliers it would open
    requirements for and how many (supplier, requirement) pairs in total, most pairs first; from
    the nightly rescore. ``province`` narrows to suppliers in one province (by code)."""
    qs = ReadinessSummary.objects.all()
    if province:
        qs = qs.filter(province=province)
    names = _names()
    rows = (
        qs.values("kind", "code")
        .annotate(suppliers=Sum("suppliers"), pairs=Sum("pairs"), computed_at=Max("computed_at"))
        .order_by("-pairs", "kind", "code")
    )
    return [{**row, "name": names.get((row["kind"], row["code"]), row["code"])} for row in rows]


def match_counts_by_requirement(requirement_ids) -> dict[int, int]:
    return dict(
        Match.objects.filter(requirement_id__in=list(requirement_ids))
        .values_list("requirement_id")
        .annotate(n=Count("id"))
        .values_list("requirement_id", "n")
    )
