"""Turns one CSV row (text cells) into a ``SupplierUpsert`` plus the problems found on the way.

Reference codes are read once into dictionaries (``References``), so parsing never queries the
database. Rules the model itself checks (NIB format, e-mail, lengths, year range) are left to the
model validators in ``upsert``, so the import and the browser reject the same input.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ..models import (
    CertificationType,
    ComponentCategory,
    Material,
    Process,
    Province,
    Regency,
    SizeClass,
)
from .csv_common import Problem, parse_date, split_list
from .regions import RegencyIndex, RegencyNotFound, RegencyOutsideProvince
from .upsert import SupplierUpsert

COLUMNS = (
    "nib",
    "name",
    "size_class",
    "province",
    "regency",
    "employees",
    "founded_year",
    "components",
    "processes",
    "materials",
    "certifications",
    "capacity_per_month",
    "lead_time_days",
    "description",
    "contact_name",
    "contact_email",
    "contact_phone",
)
INTEGER_COLUMNS = ("employees", "founded_year", "capacity_per_month", "lead_time_days")
TEXT_COLUMNS = ("description", "contact_name", "contact_email", "contact_phone")
LIST_COLUMNS = ("components", "processes", "materials")
# Model field name -> CSV column, for messages that come from the model validators.
COLUMN_OF_FIELD = {"legal_name": "name", "__all__": "row"}

_WHOLE_NUMBER = re.compile(r"^\d+$")


class References:
    """Every reference table the import needs, keyed by case-folded code."""

    def __init__(self) -> None:
        self.size_classes = {o.code.casefold(): o for o in SizeClass.objects.all()}
        self.provinces = {o.code: o for o in Province.objects.all()}
        self.regencies = RegencyIndex(Regency.objects.all())
        self.lists: dict[str, dict[str, Any]] = {
            "components": {o.code.casefold(): o for o in ComponentCategory.objects.all()},
            "processes": {o.code.casefold(): o for o in Process.objects.all()},
            "materials": {o.code.casefold(): o for o in Material.objects.all()},
        }
        self.certifications = {
            code.casefold(): code
            for code in CertificationType.objects.values_list("code", flat=True)
        }


def _parse_certifications(
    cell: str, refs: References, problems: list[Problem]
) -> dict[str, date | None]:
    result: dict[str, date | None] = {}
    for item in split_list(cell):
        code_text, _at, date_text = (part.strip() for part in item.partition("@"))
        code = refs.certifications.get(code_text.casefold())
        if code is None:
            problems.append(
                Problem(
                    "certifications",
                    _("Unknown certification code: %(code)s") % {"code": code_text},
                )
            )
            continue
        valid_until = None
        if _at:
            valid_until = parse_date(date_text)
            if valid_until is None:
                problems.append(
                    Problem(
                        "certifications",
                        _("%(item)s: the date must be a real date written YYYY-MM-DD.")
                        % {"item": item},
                    )
                )
                continue
        if code in result and result[code] != valid_until:
            problems.append(
                Problem(
                    "certifications",
                    _("%(code)s is listed twice with different dates.") % {"code": code},
                )
            )
            continue
        result[code] = valid_until
    return result


def _parse_location(
    cells: dict[str, str], refs: References, fields: dict[str, Any], problems: list[Problem]
) -> None:
    province_text, regency_text = cells["province"], cells["regency"]
    province = None
    if province_text:
        province = refs.provinces.get(province_text)
        if province is None:
            problems.append(
                Problem(
                    "province",
                    _("Unknown province code: %(code)s (use the Kemendagri code, e.g. 32).")
                    % {"code": province_text},
                )
            )
            return
        fields["province"] = province
    if not regency_text:
        return
    try:
        regency = refs.regencies.find(regency_text, province.code if province else None)
    except RegencyOutsideProvince as exc:
        problems.append(
            Problem(
                "regency",
                _("Regency or city %(code)s (%(name)s) is not in province %(province)s.")
                % {"code": exc.regency.code, "name": exc.regency.name, "province": province_text},
            )
        )
        return
    except RegencyNotFound:
        if province is None:
            message = _(
                "Cannot find regency or city %(name)s: give its code (e.g. 32.04) or the province."
            ) % {"name": regency_text}
        else:
            message = _("No regency or city %(name)s in province %(province)s.") % {
                "name": regency_text,
                "province": province.name,
            }
        problems.append(Problem("regency", message))
        return
    fields["regency"] = regency
    # A regency code carries its province, so the province cell may be left empty.
    fields.setdefault("province", refs.provinces[regency.province_id])


def parse_row(cells: dict[str, str], refs: References) -> tuple[SupplierUpsert, list[Problem]]:
    """``cells`` maps every column of ``COLUMNS`` to its stripped text."""
    problems: list[Problem] = []
    # The name is always given to the model, so that a missing one is rejected even on update.
    fields: dict[str, Any] = {"legal_name": cells["name"]}

    if cells["size_class"]:
        size_class = refs.size_classes.get(cells["size_class"].casefold())
        if size_class is None:
            problems.append(
                Problem(
                    "size_class",
                    _("Unknown size class: %(code)s (use one of: %(choices)s).")
                    % {"code": cells["size_class"], "choices": ", ".join(refs.size_classes)},
                )
            )
        else:
            fields["size_class"] = size_class

    _parse_location(cells, refs, fields, problems)

    for column in INTEGER_COLUMNS:
        text = cells[column]
        if not text:
            continue
        if _WHOLE_NUMBER.match(text):
            fields[column] = int(text)
        else:
            problems.append(
                Problem(
                    column,
                    _("%(value)s is not a whole number of 0 or more.") % {"value": text},
                )
            )

    many: dict[str, list[Any]] = {}
    for column in LIST_COLUMNS:
        codes = split_list(cells[column])
        if not codes:
            continue
        known = refs.lists[column]
        unknown = [code for code in codes if code.casefold() not in known]
        if unknown:
            problems.append(
                Problem(column, _("Unknown codes: %(codes)s") % {"codes": ", ".join(unknown)})
            )
        else:
            many[column] = [known[code.casefold()] for code in codes]

    certifications = _parse_certifications(cells["certifications"], refs, problems)

    for column in TEXT_COLUMNS:
        if cells[column]:
            fields[column] = cells[column]

    item = SupplierUpsert(nib=cells["nib"], fields=fields, many=many, certifications=certifications)
    return item, problems
