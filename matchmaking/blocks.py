"""Writes matches for a block of suppliers at once: the direction an import or a partner batch
needs (many suppliers changed, the requirements did not).

``score_suppliers`` scores a block of suppliers against every open requirement with the
engine's block path, keeps per requirement the block's best candidates, and merges them into
the stored lists: every list is re-ranked by exactly the stored score (in hundredths, ties to
the smaller supplier id, as ``services.rank_by_stored_score`` and ``services._place`` do) and
cut to its top N. A block supplier that was in a full list and now ranks below that list's
previous N-th (or no longer passes the hard rules) may leave room for a supplier that is not
stored: those requirements are rescored whole (``services.score_requirements``), as
``score_supplier`` refills.

Locks: the match lists written are locked (the same advisory locks as ``services``), then the
requirements are checked against the arrays scored: one edited or closed meanwhile is left to
its own rescore (enqueued by its edit, it runs after this commit and reads every supplier).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import date

import numpy as np
from django.db import connection, transaction

from manufacturers.models import Requirement

from . import data, store
from .engine import RequirementArrays, SupplierArrays, centi, top_k
from .services import (
    ADVISORY_LOCK_CLASS,
    RANK_SLACK,
    Stats,
    _engine,
    _match_rows,
    _take,
    score_requirements,
    top_n,
)

logger = logging.getLogger(__name__)

# Suppliers scored together: a (requirements x block) float32 array of 10,000 x 2,000 is 80 MB.
SUPPLIER_BLOCK = 2000


def _lists_holding(supplier_ids: list[int]) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT requirement_id FROM {store.TABLE} "  # noqa: S608
            "WHERE supplier_id = ANY(%s::bigint[])",
            [supplier_ids],
        )
        return {row[0] for row in cursor.fetchall()}


def _lock_and_check(ids: list[int], latest, open_ids: set[int]) -> tuple[set[int], store.Entries]:
    """Takes the locks of the lists ``ids`` (in id order), then reads which of those
    requirements are still as scored (open exactly when in ``open_ids``, not updated after
    ``latest``) and the stored rows of those lists."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, x)) FROM unnest(%s::int[]) AS x",
            [ADVISORY_LOCK_CLASS, ids],
        )
        cursor.execute(
            f"SELECT id FROM {Requirement._meta.db_table} WHERE id = ANY(%s::bigint[]) "  # noqa: S608
            "AND (%s::timestamptz IS NULL OR updated_at <= %s) "
            "AND (status = %s) = (id = ANY(%s::bigint[]))",
            [ids, latest, latest, Requirement.Status.OPEN, sorted(open_ids)],
        )
        fresh = sorted(row[0] for row in cursor.fetchall())
        cursor.execute(store.ENTRIES_SQL, [fresh])
        entries = store.Entries.from_columns(*cursor.fetchone())
    return set(fresh), entries


