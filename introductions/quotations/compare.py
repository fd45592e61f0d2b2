"""The buyer's comparison of a requirement's quotations: one row per quotation, side by side.

Prices, totals and files stay out of the rows while the quotations are sealed (before the
buyer's quotation deadline): the buyer then sees who quoted and when, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from manufacturers.models import Requirement
from matchmaking.explain import explain, names
from matchmaking.models import Match

from ..models import Introduction, Quotation, QuotationRevision
from .access import LIVE, is_sealed, quotations_for_requirement
from .rules import price_for, total_for

SORTS = ("total", "lead_time", "tkdn", "score")
_LAST = float("inf")


@dataclass
class Row:
    quotation: Quotation
    revision: QuotationRevision
    revisions: int
    sealed: bool
    tiers: list[tuple[int, int]] = field(default_factory=list)
    unit_price_at_volume: int | None = None
    total: int | None = None
    delivery_date: date | None = None
    slack_days: int | None = None
    tkdn: Decimal | None = None
    tkdn_certified: bool = False
    score: float | None = None
    lines: list[str] = field(default_factory=list)
    expired: bool = False

    @property
    def live(self) -> bool:
        # A declined, expired or withdrawn introduction takes its quotation out of the running.
        return (
            self.quotation.status in LIVE
            and self.quotation.introduction.status in Introduction.OPEN_STATUSES
        )

    @property
    def on_time(self) -> bool:
        return self.slack_days is not None and self.slack_days >= 0

    @property
    def late_days(self) -> int:
        return -(self.slack_days or 0)


def _sort_key(sort: str):
    def key(row: Row):
        if sort == "lead_time":
            value = row.revision.lead_time_days if not row.sealed else _LAST
        elif sort == "tkdn":
            value = -float(row.tkdn) if row.tkdn is not None and not row.sealed else _LAST
        elif sort == "score":
            value = -row.score if row.score is not None else _LAST
        else:
            value = row.total if row.total is not None else _LAST
        return (not row.live, value, row.quotation.pk)

    return key


def comparison(requirement: Requirement, *, sort: str = "total") -> list[Row]:
    """Rows for every quotation of the requirement (withdrawn ones last), sorted by ``sort``:
    lowest total for the annual volume, shortest lead time, highest declared TKDN or best
    match score."""
    today = timezone.localdate()
    sealed = is_sealed(requirement)
    quotations = list(quotations_for_requirement(requirement))
    matches = {
        m.supplier_id: m
        for m in Match.objects.filter(
            requirement=requirement, supplier_id__in=[q.supplier_id for q in quotations]
        )
    }
    lookup = names()
    rows = []
    for quotation in quotations:
        revisions = list(quotation.revisions.all())
        if not revisions:
            continue
        revision = revisions[0]
        row = Row(quotation=quotation, revision=revision, revisions=len(revisions), sealed=sealed)
        match = matches.get(quotation.supplier_id)
        if match is not None:
            row.score = match.score
            row.lines = explain(match, lookup)
        else:
            row.score = quotation.introduction.score
        if not sealed:
            row.tiers = [(t.min_quantity, t.unit_price_idr) for t in revision.tiers.all()]
            row.unit_price_at_volume = price_for(row.tiers, requirement.annual_volume)
            row.total = total_for(row.tiers, requirement.annual_volume)
            row.delivery_date = today + timedelta(days=revision.lead_time_days)
            row.slack_days = (requirement.needed_by - row.delivery_date).days
            row.tkdn = revision.local_content_pct
            row.tkdn_certified = revision.local_content_certificate_id is not None
            row.expired = revision.valid_until < today
        rows.append(row)
    rows.sort(key=_sort_key(sort if sort in SORTS else "total"))
    return rows
