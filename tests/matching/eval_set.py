"""A labeled evaluation set for the matching engine: 12 realistic requirements, 49 suppliers
(the data: ``tests/data/matching_eval.json``).

Relevance (0-3) was decided from domain sense, not from the engine: 3 = a buyer would shortlist
it (does the part, right processes, certified, enough capacity); 2 = capable with a gap (related
part family, partial processes or capacity, far away); 1 = marginal (adjacent capability, tiny
capacity); 0 (unlisted) = irrelevant or unusable. Traps: keyword overlap without capability
(``keyword_*``), expired or missing must-have certificates (``*_expired``, ``*_noiso``,
``*_nocert``, ``*_iso_only``, ``brake_noiatf``), tiny capacity (``*_tiny``), far away (``*_far``).

Certificate dates are offsets in days from today so the set never goes stale. Used by
``test_eval_set.py`` and by ``bench/matching.py``.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path

DATA = json.loads((Path(__file__).resolve().parents[1] / "data" / "matching_eval.json").read_text())
SUPPLIERS: dict[str, dict] = DATA["suppliers"]
REQUIREMENTS: dict[str, dict] = DATA["requirements"]


def load(today: date | None = None) -> tuple[dict, dict]:
    """Writes the set into the current database; returns ({key: Requirement}, {key: Supplier})."""
    from manufacturers.models import Manufacturer, Requirement
    from suppliers.models import Supplier, SupplierCertification

    today = today or date.today()
    suppliers = {}
    for n, (key, spec) in enumerate(SUPPLIERS.items()):
        supplier = Supplier.objects.create(
            legal_name=f"Eval {key}",
            nib=f"{9800000000000 + n:013d}",
            province_id=spec["province"],
            capacity_per_month=spec["capacity_per_month"],
            lead_time_days=spec["lead_time_days"],
            verification_status=spec["verification"],
            description=spec["description"],
        )
        supplier.processes.set(spec["processes"])
        supplier.components.set(spec["components"])
        supplier.materials.set(spec["materials"])
        for code, days in spec["certifications"].items():
            SupplierCertification.objects.create(
                supplier=supplier,
                cert_type_id=code,
                valid_until=None if days is None else today + timedelta(days=days),
            )
        suppliers[key] = supplier
    buyer, _ = Manufacturer.objects.get_or_create(
        name="Eval OEM", defaults={"kind": "vehicle_oem", "province_id": "32"}
    )
    requirements = {}
    for key, spec in REQUIREMENTS.items():
        requirement = Requirement.objects.create(
            manufacturer=buyer,
            reference=f"EVAL-{key}",
            title=spec["title"],
            component_id=spec["component"],
            annual_volume=spec["annual_volume"],
            needed_by=today + timedelta(days=spec["needed_in_days"]),
            delivery_province_id=spec["delivery_province"],
            description=spec["description"],
            status=Requirement.Status.OPEN,
        )
        requirement.processes.set(spec["processes"])
        requirement.materials.set(spec["materials"])
        requirement.required_certifications.set(spec["required"])
        requirement.preferred_certifications.set(spec["preferred"])
        requirements[key] = requirement
    return requirements, suppliers


def grades(requirement_key: str) -> dict[str, int]:
    return REQUIREMENTS[requirement_key]["relevance"]


def ndcg_at(ranked_keys: list[str], relevance: dict[str, int], k: int = 5) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:k]))

    ideal = dcg(sorted(relevance.values(), reverse=True))
    return dcg([relevance.get(key, 0) for key in ranked_keys]) / ideal if ideal else 0.0


def evaluate(rankings: dict[str, list[str]], excluded: dict[str, set[str]]) -> dict:
    """Mean nDCG@5 over the requirements, and hard-rule violations in each top 10.

    ``rankings``: requirement key -> supplier keys, best first; ``excluded``: requirement key ->
    supplier keys the hard rules exclude (decided independently of the ranking method).
    """
    per = {key: ndcg_at(rankings.get(key, []), grades(key)) for key in REQUIREMENTS}
    violations = sum(
        len(set(rankings.get(key, [])[:10]) & excluded.get(key, set())) for key in REQUIREMENTS
    )
    return {"ndcg5": sum(per.values()) / len(per), "per_requirement": per, "violations": violations}
