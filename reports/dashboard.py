"""The ministry dashboard's figures, computed directly by grouped aggregate queries.

Every table is a fixed number of grouped queries (never one per row), so its cost does not grow
with the number of provinces, months or component systems shown; but together they take seconds
at 100,000 UMKM and a million matches. Pages therefore read the same figures from the facts the
worker pre-aggregates (``reports.aggregated``, via ``cached_dashboard``); this direct computation
is the reference the tests and the benchmark compare them with.
"""

from __future__ import annotations

import hashlib
import statistics
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    Min,
    Q,
    Sum,
)
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from introductions.models import Introduction, Partnership, SupplierSizeRecord
from suppliers.models import (
    PartnershipPattern,
    VerificationStatus,
)

from . import aggregated, services
from .breakdowns import (
    AWARD_COLUMNS,
    AWARD_DIMENSIONS,
    BREAKDOWN_COLUMNS,
    DIMENSIONS,
    Dimension,
    award_breakdown,
    award_sums,
    breakdown,
    weighted_local_content,
)
from .filters import (
    Filters,
    awards,
    default_period,
    introductions,
    matches,
    open_requirements,
    partnerships,
    suppliers,
)
from .models import DashboardRefresh

__all__ = [
    "BREAKDOWN_COLUMNS",
    "DIMENSIONS",
    "Dimension",
    "Filters",
    "breakdown",
    "dashboard",
    "default_period",
    "key_figures",
    "latest_refresh",
    "tables",
]

CACHE_SECONDS = 600
EMBEDDED_MAX_AGE = timedelta(minutes=1)

CONTRACT_STAGES = (Partnership.Stage.CONTRACT, Partnership.Stage.ACTIVE)


# --- key figures ------------------------------------------------------------------------------


def median_days_to_first_introduction(f: Filters) -> float | None:
    """Median days from registration to the first introduction, for first ones in the period."""
    rows = (
        suppliers(f)
        .annotate(first=Min("introductions__requested_at"))
        .filter(first__gte=f.start, first__lt=f.end)
        .values_list("created_at", "first")
    )
    days = [(first - created).total_seconds() / 86400 for created, first in rows]
    return round(statistics.median(days), 1) if days else None


def moved_up_after_partnership(f: Filters) -> int:
    """UMKM whose first partnership in the period was followed by a higher size class.

    Two queries and a pass in Python: correlated subqueries per supplier were the slowest part
    of the dashboard at 100,000 UMKM.
    """
    started = dict(
        partnerships(f)
        .values_list("introduction__supplier_id")
        .annotate(started=Min("created_at"))
        .order_by()
    )
    records = (
        SupplierSizeRecord.objects.filter(
            supplier_id__in=partnerships(f).values("introduction__supplier_id")
        )
        .order_by("supplier_id", "valid_from")
        .values_list("supplier_id", "valid_from", "size_class__rank")
    )
    before: dict[int, int] = {}
    after: dict[int, int] = {}
    for supplier_id, valid_from, rank in records:
        day = timezone.localdate(started[supplier_id])
        if valid_from <= day:
            before[supplier_id] = rank  # ordered by date: the last one wins
        else:
            after[supplier_id] = max(rank, after.get(supplier_id, rank))
    return sum(1 for s, rank in after.items() if s in before and rank > before[s])


def key_figures(f: Filters) -> dict[str, Any]:
    umkm = suppliers(f).aggregate(
        registered=Count("pk", filter=f.period("created_at")),
        verified=Count(
            "pk",
            filter=f.period("verified_at") & Q(verification_status=VerificationStatus.VERIFIED),
        ),
    )
    intro = introductions(f).aggregate(
        requested=Count("pk"),
        accepted=Count("pk", filter=Q(status=Introduction.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=Introduction.Status.DECLINED)),
        expired=Count("pk", filter=Q(status=Introduction.Status.EXPIRED)),
    )
    part = partnerships(f).aggregate(
        total=Count("pk"), contract_value=Sum("contract_value_idr", default=0)
    )
    awarded = awards(f).aggregate(**award_sums())
    return {
        "registered": umkm["registered"],
        "verified": umkm["verified"],
        "open_requirements": open_requirements(f),
        "matches": matches(f).count(),
        "intro_requested": intro["requested"],
        "intro_accepted": intro["accepted"],
        "intro_declined": intro["declined"],
        "intro_expired": intro["expired"],
        "partnerships": part["total"],
        "contract_value_idr": part["contract_value"],
        "awarded_value_idr": awarded["awarded_value_idr"],
        "awarded_tkdn_pct": weighted_local_content(awarded["lc_weighted"], awarded["lc_valued"]),
        "median_days_to_intro": median_days_to_first_introduction(f),
        "moved_up": moved_up_after_partnership(f),
    }


KEY_FIGURE_LABELS = {
    "registered": _("UMKM registered"),
    "verified": _("UMKM verified"),
    "open_requirements": _("Open requirements"),
    "matches": _("Matches"),
    "intro_requested": _("Introductions requested"),
    "intro_accepted": _("Introductions accepted"),
    "intro_declined": _("Introductions declined"),
    "intro_expired": _("Introductions expired"),
    "partnerships": _("Partnerships"),
    "contract_value_idr": _("Contract value (IDR)"),
    "awarded_value_idr": _("Awarded contract value (IDR)"),
    "awarded_tkdn_pct": _("Value-weighted local content of awards (TKDN %)"),
    "median_days_to_intro": _("Median days from registration to first introduction"),
    "moved_up": _("UMKM that moved up a size class after a partnership"),
}


AWARD_TITLES = {
    "province": _("Awarded contracts by province"),
    "system": _("Awarded contracts by component system"),
    "month": _("Awarded contracts by month"),
}


