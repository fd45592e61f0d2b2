"""The requirement CSV import (``manage.py import_requirements``).

Contract: UTF-8 (a byte-order mark is fine), comma-separated, the header ``COLUMNS`` (any order,
each once; the ``OPTIONAL_COLUMNS`` may be left out); rows are numbered as a spreadsheet shows
them (the header is row 1). Lists are ``;``-separated reference codes. Requirements are created
or updated by (manufacturer name, ref) and are open after the import; a manufacturer not yet on
file is created unverified and reported. An empty optional cell keeps the stored value on
update. A row with any problem is rejected whole and changes nothing; the other rows are saved.
Importing the same file again reports every row "unchanged" and writes nothing.

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
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Model
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.audit import AuditDoor, acting
from accounts.events import REQUIREMENT_PUBLISHED, publish_many
from suppliers.fields import Kind
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
from .signals import batched, requirement_batch
from .validation import requirement_errors

COLUMNS = REQUIREMENT.header
OPTIONAL_COLUMNS = REQUIREMENT.optional_columns
# A yes/no cell, in either language.
YES = frozenset({"yes", "ya", "true", "1", "y"})
NO = frozenset({"no", "tidak", "false", "0", "n"})
# Field name -> CSV column; "name" is the manufacturer's (when the import creates one).
COLUMN_OF_FIELD = {**REQUIREMENT.column_of_field, "__all__": "row", "name": "manufacturer"}
# The message for a code that names no row of that reference table.
UNKNOWN_CODE = {
    ComponentCategory: _lazy("Unknown component code: %(code)s"),
    Province: _lazy("Unknown province: %(code)s (use the Kemendagri code, e.g. 32)."),
}

_WHOLE_NUMBER = re.compile(r"^[-+]?\d+$")
OWNER_COLUMN = next(spec.csv.name for spec in REQUIREMENT if spec.kind is Kind.OWNER)


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
        # The form's message (Django's IntegerField).
        problems.append(Problem(column, _("Enter a whole number.")))
        return None
    return int(digits)


def parse_row(
    cells: dict[str, str], refs: References, today: date
) -> tuple[dict[str, Any], list[Problem]]:
    """The service data of one row (only the cells given) and the problems found: each cell
    parsed by its field's kind (``fields.REQUIREMENT``), then the values checked with the rules
    of every door (``validation.requirement_errors``, the form's messages), named by column."""
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    unreadable: set[str] = set()
    for spec in REQUIREMENT.in_header_order:
        name, column = spec.name, spec.csv.name
        text = cells.get(column, "")  # an optional column may be left out of the file
        if not text:
            continue
        if spec.kind is Kind.OWNER:
            limit = MANUFACTURER.model_field("name").max_length
            _check_owner(text, limit, column, problems)
        elif spec.kind is Kind.TEXT:
            data[name] = text
        elif spec.kind is Kind.CODE:
            model = REQUIREMENT.related_model(name)
            data[name] = refs.find(model, text)
            if data[name] is None:
                unreadable.add(name)
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
                unreadable.add(name)
            else:
                data[name] = value
        elif spec.kind is Kind.FLAG:
            if text.casefold() in YES | NO:
                data[name] = text.casefold() in YES
            else:
                unreadable.add(name)
                problems.append(Problem(column, _("Write yes or no.")))
        elif spec.kind is Kind.DATE:
            data[name] = parse_date(text)
            if data[name] is None:
                unreadable.add(name)
                problems.append(
                    Problem(column, _("The date must be a real date written YYYY-MM-DD."))
                )
        else:  # pragma: no cover - a kind added to REQUIREMENT needs its parser here
            raise ValueError(f"No parser for {name} ({spec.kind})")
    if not cells.get(OWNER_COLUMN):
        problems.append(Problem(OWNER_COLUMN, _("This field is required.")))
    # An empty required cell is "not given": the rules say it is required. A cell that could not
    # be read already has its problem.
    checked = {name: value for name, value in data.items() if name not in unreadable}
    errors = requirement_errors(checked, today=today)
    for name in unreadable:
        errors.pop(name, None)
    problems.extend(problems_from_errors(errors, COLUMN_OF_FIELD))
    return data, problems


def _check_owner(text: str, limit: int | None, column: str, problems: list[Problem]) -> None:
    try:
        if limit:
            MaxLengthValidator(limit)(text)
    except ValidationError as exc:
        problems.extend(Problem(column, message) for message in exc.messages)


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


BULK_CHUNK = 500
FK_FIELDS = ("manufacturer", "component", "delivery_province", "created_by")


def _manufacturers_by_name(names: set[str]) -> dict[str, Manufacturer]:
    """The manufacturers these names (case-insensitive) name, in one query."""
    found: dict[str, Manufacturer] = {}
    wanted = sorted({name.lower() for name in names})
    for start in range(0, len(wanted), BULK_CHUNK):
        chunk = wanted[start : start + BULK_CHUNK]
        for maker in Manufacturer.objects.annotate(lname=Lower("name")).filter(lname__in=chunk):
            found.setdefault(maker.name.lower(), maker)
    return found


def _existing_keys(makers: dict[str, Manufacturer], refs: set[str]) -> set[tuple[int, str]]:
    keys: set[tuple[int, str]] = set()
    ids = [maker.pk for maker in makers.values()]
    wanted = sorted(refs)
    for start in range(0, len(wanted), BULK_CHUNK):
        keys.update(
            Requirement.objects.filter(
                manufacturer_id__in=ids, reference__in=wanted[start : start + BULK_CHUNK]
            ).values_list("manufacturer_id", "reference")
        )
    return keys


def _new_requirement(data: dict[str, Any], manufacturer: Manufacturer, now) -> Requirement:
    """An open requirement from a row, checked with the model's rules (as the service's
    ``full_clean``); foreign keys come from rows just read, the reference is new (checked in
    bulk), so their per-row queries are skipped."""
    requirement = Requirement(
        manufacturer=manufacturer,
        created_by=None,
        status=Requirement.Status.OPEN,
        published_at=now,
    )
    for name, value in data.items():
        if name not in services.REQUIREMENT_M2M_FIELDS:
            setattr(requirement, name, value)
    requirement.full_clean(exclude=FK_FIELDS, validate_unique=False, validate_constraints=False)
    return requirement


@transaction.atomic
def _create_many(todo: list[tuple[RequirementRowResult, dict[str, Any], Requirement]]) -> None:
    """Writes the new requirements of the file with a few statements per 500 rows (instead of
    about twenty queries a row through ``requirement_create`` + ``requirement_publish``), and
    announces them to the batch (``requirement_batch``)."""
    Requirement.objects.bulk_create([item[2] for item in todo], batch_size=BULK_CHUNK)
    for name in services.REQUIREMENT_M2M_FIELDS:
        field = Requirement._meta.get_field(name)
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        through.objects.bulk_create(
            [
                through(**{source: requirement.pk, target: value.pk})
                for _result, data, requirement in todo
                for value in {v.pk: v for v in data.get(name, [])}.values()
            ],
            batch_size=BULK_CHUNK,
        )
    for result, _data, requirement in todo:
        result.outcome = CREATED
        batched(requirement.pk)
    # Published without requirement_publish: announce them as it would (partners' webhooks).
    publish_many(REQUIREMENT_PUBLISHED, [{"requirement_id": item[2].pk} for item in todo])


def import_requirements_file(path: Path | str) -> RequirementImportReport:
    """Checks every row of the file and saves the good ones."""
    # Everything the import writes (the buyers it creates too) is recorded as the import's.
    with acting(door=AuditDoor.IMPORT, label=f"import_requirements {Path(path).name}"):
        return _import_requirements(path)


def _import_requirements(path: Path | str) -> RequirementImportReport:
    rows = read_rows(path, COLUMNS, OPTIONAL_COLUMNS)
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

    good = [(result, data) for result, data in parsed if not result.problems]
    makers = _manufacturers_by_name({result.manufacturer for result, _data in good})
    for result, _data in good:
        name = result.manufacturer
        if name.lower() not in makers:
            # A buyer not on file: created once (unverified) through the service, and reported.
            try:
                makers[name.lower()] = services.manufacturer_create(owner=None, data={"name": name})
            except ValidationError:
                continue  # its rows go one by one and report the service's message
            report.new_manufacturers.append(name)
    existing = _existing_keys(makers, {data["reference"] for _result, data in good})
    now = timezone.now()
    todo, one_by_one = [], []
    for result, data in good:
        maker = makers.get(result.manufacturer.lower())
        if maker is None or (maker.pk, data["reference"]) in existing:
            one_by_one.append((result, data))  # updates, new buyers: through the services
            continue
        try:
            todo.append((result, data, _new_requirement(data, maker, now)))
        except ValidationError as exc:
            result.problems.extend(problems_from_errors(exc.message_dict, COLUMN_OF_FIELD))

    # The saved requirements are rescored together once the rows are in (in chunks, by the
    # workers or, with in-process tasks, here at the end), not one by one as each row is saved.
    with requirement_batch():
        if todo:
            _create_many(todo)
        for result, data in one_by_one:
            try:
                result.outcome = _save_row(data, result.manufacturer, report)
            except ValidationError as exc:
                errors = (
                    exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                )
                result.problems.extend(problems_from_errors(errors, COLUMN_OF_FIELD))
    report.reject_rows_with_problems()
    return report
