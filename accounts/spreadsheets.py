"""Cells for the CSV and XLSX files Rantai writes, safe to open in a spreadsheet.

A spreadsheet evaluates a CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return followed by one) as a formula, so a requirement reference
such as ``=HYPERLINK("http://evil.example","x")`` typed by a user becomes a live link or a DDE
call on the ministry's machine. Every writer goes through this module:

* CSV: a text cell starting with one of those characters gets a leading single quote (the OWASP
  recommendation), so it is shown as text. Numbers must be passed as numbers (``int``,
  ``float``, ``Decimal``), never as preformatted strings: they are written unchanged, and a
  negative amount stays a number.
* XLSX: text is stored as a string cell, verbatim. openpyxl would otherwise store a ``str``
  beginning with ``=`` as a formula; a string cell is never evaluated. Risky text also gets
  Excel's "quote prefix" so it stays text when someone edits the cell.

The CSV importers store such text verbatim: it is data, neutralised whenever it is written out.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import IO, Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = int | float | Decimal


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    return text.startswith(FORMULA_PREFIXES)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def csv_cell(value: Any) -> Any:
    """One CSV cell: numbers and empty cells as they are, any other value as safe text."""
    if value is None or isinstance(value, _NUMBER):  # bool is an int: written True/False
        return value
    text = _text(value)
    return "'" + text if is_risky(text) else text


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


def _has_line_break(cell: Any) -> bool:
    return isinstance(cell, str) and ("\r" in cell or "\n" in cell)


class SafeCsvWriter:
    """``csv.writer`` whose every cell passes through :func:`csv_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)
        # csv quotes a line break only if it is part of the row terminator: with "\n" a bare
        # "\r" stays unquoted, a spreadsheet starts a new row there, and that row's first cell
        # ("x\r=HYPERLINK(...)") escapes the prefix. Rows holding a break quote their text.
        self._quoting_writer = (
            csv.writer(stream, **{**options, "quoting": csv.QUOTE_NONNUMERIC})
            if options.get("quoting", csv.QUOTE_MINIMAL) == csv.QUOTE_MINIMAL
            else self._writer
        )

    def writerow(self, values: Iterable[Any]) -> Any:
        row = csv_row(values)
        writer = self._quoting_writer if any(map(_has_line_break, row)) else self._writer
        return writer.writerow(row)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)


def xlsx_value(value: Any) -> Any:
    """A value openpyxl stores as a number, or (anything else) as text, dates ISO 8601."""
    if value is None or isinstance(value, _NUMBER):
        return value
    return _text(value)


def append_xlsx_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append one row to ``sheet``, every text cell a string cell, never a formula."""
    cells = []
    for value in values:
        cell = Cell(sheet, value=xlsx_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl made "=..." a formula ("f"); keep it as text
            if is_risky(cell.value):
                cell.quotePrefix = True
        cells.append(cell)
    sheet.append(cells)
