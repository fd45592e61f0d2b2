# ruff: noqa: S608 - table and column names come from model metadata; values are parameters.
"""Reads suppliers and requirements from the database into the engine's arrays.

One query per table (``values_list``, never per object). Workers keep the arrays of all suppliers
and of all open requirements in memory (``supplier_index()`` / ``requirement_index()``): each call
checks a cheap signature (row count, newest ``updated_at``, largest id) and re-reads only the rows
changed since the last look, so scoring one requirement does not re-read 100,000 profiles.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import Count, Max, Q
from django.utils import timezone

from manufacturers.models import Requirement
from suppliers.models import (
    CertificationType,
    ComponentCategory,
    Material,
    Process,
    Province,
    Supplier,
    SupplierCertification,
)
from suppliers.models.supplier import TKDN_CODE

from . import snapshot
from .engine import (
    Engine,
    ProvinceInfo,
    RequirementArrays,
    SupplierArrays,
    Vocabulary,
    build_requirements,
    build_suppliers,
    concat_rows,
)
from .models import Match

logger = logging.getLogger(__name__)

# Rows whose updated_at lies this close to the newest one seen are re-read on every refresh: a
# transaction that commits late may carry an updated_at older than rows committed before it.
LATE_COMMIT_WINDOW = timedelta(minutes=2)

_lock = threading.Lock()
_cache: dict[tuple[str, str], Any] = {}


def _db_key(kind: str, using: str) -> tuple[str, str]:
    return kind, f"{using}:{connections[using].settings_dict['NAME']}"


def clear_caches(*, snapshot_files: bool = True) -> None:
    """Forgets every array read from the database: this process's, and (``snapshot_files``) the
    machine's snapshot of the default database, whose rows may have been replaced by rows with
    older timestamps (a restored or regenerated database, a test's rollback)."""
    with _lock:
        _cache.clear()
    if snapshot_files:
        snapshot.discard()
    else:
        snapshot.forget()


# --- vocabulary -------------------------------------------------------------------------------


def load_engine(day: date) -> tuple[Vocabulary, Engine]:
    """The cached vocabulary and an engine that judges validity dates as of ``day``."""
    vocab = load_vocabulary()
    return vocab, Engine(vocab, day)


def load_vocabulary(using: str = "default") -> Vocabulary:
    key = _db_key("vocabulary", using)
    vocab = _cache.get(key)
    if vocab is None:
        vocab = Vocabulary(
            processes=list(Process.objects.using(using).values_list("code", flat=True)),
            materials=list(Material.objects.using(using).values_list("code", flat=True)),
            certifications=list(
                CertificationType.objects.using(using).values_list("code", flat=True)
            ),
            cert_implies=dict(
                CertificationType.objects.using(using)
                .filter(implies__isnull=False)
                .values_list("code", "implies_id")
            ),
            components=list(ComponentCategory.objects.using(using).values_list("code", flat=True)),
            component_parent=dict(
                ComponentCategory.objects.using(using).values_list("code", "parent_id")
            ),
            provinces=[
                ProvinceInfo(code, island, lat, lon)
                for code, island, lat, lon in Province.objects.using(using).values_list(
                    "code", "island_group", "lat", "lon"
                )
            ],
        )
        if vocab.processes and vocab.provinces:
            _cache[key] = vocab
    return vocab


# --- plain loaders ----------------------------------------------------------------------------


FEW = 500  # up to this many ids, PostgreSQL answers in one query with arrays


def _column(model, field: str) -> str:
    return model._meta.get_field(field).column


def _supplier_columns_sql(alias: str = "s") -> str:
    """The select list of one supplier row with its code lists as arrays (see
    ``_suppliers_from_rows``)."""
    through = {
        name: getattr(Supplier, name).through for name in ("processes", "materials", "components")
    }

    def codes(name: str, target: str) -> str:
        model = through[name]
        return (
            f"ARRAY(SELECT x.{_column(model, target)} FROM {model._meta.db_table} x "
            f"WHERE x.{_column(model, 'supplier')} = {alias}.id)"
        )

    cert = SupplierCertification._meta.db_table
    return (
        f"{alias}.id, {alias}.province_id, {alias}.capacity_per_month, {alias}.lead_time_days, "
        f"{alias}.verification_status, {alias}.description, "
        f"{codes('processes', 'process')}, {codes('materials', 'material')}, "
        f"{codes('components', 'componentcategory')}, "
        f"ARRAY(SELECT c.cert_type_id FROM {cert} c WHERE c.supplier_id = {alias}.id "
        "ORDER BY c.id), "
        f"ARRAY(SELECT c.valid_until FROM {cert} c WHERE c.supplier_id = {alias}.id "
        "ORDER BY c.id), "
        f"ARRAY(SELECT c.local_content_pct FROM {cert} c WHERE c.supplier_id = {alias}.id "
        "ORDER BY c.id)"
    )


def _suppliers_from_rows(vocab: Vocabulary, rows: list) -> SupplierArrays:
    return build_suppliers(
        vocab,
        ids=[r[0] for r in rows],
        provinces=[r[1] for r in rows],
        capacities=[r[2] for r in rows],
        lead_times=[r[3] for r in rows],
        verifications=[r[4] for r in rows],
        descriptions=[r[5] for r in rows],
        processes=[(r[0], c) for r in rows for c in r[6]],
        materials=[(r[0], c) for r in rows for c in r[7]],
        components=[(r[0], c) for r in rows for c in r[8]],
        certifications=[(r[0], c, d) for r in rows for c, d in zip(r[9], r[10], strict=True)],
        local_content=[
            (r[0], pct, d)
            for r in rows
            for c, d, pct in zip(r[9], r[10], r[11], strict=True)
            if c == TKDN_CODE and pct is not None
        ],
    )


def _few_suppliers_pg(vocab: Vocabulary, ids: list[int], using: str) -> SupplierArrays:
    """Few suppliers, one round trip: each row carries its code lists as arrays."""
    sql = f"SELECT {_supplier_columns_sql()} FROM {Supplier._meta.db_table} s WHERE s.id = ANY(%s)"
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [list(ids)])
        rows = cursor.fetchall()
    return _suppliers_from_rows(vocab, rows)


