"""The engine's inputs: suppliers and requirements as arrays, and how to build them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from . import text as textmod
from .vocabulary import Vocabulary

NO_END_DATE = date.max.toordinal()
VERIFICATION_CODES = ("unverified", "verified", "rejected")  # index stored in SupplierArrays


@dataclass
class SupplierArrays:
    ids: np.ndarray  # int64 (n,), ascending
    province: np.ndarray  # int32 (n,), vocab.unknown_province when missing
    capacity: np.ndarray  # float32 (n,), NaN when unknown
    lead_time: np.ndarray  # float32 (n,), NaN when unknown
    verification: np.ndarray  # int8 (n,), index into VERIFICATION_CODES
    processes: np.ndarray  # float32 (n, P) incidence
    materials: np.ndarray  # float32 (n, M) incidence
    components: np.ndarray  # bool (n, N): category or one beneath it is listed (ancestor closure)
    cert_rows: np.ndarray  # int32: one entry per (supplier, certification incl. implied)
    cert_cols: np.ndarray  # int32
    cert_until: np.ndarray  # int32 ordinal of the end date (NO_END_DATE when open-ended)
    text: np.ndarray  # float32 (n, DIM), L2-normalised rows
    # Local content (TKDN): one entry per TKDN certificate carrying a percentage.
    lc_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    lc_pct: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    lc_until: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    def __len__(self) -> int:
        return len(self.ids)

    def live_count(self) -> int:
        """Suppliers these rows stand for (a snapshot also holds dead rows, see
        ``matchmaking.snapshot``)."""
        return len(self.ids)

    def local_content(self, today: int) -> np.ndarray:
        """(n,) float64: the best percentage among the TKDN certificates valid on ``today``,
        NaN for a supplier without one."""
        best = np.full(len(self.ids), -np.inf)
        keep = self.lc_until >= today
        np.maximum.at(best, self.lc_rows[keep], self.lc_pct[keep])
        best[np.isneginf(best)] = np.nan
        return best

    def valid_certs(self, today: int, n_certs: int) -> np.ndarray:
        valid = np.zeros((len(self.ids), n_certs), dtype=np.float32)
        keep = self.cert_until >= today
        valid[self.cert_rows[keep], self.cert_cols[keep]] = 1.0
        return valid

    def position(self, supplier_id: int) -> int | None:
        i = int(np.searchsorted(self.ids, supplier_id))
        return i if i < len(self.ids) and self.ids[i] == supplier_id else None

    def rows_of(self, supplier_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows of these suppliers, and which of them are here at all."""
        supplier_ids = np.asarray(supplier_ids, dtype=np.int64)
        if not len(self.ids):
            return np.zeros(len(supplier_ids), np.int64), np.zeros(len(supplier_ids), bool)
        rows = np.minimum(np.searchsorted(self.ids, supplier_ids), len(self.ids) - 1)
        return rows, self.ids[rows] == supplier_ids

    def rows_between(self, low: int, high: int) -> np.ndarray:
        """The rows of the suppliers with ids in [low, high], in row order."""
        lo = int(np.searchsorted(self.ids, low, side="left"))
        hi = int(np.searchsorted(self.ids, high, side="right"))
        return np.arange(lo, hi)

    def take(self, rows: np.ndarray) -> SupplierArrays:
        """A new SupplierArrays holding only ``rows`` (in that order)."""
        rows = np.asarray(rows, dtype=np.int64)
        remap = np.full(len(self.ids), -1, dtype=np.int64)
        remap[rows] = np.arange(len(rows))
        keep = remap[self.cert_rows] >= 0
        lc_keep = remap[self.lc_rows] >= 0
        return SupplierArrays(
            ids=self.ids[rows],
            province=self.province[rows],
            capacity=self.capacity[rows],
            lead_time=self.lead_time[rows],
            verification=self.verification[rows],
            processes=self.processes[rows],
            materials=self.materials[rows],
            components=self.components[rows],
            cert_rows=remap[self.cert_rows[keep]].astype(np.int32),
            cert_cols=self.cert_cols[keep],
            cert_until=self.cert_until[keep],
            text=self.text[rows],
            lc_rows=remap[self.lc_rows[lc_keep]].astype(np.int32),
            lc_pct=self.lc_pct[lc_keep],
            lc_until=self.lc_until[lc_keep],
        )


