from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from suppliers.importing import COLUMNS

DATA = Path(__file__).resolve().parents[1] / "data"

GOOD_ROW = {
    "nib": "9120000000201",
    "name": "CV Mitra Logam",
    "size_class": "kecil",
    "province": "32",
    "regency": "32.16",
    "employees": "20",
    "founded_year": "2014",
    "components": "BODY.BRKT",
    "processes": "STAMP;SHEET_BEND",
    "materials": "STEEL",
    "certifications": "ISO9001@2027-03-31",
    "capacity_per_month": "10000",
    "lead_time_days": "14",
    "description": "Stamping braket.",
    "contact_name": "Agus Salim",
    "contact_email": "agus@mitralogam.example",
    "contact_phone": "+6281200000001",
}


def row(**cells: str) -> dict[str, str]:
    unknown = set(cells) - set(COLUMNS)
    assert not unknown, unknown
    return {**GOOD_ROW, **cells}


def csv_text(rows: list[dict[str, str]], header: list[str] | tuple[str, ...] = COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(column, "") for column in header])
    return buffer.getvalue()


@pytest.fixture
def write_csv(tmp_path):
    counter = iter(range(1000))

    def write(rows, *, header=COLUMNS, bom: bool = False, crlf: bool = False) -> Path:
        text = csv_text(rows, header)
        if crlf:
            text = text.replace("\n", "\r\n")
        path = tmp_path / f"suppliers_{next(counter)}.csv"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return path

    return write


@pytest.fixture
def run_import():
    """Runs the command in English; returns (exit status, everything it printed)."""

    def run(path, *args: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        with translation.override("en"):
            try:
                call_command("import_suppliers", str(path), *args, stdout=out, stderr=err)
            except CommandError as exc:
                return exc.returncode, out.getvalue() + str(exc)
        return 0, out.getvalue() + err.getvalue()

    return run
