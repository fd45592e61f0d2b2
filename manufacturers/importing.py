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
from django.utils import timezone
from django.utils.translation import gettext as _

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
from suppliers.models import CertificationType, ComponentCategory, Material, Process, Province

from . import services
from .models import Manufacturer, Requirement

COLUMNS = (
    "ref",
    "manufacturer",
    "title",
    "component",
    "processes",
    "materials",
    "required_certifications",
    "preferred_certifications",
    "annual_volume",
    "target_price_min_idr",
    "target_price_max_idr",
    "needed_by",
    "delivery_province",
    "description",
)
LIST_COLUMNS = ("processes", "materials", "required_certifications", "preferred_certifications")
COLUMN_OF_FIELD = {"reference": "ref", "__all__": "row", "name": "manufacturer"}

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
    def __init__(self) -> None:
        self.components = {o.code.casefold(): o for o in ComponentCategory.objects.all()}
        self.provinces = {o.code: o for o in Province.objects.all()}
        self.provinces_by_name = {o.name.casefold(): o for o in Province.objects.all()}
        certifications = {o.code.casefold(): o for o in CertificationType.objects.all()}
        self.lists: dict[str, dict[str, Any]] = {
            "processes": {o.code.casefold(): o for o in Process.objects.all()},
            "materials": {o.code.casefold(): o for o in Material.objects.all()},
            "required_certifications": certifications,
            "preferred_certifications": certifications,
        }


def _whole_number(cells, column, problems, *, required: bool) -> int | None:
    text = cells[column].replace(".", "").replace(",", "") if cells[column] else ""
    if not text:
        if required:
            problems.append(Problem(column, _("This column is required.")))
        return None
    if not _WHOLE_NUMBER.match(text):
        problems.append(
            Problem(column, _("%(value)s is not a whole number.") % {"value": cells[column]})
        )
        return None
    return int(text)


def parse_row(
    cells: dict[str, str], refs: References, today: date
) -> tuple[dict[str, Any], list[Problem]]:
    """The service data of one row (only the cells given) and the problems found."""
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    for column, limit in (("ref", 50), ("manufacturer", 200), ("title", 200)):
        if not cells[column]:
            problems.append(Problem(column, _("This column is required.")))
        elif len(cells[column]) > limit:
            problems.append(Problem(column, _("At most %(limit)d characters.") % {"limit": limit}))
    data["reference"] = cells["ref"]
    data["title"] = cells["title"]

    if not cells["component"]:
        problems.append(Problem("component", _("This column is required.")))
    else:
        component = refs.components.get(cells["component"].casefold())
        if component is None:
            problems.append(
                Problem(
                    "component",
                    _("Unknown component code: %(code)s") % {"code": cells["component"]},
                )
            )
        data["component"] = component

    for column in LIST_COLUMNS:
        if not cells[column]:
            continue
        values = []
        for code in split_list(cells[column]):
            value = refs.lists[column].get(code.casefold())
            if value is None:
                problems.append(Problem(column, _("Unknown code: %(code)s") % {"code": code}))
            else:
                values.append(value)
        data[column] = values
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

    volume = _whole_number(cells, "annual_volume", problems, required=True)
    if volume is not None:
        if volume < 1:
            problems.append(Problem("annual_volume", _("Must be at least 1.")))
        data["annual_volume"] = volume
    for column in ("target_price_min_idr", "target_price_max_idr"):
        value = _whole_number(cells, column, problems, required=False)
        if value is not None:
            data[column] = value
    low, high = data.get("target_price_min_idr"), data.get("target_price_max_idr")
    if low is not None and high is not None and low > high:
        problems.append(
            Problem(
                "target_price_max_idr",
                _("The upper price must be at least the lower price."),
            )
        )

    if not cells["needed_by"]:
        problems.append(Problem("needed_by", _("This column is required.")))
    else:
        needed_by = parse_date(cells["needed_by"])
        if needed_by is None:
            problems.append(
                Problem("needed_by", _("The date must be a real date written YYYY-MM-DD."))
            )
        elif needed_by < today:
            problems.append(
                Problem(
                    "needed_by",
                    _("The date has passed; an open requirement needs a date from today on."),
                )
            )
        data["needed_by"] = needed_by

    province_text = cells["delivery_province"]
    if not province_text:
        problems.append(Problem("delivery_province", _("This column is required.")))
    else:
        province = refs.provinces.get(province_text) or refs.provinces_by_name.get(
            province_text.casefold()
        )
        if province is None:
            problems.append(
                Problem(
                    "delivery_province",
                    _("Unknown province: %(code)s (use the Kemendagri code, e.g. 32).")
                    % {"code": province_text},
                )
            )
        data["delivery_province"] = province
    if cells["description"]:
        data["description"] = cells["description"]
    return data, problems


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

    for result, data in parsed:
        if result.problems:
            continue
        try:
            result.outcome = _save_row(data, result.manufacturer, report)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            result.problems.extend(problems_from_errors(errors, COLUMN_OF_FIELD))
    report.reject_rows_with_problems()
    return report
