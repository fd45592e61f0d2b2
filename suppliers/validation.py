"""The supplier profile's rules, once, for every door.

Every door (the profile forms, ``import_suppliers``, the partner API, the admin) ends in a
write service (``services.py`` or the bulk ``importing.upsert``), and every write service checks
the record it is about to save with ``supplier_validate``: the model's own validators (lengths,
ranges, formats, choices) plus the rules declared in ``fields.SUPPLIER`` that the model does not
hold (required fields, lower bounds, a founding year not in the future, an Indonesian phone
number, a regency inside the province). The forms and the admin form call ``field_errors`` in
their ``clean()`` so that a person sees the same messages beside the field before anything is
saved; the import and the API get them per column / per field from the services.

Values are normalised the way the form cleans them (``normalise``): a NIB or phone number
written with spaces, dots or dashes is stored as digits, the phone as +62..., so that a firm
imported from a spreadsheet holds the same values as one typed into the form.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .fields import LOCAL_CONTENT_RANGE, LOCAL_CONTENT_TYPES, SCALAR_KINDS, SUPPLIER, Kind
from .models import Supplier, SupplierCertification

Errors = dict[str, list[str]]

# 0812..., +62812..., 62812...; also landlines such as 021-555-1234. Stored as +62...
PHONE_RE = re.compile(r"^(?:\+62|62|0)([1-9]\d{6,11})$")
SEPARATORS_RE = re.compile(r"[\s\-.()/]")


def normalise_phone(value: str) -> str:
    """Returns +62... for any usual way of writing an Indonesian number; raises if it is none."""
    digits = SEPARATORS_RE.sub("", value)
    match = PHONE_RE.match(digits)
    if not match:
        raise ValidationError(
            _("Enter an Indonesian phone number, for example 0812 3456 7890 or +62 812 3456 7890."),
            code="invalid_phone",
        )
    return f"+62{match.group(1)}"


def normalise(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` as the form stores them: a NIB without separators, a valid phone as +62...
    (an invalid phone is left as given, for ``field_errors`` to name)."""
    cleaned = dict(values)
    nib = cleaned.get("nib")
    if isinstance(nib, str):
        cleaned["nib"] = SEPARATORS_RE.sub("", nib)
    phone = cleaned.get("contact_phone")
    if isinstance(phone, str):
        phone = phone.strip()
        try:
            cleaned["contact_phone"] = normalise_phone(phone) if phone else ""
        except ValidationError:
            cleaned["contact_phone"] = phone
    return cleaned


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def required_errors(values: Mapping[str, Any]) -> Errors:
    """The fields ``fields.SUPPLIER`` declares required that have no value in ``values``."""
    errors: Errors = {}
    for spec in SUPPLIER:
        if spec.required and _empty(values.get(spec.name)):
            _add(errors, spec.name, _("This field is required."))
    return errors


def field_errors(values: Mapping[str, Any], *, today: date | None = None) -> Errors:
    """The rules the model's validators do not hold, for each value given (typed values: numbers,
    reference rows; ``nib`` and ``contact_phone`` as ``normalise`` leaves them)."""
    today = today or timezone.localdate()
    errors: Errors = {}
    for name, value in values.items():
        if name not in SUPPLIER.names() or _empty(value):
            continue
        spec = SUPPLIER[name]
        if spec.min_value is not None and isinstance(value, int) and value < spec.min_value:
            _add(
                errors,
                name,
                _("Enter a number of at least %(limit)s.") % {"limit": spec.min_value},
            )
    year = values.get("founded_year")
    if isinstance(year, int) and year > today.year:
        _add(errors, "founded_year", _("The founding year cannot be in the future."))
    phone = values.get("contact_phone")
    if isinstance(phone, str) and phone:
        try:
            normalise_phone(phone)
        except ValidationError as exc:
            errors.setdefault("contact_phone", []).extend(exc.messages)
    province, regency = values.get("province"), values.get("regency")
    # Only with the regency row in hand (a code alone cannot say its province without a query).
    if (
        province is not None
        and hasattr(regency, "province_id")
        and regency.province_id != getattr(province, "pk", province)
    ):
        _add(errors, "regency", _("This regency or city is not in the chosen province."))
    return errors


def _record_values(supplier: Supplier) -> dict[str, Any]:
    """The supplier's column values, reference rows as their codes (no query)."""
    values: dict[str, Any] = {}
    for name in SUPPLIER.names(kinds=SCALAR_KINDS):
        values[name] = getattr(supplier, SUPPLIER.model_field(name).attname)
    return values


def supplier_validate(
    supplier: Supplier,
    *,
    names: Collection[str],
    changed: Collection[str] | None = None,
    fast: bool = False,
) -> Errors:
    """Every rule on a supplier about to be saved, as field -> messages (empty: it may be saved).

    ``names``: the fields being set (their own rules apply); the required fields are checked on
    the whole record, as the form checks them; the regency is checked against the province when
    either is among ``changed`` (default: ``names``). ``fast`` (bulk writes): reference rows
    were read from the database and the NIB is the caller's key, so the per-row existence and
    uniqueness queries are skipped."""
    errors: Errors = {}
    try:
        if fast:
            supplier.full_clean(
                exclude=SUPPLIER.names(kinds=frozenset({Kind.CODE})),
                validate_unique=False,
                validate_constraints=False,
            )
        else:
            supplier.full_clean()
    except ValidationError as exc:
        errors = {name: list(messages) for name, messages in exc.message_dict.items()}
    record = _record_values(supplier)
    # The form's "This field is required." rather than the model's "cannot be blank".
    errors.update(required_errors(record))
    given = {name: record[name] for name in names if name in record}
    changed = names if changed is None else changed
    if ("regency" in changed or "province" in changed) and supplier.regency_id:
        # The regency row itself, for its province (the doors that set it have it in hand).
        given["province"], given["regency"] = record["province"], supplier.regency
    for name, messages in field_errors(given).items():
        # As in the form: a field that failed its own check is not told twice.
        errors.setdefault(name, messages)
    return errors


def certification_errors(cert_type: Any, local_content_pct: Any) -> Errors:
    """The local-content rule of a certificate: a TKDN certificate states its percentage (0 to
    100), no other certificate states one. ``cert_type`` is a row or its code."""
    code = getattr(cert_type, "pk", cert_type)
    errors: Errors = {}
    name = "local_content_pct"
    if code in LOCAL_CONTENT_TYPES:
        if _empty(local_content_pct):
            _add(errors, name, _("Enter the local-content percentage stated on the certificate."))
        elif not LOCAL_CONTENT_RANGE[0] <= local_content_pct <= LOCAL_CONTENT_RANGE[1]:
            _add(
                errors,
                name,
                _("Enter a percentage from %(low)s to %(high)s.")
                % {"low": LOCAL_CONTENT_RANGE[0], "high": LOCAL_CONTENT_RANGE[1]},
            )
    elif code and not _empty(local_content_pct):
        _add(errors, name, _("Only a TKDN certificate states a local-content percentage."))
    return errors


def certification_validate(certification: SupplierCertification) -> Errors:
    """Every rule on a certificate about to be saved: the model's validators, then the
    local-content rule for a field that passed them."""
    errors: Errors = {}
    try:
        certification.full_clean()
    except ValidationError as exc:
        errors = {name: list(messages) for name, messages in exc.message_dict.items()}
    rule = certification_errors(certification.cert_type_id, certification.local_content_pct)
    for name, messages in rule.items():
        errors.setdefault(name, messages)
    return errors


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)