@dataclass
class RequirementArrays:
    ids: np.ndarray  # int64 (r,), ascending
    component: np.ndarray  # int32 (r,) node index
    processes: np.ndarray  # float32 (r, P)
    materials: np.ndarray  # float32 (r, M)
    required_certs: np.ndarray  # float32 (r, C)
    preferred_certs: np.ndarray  # float32 (r, C)
    monthly_need: np.ndarray  # float32 (r,) annual volume / 12
    needed_by: np.ndarray  # int32 (r,) ordinal
    province: np.ndarray  # int32 (r,)
    text: np.ndarray  # float32 (r, DIM)
    # Minimum local content (TKDN %) asked, NaN when none; whether it is a hard rule.
    min_local_content: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    local_content_required: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, requirement_id: int) -> int | None:
        i = int(np.searchsorted(self.ids, requirement_id))
        return i if i < len(self.ids) and self.ids[i] == requirement_id else None


def concat_rows(a, b):
    """Rows of ``a`` followed by rows of ``b``, re-sorted by id (same kind of arrays)."""
    cls = SupplierArrays if isinstance(a, SupplierArrays) else RequirementArrays
    fields = {}
    for name in cls.__dataclass_fields__:
        if name.startswith(("cert_", "lc_")):
            continue
        fields[name] = np.concatenate([getattr(a, name), getattr(b, name)])
    order = np.argsort(fields["ids"], kind="stable")
    for name in fields:
        fields[name] = fields[name][order]
    if cls is SupplierArrays:
        inverse = np.empty_like(order)
        inverse[order] = np.arange(len(order))
        rows = np.concatenate([a.cert_rows, b.cert_rows + len(a.ids)])
        fields["cert_rows"] = inverse[rows].astype(np.int32)
        fields["cert_cols"] = np.concatenate([a.cert_cols, b.cert_cols])
        fields["cert_until"] = np.concatenate([a.cert_until, b.cert_until])
        lc_rows = np.concatenate([a.lc_rows, b.lc_rows + len(a.ids)])
        fields["lc_rows"] = inverse[lc_rows].astype(np.int32)
        fields["lc_pct"] = np.concatenate([a.lc_pct, b.lc_pct])
        fields["lc_until"] = np.concatenate([a.lc_until, b.lc_until])
    return cls(**fields)


# --- building the arrays ------------------------------------------------------------------------


def _incidence(
    ids: np.ndarray, pairs: Iterable[tuple[int, str]], index: dict[str, int]
) -> np.ndarray:
    """(owner id, code) pairs -> dense float32 incidence matrix, rows in the order of ``ids``."""
    pairs = list(pairs)
    matrix = np.zeros((len(ids), len(index)), dtype=np.float32)
    if not pairs:
        return matrix
    owners = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((index.get(p[1], -1) for p in pairs), dtype=np.int64, count=len(pairs))
    rows = np.searchsorted(ids, owners)
    rows = np.minimum(rows, len(ids) - 1)
    keep = (cols >= 0) & (ids[rows] == owners) if len(ids) else np.zeros(0, dtype=bool)
    # Held dense because the code lists are tiny and BLAS multiplies small dense matrices faster
    # than scipy.sparse. Duplicate pairs just set the same 1 again.
    matrix[rows[keep], cols[keep]] = 1.0
    return matrix


