"""What every CSV import shares: reading the file, the header check, problems, the report and
how a management command prints it.

File contract of every import: UTF-8 (a byte-order mark is fine), comma-separated, Windows or
Unix line endings, a header naming each expected column once, in any order and any case. Rows
are numbered as a spreadsheet shows them: the header is row 1. Blank rows (and rows of empty
cells that spreadsheets leave behind) are skipped.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from django.core.management.base import CommandError, OutputWrapper
from django.utils.translation import gettext as _

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REJECTED = "rejected"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, REJECTED)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, not UTF-8, wrong header): nothing imported."""


@dataclass(frozen=True)
class Problem:
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.column}: {self.message}"


def split_list(cell: str) -> list[str]:
    """``"A; B ;;C"`` -> ``["A", "B", "C"]`` (blank items ignored, order kept, no repeats)."""
    return list(dict.fromkeys(item.strip() for item in cell.split(";") if item.strip()))


def parse_date(text: str) -> date | None:
    """A real date written ``YYYY-MM-DD``, else None (``2025-2-3`` and ``2025-02-30`` too)."""
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_records(path: Path) -> list[list[str]]:
    """Every record of the file, header included, as lists of raw cells."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFileError(_("File not found: %(path)s") % {"path": path}) from exc
    except OSError as exc:
        raise ImportFileError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _('The file is not UTF-8 text. In a spreadsheet, save it as "CSV UTF-8".')
        ) from exc
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportFileError(_("The file is not valid CSV: %(error)s") % {"error": exc}) from exc


def header_positions(
    header: list[str], columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, int]:
    """Column name -> its index in the file; ImportFileError unless each column is there once
    (the ``optional`` ones at most once)."""
    names = [cell.strip().casefold() for cell in header]
    missing = [column for column in columns if column not in names and column not in optional]
    unexpected = [name for name in names if name not in columns]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if missing or unexpected or repeated:
        details = []
        if missing:
            details.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unexpected:
            details.append(
                _("unexpected columns: %(names)s") % {"names": ", ".join(unexpected) or '""'}
            )
        if repeated:
            details.append(_("repeated columns: %(names)s") % {"names": ", ".join(repeated)})
        raise ImportFileError(
            _("Row 1 must be the header %(header)s (%(details)s).")
            % {"header": ",".join(columns), "details": "; ".join(details)}
        )
    return {name: index for index, name in enumerate(names)}


@dataclass(frozen=True)
class CsvRow:
    """One data row. ``problem`` is set when its cell count differs from the header's; then
    ``cells`` holds only the columns that could be placed, so the row can still be named."""

    number: int
    cells: dict[str, str]
    problem: Problem | None = None


def read_rows(
    path: Path | str, columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> list[CsvRow]:
    """The file's data rows, each cell stripped and keyed by column; blank rows left out. An
    ``optional`` column the file leaves out is missing from ``cells``."""
    records = read_records(Path(path))
    if not records:
        raise ImportFileError(_("The file is empty: row 1 must be the header."))
    positions = header_positions(records[0], columns, optional)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            column: record[index].strip()
            for column, index in positions.items()
            if index < len(record)
        }
        problem = None
        if len(record) != len(positions):
            problem = Problem(
                "row",
                _("The row has %(found)d cells; the header has %(expected)d.")
                % {"found": len(record), "expected": len(positions)},
            )
        rows.append(CsvRow(number=number, cells=cells, problem=problem))
    return rows


def problems_from_errors(
    errors: Mapping[str, Iterable[str]], column_of_field: Mapping[str, str]
) -> list[Problem]:
    """Model validation messages (field -> messages) as problems named by CSV column."""
    return [
        Problem(column_of_field.get(name, name), message)
        for name, messages in errors.items()
        for message in messages
    ]


def flag_repeated_keys(
    keyed_rows: Iterable[tuple[Hashable, RowResult]],
    problem: Callable[[Hashable, str], Problem],
) -> None:
    """Adds ``problem(key, "2, 5")`` to every row whose key is on more than one row: we cannot
    know which of them is right, so each is rejected. Rows with an empty key are not compared."""
    rows_of_key: dict[Hashable, list[RowResult]] = defaultdict(list)
    for key, result in keyed_rows:
        if key:
            rows_of_key[key].append(result)
    for key, results in rows_of_key.items():
        if len(results) > 1:
            listed = ", ".join(str(result.row) for result in results)
            for result in results:
                result.problems.append(problem(key, listed))


@dataclass(kw_only=True)
class RowResult:
    """What became of one row. Each import adds the cells that name a row (``label``)."""

    row: int
    outcome: str = ""
    problems: list[Problem] = field(default_factory=list)

    def label(self) -> str:
        return ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.rows if result.outcome == outcome)

    @property
    def rejected(self) -> list[RowResult]:
        return [result for result in self.rows if result.outcome == REJECTED]

    def reject_rows_with_problems(self) -> None:
        for result in self.rows:
            if result.problems:
                result.outcome = REJECTED

    def notes(self) -> list[str]:
        """Lines printed between the rows and the totals."""
        return [_("Dry run: nothing was saved.")] if self.dry_run else []

    def write(self, out: TextIO | OutputWrapper, *, verbosity: int, seconds: float) -> None:
        """Every rejected row with its problems (every row from verbosity 2), then the totals."""
        for result in self.rows:
            if result.outcome == REJECTED:
                out.write(
                    _("Row %(row)d (%(label)s): rejected")
                    % {"row": result.row, "label": result.label()}
                )
                for problem in result.problems:
                    out.write(f"  - {problem}")
            elif verbosity >= 2:
                out.write(
                    _("Row %(row)d (%(label)s): %(outcome)s")
                    % {"row": result.row, "label": result.label(), "outcome": result.outcome}
                )
        for line in self.notes():
            out.write(line)
        out.write(
            _(
                "Created: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d, "
                "rejected: %(rejected)d (%(seconds).1f s)."
            )
            % {
                "created": self.count(CREATED),
                "updated": self.count(UPDATED),
                "unchanged": self.count(UNCHANGED),
                "rejected": self.count(REJECTED),
                "seconds": seconds,
            }
        )


def run_import_command(
    load: Callable[[], ImportReport], *, out: OutputWrapper, verbosity: int
) -> ImportReport:
    """The body of an import command: runs ``load``, prints the report, and exits with status 1
    (CommandError) if the file cannot be read or any row was rejected."""
    started = time.monotonic()
    try:
        report = load()
    except ImportFileError as exc:
        raise CommandError(str(exc)) from exc
    report.write(out, verbosity=verbosity, seconds=time.monotonic() - started)
    if report.rejected:
        raise CommandError(
            _("%(count)d rows were rejected and not imported; fix them and run it again.")
            % {"count": len(report.rejected)}
        )
    return report
