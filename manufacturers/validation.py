"""A requirement's rules, once, for every door (see ``suppliers.validation``).

``requirement_errors`` checks typed values (numbers, dates, reference rows) against
``fields.REQUIREMENT`` and the model's fields: required fields, lengths, number ranges, a
needed-by date from today on, a price range in order, no certification both must-have and
nice-to-have, a local content required only with a minimum. The requirement form and the API's
write serializer call it in ``clean()`` / ``validate()``, the CSV import per row (its problems
named by column), and the write services call it again, so no door can skip it. Every message is
the form's, in the active language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from suppliers.fields import Kind

from .fields import REQUIREMENT, REQUIREMENT_FORM
from .models import Manufacturer, Requirement

Errors = dict[str, list[str]]

# The fields a buyer sets (the manufacturer is the buyer's company, set by the door).
EDITABLE = tuple(spec for spec in REQUIREMENT if spec.form == REQUIREMENT_FORM)
# Longest description accepted (the model's text field has no limit of its own).
LONG_TEXT_MAX = 10_000


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _add(errors: Errors, name: str, messages: list[str]) -> None:
    errors.setdefault(name, []).extend(messages)


def _check(errors: Errors, name: str, validator: Any, value: Any) -> bool:
    try:
        validator(value)
    except ValidationError as exc:
        _add(errors, name, exc.messages)
        return False
    return True


def max_length(name: str) -> int:
    return REQUIREMENT.model_field(name).max_length or LONG_TEXT_MAX


def _stored(requirement: Requirement | None, name: str) -> Any:
    return getattr(requirement, name) if requirement is not None else None


def requirement_errors(
    data: Mapping[str, Any],
    *,
    requirement: Requirement | None = None,
    manufacturer: Manufacturer | None = None,
    partial: bool = False,
    today: date | None = None,
) -> Errors:
    """field -> the form's messages for ``data`` (the values being set; lists as reference rows).

    ``requirement``: the stored requirement being edited (None: a new one); ``manufacturer``:
    the buyer it belongs to, when known (its references are unique); ``partial``: fields left
    out keep their stored value, so only those given are checked for being required."""
    today = today or timezone.localdate()
    errors: Errors = {}
    if manufacturer is None and requirement is not None:
        manufacturer = requirement.manufacturer
    reference = data.get("reference")
    if manufacturer is not None and isinstance(reference, str) and reference:
        clash = Requirement.objects.filter(manufacturer=manufacturer, reference=reference)
        if requirement is not None and requirement.pk is not None:
            clash = clash.exclude(pk=requirement.pk)
        if clash.exists():
            _add(
                errors,
                "reference",
                [_("Your company already has a requirement with this reference.")],
            )
    for spec in EDITABLE:
        name = spec.name
        if name not in data:
            if spec.required and not partial:
                _add(errors, name, [_("This field is required.")])
            continue
        value = data[name]
        if _empty(value):
            if spec.required:
                _add(errors, name, [_("This field is required.")])
            continue
        if spec.kind is Kind.TEXT:
            _check(errors, name, MaxLengthValidator(max_length(name)), value)
        elif spec.kind is Kind.NUMBER:
            low, high = REQUIREMENT.number_range(name)
            if low is not None and not _check(errors, name, MinValueValidator(low), value):
                continue
            if high is not None:
                _check(errors, name, MaxValueValidator(high), value)

    needed_by = data.get("needed_by")
    # An old draft whose date has passed can still be saved; a date being set must not already
    # be in the past.
    if (
        isinstance(needed_by, date)
        and needed_by < today
        and needed_by != _stored(requirement, "needed_by")
    ):
        _add(errors, "needed_by", [_("Choose a date from today on.")])

    # A quotation deadline being set must be ahead, and before the part is needed.
    deadline = data.get("quote_deadline")
    if isinstance(deadline, datetime) and deadline != _stored(requirement, "quote_deadline"):
        if deadline <= timezone.now():
            _add(errors, "quote_deadline", [_("Choose a moment from now on.")])
        elif (needed := needed_by or _stored(requirement, "needed_by")) and timezone.localdate(
            deadline
        ) > needed:
            _add(
                errors,
                "quote_deadline",
                [_("The quotation deadline must come before the needed-by date.")],
            )

    def current(name: str) -> Any:
        return data[name] if name in data else _stored(requirement, name)

    low, high = current("target_price_min_idr"), current("target_price_max_idr")
    if (
        isinstance(low, int)
        and isinstance(high, int)
        and low > high
        and not {"target_price_min_idr", "target_price_max_idr"} & set(errors)
    ):
        _add(
            errors,
            "target_price_max_idr",
            [_("The upper price must be at least the lower price.")],
        )

    local_fields = {"local_content_required", "min_local_content_pct"}
    if (
        current("local_content_required")
        and current("min_local_content_pct") is None
        and local_fields & set(data)
        and "min_local_content_pct" not in errors
    ):
        _add(
            errors,
            "local_content_required",
            [_("Enter a minimum local content to make it required.")],
        )

    if "required_certifications" in data or "preferred_certifications" in data:
        required = {_code(c) for c in _current_list(data, requirement, "required_certifications")}
        preferred = {_code(c) for c in _current_list(data, requirement, "preferred_certifications")}
        if required & preferred:
            _add(
                errors,
                "preferred_certifications",
                [_("A certification cannot be both must-have and nice-to-have.")],
            )
    return errors


def _code(value: Any) -> str:
    return str(getattr(value, "pk", value))


def _current_list(data: Mapping[str, Any], requirement: Requirement | None, name: str) -> list:
    if name in data:
        return list(data[name] or [])
    if requirement is None or requirement.pk is None:
        return []
    return list(getattr(requirement, name).values_list("pk", flat=True))


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)
