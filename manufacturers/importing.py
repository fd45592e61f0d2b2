"""The requirement CSV import (``manage.py import_requirements``).

Contract: UTF-8 (a byte-order mark is fine), comma-separated, the header ``COLUMNS`` (any order,
each once); rows are numbered as a spreadsheet shows them (the header is row 1). Lists are
``;``-separated reference codes. Requirements are created or updated by (manufacturer name,
ref) and are open after the import; a manufacturer not yet on file is created unverified and
reported. An empty optional cell keeps the stored value on update. A row with any problem is
rejected whole and changes nothing; the other rows are saved. Importing the same file again
reports every row "unchanged" and writes nothing.

Reading the file, the header check and the report are shared with the supplier import
(``suppliers.importing.csv_common``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.audit import AuditDoor, acting
from suppliers.fields import Field, Kind
from suppliers.importing.csv_common import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportReport,
    Problem,
    RowResult,
    flag_repeated_keys,
    parse_date,
    problems_from_errors,
    read_rows,
    split_list,
)
from suppliers.models import ComponentCategory, Province

from . import services
from .fields import MANUFACTURER, REQUIREMENT
from .models import Manufacturer, Requirement

COLUMNS = REQUIREMENT.header
# Field name -> CSV column; "name" is the manufacturer's (when the import creates one).
COLUMN_OF_FIELD = {**REQUIREMENT.column_of_field, "__all__": "row", "name": "manufacturer"}
# The message for a code that names no row of that reference table.
UNKNOWN_CODE = {
    ComponentCategory: _lazy("Unknown component code: %(code)s"),
    Province: _lazy("Unknown province: %(code)s (use the Kemendagri code, e.g. 32)."),
}

_WHOLE_NUMBER = re.compile(r"^\d+$")


@dataclass(kw_only=True)
class RequirementRowResult(RowResult):
    ref: str = ""
    manufacturer: str = ""

    def label(self) -> str:
        return _("ref %(ref)s, %(manufacturer)s") % {
            "ref": self.ref or "-",
            "manufacturer": self.manufacturer or "-",
        }


@dataclass
class RequirementImportReport(ImportReport):
    new_manufacturers: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        return [
            _("New manufacturer created (unverified): %(name)s") % {"name": name}
            for name in self.new_manufacturers
        ]


class References:
    """Every reference table the requirement's fields name, keyed by case-folded code."""

    def __init__(self) -> None:
        models = {
            REQUIREMENT.related_model(spec.name)
            for spec in REQUIREMENT.of_kind(Kind.CODE, Kind.CODES)
        }
        self.codes: dict[type[Model], dict[str, Any]] = {
            model: {o.code.casefold(): o for o in model.objects.all()} for model in models
        }
        self.provinces_by_name = {o.name.casefold(): o for o in self.codes[Province].values()}

    def find(self, model: type[Model], text: str) -> Any:
        """The row ``text`` names (a code; for a province, its name too), or None."""
        found = self.codes[model].get(text.casefold())
        if found is None and model is Province:
            found = self.provinces_by_name.get(text.casefold())
        return found


def _whole_number(text: str, column: str, problems: list[Problem]) -> int | None:
    digits = text.replace(".", "").replace(",", "")
    if not _WHOLE_NUMBER.match(digits):
        problems.append(Problem(column, _("%(value)s is not a whole number.") % {"value": text}))
        return None
    return int(digits)


def _max_length(spec: Field) -> int | None:
    # The buyer is named by the manufacturer's name.
    if spec.kind is Kind.OWNER:
        return MANUFACTURER.model_field("name").max_length
    return REQUIREMENT.model_field(spec.name).max_length


def parse_row(
    cells: dict[str, str], refs: References, today: date
) -> tuple[dict[str, Any], list[Problem]]:
    """The service data of one row (only the cells given) and the problems found, each cell
    parsed by its field's kind (``fields.REQUIREMENT``), left to right."""
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    for spec in REQUIREMENT.in_header_order:
        name, column = spec.name, spec.csv.name
        text = cells[column]
        if not text:
            if spec.required:
                problems.append(Problem(column, _("This column is required.")))
            continue
        if spec.kind in (Kind.TEXT, Kind.OWNER):
            limit = _max_length(spec)
            if limit and len(text) > limit:
                problems.append(
                    Problem(column, _("At most %(limit)d characters.") % {"limit": limit})
                )
            if spec.kind is Kind.TEXT:
                data[name] = text
        elif spec.kind is Kind.CODE:
            model = REQUIREMENT.related_model(name)
            data[name] = refs.find(model, text)
            if data[name] is None:
                problems.append(Problem(column, UNKNOWN_CODE[model] % {"code": text}))
        elif spec.kind is Kind.CODES:
            model = REQUIREMENT.related_model(name)
            values = []
            for code in split_list(text):
                value = refs.find(model, code)
                if value is None:
                    problems.append(Problem(column, _("Unknown code: %(code)s") % {"code": code}))
                else:
                    values.append(value)
            data[name] = values
        elif spec.kind is Kind.NUMBER:
            value = _whole_number(text, column, problems)
            if value is None:
                continue
            if spec.min_value is not None and value < spec.min_value:
                problems.append(
                    Problem(column, _("Must be at least %(limit)s.") % {"limit": spec.min_value})
                )
            data[name] = value
        elif spec.kind is Kind.DATE:
            data[name] = parse_date(text)
            if data[name] is None:
                problems.append(
                    Problem(column, _("The date must be a real date written YYYY-MM-DD."))
                )
        else:  # pragma: no cover - a kind added to REQUIREMENT needs its parser here
            raise ValueError(f"No parser for {name} ({spec.kind})")
    problems.extend(_row_rules(data, today))
    return data, problems


