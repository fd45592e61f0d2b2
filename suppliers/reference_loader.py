"""Loads the reference CSVs into the database; used by the data migration and by tests.

Works with historical models (``apps.get_model``) so the migration stays valid as models change.
Upserts by code, so running it again changes nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference_data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(apps) -> None:
    model = apps.get_model
    for row in _rows("provinces.csv"):
        model("suppliers", "Province").objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "island_group": row["island_group"],
                "capital": row["capital"],
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
            },
        )
    for row in _rows("regencies.csv"):
        model("suppliers", "Regency").objects.update_or_create(
            code=row["code"], defaults={"province_id": row["province_code"], "name": row["name"]}
        )
    for row in _rows("kbli.csv"):
        model("suppliers", "Kbli").objects.update_or_create(
            code=row["code"], defaults={"title_id": row["title_id"], "title_en": row["title_en"]}
        )
    for rank, row in enumerate(_rows("size_classes.csv")):
        model("suppliers", "SizeClass").objects.update_or_create(
            code=row["code"],
            defaults={
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "rank": rank,
                "capital_max_idr": int(row["capital_max_idr"]) if row["capital_max_idr"] else None,
                "annual_sales_max_idr": int(row["annual_sales_max_idr"])
                if row["annual_sales_max_idr"]
                else None,
            },
        )
    # Parents precede children in the file; the level is the number of dotted parts.
    for row in _rows("components.csv"):
        model("suppliers", "ComponentCategory").objects.update_or_create(
            code=row["code"],
            defaults={
                "parent_id": row["parent"] or None,
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "level": row["code"].count(".") + 1,
            },
        )
    for filename, model_name in (("processes.csv", "Process"), ("materials.csv", "Material")):
        for row in _rows(filename):
            model("suppliers", model_name).objects.update_or_create(
                code=row["code"], defaults={"name_id": row["name_id"], "name_en": row["name_en"]}
            )
    certification = model("suppliers", "CertificationType")
    for row in _rows("certifications.csv"):
        certification.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "kind": row["kind"], "note": row["note"]},
        )
    # Stated in the reference data: IATF 16949 implies ISO 9001.
    certification.objects.filter(code="IATF16949").update(implies_id="ISO9001")
    for row in _rows("partnership_patterns.csv"):
        model("suppliers", "PartnershipPattern").objects.update_or_create(
            code=row["code"], defaults={"name_id": row["name_id"], "name_en": row["name_en"]}
        )
