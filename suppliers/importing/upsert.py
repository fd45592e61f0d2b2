"""Bulk create-or-update of suppliers by NIB: the write service behind the CSV import and
``seed_demo``.

Every item is checked with ``validation.supplier_validate``, as ``services.supplier_create``
does, but existing companies, their lists and certifications are read once per batch instead of
once per row, so thousands of rows take seconds. Two steps, so that a caller can add its own
problems before anything is written: ``supplier_upsert_plan`` only reads,
``supplier_upsert_apply`` writes the plans that have no problem.

Update rules (the CSV import documents them to its users):
- a field left out of ``SupplierUpsert.fields`` keeps its stored value (an empty cell means
  "not given", never "erase");
- a list given in ``many`` replaces the stored list;
- certifications are merged by type and never deleted (they may carry an uploaded document): a
  type not on file is added; a type on file with the same valid-until date, or given without
  a date, is left alone; otherwise the newest certificate of that type gets the new date. A
  local-content percentage given (``local_content``, TKDN only) goes on that newest certificate;
  a new TKDN certificate needs one (``validation.certification_errors``).
An existing company where none of this changes anything is "unchanged" and is not written at
all (its ``updated_at`` stays as it was).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Entry, audit_records

from .. import validation
from ..audit import Action, Labels, certification_entry, firm_entry
from ..fields import M2M_FIELDS, PROFILE_FIELDS, SUPPLIER, Kind
from ..models import CertificationType, Supplier, SupplierCertification
from ..signals import suppliers_bulk_saved
from ..verification import identity_recheck_many
from .csv_common import CREATED, UNCHANGED, UPDATED

FK_FIELDS = SUPPLIER.names(kinds=frozenset({Kind.CODE}))
# What an item may set: the profile's columns except the key it is found by (the NIB).
UPSERT_FIELDS = frozenset(name for name in PROFILE_FIELDS if not SUPPLIER[name].key)
CHUNK = 500

# Bulk writes skip post_save and m2m_changed; listeners (e.g. match rescoring) hear
# ``suppliers_bulk_saved`` instead, once per batch after the commit, with the primary keys of every
# created or updated supplier.


@dataclass
class SupplierUpsert:
    nib: str
    fields: dict[str, Any] = field(default_factory=dict)
    many: dict[str, Collection[models.Model]] = field(default_factory=dict)
    certifications: dict[str, date | None] = field(default_factory=dict)
    # Local content (TKDN %) stated for some of the ``certifications``, by code.
    local_content: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class UpsertPlan:
    item: SupplierUpsert
    supplier: Supplier
    outcome: str
    changed_fields: list[str] = field(default_factory=list)
    many_changes: dict[str, set[Any]] = field(default_factory=dict)
    cert_creates: list[tuple[str, date | None, Decimal | None]] = field(default_factory=list)
    # (newest certificate of the type, its new end date, its new local content)
    cert_updates: list[tuple[SupplierCertification, date | None, Decimal | None]] = field(
        default_factory=list
    )
    errors: dict[str, list[str]] = field(default_factory=dict)
    # The stored values of the changed fields (ids for foreign keys), for the identity rule.
    previous: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _through(name: str) -> tuple[type[models.Model], str, str]:
    """The m2m table of ``Supplier.<name>`` with its supplier and target id columns."""
    m2m = Supplier._meta.get_field(name)
    through = m2m.remote_field.through
    source = through._meta.get_field(m2m.m2m_field_name()).attname
    target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
    return through, source, target


def _insert_pairs(
    through: type[models.Model], source: str, target: str, pairs: list[tuple[int, Any]]
) -> None:
    """Inserts link rows from two arrays, one statement per 10,000: no model instance per row
    (with ``bulk_create`` they cost more than the rest of a large import)."""
    table = through._meta.db_table
    for start in range(0, len(pairs), 10_000):
        part = pairs[start : start + 10_000]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({source}, {target}) "  # noqa: S608
                "SELECT * FROM unnest(%s, %s)",
                [[p[0] for p in part], [p[1] for p in part]],
            )


def _current_many(ids: list[int]) -> dict[str, dict[int, set[Any]]]:
    current: dict[str, dict[int, set[Any]]] = {}
    for name in M2M_FIELDS:
        through, source, target = _through(name)
        by_supplier: dict[int, set[Any]] = defaultdict(set)
        for chunk in _chunks(ids):
            for supplier_id, target_id in through.objects.filter(
                **{f"{source}__in": chunk}
            ).values_list(source, target):
                by_supplier[supplier_id].add(target_id)
        current[name] = by_supplier
    return current


def _current_certs(ids: list[int]) -> dict[tuple[int, str], list[SupplierCertification]]:
    held: dict[tuple[int, str], list[SupplierCertification]] = defaultdict(list)
    for chunk in _chunks(ids):
        for cert in SupplierCertification.objects.filter(supplier_id__in=chunk).order_by(
            "-created_at", "-pk"
        ):
            held[(cert.supplier_id, cert.cert_type_id)].append(cert)
    return held


def _plan_one(
    item: SupplierUpsert,
    existing: Supplier | None,
    current_many: dict[str, dict[int, set[Any]]],
    current_certs: dict[tuple[int, str], list[SupplierCertification]],
    known_certs: set[str],
) -> UpsertPlan:
    supplier = existing if existing is not None else Supplier(nib=item.nib)
    plan = UpsertPlan(item=item, supplier=supplier, outcome=CREATED if existing is None else "")
    # Stored as the form stores them (a phone as +62...), so a second run finds them unchanged.
    item.fields = validation.normalise(item.fields)
    for name, value in item.fields.items():
        if name not in UPSERT_FIELDS:
            raise ValueError(f"Not an upsert field: {name}")
        if name in FK_FIELDS:
            differs = getattr(supplier, f"{name}_id") != (value.pk if value else None)
        else:
            differs = getattr(supplier, name) != value
        if differs:
            plan.previous[name] = getattr(supplier, Supplier._meta.get_field(name).attname)
            setattr(supplier, name, value)
            plan.changed_fields.append(name)
    # The form's rules, for every value given (and the required fields of the whole record).
    plan.errors = validation.supplier_validate(
        supplier, names=item.fields, changed=plan.changed_fields, fast=True
    )

    for name, values in item.many.items():
        if name not in M2M_FIELDS:
            raise ValueError(f"Not a list field: {name}")
        wanted = {value.pk for value in values}
        stored = set() if existing is None else current_many[name].get(supplier.pk, set())
        if wanted != stored:
            plan.many_changes[name] = wanted

    for code, valid_until in item.certifications.items():
        if code not in known_certs:
            plan.errors.setdefault("certifications", []).append(
                _("Unknown certification code: %(code)s") % {"code": code}
            )
            continue
        held = [] if existing is None else current_certs.get((supplier.pk, code), [])
        pct = item.local_content.get(code)
        if not held:
            rule = validation.certification_errors(code, pct)
            if rule:
                for messages in rule.values():
                    plan.errors.setdefault("certifications", []).extend(
                        f"{code}: {message}" for message in messages
                    )
                continue
            plan.cert_creates.append((code, valid_until, pct))
            continue
        newest = held[0]
        new_date = valid_until is not None and all(c.valid_until != valid_until for c in held)
        new_pct = pct is not None and newest.local_content_pct != pct
        if new_date or new_pct:
            plan.cert_updates.append(
                (
                    newest,
                    valid_until if new_date else newest.valid_until,
                    pct if new_pct else newest.local_content_pct,
                )
            )

    if existing is not None:
        touched = plan.changed_fields or plan.many_changes or plan.cert_creates
        plan.outcome = UPDATED if touched or plan.cert_updates else UNCHANGED
    return plan


def supplier_upsert_plan(*, items: Sequence[SupplierUpsert]) -> list[UpsertPlan]:
    """Works out, without writing, what each item would do and what is wrong with it."""
    nibs = list({item.nib for item in items if item.nib})
    existing: dict[str, Supplier] = {}
    for chunk in _chunks(nibs):
        existing.update((s.nib, s) for s in Supplier.objects.filter(nib__in=chunk))
    ids = [supplier.pk for supplier in existing.values()]
    current_many = _current_many(ids)
    current_certs = _current_certs(ids)
    known_certs = set(CertificationType.objects.values_list("code", flat=True))
    return [
        _plan_one(item, existing.get(item.nib), current_many, current_certs, known_certs)
        for item in items
    ]


@transaction.atomic
def supplier_upsert_apply(*, plans: Sequence[UpsertPlan]) -> list[Supplier]:
    """Writes every plan that has no problem; returns the created and updated suppliers."""
    todo = [plan for plan in plans if plan.ok and plan.outcome in (CREATED, UPDATED)]
    nibs = [plan.supplier.nib for plan in todo]
    if len(nibs) != len(set(nibs)):
        raise ValueError("The same NIB appears in more than one plan.")
    now = timezone.now()

    Supplier.objects.bulk_create(
        [plan.supplier for plan in todo if plan.outcome == CREATED], batch_size=CHUNK
    )
    updated = [plan for plan in todo if plan.outcome == UPDATED]
    for plan in updated:
        plan.supplier.updated_at = now
    update_fields = sorted({name for plan in updated for name in plan.changed_fields})
    Supplier.objects.bulk_update(
        [plan.supplier for plan in updated], [*update_fields, "updated_at"], batch_size=CHUNK
    )

    for name in M2M_FIELDS:
        through, source, target = _through(name)
        changing = [plan for plan in todo if name in plan.many_changes]
        stale = [plan.supplier.pk for plan in changing if plan.outcome == UPDATED]
        for chunk in _chunks(stale):
            through.objects.filter(**{f"{source}__in": chunk}).delete()
        pairs = [
            (plan.supplier.pk, target_id)
            for plan in changing
            for target_id in sorted(plan.many_changes[name])
        ]
        _insert_pairs(through, source, target, pairs)

    new_certs = [
        SupplierCertification(
            supplier=plan.supplier,
            cert_type_id=code,
            valid_until=valid_until,
            local_content_pct=pct,
        )
        for plan in todo
        for code, valid_until, pct in plan.cert_creates
    ]
    SupplierCertification.objects.bulk_create(new_certs, batch_size=CHUNK)
    changed_certs, old_dates = [], []
    for plan in todo:
        for cert, valid_until, pct in plan.cert_updates:
            old_dates.append(cert.valid_until)
            cert.valid_until = valid_until
            cert.local_content_pct = pct
            changed_certs.append(cert)
    SupplierCertification.objects.bulk_update(
        changed_certs, ["valid_until", "local_content_pct"], batch_size=CHUNK
    )

    # A verified company whose NIB, name or province changed goes back to the ministry's queue,
    # as from the form (the rare rows concerned, one by one).
    identity_recheck_many(firms=[(plan.supplier, plan.previous) for plan in updated])
    audit_records(_audit_entries(todo, new_certs, zip(changed_certs, old_dates, strict=True)))

    saved = [plan.supplier for plan in todo]
    if saved:
        ids = [supplier.pk for supplier in saved]
        transaction.on_commit(lambda: suppliers_bulk_saved.send(sender=Supplier, supplier_ids=ids))
    return saved


def _audit_entries(
    todo: Sequence[UpsertPlan],
    new_certs: Sequence[SupplierCertification],
    changed_certs: Iterable[tuple[SupplierCertification, date | None]],
) -> list[Entry]:
    """One audit record per company written (its certifications included when it is new), and
    one per certification added to or changed on a company already on file."""
    labels = Labels()
    entries = []
    for plan in todo:
        created = plan.outcome == CREATED
        changed = [*plan.changed_fields, *plan.many_changes]
        if created:
            changed.append("nib")
            if plan.cert_creates:
                changed.append("certifications")
        entry = firm_entry(
            plan.supplier, created=created, previous=plan.previous, changed=changed, labels=labels
        )
        if entry is not None:
            entries.append(entry)
    created_ids = {plan.supplier.pk for plan in todo if plan.outcome == CREATED}
    entries += [
        certification_entry(cert, Action.CERTIFICATION_ADDED, fields=["valid_until"])
        for cert in new_certs
        if cert.supplier_id not in created_ids
    ]
    entries += [
        certification_entry(
            cert, Action.CERTIFICATION_CHANGED, valid_until_before=old, fields=["valid_until"]
        )
        for cert, old in changed_certs
    ]
    return entries
