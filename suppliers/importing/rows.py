"""Turns one company's values, as text, into a ``SupplierUpsert`` plus the problems found on the
way: the parsing behind the CSV import and the partner API's supplier writes.

Values and problems are keyed by field name (``fields.SUPPLIER``), and each value is parsed by
its field's kind; the CSV import translates its columns (``COLUMNS``, ``COLUMN_OF_FIELD``).
Reference codes are read once into dictionaries (``References``), so parsing never queries the
database. Every rule on the values (NIB format, e-mail, phone, lengths, ranges, required fields)
is left to ``suppliers.validation`` through ``upsert``, so the import and the browser reject
the same input with the same messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .. import validation
from ..fields import SUPPLIER, Kind
from ..models import CertificationType, Province, Regency, SizeClass
from .csv_common import parse_date, split_list
from .regions import RegencyIndex, RegencyNotFound, RegencyOutsideProvince
from .upsert import SupplierUpsert

COLUMNS = SUPPLIER.header
# Field name -> CSV column, for problems found by the parser or by the model validators.
COLUMN_OF_FIELD = {**SUPPLIER.column_of_field, "__all__": "row"}
FIELD_OF_COLUMN = SUPPLIER.field_of_column

KEY = next(spec.name for spec in SUPPLIER if spec.key)

# A sign is read too, so that a negative number gets the form's range message.
_WHOLE_NUMBER = re.compile(r"^[-+]?\d+$")

Errors = dict[str, list[str]]


class References:
    """The reference tables a company names, each read once (when first needed), keyed by
    case-folded code."""

    def __init__(self) -> None:
        self._codes: dict[type[models.Model], dict[str, Any]] = {}

    def codes(self, model: type[models.Model]) -> dict[str, Any]:
        if model not in self._codes:
            self._codes[model] = {o.code.casefold(): o for o in model.objects.all()}
        return self._codes[model]

    @cached_property
    def regencies(self) -> RegencyIndex:
        return RegencyIndex(Regency.objects.all())

    @cached_property
    def certifications(self) -> dict[str, str]:
        return {
            code.casefold(): code
            for code in CertificationType.objects.values_list("code", flat=True)
        }


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _parse_local_content(item: str, code: str, text: str, errors: Errors) -> Decimal | None:
    """The percentage of ``CODE:PCT`` (45, 45.5 or 45,5), checked with the certificate's rule;
    None (with a problem added) when it is not one."""
    try:
        pct = Decimal(text.replace(",", "."))
    except InvalidOperation:
        pct = None
    # At most two decimals, as the certificate's column stores it.
    if pct is None or not pct.is_finite() or pct.as_tuple().exponent < -2:
        _add(
            errors,
            "certifications",
            _(
                "%(item)s: the local content must be a number with at most two decimals, "
                "for example TKDN:45.5@2027-12-31."
            )
            % {"item": item},
        )
        return None
    rule = validation.certification_errors(code, pct)
    for message in rule.get("local_content_pct", []):
        _add(errors, "certifications", f"{item}: {message}")
    return None if rule else pct


def _parse_certifications(
    text: str, refs: References, errors: Errors
) -> tuple[dict[str, date | None], dict[str, Decimal]]:
    result: dict[str, date | None] = {}
    local_content: dict[str, Decimal] = {}
    for item in split_list(text):
        code_text, _at, date_text = (part.strip() for part in item.partition("@"))
        code_text, colon, pct_text = (part.strip() for part in code_text.partition(":"))
        code = refs.certifications.get(code_text.casefold())
        if code is None:
            _add(
                errors,
                "certifications",
                _("Unknown certification code: %(code)s") % {"code": code_text},
            )
            continue
        valid_until = None
        if _at:
            valid_until = parse_date(date_text)
            if valid_until is None:
                _add(
                    errors,
                    "certifications",
                    _("%(item)s: the date must be a real date written YYYY-MM-DD.")
                    % {"item": item},
                )
                continue
        if code in result and result[code] != valid_until:
            _add(
                errors,
                "certifications",
                _("%(code)s is listed twice with different dates.") % {"code": code},
            )
            continue
        if colon:
            pct = _parse_local_content(item, code, pct_text, errors)
            if pct is None:
                continue
            local_content[code] = pct
        result[code] = valid_until
    return result, local_content


def _parse_location(
    values: Mapping[str, str], refs: References, fields: dict[str, Any], errors: Errors
) -> None:
    province_text, regency_text = values.get("province", ""), values.get("regency", "")
    province = None
    if province_text:
        province = refs.codes(Province).get(province_text.casefold())
        if province is None:
            _add(
                errors,
                "province",
                _("Unknown province code: %(code)s (use the Kemendagri code, e.g. 32).")
                % {"code": province_text},
            )
            return
        fields["province"] = province
    if not regency_text:
        return
    try:
        regency = refs.regencies.find(regency_text, province.code if province else None)
    except RegencyOutsideProvince as exc:
        _add(
            errors,
            "regency",
            _("Regency or city %(code)s (%(name)s) is not in province %(province)s.")
            % {"code": exc.regency.code, "name": exc.regency.name, "province": province_text},
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
        _add(errors, "regency", message)
        return
    fields["regency"] = regency
    # A regency code carries its province, so the province may be left empty.
    fields.setdefault("province", refs.codes(Province)[regency.province_id.casefold()])


def _parse_code(name: str, text: str, refs: References) -> tuple[Any, str | None]:
    """One reference row by its code, or the message saying why not."""
    model = SUPPLIER.related_model(name)
    known = refs.codes(model)
    value = known.get(text.casefold())
    if value is not None:
        return value, None
    if model is SizeClass:
        message = _("Unknown size class: %(code)s (use one of: %(choices)s).")
    else:
        message = _("Unknown code: %(code)s")
    return None, message % {"code": text, "choices": ", ".join(known)}


def parse_row(values: Mapping[str, str], refs: References) -> tuple[SupplierUpsert, Errors]:
    """``values`` maps field names to stripped text; a field left out or empty is not given (an
    update keeps what is stored). Returns the item and the problems, by field name."""
    unknown = set(values) - set(SUPPLIER.names())
    if unknown:
        raise ValueError(f"Not supplier fields: {', '.join(sorted(unknown))}")
    errors: Errors = {}
    fields: dict[str, Any] = {}
    many: dict[str, list[Any]] = {}
    certifications: dict[str, date | None] = {}
    local_content: dict[str, Decimal] = {}

    for spec in SUPPLIER:
        name, text = spec.name, values.get(spec.name, "")
        if name == "province":  # with the regency, which may be named within its province
            _parse_location(values, refs, fields, errors)
            continue
        if spec.key or name == "regency":
            continue
        if spec.kind is Kind.TEXT:
            # A required text is always given, so that a missing one is rejected even on update.
            if text or spec.required:
                fields[name] = text
        elif not text:
            continue
        elif spec.kind is Kind.NUMBER:
            if _WHOLE_NUMBER.match(text):
                fields[name] = int(text)
            else:
                # The form's message (Django's IntegerField).
                _add(errors, name, _("Enter a whole number."))
        elif spec.kind is Kind.CODE:
            value, message = _parse_code(name, text, refs)
            if message is None:
                fields[name] = value
            else:
                _add(errors, name, message)
        elif spec.kind is Kind.CODES:
            codes = split_list(text)
            known = refs.codes(SUPPLIER.related_model(name))
            missing = [code for code in codes if code.casefold() not in known]
            if missing:
                _add(errors, name, _("Unknown codes: %(codes)s") % {"codes": ", ".join(missing)})
            elif codes:
                many[name] = [known[code.casefold()] for code in codes]
        elif spec.kind is Kind.CERTIFICATIONS:
            certifications, local_content = _parse_certifications(text, refs, errors)
        else:  # pragma: no cover - a kind added to SUPPLIER needs its parser here
            raise ValueError(f"No parser for {name} ({spec.kind})")

    item = SupplierUpsert(
        nib=values.get(KEY, ""),
        fields=fields,
        many=many,
        certifications=certifications,
        local_content=local_content,
    )
    return item, errors
