"""Every CSV and XLSX cell Rantai writes is shown as text, never run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from accounts.spreadsheets import SafeCsvWriter, append_xlsx_row, csv_cell

HOSTILE = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    "value,expected",
    [
        (HOSTILE, "'" + HOSTILE),
        ("+62 812", "'+62 812"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("PT Garuda = Motor", "PT Garuda = Motor"),
        ("", ""),
        (date(2026, 1, 2), "2026-01-02"),
    ],
)
def test_text_that_could_run_gets_a_leading_quote(value, expected):
    assert csv_cell(value) == expected


@pytest.mark.parametrize("number", [-5, 0, 2.5, -2.5, Decimal("-92.80"), None])
def test_numbers_stay_numbers(number):
    assert csv_cell(number) is number


def test_the_csv_writer_neutralises_and_quotes_a_bare_carriage_return():
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\n")
    writer.writerows([[HOSTILE, -3, Decimal("92.80")], ["a\r=1+1", 1], ["plain", None]])

    text = buffer.getvalue()
    assert '"a\r=1+1"' in text  # one cell, not a second row starting with "=1+1"
    assert list(csv.reader(io.StringIO(text))) == [
        ["'" + HOSTILE, "-3", "92.80"],
        ["a\r=1+1", "1"],
        ["plain", ""],
    ]


def test_xlsx_text_is_a_string_cell_verbatim_and_numbers_are_numbers():
    book = Workbook()
    append_xlsx_row(book.active, [HOSTILE, "+1", "-1", "@A1", "plain", -5, 2.5, None])
    out = io.BytesIO()
    book.save(out)

    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.value for c in cells[:7]] == [HOSTILE, "+1", "-1", "@A1", "plain", -5, 2.5]
    assert [c.data_type for c in cells[:7]] == ["s"] * 5 + ["n"] * 2
    assert [c.quotePrefix for c in cells[:5]] == [True, True, True, True, False]
