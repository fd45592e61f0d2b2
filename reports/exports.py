"""CSV and XLSX files of the dashboard's tables (labels come from editable reference data, so
every cell goes through ``accounts.spreadsheets``: never a formula)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.spreadsheets import SafeCsvWriter, append_xlsx_row


def to_csv(headers: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def to_xlsx(tables, meta: list[tuple[str, str]]) -> bytes:
    """One sheet per table, after a sheet naming the period and filters."""
    book = Workbook()
    about = book.active
    about.title = "Filters"
    for row in meta:
        append_xlsx_row(about, row)
    for slug, title, headers, rows in tables:
        sheet = book.create_sheet(slug[:31])
        append_xlsx_row(sheet, [title])
        sheet["A1"].font = Font(bold=True)
        append_xlsx_row(sheet, headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            append_xlsx_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
