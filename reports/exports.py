"""CSV and XLSX files of the dashboard's tables."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font


def _cell(value: Any) -> Any:
    return value if isinstance(value, int | float) or value is None else str(value)


def to_csv(headers: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue()


def to_xlsx(tables, meta: list[tuple[str, str]]) -> bytes:
    """One sheet per table, after a sheet naming the period and filters."""
    book = Workbook()
    about = book.active
    about.title = "Filters"
    for row in meta:
        about.append(list(row))
    for slug, title, headers, rows in tables:
        sheet = book.create_sheet(slug[:31])
        sheet.append([title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