def funnel(f: Filters, matched: int | None = None) -> list[tuple[str, int]]:
    """One cohort: introductions requested in the period and what became of them."""
    # A match row is one requirement-supplier pair (unique constraint), so rows are pairs; the
    # key figures already counted them.
    pairs = matches(f).count() if matched is None else matched
    intro = introductions(f).aggregate(
        introduced=Count("pk"),
        # An introduction with a partnership was accepted first, whatever its status now.
        accepted=Count(
            "pk",
            filter=Q(status=Introduction.Status.ACCEPTED) | Q(partnership__isnull=False),
        ),
        partnered=Count("partnership"),
        contracted=Count("partnership", filter=Q(partnership__stage__in=CONTRACT_STAGES)),
    )
    return [
        (str(_("Matched")), pairs),
        (str(_("Introduced")), intro["introduced"]),
        (str(_("Accepted")), intro["accepted"]),
        (str(_("Partnership")), intro["partnered"]),
        (str(_("Contract")), intro["contracted"]),
    ]


def partnerships_by_stage(f: Filters) -> list[tuple[str, int]]:
    counts = dict(partnerships(f).values_list("stage").annotate(n=Count("pk")).order_by())
    return [(str(label), counts.get(value, 0)) for value, label in Partnership.Stage.choices]


def partnerships_by_pattern(f: Filters) -> list[tuple[str, int]]:
    counts = dict(partnerships(f).values_list("pattern_id").annotate(n=Count("pk")).order_by())
    rows = [(p.name, counts.get(p.code, 0)) for p in PartnershipPattern.objects.order_by("code")]
    if counts.get(None):
        rows.append((str(_("Not given")), counts[None]))
    return rows


def dashboard(f: Filters) -> dict[str, Any]:
    figures = key_figures(f)
    return {
        "figures": figures,
        "funnel": funnel(f, matched=figures["matches"]),
        "by_stage": partnerships_by_stage(f),
        "by_pattern": partnerships_by_pattern(f),
        "breakdowns": [(d.slug, breakdown(f, d)) for d in DIMENSIONS.values()],
        "awards": [(slug, award_breakdown(f, DIMENSIONS[slug])) for slug in AWARD_DIMENSIONS],
        "computed_at": timezone.now(),
    }


def latest_refresh() -> DashboardRefresh | None:
    return DashboardRefresh.objects.order_by("-refreshed_at").first()


def cache_key(f: Filters, refresh: DashboardRefresh) -> str:
    language = translation.get_language() or ""
    parts = (f.date_from.isoformat(), f.date_to.isoformat(), f.province, f.island_group)
    # Hashed: filter values may hold spaces, which some cache backends refuse in keys.
    digest = hashlib.sha256("|".join((*parts, f.size_class, f.system)).encode()).hexdigest()
    # The refresh is part of the key: a new refresh of the facts retires every cached page.
    return f"reports:dashboard:v3:{refresh.refreshed_at.timestamp()}:{language}:{digest[:32]}"


def cached_dashboard(f: Filters) -> dict[str, Any]:
    """The dashboard from the pre-aggregated facts, for any filters in well under a second at
    100,000 UMKM and a million matches (see bench/README.md), reused per refresh, filter set and
    language.

    The worker rebuilds the facts every few minutes (``reports.tasks.refresh_dashboard``); the
    page says as of when. If they were never built (a new installation), this builds them once;
    without a worker (the embedded default) it rebuilds them when they are a minute old.
    """
    refresh = latest_refresh()
    if refresh is None or (
        # The embedded default (`make run`: tasks in-process, no beat) would never refresh.
        settings.CELERY_TASK_ALWAYS_EAGER
        and timezone.now() - refresh.refreshed_at > EMBEDDED_MAX_AGE
    ):
        refresh = services.dashboard_facts_refresh()
    key = cache_key(f, refresh)
    data = cache.get(key)
    if data is None:
        data = aggregated.dashboard(f, refresh)
        cache.set(key, data, CACHE_SECONDS)
    return data


def tables(data: dict[str, Any]) -> list[tuple[str, str, list[str], list[list[Any]]]]:
    """Every table shown, as (slug, title, headers, rows), for the exports."""
    figures = data["figures"]
    result = [
        (
            "figures",
            str(_("Key figures")),
            [str(_("Figure")), str(_("Value"))],
            [[str(label), figures[key]] for key, label in KEY_FIGURE_LABELS.items()],
        ),
        ("funnel", str(_("Funnel")), [str(_("Step")), str(_("Count"))], data["funnel"]),
        (
            "stage",
            str(_("Partnerships by stage")),
            [str(_("Stage")), str(_("Partnerships"))],
            data["by_stage"],
        ),
        (
            "pattern",
            str(_("Partnerships by pattern")),
            [str(_("Pattern")), str(_("Partnerships"))],
            data["by_pattern"],
        ),
    ]
    for slug, rows in data["breakdowns"]:
        dimension = DIMENSIONS[slug]
        headers = [str(dimension.title)] + [str(v) for v in BREAKDOWN_COLUMNS.values()]
        body = [[row["label"]] + [row[c] for c in BREAKDOWN_COLUMNS] for row in rows]
        result.append((dimension.slug, str(dimension.title), headers, body))
    for slug, rows in data.get("awards", []):
        title = str(AWARD_TITLES[slug])
        headers = [str(DIMENSIONS[slug].title)] + [str(v) for v in AWARD_COLUMNS.values()]
        body = [[row["label"]] + [row[c] for c in AWARD_COLUMNS] for row in rows]
        result.append((f"awards_{slug}", title, headers, body))
    return [(slug, title, head, [list(r) for r in body]) for slug, title, head, body in result]