def _rerank(
    entries: store.Entries,
    new_req: np.ndarray,
    new_sup: np.ndarray,
    new_centi: np.ndarray,
    block_ids: np.ndarray,
    k: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The stored rows of other suppliers and the block's new candidates, ranked per list.
    Returns (positions of the new candidates that enter, their ranks, primary keys of stored
    rows whose rank moves, their new ranks, primary keys of stored rows to delete)."""
    others = ~np.isin(entries.supplier, block_ids)
    req = np.concatenate([entries.requirement[others], new_req])
    cen = np.concatenate([entries.centi[others], new_centi])
    sup = np.concatenate([entries.supplier[others], new_sup])
    order = np.lexsort((sup, -cen, req))
    grouped = req[order]
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order)) - np.searchsorted(grouped, grouped) + 1
    n_old = int(others.sum())
    old_pos, new_pos = position[:n_old], position[n_old:]
    old_pk, old_rank = entries.pk[others], entries.rank[others]
    moved = (old_pos <= k) & (old_pos != old_rank)
    enters = np.flatnonzero(new_pos <= k)
    # The block's own stored rows: upserted again if they enter, deleted otherwise.
    mine = ~others
    entering = set(zip(new_req[enters].tolist(), new_sup[enters].tolist(), strict=True))
    dropped = [
        pk
        for pk, r, s in zip(
            entries.pk[mine].tolist(),
            entries.requirement[mine].tolist(),
            entries.supplier[mine].tolist(),
            strict=True,
        )
        if (r, s) not in entering
    ]
    deletes = np.concatenate([old_pk[old_pos > k], np.asarray(dropped, dtype=np.int64)])
    return enters, new_pos[enters], old_pk[moved], old_pos[moved], deletes


def _refills(
    entries: store.Entries,
    block_ids: np.ndarray,
    new_req: np.ndarray,
    new_sup: np.ndarray,
    new_centi: np.ndarray,
    k: int,
) -> list[int]:
    """Lists that were full, held a block supplier, and where that supplier now ranks below the
    list's previous N-th entry or is no candidate at all: a supplier not stored may belong
    there now."""
    last = entries.rank == k
    nth = {
        r: (c, s)
        for r, c, s in zip(
            entries.requirement[last].tolist(),
            entries.centi[last].tolist(),
            entries.supplier[last].tolist(),
            strict=True,
        )
    }
    if not nth:
        return []
    now = {
        (r, s): c
        for r, s, c in zip(new_req.tolist(), new_sup.tolist(), new_centi.tolist(), strict=True)
    }
    refill = set()
    mine = np.isin(entries.supplier, block_ids)
    for r, s in zip(
        entries.requirement[mine].tolist(), entries.supplier[mine].tolist(), strict=True
    ):
        if r not in nth:
            continue
        score = now.get((r, s))
        last_centi, last_sup = nth[r]
        ahead = score is not None and (
            score > last_centi or (score == last_centi and s <= last_sup)
        )
        if not ahead:
            refill.add(r)
    return sorted(refill)


def _score_block(
    engine, reqs: RequirementArrays, sups: SupplierArrays, latest, stats: Stats
) -> list[int]:
    """One block inside the caller's transaction; returns the requirements to refill."""
    k = top_n()
    held = _lists_holding(sups.ids.tolist()) if len(sups) else set()
    empty = np.zeros(0, np.int64)
    if len(reqs) and len(sups):
        block = engine.score_block(reqs, np.arange(len(reqs)), sups)
        best = top_k(block["score"], block["excluded"], sups.ids, k + RANK_SLACK)
        stats.pairs += int(block["score"].size)
        del block
        r_idx = np.concatenate(
            [np.full(len(b), r, np.int64) for r, b in enumerate(best)] or [empty]
        )
        s_idx = np.concatenate(best or [empty]).astype(np.int64)
    else:
        r_idx = s_idx = empty
    result = engine.score_pairs(reqs, r_idx, sups, s_idx) if len(r_idx) else None
    new_centi = centi(result["score"]) if result is not None else np.zeros(0)
    new_req = reqs.ids[r_idx] if len(r_idx) else empty
    new_sup = sups.ids[s_idx] if len(s_idx) else empty

    # Only lists a candidate can enter (beats the stored N-th, or the list is not full) or that
    # hold a block supplier are touched.
    candidate_lists = np.unique(new_req)
    nth_req, nth_centi, nth_sup = store.nth_entry_arrays(candidate_lists.tolist(), k)
    at = np.minimum(np.searchsorted(nth_req, new_req), max(len(nth_req) - 1, 0))
    if len(nth_req):
        full = nth_req[at] == new_req
        ahead = (new_centi > nth_centi[at]) | (
            (new_centi == nth_centi[at]) & (new_sup <= nth_sup[at])
        )
        could_enter = ~full | ahead
    else:
        could_enter = np.ones(len(new_req), dtype=bool)
    touched = set(new_req[could_enter].tolist()) | held
    if not touched:
        return []
    ids = sorted(touched)
    open_ids = set(reqs.ids.tolist()) & touched
    fresh, entries = _lock_and_check(ids, latest, open_ids)
    keep = could_enter & np.isin(new_req, sorted(fresh))
    positions = np.flatnonzero(keep)
    enters, ranks, moved_pk, moved_rank, deletes = _rerank(
        entries, new_req[keep], new_sup[keep], new_centi[keep], sups.ids, k
    )
    chosen = positions[enters]
    rows = (
        _match_rows(engine, reqs, r_idx[chosen], sups, s_idx[chosen], ranks, _take(result, chosen))
        if len(chosen)
        else []
    )
    with connection.cursor() as cursor:
        store.defer_flush(cursor)
    store.write_changes(rows, (moved_pk.tolist(), moved_rank.tolist()), deletes.tolist())
    stats.matches += len(rows)
    stats.removed += len(deletes)
    return _refills(entries, sups.ids, new_req, new_sup, new_centi, k)


def score_suppliers(
    supplier_ids: Iterable[int], *, day: date | None = None, refill: bool = True
) -> Stats:
    """Rescores these suppliers against every open requirement, in blocks, and updates the
    affected lists; the lists that may now miss a supplier (see the module) are in
    ``Stats.refills``, and rescored here unless ``refill`` is False (a task plans them as
    chunks of their own instead, to stay short)."""
    started = time.perf_counter()
    ids = sorted({int(i) for i in supplier_ids})
    stats = Stats()
    vocab, engine = _engine(day)
    refills: set[int] = set()
    for start in range(0, len(ids), SUPPLIER_BLOCK):
        chunk = ids[start : start + SUPPLIER_BLOCK]
        with transaction.atomic():
            signature = data.requirement_signature()
            reqs = data.requirement_index(vocab, signature=signature)
            sups = data.load_suppliers(vocab, chunk)
            refills.update(_score_block(engine, reqs, sups, signature[1], stats))
            stats.requirements = len(reqs)
            stats.suppliers += len(sups)
    stats.refills = sorted(refills)
    if refill and stats.refills:
        score_requirements(stats.refills, day=day)
    stats.seconds = time.perf_counter() - started
    logger.info("scored a block of suppliers %s", stats.as_dict())
    return stats
