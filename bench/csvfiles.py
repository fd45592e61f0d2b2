"""Writes the suppliers and requirements of a database as import files (the columns of
``import_suppliers`` and ``import_requirements``), so that synthetic data can be imported
through the real commands (the import benchmark, the bulk-scoring tests)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path


def _lists(through, owner: str, target: str, ids) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for owner_id, code in (
        through.objects.filter(**{f"{owner}__in": ids})
        .order_by(owner, target)
        .values_list(owner, target)
    ):
        out[owner_id].append(code)
    return out


def write_suppliers_csv(path: Path | str, *, nib_offset: int = 0, ids=None) -> int:
    """The suppliers (all, or ``ids``) as an ``import_suppliers`` file; ``nib_offset`` shifts
    the NIBs (to import them as new companies next to the ones on file)."""
    from suppliers.importing.rows import COLUMNS
    from suppliers.models import Regency, Supplier, SupplierCertification

    suppliers = Supplier.objects.order_by("id")
    if ids is not None:
        suppliers = suppliers.filter(id__in=ids)
    rows = list(
        suppliers.values_list(
            "id",
            "nib",
            "legal_name",
            "province_id",
            "regency_id",
            "capacity_per_month",
            "lead_time_days",
            "description",
        )
    )
    found = [row[0] for row in rows]
    # The import requires a regency inside the province, as the form does; synthetic firms
    # without one get their province's first.
    first_regency: dict[str, str] = {}
    for code, province in Regency.objects.order_by("code").values_list("code", "province_id"):
        first_regency.setdefault(province, code)
    procs = _lists(Supplier.processes.through, "supplier_id", "process_id", found)
    comps = _lists(Supplier.components.through, "supplier_id", "componentcategory_id", found)
    mats = _lists(Supplier.materials.through, "supplier_id", "material_id", found)
    certs: dict[int, dict[str, str]] = defaultdict(dict)
    for sid, code, until, pct in SupplierCertification.objects.filter(
        supplier_id__in=found
    ).values_list("supplier_id", "cert_type_id", "valid_until", "local_content_pct"):
        text = code if pct is None else f"{code}:{pct}"
        certs[sid][code] = f"{text}@{until.isoformat()}" if until else text
    first_regency: dict[str, str] = {}
    for code, province_id in Regency.objects.order_by("-code").values_list("code", "province_id"):
        first_regency[province_id] = code
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for sid, nib, name, province, regency, capacity, lead, description in rows:
            writer.writerow(
                {
                    "nib": f"{int(nib) + nib_offset:013d}",
                    "name": name,
                    "size_class": "kecil",
                    "province": province or "",
                    # Every door asks for the regency, as the form does; the synthetic firms
                    # have none, so they take their province's first.
                    "regency": regency or first_regency.get(province, ""),
                    "employees": 12,
                    "founded_year": 2010,
                    "components": ";".join(comps[sid]),
                    "processes": ";".join(procs[sid]),
                    "materials": ";".join(mats[sid]),
                    "certifications": ";".join(certs[sid].values()),
                    "capacity_per_month": "" if capacity is None else capacity,
                    "lead_time_days": "" if lead is None else lead,
                    "description": description,
                    "contact_name": "",
                    "contact_email": "",
                    "contact_phone": "",
                }
            )
    return len(rows)


def write_requirements_csv(path: Path | str) -> int:
    """Every open requirement as an ``import_requirements`` file."""
    from manufacturers.importing import COLUMNS
    from manufacturers.models import Requirement

    rows = list(
        Requirement.objects.filter(status=Requirement.Status.OPEN)
        .order_by("id")
        .values_list(
            "id",
            "reference",
            "manufacturer__name",
            "title",
            "component_id",
            "annual_volume",
            "needed_by",
            "delivery_province_id",
            "description",
        )
    )
    found = [row[0] for row in rows]
    through = Requirement.processes.through
    procs = _lists(through, "requirement_id", "process_id", found)
    mats = _lists(Requirement.materials.through, "requirement_id", "material_id", found)
    target = "certificationtype_id"
    required = _lists(Requirement.required_certifications.through, "requirement_id", target, found)
    preferred = _lists(
        Requirement.preferred_certifications.through, "requirement_id", target, found
    )
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for rid, ref, maker, title, component, volume, needed, province, desc in rows:
            writer.writerow(
                {
                    "ref": ref,
                    "manufacturer": maker,
                    "title": title,
                    "component": component,
                    "processes": ";".join(procs[rid]),
                    "materials": ";".join(mats[rid]),
                    "required_certifications": ";".join(required[rid]),
                    "preferred_certifications": ";".join(preferred[rid]),
                    "annual_volume": volume,
                    "target_price_min_idr": "",
                    "target_price_max_idr": "",
                    "needed_by": needed.isoformat(),
                    "delivery_province": province,
                    "description": desc,
                }
            )
    return len(rows)