def _few_requirements_pg(
    vocab: Vocabulary, ids: list[int], open_only: bool, using: str
) -> RequirementArrays:
    def codes(field: str, target: str) -> str:
        model = getattr(Requirement, field).through
        return (
            f"ARRAY(SELECT x.{_column(model, target)} FROM {model._meta.db_table} x "
            f"WHERE x.{_column(model, 'requirement')} = r.id)"
        )

    sql = (
        "SELECT r.id, r.component_id, r.annual_volume, r.needed_by, r.delivery_province_id, "
        "r.title, r.description, r.min_local_content_pct, r.local_content_required, "
        f"{codes('processes', 'process')}, {codes('materials', 'material')}, "
        f"{codes('required_certifications', 'certificationtype')}, "
        f"{codes('preferred_certifications', 'certificationtype')} "
        f"FROM {Requirement._meta.db_table} r WHERE r.id = ANY(%s)"
        + (" AND r.status = %s" if open_only else "")
    )
    params = [list(ids)] + ([Requirement.Status.OPEN] if open_only else [])
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return build_requirements(
        vocab,
        ids=[r[0] for r in rows],
        components=[r[1] for r in rows],
        annual_volumes=[r[2] for r in rows],
        needed_by=[r[3] for r in rows],
        provinces=[r[4] for r in rows],
        descriptions=[f"{r[5]}. {r[6]}" for r in rows],
        min_local_content=[r[7] for r in rows],
        local_content_required=[r[8] for r in rows],
        processes=[(r[0], c) for r in rows for c in r[9]],
        materials=[(r[0], c) for r in rows for c in r[10]],
        required_certs=[(r[0], c) for r in rows for c in r[11]],
        preferred_certs=[(r[0], c) for r in rows for c in r[12]],
    )


def load_suppliers(
    vocab: Vocabulary, ids: list[int] | None = None, using: str = "default"
) -> SupplierArrays:
    if ids is not None and len(ids) <= FEW:
        return _few_suppliers_pg(vocab, ids, using)
    suppliers = Supplier.objects.using(using).order_by()
    through = {
        name: getattr(Supplier, name).through.objects.using(using).order_by()
        for name in ("processes", "materials", "components")
    }
    certs = SupplierCertification.objects.using(using).order_by()
    if ids is not None:
        suppliers = suppliers.filter(id__in=ids)
        through = {name: qs.filter(supplier_id__in=ids) for name, qs in through.items()}
        certs = certs.filter(supplier_id__in=ids)
    rows = list(
        suppliers.values_list(
            "id",
            "province_id",
            "capacity_per_month",
            "lead_time_days",
            "verification_status",
            "description",
        )
    )
    columns = list(zip(*rows, strict=True)) if rows else [[]] * 6
    return build_suppliers(
        vocab,
        ids=columns[0],
        provinces=columns[1],
        capacities=columns[2],
        lead_times=columns[3],
        verifications=columns[4],
        descriptions=columns[5],
        processes=through["processes"].values_list("supplier_id", "process_id"),
        materials=through["materials"].values_list("supplier_id", "material_id"),
        components=through["components"].values_list("supplier_id", "componentcategory_id"),
        certifications=certs.values_list("supplier_id", "cert_type_id", "valid_until"),
        local_content=certs.filter(
            cert_type_id=TKDN_CODE, local_content_pct__isnull=False
        ).values_list("supplier_id", "local_content_pct", "valid_until"),
    )


