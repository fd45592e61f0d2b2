"""The straightforward scorer: one (requirement, supplier) pair at a time, in plain Python over
ORM objects.

It is the baseline the benchmark compares against and the oracle the property tests hold the
vectorised engine to, so it shares nothing with the engine but the published constants and the
text featurisation, and follows the rules as written in ``engine.core``'s docstring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from manufacturers.models import Requirement
from suppliers.models import CertificationType, ComponentCategory, Supplier
from suppliers.models.supplier import TKDN_CODE

from .engine import text as textmod
from .engine.core import (
    LATE_DAYS_TO_ZERO,
    UNKNOWN_CAPACITY,
    UNKNOWN_LEAD_TIME,
    VERIFICATION_SCORE,
    WEIGHTS,
    distance_score,
)
from .engine.vocabulary import haversine_km

CLOSENESS = {3: 1.0, 2: 0.6, 1: 0.3, 0: 0.0}


@dataclass
class Result:
    score: float
    excluded: bool
    components: dict[str, float]
    level: int


class ReferenceScorer:
    def __init__(self, today: date) -> None:
        self.today = today
        self.implies = dict(
            CertificationType.objects.filter(implies__isnull=False).values_list(
                "code", "implies_id"
            )
        )
        self.parent = dict(ComponentCategory.objects.values_list("code", "parent_id"))

    def _chain(self, code: str) -> list[str]:
        chain = [code]
        while self.parent.get(chain[-1]):
            chain.append(self.parent[chain[-1]])
        return chain

    def _closeness(self, requirement_code: str, supplier_codes: set[str]) -> int:
        chain = list(reversed(self._chain(requirement_code)))  # system, subsystem, part family
        best = 0
        for code in supplier_codes:
            ancestors = set(self._chain(code))
            if requirement_code in ancestors:
                level = 3
            elif len(chain) == 3 and chain[1] in ancestors:
                level = 2
            elif len(chain) >= 2 and chain[0] in ancestors:
                level = 1
            else:
                level = 0
            best = max(best, level)
        return best

    def _valid_certs(self, supplier: Supplier) -> set[str]:
        held = set()
        for cert in supplier.certifications.all():
            if cert.valid_until is None or cert.valid_until >= self.today:
                code = cert.cert_type_id
                while code and code not in held:
                    held.add(code)
                    code = self.implies.get(code)
        return held

    def _local_content(self, supplier: Supplier) -> float | None:
        """The best percentage among the supplier's TKDN certificates valid today."""
        found = [
            float(cert.local_content_pct)
            for cert in supplier.certifications.all()
            if cert.cert_type_id == TKDN_CODE
            and cert.local_content_pct is not None
            and (cert.valid_until is None or cert.valid_until >= self.today)
        ]
        return max(found) if found else None

    def score(self, requirement: Requirement, supplier: Supplier) -> Result:
        req_proc = {p.code for p in requirement.processes.all()}
        req_mat = {m.code for m in requirement.materials.all()}
        required = {c.code for c in requirement.required_certifications.all()}
        preferred = {c.code for c in requirement.preferred_certifications.all()}
        sup_proc = {p.code for p in supplier.processes.all()}
        sup_mat = {m.code for m in supplier.materials.all()}
        sup_comp = {c.code for c in supplier.components.all()}
        valid = self._valid_certs(supplier)

        level = self._closeness(requirement.component_id, sup_comp)
        proc_hits = len(req_proc & sup_proc)

        def share(wanted: set, have: set) -> float:
            return len(wanted & have) / len(wanted) if wanted else 1.0

        need = requirement.annual_volume / 12.0
        if supplier.capacity_per_month is None:
            capacity = UNKNOWN_CAPACITY
        else:
            capacity = min(1.0, supplier.capacity_per_month / need) if need > 0 else 1.0
        if supplier.lead_time_days is None:
            lead = UNKNOWN_LEAD_TIME
        else:
            slack = (requirement.needed_by - self.today).days - supplier.lead_time_days
            lead = max(0.0, min(1.0, 1.0 + min(slack, 0) / LATE_DAYS_TO_ZERO))
        a, b = requirement.delivery_province, supplier.province
        if a is None or b is None:
            distance = 0.0
        else:
            distance = distance_score(
                a.code == b.code,
                a.island_group == b.island_group,
                haversine_km(a.lat, a.lon, b.lat, b.lon),
            )
        minimum = requirement.min_local_content_pct
        local = self._local_content(supplier)
        local_score = 1.0
        if minimum:
            local_score = 0.0 if local is None else min(1.0, local / minimum)
        local_short = (
            requirement.local_content_required
            and minimum is not None
            and (local is None or local < minimum)
        )
        text = textmod.similarity(
            textmod.doc_vector(f"{requirement.title}. {requirement.description}"),
            textmod.doc_vector(supplier.description),
        )
        components = {
            "process": share(req_proc, sup_proc),
            "component": CLOSENESS[level],
            "material": share(req_mat, sup_mat),
            "certification": share(preferred, valid),
            "capacity": capacity,
            "lead_time": lead,
            "distance": distance,
            "text": text,
            "verified": VERIFICATION_SCORE.get(supplier.verification_status, 0.5),
            "local_content": local_score,
        }
        score = sum(WEIGHTS[name] * value for name, value in components.items())
        excluded = (
            not required <= valid
            or (proc_hits == 0 and level < 2)
            or supplier.verification_status == "rejected"
            or local_short
        )
        return Result(score=score, excluded=excluded, components=components, level=level)

    def rank(self, requirement: Requirement, suppliers, k: int) -> list[tuple[int, float]]:
        """The top k (supplier id, score) of one requirement, best first, ties by smaller id."""
        scored = []
        for supplier in suppliers:
            result = self.score(requirement, supplier)
            if not result.excluded:
                scored.append((-round(result.score * 100), supplier.id, result.score))
        scored.sort()
        return [(sid, score) for _key, sid, score in scored[:k]]


def supplier_queryset():
    return Supplier.objects.select_related("province").prefetch_related(
        "processes", "materials", "components", "certifications"
    )


def requirement_queryset():
    return Requirement.objects.select_related("delivery_province").prefetch_related(
        "processes", "materials", "required_certifications", "preferred_certifications"
    )
