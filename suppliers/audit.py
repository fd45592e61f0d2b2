"""What the firms' write services tell the audit trail (``accounts.audit``): one record per write
of a firm (UMKM here, manufacturers in the app above), with the names of the fields that changed
and, for its identity fields (``identity_fields``), the old and new values; one per certification
added, changed or removed; one per download of a private file.

The services call ``firm_before`` before they change anything and ``firm_saved`` after; the bulk
import builds its entries from its plans (``firm_entry``). Who acts and through which door comes
from the request, the API key or the import (``accounts.audit.acting``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from accounts.audit import Entry, audit_records
from accounts.models import AuditRecord

from .models import SupplierCertification, SupplierPhoto, Verifiable

Action = AuditRecord.Action


@dataclass
class Before:
    """The stored values of the fields a write is about to change (ids for foreign keys, sets
    of ids for lists); empty for a firm not yet saved."""

    created: bool
    names: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def _is_many(model: type[models.Model], name: str) -> bool:
    return model._meta.get_field(name).many_to_many


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname


def _stored(firm: models.Model, names: Iterable[str]) -> dict[str, Any]:
    model = type(firm)
    names = list(dict.fromkeys(names))
    plain = [name for name in names if not _is_many(model, name)]
    row = (
        model.objects.filter(pk=firm.pk).values(*(_attname(model, n) for n in plain)).first() or {}
    )
    values = {name: row.get(_attname(model, name)) for name in plain}
    for name in names:
        if _is_many(model, name):
            values[name] = set(getattr(firm, name).values_list("pk", flat=True))
    return values


def _current(firm: models.Model, names: Iterable[str]) -> dict[str, Any]:
    model = type(firm)
    values = {}
    for name in names:
        if _is_many(model, name):
            values[name] = set(getattr(firm, name).values_list("pk", flat=True))
        else:
            values[name] = getattr(firm, _attname(model, name))
    return values


def firm_before(firm: Verifiable, names: Iterable[str]) -> Before:
    """Call before a write service changes ``names`` (and the identity fields) of ``firm``."""
    names = list(dict.fromkeys(names))
    if firm.pk is None:
        return Before(created=True, names=names)
    values = _stored(firm, [*names, *type(firm).identity_fields])
    return Before(created=False, names=names, values=values)


class Labels:
    """Foreign keys as "<code> <name>", read once per code (an import's provinces)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[type, Any], str] = {}

    def text(self, model: type[models.Model], name: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, models.Model):
            value = value.pk
        related = model._meta.get_field(name).related_model
        if related is None:
            return str(value)
        key = (related, value)
        if key not in self._seen:
            target = related.objects.filter(pk=value).first()
            self._seen[key] = f"{value} {target}" if target is not None else str(value)
        return self._seen[key]


def firm_entry(
    firm: Verifiable,
    *,
    created: bool,
    previous: Mapping[str, Any],
    changed: Iterable[str],
    labels: Labels | None = None,
) -> Entry | None:
    """The record of one write: ``previous`` holds the stored values (ids for foreign keys) of
    the changed identity fields, ``changed`` the names of every field that changed. None when
    nothing changed."""
    model = type(firm)
    labels = labels or Labels()
    changed = set(changed)
    identity = {}
    for name in model.identity_fields:
        new = getattr(firm, _attname(model, name))
        if created:
            if new not in (None, ""):
                identity[name] = ["", labels.text(model, name, new)]
        elif name in previous and previous[name] != new:
            identity[name] = [
                labels.text(model, name, previous[name]),
                labels.text(model, name, new),
            ]
            changed.add(name)
    if created:
        action = Action.FIRM_CREATED
    elif identity:
        action = Action.IDENTITY_CHANGED
    elif changed:
        action = Action.PROFILE_CHANGED
    else:
        return None
    return Entry(
        action=action,
        object_kind=firm.firm_kind,
        object_id=firm.pk,
        firm_kind=firm.firm_kind,
        firm_id=firm.pk,
        changes=identity,
        fields=sorted(changed),
    )


def firm_saved(firm: Verifiable, before: Before) -> int:
    """Call after the write: records what changed (nothing if nothing did)."""
    if before.created:
        given = [
            name
            for name, value in _current(firm, before.names).items()
            if value not in (None, "", set())
        ]
        entry = firm_entry(firm, created=True, previous={}, changed=given)
    else:
        now = _current(firm, before.values)
        changed = [name for name, old in before.values.items() if now[name] != old]
        entry = firm_entry(firm, created=False, previous=before.values, changed=changed)
    return audit_records([entry]) if entry is not None else 0


# --- certifications ---------------------------------------------------------------------------


def _date(value) -> str:
    return value.isoformat() if value else ""


def certification_entry(
    certification: SupplierCertification,
    action: str,
    *,
    valid_until_before: Any = None,
    fields: Iterable[str] = (),
) -> Entry:
    """The record of a certification added, changed (with its previous end date) or removed:
    its type and end date, old -> new."""
    code, until = certification.cert_type_id, _date(certification.valid_until)
    if action == Action.CERTIFICATION_ADDED:
        changes = {"cert_type": ["", code], "valid_until": ["", until]}
    elif action == Action.CERTIFICATION_REMOVED:
        changes = {"cert_type": [code, ""], "valid_until": [until, ""]}
    else:
        changes = {"cert_type": [code, code], "valid_until": [_date(valid_until_before), until]}
    return Entry(
        action=action,
        object_kind="certification",
        object_id=certification.pk,
        firm_kind="supplier",
        firm_id=certification.supplier_id,
        changes=changes,
        fields=sorted(fields),
    )


def certification_recorded(
    certification: SupplierCertification,
    action: str,
    *,
    valid_until_before: Any = None,
    fields: Iterable[str] = (),
) -> int:
    return audit_records(
        [
            certification_entry(
                certification, action, valid_until_before=valid_until_before, fields=fields
            )
        ]
    )


def certifications_before(formset) -> tuple[dict[int, Any], list[Entry]]:
    """Before a certification formset (the admin's inline) is saved: the end dates its rows
    have, and the records of the rows it is about to delete (they lose their ids)."""
    # As stored: the forms have already put the posted values on their instances.
    ids = [form.instance.pk for form in formset.initial_forms if form.instance.pk]
    stored = {cert.pk: cert for cert in SupplierCertification.objects.filter(pk__in=ids)}
    removed = [
        certification_entry(stored[form.instance.pk], Action.CERTIFICATION_REMOVED)
        for form in formset.deleted_forms
        if form.instance.pk in stored
    ]
    return {pk: cert.valid_until for pk, cert in stored.items()}, removed


def certifications_saved(formset, before: tuple[dict[int, Any], list[Entry]]) -> int:
    """The records of a saved certification formset, given ``certifications_before``."""
    valid_until_before, removed = before
    entries = [*removed]
    entries += [
        certification_entry(cert, Action.CERTIFICATION_ADDED, fields=["valid_until"])
        for cert in formset.new_objects
    ]
    entries += [
        certification_entry(
            cert,
            Action.CERTIFICATION_CHANGED,
            valid_until_before=valid_until_before.get(cert.pk),
            fields=changed,
        )
        for cert, changed in formset.changed_objects
    ]
    return audit_records(entries)


def photo_recorded(photo: SupplierPhoto, *, added: bool) -> int:
    """A photo added to or removed from a firm's profile (a profile change): the photo's id,
    old -> new, says which."""
    return audit_records(
        [
            Entry(
                action=Action.PROFILE_CHANGED,
                object_kind="photo",
                object_id=photo.pk,
                firm_kind="supplier",
                firm_id=photo.supplier_id,
                fields=["photos"],
                changes={"photo": ["", str(photo.pk)] if added else [str(photo.pk), ""]},
            )
        ]
    )