def load_requirements(
    vocab: Vocabulary,
    ids: list[int] | None = None,
    *,
    open_only: bool = True,
    using: str = "default",
) -> RequirementArrays:
    if ids is not None and len(ids) <= FEW:
        return _few_requirements_pg(vocab, ids, open_only, using)
    requirements = Requirement.objects.using(using).order_by()
    if open_only:
        requirements = requirements.filter(status=Requirement.Status.OPEN)
    if ids is not None:
        requirements = requirements.filter(id__in=ids)
    rows = list(
        requirements.values_list(
            "id",
            "component_id",
            "annual_volume",
            "needed_by",
            "delivery_province_id",
            "description",
            "title",
            "min_local_content_pct",
            "local_content_required",
        )
    )
    found = [row[0] for row in rows]

    def pairs(field: str, column: str):
        through = getattr(Requirement, field).through.objects.using(using).order_by()
        return through.filter(requirement_id__in=found).values_list("requirement_id", column)

    columns = list(zip(*rows, strict=True)) if rows else [[]] * 9
    return build_requirements(
        vocab,
        ids=columns[0],
        components=columns[1],
        annual_volumes=columns[2],
        needed_by=columns[3],
        provinces=columns[4],
        # The part name is part of what the buyer wrote about the part.
        descriptions=[
            f"{title}. {desc}" for desc, title in zip(columns[5], columns[6], strict=True)
        ],
        min_local_content=columns[7],
        local_content_required=columns[8],
        processes=pairs("processes", "process_id") if found else [],
        materials=pairs("materials", "material_id") if found else [],
        required_certs=pairs("required_certifications", "certificationtype_id") if found else [],
        preferred_certs=pairs("preferred_certifications", "certificationtype_id") if found else [],
    )


# --- merging (incremental refresh) --------------------------------------------------------------


def _concat(a, b, cls):
    return concat_rows(a, b)


def _without(arrays, ids: np.ndarray):
    keep = np.flatnonzero(~np.isin(arrays.ids, ids))
    if isinstance(arrays, SupplierArrays):
        return arrays.take(keep)
    return RequirementArrays(
        **{name: getattr(arrays, name)[keep] for name in RequirementArrays.__dataclass_fields__}
    )


def merge(old, fresh, replaced_ids):
    """``old`` with the rows of ``replaced_ids`` dropped and the rows of ``fresh`` added."""
    cls = type(old)
    return _concat(_without(old, np.asarray(replaced_ids, dtype=np.int64)), fresh, cls)


# --- cached indexes ---------------------------------------------------------------------------


@dataclass
class _Cached:
    signature: tuple
    arrays: Any


def _refresh(
    kind: str, using: str, signature: tuple, changed_qs, loader, *, counted: bool = True
) -> Any:
    """``signature``: (open rows, newest ``updated_at``, largest id) when ``counted``, else
    (deletion counter, newest ``updated_at``, largest id)."""
    key = _db_key(kind, using)
    with _lock:
        cached = _cache.get(key)
    if cached is not None and cached.signature == signature:
        return cached.arrays
    if cached is not None and cached.signature[1] is not None:
        since = cached.signature[1] - LATE_COMMIT_WINDOW
        changed = list(changed_qs.filter(updated_at__gte=since).values_list("id", flat=True))
        arrays = merge(cached.arrays, loader(ids=changed), changed)
        # Something was deleted (or closed by a bulk update): read everything again.
        if (len(arrays) != signature[0]) if counted else (cached.signature[0] != signature[0]):
            arrays = loader(ids=None)
    else:
        arrays = loader(ids=None)
    with _lock:
        _cache[key] = _Cached(signature, arrays)
    return arrays


