"""CSV and XLSX files of the dashboard's tables (labels come from editable reference data, so
every cell goes through ``accounts.spreadsheets``: never a formula)."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.spreadsheets import SafeCsvWriter, append_xlsx_row

# Excel refuses these in a sheet name, and more than 31 characters.
SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name in the reader's language from a table's title, unique in the workbook."""
    base = " ".join(SHEET_NAME_FORBIDDEN.sub(" ", title).split())[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def to_csv(headers: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def to_xlsx(tables, meta: list[tuple[str, str]]) -> bytes:
    """One sheet per table, after a sheet naming the period and filters (in words), every sheet
    named in the reader's language."""
    book = Workbook()
    taken: set[str] = set()
    about = book.active
    about.title = sheet_name(_("Filters"), taken)
    for row in meta:
        append_xlsx_row(about, row)
    for _slug, title, headers, rows in tables:
        sheet = book.create_sheet(sheet_name(title, taken))
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