def build_suppliers(
    vocab: Vocabulary,
    *,
    ids: Sequence[int],
    provinces: Sequence[str | None],
    capacities: Sequence[int | None],
    lead_times: Sequence[int | None],
    verifications: Sequence[str],
    descriptions: Sequence[str],
    processes: Iterable[tuple[int, str]],
    materials: Iterable[tuple[int, str]],
    components: Iterable[tuple[int, str]],
    certifications: Iterable[tuple[int, str, date | None]],
    text_vectors: np.ndarray | None = None,
    local_content: Iterable[tuple[int, float, date | None]] = (),
) -> SupplierArrays:
    ids_arr = np.asarray(ids, dtype=np.int64)
    order = np.argsort(ids_arr, kind="stable")
    ids_arr = ids_arr[order]

    def reorder(values, dtype):
        return np.asarray(values, dtype=dtype)[order] if len(order) else np.zeros(0, dtype)

    unknown = vocab.unknown_province
    province = reorder(
        [vocab.province_index.get(p, unknown) if p else unknown for p in provinces], np.int32
    )
    capacity = reorder([np.nan if c is None else c for c in capacities], np.float32)
    lead = reorder([np.nan if c is None else c for c in lead_times], np.float32)
    verification = reorder(
        [VERIFICATION_CODES.index(v) if v in VERIFICATION_CODES else 0 for v in verifications],
        np.int8,
    )
    closure_pairs = (
        (owner, ancestor)
        for owner, code in components
        if code in vocab.component_index
        for ancestor in vocab.ancestors_or_self(code)
    )
    cert_entries: dict[tuple[int, int], int] = {}
    for owner, code, until in certifications:
        if code not in vocab.cert_index:
            continue
        end = NO_END_DATE if until is None else until.toordinal()
        for implied in vocab.cert_closure(code):
            key = (owner, vocab.cert_index[implied])
            cert_entries[key] = max(cert_entries.get(key, -1), end)
    owners = np.fromiter((k[0] for k in cert_entries), dtype=np.int64, count=len(cert_entries))
    rows = np.searchsorted(ids_arr, owners).astype(np.int32)
    keep = rows < len(ids_arr)
    keep[keep] &= ids_arr[rows[keep]] == owners[keep]
    if text_vectors is None:
        text_vectors = textmod.vectorize([descriptions[i] for i in order])
    else:
        text_vectors = np.asarray(text_vectors, dtype=np.float32)[order]
    lc = [(owner, float(pct), until) for owner, pct, until in local_content if pct is not None]
    lc_owners = np.fromiter((e[0] for e in lc), dtype=np.int64, count=len(lc))
    lc_rows = np.searchsorted(ids_arr, lc_owners).astype(np.int32)
    lc_keep = lc_rows < len(ids_arr)
    lc_keep[lc_keep] &= ids_arr[lc_rows[lc_keep]] == lc_owners[lc_keep]
    return SupplierArrays(
        ids=ids_arr,
        province=province,
        capacity=capacity,
        lead_time=lead,
        verification=verification,
        processes=_incidence(ids_arr, processes, vocab.process_index),
        materials=_incidence(ids_arr, materials, vocab.material_index),
        components=_incidence(ids_arr, closure_pairs, vocab.component_index).astype(bool),
        cert_rows=rows[keep],
        cert_cols=np.fromiter((k[1] for k in cert_entries), np.int32, len(cert_entries))[keep],
        cert_until=np.fromiter(cert_entries.values(), np.int32, len(cert_entries))[keep],
        text=text_vectors,
        lc_rows=lc_rows[lc_keep],
        lc_pct=np.fromiter((e[1] for e in lc), np.float64, len(lc))[lc_keep],
        lc_until=np.fromiter(
            (NO_END_DATE if e[2] is None else e[2].toordinal() for e in lc), np.int32, len(lc)
        )[lc_keep],
    )


def build_requirements(
    vocab: Vocabulary,
    *,
    ids: Sequence[int],
    components: Sequence[str],
    annual_volumes: Sequence[int],
    needed_by: Sequence[date],
    provinces: Sequence[str | None],
    descriptions: Sequence[str],
    processes: Iterable[tuple[int, str]],
    materials: Iterable[tuple[int, str]],
    required_certs: Iterable[tuple[int, str]],
    preferred_certs: Iterable[tuple[int, str]],
    text_vectors: np.ndarray | None = None,
    min_local_content: Sequence[int | None] | None = None,
    local_content_required: Sequence[bool] | None = None,
) -> RequirementArrays:
    ids_arr = np.asarray(ids, dtype=np.int64)
    order = np.argsort(ids_arr, kind="stable")
    ids_arr = ids_arr[order]

    def reorder(values, dtype):
        return np.asarray(values, dtype=dtype)[order] if len(order) else np.zeros(0, dtype)

    unknown = vocab.unknown_province
    if text_vectors is None:
        text_vectors = textmod.vectorize([descriptions[i] for i in order])
    else:
        text_vectors = np.asarray(text_vectors, dtype=np.float32)[order]
    return RequirementArrays(
        ids=ids_arr,
        component=reorder([vocab.component_index[c] for c in components], np.int32),
        processes=_incidence(ids_arr, processes, vocab.process_index),
        materials=_incidence(ids_arr, materials, vocab.material_index),
        required_certs=_incidence(ids_arr, required_certs, vocab.cert_index),
        preferred_certs=_incidence(ids_arr, preferred_certs, vocab.cert_index),
        monthly_need=reorder([v / 12.0 for v in annual_volumes], np.float32),
        needed_by=reorder([d.toordinal() for d in needed_by], np.int32),
        province=reorder(
            [vocab.province_index.get(p, unknown) if p else unknown for p in provinces], np.int32
        ),
        text=text_vectors,
        min_local_content=reorder(
            [np.nan if m is None else m for m in (min_local_content or [None] * len(ids))],
            np.float64,
        ),
        local_content_required=reorder(local_content_required or [False] * len(ids), bool),
    )
