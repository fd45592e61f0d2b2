"""The supplier CSV import (``manage.py import_suppliers``): read, check every row, then save.

The file contract (encoding, header, row numbers) is in ``csv_common``; the header here is
``COLUMNS``. Companies are created or updated by NIB with the rules in ``upsert``; a row with
any problem is rejected whole and changes nothing, the other rows are saved. A second run of
the same file reports every row "unchanged" and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from accounts.audit import AuditDoor, acting

from .csv_common import (
    ImportReport,
    Problem,
    RowResult,
    flag_repeated_keys,
    problems_from_errors,
    read_rows,
)
from .rows import COLUMN_OF_FIELD, COLUMNS, FIELD_OF_COLUMN, References, parse_row
from .upsert import supplier_upsert_apply, supplier_upsert_plan


@dataclass(kw_only=True)
class SupplierRowResult(RowResult):
    nib: str = ""
    # Set once the row is saved.
    supplier_id: int | None = None

    def label(self) -> str:
        return _("NIB %(nib)s") % {"nib": self.nib or "-"}


def import_suppliers_file(
    path: Path | str, *, dry_run: bool = False, label: str = ""
) -> ImportReport:
    """Checks every row of the file and saves the good ones (none if ``dry_run``).

    The audit trail names the import by ``label`` (the file's name if empty) and keeps the person
    of the enclosing ``acting`` context (a browser import's uploader)."""
    rows = read_rows(path, COLUMNS)
    refs = References()

    report = ImportReport(dry_run=dry_run)
    items, parsed = [], []
    for row in rows:
        result = SupplierRowResult(row=row.number, nib=row.cells.get("nib", ""))
        report.rows.append(result)
        if row.problem:
            result.problems.append(row.problem)
            continue
        values = {FIELD_OF_COLUMN[column]: text for column, text in row.cells.items()}
        item, errors = parse_row(values, refs)
        result.problems.extend(problems_from_errors(errors, COLUMN_OF_FIELD))
        items.append(item)
        parsed.append(result)

    flag_repeated_keys(
        ((result.nib, result) for result in parsed),
        lambda nib, rows: Problem(
            "nib",
            _("NIB %(nib)s is on more than one row (rows %(rows)s).") % {"nib": nib, "rows": rows},
        ),
    )

    good_plans, good_results = [], []
    for plan, result in zip(supplier_upsert_plan(items=items), parsed, strict=True):
        # A cell that could not be read has its problem already (not also "required").
        unreadable = {problem.column for problem in result.problems}
        result.problems.extend(
            problem
            for problem in problems_from_errors(plan.errors, COLUMN_OF_FIELD)
            if problem.column not in unreadable
        )
        if not result.problems:
            result.outcome = plan.outcome
            good_plans.append(plan)
            good_results.append(result)
    report.reject_rows_with_problems()

    if not dry_run:
        with acting(door=AuditDoor.IMPORT, label=label or f"import_suppliers {Path(path).name}"):
            supplier_upsert_apply(plans=good_plans)
        for plan, result in zip(good_plans, good_results, strict=True):
            result.supplier_id = plan.supplier.pk
    return report