def _row_rules(data: dict[str, Any], today: date) -> list[Problem]:
    """What a row must satisfy beyond each cell: the form's rules across fields, and a date
    ahead (the import publishes what it creates)."""
    problems = []
    required = {c.pk for c in data.get("required_certifications", [])}
    preferred = {c.pk for c in data.get("preferred_certifications", [])}
    if required & preferred:
        problems.append(
            Problem(
                "preferred_certifications",
                _("%(codes)s cannot be both required and preferred.")
                % {"codes": ", ".join(sorted(required & preferred))},
            )
        )
    low, high = data.get("target_price_min_idr"), data.get("target_price_max_idr")
    if low is not None and high is not None and low > high:
        problems.append(
            Problem(
                "target_price_max_idr",
                _("The upper price must be at least the lower price."),
            )
        )
    needed_by = data.get("needed_by")
    if needed_by is not None and needed_by < today:
        problems.append(
            Problem(
                "needed_by",
                _("The date has passed; an open requirement needs a date from today on."),
            )
        )
    return problems


def _differs(requirement: Requirement, data: dict[str, Any]) -> bool:
    for name, value in data.items():
        if name in services.REQUIREMENT_M2M_FIELDS:
            stored = set(getattr(requirement, name).values_list("pk", flat=True))
            if stored != {item.pk for item in value}:
                return True
        elif getattr(requirement, name) != value:
            return True
    return False


def _save_row(data: dict[str, Any], manufacturer_name: str, report: RequirementImportReport) -> str:
    """Writes one valid row; raises ValidationError (and writes nothing) if the models object."""
    with transaction.atomic():
        manufacturer = Manufacturer.objects.filter(name__iexact=manufacturer_name).first()
        created_manufacturer = manufacturer is None
        if manufacturer is None:
            manufacturer = services.manufacturer_create(
                owner=None, data={"name": manufacturer_name}
            )
        requirement = Requirement.objects.filter(
            manufacturer=manufacturer, reference=data["reference"]
        ).first()
        if requirement is None:
            requirement = services.requirement_create(
                manufacturer=manufacturer, created_by=None, data=data
            )
            services.requirement_publish(
                requirement=requirement, by=None, enforce_verification=False
            )
            outcome = CREATED
        elif not _differs(requirement, data) and not requirement.is_draft:
            outcome = UNCHANGED
        elif requirement.is_closed:
            raise ValidationError(
                _("This requirement is closed; a closed requirement is not reopened by an import.")
            )
        else:
            requirement = services.requirement_update(
                requirement=requirement, changed_by=None, data=data
            )
            if requirement.is_draft:
                services.requirement_publish(
                    requirement=requirement, by=None, enforce_verification=False
                )
            outcome = UPDATED
    if created_manufacturer:
        report.new_manufacturers.append(manufacturer.name)
    return outcome


def import_requirements_file(path: Path | str) -> RequirementImportReport:
    """Checks every row of the file and saves the good ones."""
    rows = read_rows(path, COLUMNS)
    refs = References()
    today = timezone.localdate()

    report = RequirementImportReport()
    parsed: list[tuple[RequirementRowResult, dict[str, Any]]] = []
    for row in rows:
        result = RequirementRowResult(
            row=row.number,
            ref=row.cells.get("ref", ""),
            manufacturer=row.cells.get("manufacturer", ""),
        )
        report.rows.append(result)
        if row.problem:
            result.problems.append(row.problem)
            continue
        data, problems = parse_row(row.cells, refs, today)
        result.problems.extend(problems)
        parsed.append((result, data))

    flag_repeated_keys(
        (((result.manufacturer.casefold(), result.ref), result) for result, _data in parsed),
        lambda key, rows: Problem(
            "ref",
            _("%(ref)s is on more than one row (rows %(rows)s).") % {"ref": key[1], "rows": rows},
        ),
    )

    with acting(door=AuditDoor.IMPORT, label=f"import_requirements {Path(path).name}"):
        for result, data in parsed:
            if result.problems:
                continue
            try:
                result.outcome = _save_row(data, result.manufacturer, report)
            except ValidationError as exc:
                errors = (
                    exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                )
                result.problems.extend(problems_from_errors(errors, COLUMN_OF_FIELD))
    report.reject_rows_with_problems()
    return report