def supplier_index(
    vocab: Vocabulary, using: str = "default", *, day: date | None = None
) -> SupplierArrays:
    """All suppliers, kept current. With ``MATCHMAKING_SNAPSHOT_DIR`` set: the machine's shared
    snapshot for ``day`` (default today), mapped read-only; otherwise this process's own copy."""
    qs = Supplier.objects.using(using).order_by()
    signature = supplier_signature(using)
    if snapshot.enabled():
        return snapshot.suppliers(
            vocab,
            day=day or timezone.localdate(),
            signature=signature,
            load=lambda ids: load_suppliers(vocab, ids, using),
            changed_since=lambda moment: qs.filter(
                updated_at__gte=moment - LATE_COMMIT_WINDOW
            ).values_list("id", flat=True),
            all_ids=lambda: qs.values_list("id", flat=True).iterator(chunk_size=50_000),
            using=using,
        )
    return _refresh(
        "suppliers",
        using,
        signature,
        qs,
        lambda ids: load_suppliers(vocab, ids, using),
        counted=False,
    )


def supplier_signature(using: str = "default") -> tuple:
    """(deletion counter, newest ``updated_at``, largest id) of the suppliers: changes whenever
    a supplier is added, saved or deleted, and costs three index lookups, not a count of every
    row (migration matchmaking 0008 keeps the counter)."""
    table = Supplier._meta.db_table
    with connections[using].cursor() as cursor:
        cursor.execute(
            # A new sequence has last_value 1 before its first nextval, and after it.
            "SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END "
            "FROM matchmaking_supplier_deletions), "
            f"(SELECT max(updated_at) FROM {table}), (SELECT max(id) FROM {table})"
        )
        return tuple(cursor.fetchone())


def requirement_signature_sql() -> tuple[str, list]:
    """SQL of one row (open requirements, newest ``updated_at``, largest id): what
    ``requirement_index`` compares with the arrays it holds. For callers that fold it into a
    query of their own (one round trip fewer)."""
    return (
        "SELECT count(*) FILTER (WHERE status = %s), max(updated_at), max(id) "
        f"FROM {Requirement._meta.db_table}",
        [Requirement.Status.OPEN],
    )


def requirement_signature(using: str = "default") -> tuple:
    return tuple(
        Requirement.objects.using(using)
        .aggregate(
            n=Count("id", filter=Q(status=Requirement.Status.OPEN)),
            latest=Max("updated_at"),
            top=Max("id"),
        )
        .values()
    )


def requirement_index(
    vocab: Vocabulary, using: str = "default", *, signature: tuple | None = None
) -> RequirementArrays:
    """All open requirements, kept current in this process. ``signature``: the row of
    ``requirement_signature_sql()`` if the caller has just read it."""
    qs = Requirement.objects.using(using).order_by()
    return _refresh(
        "requirements",
        using,
        tuple(signature) if signature is not None else requirement_signature(using),
        qs,
        lambda ids: load_requirements(vocab, ids, using=using),
    )


@dataclass
class SupplierRescore:
    """What rescoring one supplier starts from (``for_supplier_rescore``)."""

    supplier: SupplierArrays  # empty if the supplier no longer exists
    requirements: RequirementArrays  # all open requirements, current
    signature: tuple  # of ``requirements``
    lists: set[int]  # requirements whose stored match list holds the supplier


def for_supplier_rescore(
    vocab: Vocabulary, supplier_id: int, using: str = "default"
) -> SupplierRescore:
    """The supplier, the freshness check of the requirement arrays and the lists the supplier is
    in, read in one query."""
    connection = connections[using]
    signature_sql, params = requirement_signature_sql()
    sql = (
        "SELECT sig.*, ARRAY(SELECT m.requirement_id FROM "
        f"{Match._meta.db_table} m WHERE m.supplier_id = %s), {_supplier_columns_sql()} "
        f"FROM ({signature_sql}) sig LEFT JOIN {Supplier._meta.db_table} s ON s.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [supplier_id, *params, supplier_id])  # in the order of the text
        row = cursor.fetchone()
    signature, lists, supplier_row = tuple(row[:3]), set(row[3]), row[4:]
    return SupplierRescore(
        supplier=_suppliers_from_rows(vocab, [supplier_row] if supplier_row[0] is not None else []),
        requirements=requirement_index(vocab, using, signature=signature),
        signature=signature,
        lists=lists,
    )
