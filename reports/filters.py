"""The dashboard's filters and the filtered querysets every figure starts from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from introductions.models import Introduction, Partnership
from manufacturers.models import Requirement
from matchmaking.models import Match
from suppliers.models import Supplier


@dataclass(frozen=True)
class Filters:
    date_from: date
    date_to: date
    province: str = ""
    island_group: str = ""
    size_class: str = ""
    system: str = ""

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        # Exclusive, so the whole of the last day counts.
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    def period(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, ending today."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _i in range(11):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, today


def supplier_q(f: Filters, prefix: str = "") -> Q:
    q = Q()
    if f.province:
        q &= Q(**{f"{prefix}province_id": f.province})
    if f.island_group:
        q &= Q(**{f"{prefix}province__island_group": f.island_group})
    if f.size_class:
        q &= Q(**{f"{prefix}size_class_id": f.size_class})
    return q


def _system_q(f: Filters, requirement_prefix: str) -> Q:
    if not f.system:
        return Q()
    return Q(**{f"{requirement_prefix}component__code__startswith": f"{f.system}."}) | Q(
        **{f"{requirement_prefix}component_id": f.system}
    )


def suppliers(f: Filters):
    qs = Supplier.objects.filter(supplier_q(f))
    if f.system:
        through = Supplier.components.through.objects.filter(supplier_id=OuterRef("pk"))
        qs = qs.filter(
            Exists(
                through.filter(
                    Q(componentcategory__code__startswith=f"{f.system}.")
                    | Q(componentcategory_id=f.system)
                )
            )
        )
    return qs


def matches(f: Filters):
    return Match.objects.filter(
        supplier_q(f, "supplier__"), _system_q(f, "requirement__"), f.period("computed_at")
    )


def introductions(f: Filters):
    return Introduction.objects.filter(
        supplier_q(f, "supplier__"), _system_q(f, "requirement__"), f.period("requested_at")
    )


def partnerships(f: Filters):
    return Partnership.objects.filter(
        supplier_q(f, "introduction__supplier__"),
        _system_q(f, "introduction__requirement__"),
        f.period("created_at"),
    )


def awards(f: Filters):
    """Partnerships awarded in the period (from a quotation): the ministry's awarded value and
    local content count these, by the day of the award."""
    return Partnership.objects.filter(
        supplier_q(f, "introduction__supplier__"),
        _system_q(f, "introduction__requirement__"),
        f.period("awarded_at"),
    )


def open_requirements(f: Filters) -> int:
    q = Q(status=Requirement.Status.OPEN)
    if f.province:
        q &= Q(delivery_province_id=f.province)
    if f.island_group:
        q &= Q(delivery_province__island_group=f.island_group)
    return Requirement.objects.filter(q, _system_q(f, "")).count()
