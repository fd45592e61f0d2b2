"""Small builders for matching scenarios (on top of the shared factories)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from manufacturers.models import Requirement
from suppliers.models import Province, SupplierCertification
from tests.factories import RequirementFactory, SupplierFactory


def make_supplier(
    *,
    processes: Iterable[str] = ("INJ_MOULD",),
    components: Iterable[str] = ("BAT.MOD.HOLDER",),
    materials: Iterable[str] = ("PC",),
    certs: Iterable[tuple] = (),
    province: str | None = "32",
    capacity: int | None = 5000,
    lead_time: int | None = 14,
    verification: str = "verified",
    description: str = "Injection moulding of battery cell holders.",
    **extra,
):
    supplier = SupplierFactory(
        regency=None,
        province=Province.objects.get(code=province) if province else None,
        capacity_per_month=capacity,
        lead_time_days=lead_time,
        verification_status=verification,
        verification_reason="NIB not found" if verification == "rejected" else "",
        description=description,
        **extra,
    )
    supplier.processes.set(list(processes))
    supplier.components.set(list(components))
    supplier.materials.set(list(materials))
    # (code, valid until) or, for TKDN, (code, valid until, local content %).
    for code, until, *pct in certs:
        SupplierCertification.objects.create(
            supplier=supplier,
            cert_type_id=code,
            valid_until=until,
            local_content_pct=pct[0] if pct else None,
        )
    return supplier


def make_requirement(
    *,
    processes: Iterable[str] = ("INJ_MOULD",),
    component: str = "BAT.MOD.HOLDER",
    materials: Iterable[str] = ("PC",),
    required: Iterable[str] = (),
    preferred: Iterable[str] = (),
    province: str = "32",
    annual_volume: int = 12_000,
    needed_in_days: int = 90,
    status: str = Requirement.Status.OPEN,
    description: str = "Flame-retardant cell holder for 21700 cells.",
    **extra,
) -> Requirement:
    requirement = RequirementFactory(
        processes=list(processes),
        component_id=component,
        delivery_province_id=province,
        annual_volume=annual_volume,
        needed_by=date.today() + timedelta(days=needed_in_days),
        status=status,
        description=description,
        **extra,
    )
    requirement.materials.set(list(materials))
    requirement.required_certifications.set(list(required))
    requirement.preferred_certifications.set(list(preferred))
    return requirement


def in_days(days: int) -> date:
    return date.today() + timedelta(days=days)


def engine_result(requirement, supplier, day: date | None = None) -> dict:
    """Scores one pair with the vectorised engine, reading both sides from the database."""
    import numpy as np

    from matchmaking import data
    from matchmaking.engine import Engine

    vocab = data.load_vocabulary()
    engine = Engine(vocab, day or date.today())
    reqs = data.load_requirements(vocab, [requirement.id], open_only=False)
    sups = data.load_suppliers(vocab, [supplier.id])
    block = engine.score_block(reqs, np.arange(1), sups, with_parts=True)
    pair = engine.score_pairs(reqs, np.zeros(1, np.int64), sups, np.zeros(1, np.int64))
    return {
        "score": float(block["score"][0, 0]),
        "excluded": bool(block["excluded"][0, 0]),
        "pair_score": float(pair["score"][0]),
        "pair_excluded": bool(pair["excluded"][0]),
        "components": {k: float(np.asarray(v)[0]) for k, v in pair["components"].items()},
        "level": int(pair["parts"]["level"][0]),
    }


def reference_result(requirement, supplier, day: date | None = None):
    from matchmaking.reference_scorer import (
        ReferenceScorer,
        requirement_queryset,
        supplier_queryset,
    )

    scorer = ReferenceScorer(day or date.today())
    return scorer.score(
        requirement_queryset().get(pk=requirement.pk), supplier_queryset().get(pk=supplier.pk)
    )
