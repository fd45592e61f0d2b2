"""Writes matches: score one requirement, one supplier, or everything; upsert; remove stale.

Every write for a requirement's match list happens under that requirement's lock (a PostgreSQL
transaction-level advisory lock; SQLite serialises writers anyway), and the data is read after the
lock is taken, so two workers scoring the same requirement at once leave the same rows as one.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from manufacturers.models import Requirement

from . import data, store
from .engine import (
    Engine,
    RequirementArrays,
    SupplierArrays,
    Vocabulary,
    centi,
    near_misses,
    top_k,
)
from .facts import pair_facts
from .models import Match, ReadinessSummary
from .readiness import Readiness, write_summary

logger = logging.getLogger(__name__)

ADVISORY_LOCK_CLASS = 0x52414E  # "RAN": requirement match lists
BLOCK_SIZE = 128


def top_n() -> int:
    return int(getattr(settings, "MATCH_TOP_N", 50))


def today() -> date:
    return timezone.localdate()


def _engine(day: date | None = None) -> tuple[Vocabulary, Engine]:
    vocab = data.load_vocabulary()
    return vocab, Engine(vocab, day or today())


def _lock_requirements(ids: Iterable[int]) -> None:
    """Takes the match-list locks of these requirements, in id order (no deadlocks)."""
    ids = sorted({int(i) for i in ids})
    if not ids or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, x)) FROM unnest(%s::int[]) AS x",
            [ADVISORY_LOCK_CLASS, ids],
        )


def _match_rows(
    engine: Engine,
    reqs: RequirementArrays,
    r_idx: np.ndarray,
    sups: SupplierArrays,
    s_idx: np.ndarray,
    ranks: np.ndarray,
) -> list[store.Row]:
    if len(r_idx) == 0:
        return []
    result = engine.score_pairs(reqs, r_idx, sups, s_idx)
    facts = pair_facts(engine, reqs, r_idx, sups, s_idx, result)
    scores = (centi(result["score"]) / 100.0).tolist()
    names = list(result["components"])
    values = np.round(
        np.stack([np.asarray(result["components"][n], dtype=np.float64) for n in names], axis=1), 4
    ).tolist()
    requirement_ids = reqs.ids[r_idx].tolist()
    supplier_ids = sups.ids[s_idx].tolist()
    rank_list = np.asarray(ranks).tolist()
    return [
        (
            requirement_ids[i],
            supplier_ids[i],
            scores[i],
            rank_list[i],
            dict(zip(names, values[i], strict=True)),
            facts[i],
        )
        for i in range(len(requirement_ids))
    ]


@dataclass
class Stats:
    requirements: int = 0
    suppliers: int = 0
    pairs: int = 0
    matches: int = 0
    removed: int = 0
    refills: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "requirements": self.requirements,
            "suppliers": self.suppliers,
            "pairs": self.pairs,
            "matches": self.matches,
            "removed": self.removed,
            "refills": len(self.refills),
            "seconds": round(self.seconds, 3),
        }


def _write_block(
    engine: Engine,
    reqs: RequirementArrays,
    rows: np.ndarray,
    sups: SupplierArrays,
    block: dict,
    requested_ids: Iterable[int],
    stats: Stats,
) -> None:
    """Replaces the match lists of the requirements in ``requested_ids`` (open ones: from
    ``block``; the others are no longer open and lose their matches)."""
    k = top_n()
    best = top_k(block["score"], block["excluded"], sups.ids, k) if len(rows) else []
    empty = np.zeros(0, np.int64)
    r_idx = np.concatenate(
        [np.full(len(b), r, np.int64) for r, b in zip(rows, best, strict=True)] or [empty]
    )
    s_idx = np.concatenate(best or [empty]).astype(np.int64)
    ranks = np.concatenate([np.arange(1, len(b) + 1) for b in best] or [empty])
    match_rows = _match_rows(engine, reqs, r_idx, sups, s_idx, ranks)
    stats.removed += store.save_matches(match_rows, replace_for=requested_ids)
    stats.matches += len(match_rows)
    stats.pairs += int(block["score"].size) if len(rows) else 0


def score_requirements(requirement_ids: Iterable[int], *, day: date | None = None) -> Stats:
    """Rescores these requirements against every supplier and replaces their match lists."""
    started = time.perf_counter()
    ids = sorted({int(i) for i in requirement_ids})
    stats = Stats()
    vocab, engine = _engine(day)
    for start in range(0, len(ids), BLOCK_SIZE):
        chunk = ids[start : start + BLOCK_SIZE]
        with transaction.atomic():
            _lock_requirements(chunk)
            # Read after locking: whoever holds the lock last wrote from the newest data.
            reqs = data.load_requirements(vocab, chunk)
            sups = data.supplier_index(vocab)
            rows = np.arange(len(reqs))
            block = engine.score_block(reqs, rows, sups) if len(reqs) and len(sups) else {}
            if not block:
                rows = np.zeros(0, np.int64)
            _write_block(engine, reqs, rows, sups, block, chunk, stats)
            stats.requirements += len(reqs)
            stats.suppliers = len(sups)
    stats.seconds = time.perf_counter() - started
    logger.info("scored requirements %s", stats.as_dict())
    return stats


def score_requirement(requirement_id: int, *, day: date | None = None) -> Stats:
    return score_requirements([requirement_id], day=day)


def score_supplier(supplier_id: int, *, day: date | None = None) -> Stats:
    """Rescores one supplier against every open requirement and updates the affected lists.

    A list is affected when the supplier enters it (beats the current N-th) or is in it. When
    the supplier was in a full list and now scores below that list's previous N-th, a supplier
    that is not stored might now rank above it: that requirement is rescored (enqueued, returned
    in ``Stats.refills``).
    """
    started = time.perf_counter()
    stats = Stats(suppliers=1)
    vocab, engine = _engine(day)
    k = top_n()

    def compute(reqs):
        if len(sup) and len(reqs):
            block = engine.score_block(reqs, np.arange(len(reqs)), sup)
            return centi(block["score"][:, 0]), ~block["excluded"][:, 0]
        return np.zeros(len(reqs)), np.zeros(len(reqs), dtype=bool)

    def decide(reqs, score, eligible, current):
        """Which lists the supplier enters, and which need a refill (see the docstring)."""
        current_ids = np.fromiter(current, dtype=np.int64, count=len(current))
        ids = np.union1d(reqs.ids[eligible], current_ids)
        nth = store.nth_entries(ids.tolist(), k)
        pos = np.minimum(np.searchsorted(reqs.ids, ids), max(len(reqs) - 1, 0))
        if len(reqs):
            usable = (reqs.ids[pos] == ids) & eligible[pos]
        else:
            usable = np.zeros(len(ids), dtype=bool)
        enters, refill = [], []
        for req_id, p, ok in zip(ids.tolist(), pos.tolist(), usable.tolist(), strict=True):
            mine = (-score[p], supplier_id) if ok else None
            last = nth.get(req_id)
            last_key = (-last[0], last[1]) if last else None
            if ok and (last is None or mine <= last_key or last[1] == supplier_id):
                enters.append(p)
            if req_id in current and last is not None and (not ok or mine > last_key):
                refill.append(req_id)
        return enters, refill

    with transaction.atomic():
        sup = data.load_suppliers(vocab, [supplier_id])
        reqs = data.requirement_index(vocab)
        current = store.lists_of_supplier(supplier_id)
        enters, refill = decide(reqs, *compute(reqs), current)
        touched = sorted(set(reqs.ids[enters].tolist()) | current)
        if touched:
            _lock_requirements(touched)
            # Lists or requirements changed while we waited for the locks: decide again.
            fresh = data.requirement_index(vocab)
            if fresh is not reqs or store.lists_of_supplier(supplier_id) != current:
                reqs, current = fresh, store.lists_of_supplier(supplier_id)
                enters, refill = decide(reqs, *compute(reqs), current)
                more = sorted(set(reqs.ids[enters].tolist()) | current)
                _lock_requirements(set(more) - set(touched))
                touched = sorted(set(touched) | set(more))
        stats.requirements = len(reqs)
        stats.pairs = len(reqs) * len(sup)
        r_idx = np.asarray(enters, dtype=np.int64)
        rows = _match_rows(
            engine, reqs, r_idx, sup, np.zeros(len(r_idx), np.int64), np.full(len(r_idx), k + 1)
        )
        store.save_matches(rows)
        entered = {row[0] for row in rows}
        gone = [r for r in current if r not in entered]
        if gone:
            stats.removed = store.remove_pairs(supplier_id, gone)
        store.rerank(touched, k)
        stats.matches = len(rows)
        stats.refills = refill
    stats.seconds = time.perf_counter() - started
    logger.info("scored supplier %s %s", supplier_id, stats.as_dict())
    return stats


def remove_closed_matches() -> int:
    """Matches of requirements that are no longer open are not matches."""
    return Match.objects.exclude(requirement__status=Requirement.Status.OPEN).delete()[0]


def _score_chunks(engine: Engine, vocab: Vocabulary, sups: SupplierArrays, chunks) -> tuple:
    stats = Stats()
    found = Readiness.empty(len(sups), vocab)
    for chunk in chunks:
        with transaction.atomic():
            _lock_requirements(chunk)
            reqs = data.load_requirements(vocab, chunk)
            rows = np.arange(len(reqs))
            block = (
                engine.score_block(reqs, rows, sups, with_parts=True)
                if len(reqs) and len(sups)
                else {}
            )
            if block:
                found.add(reqs, near_misses(engine, reqs, rows, sups, block))
            else:
                rows = np.zeros(0, np.int64)
            _write_block(engine, reqs, rows, sups, block, chunk, stats)
            stats.requirements += len(reqs)
    return stats, found


_forked: tuple | None = None
# Database connection objects a forked process inherited. Kept referenced for the child's whole
# life (pool children leave with os._exit, so they are never finalised): freeing one would make
# psycopg2 send a Terminate message on a socket that belongs to the parent or a sibling.
_inherited: list = []


def _forked_init() -> None:
    """Runs first in every forked child: never use, nor close, an inherited connection.

    ``connections.close_all()`` before the fork closes only the connections the parent can see
    from where it stands: Django keeps them per thread, and per event-loop context while an
    asyncio loop is marked running in the thread (Playwright's sync API does that). The child has
    no running loop, so it can see a connection the parent could not close; used by two children,
    one socket carries both protocol streams and PostgreSQL drops it. Like Celery's prefork pool,
    the child drops what it inherited without any network I/O and opens its own."""
    for inherited in connections.all(initialized_only=True):
        _inherited.append(inherited)
        connections[inherited.alias] = type(inherited)(inherited.settings_dict, inherited.alias)


def _forked_part(indices: list[int]) -> tuple:
    engine, vocab, sups, chunks = _forked
    try:
        stats, found = _score_chunks(engine, vocab, sups, [chunks[i] for i in indices])
        return stats, found.cert, found.process
    finally:
        connections.close_all()


def rescore_everything(*, day: date | None = None, processes: int = 1) -> Stats:
    """Every open requirement against every supplier: match lists (top N each) and the readiness
    summary. What ``manage.py rematch`` runs; the nightly job spreads the same work over Celery
    workers (``tasks.rescore_all``). With ``processes`` > 1 the blocks are shared by forked
    processes that inherit the supplier arrays (copy-on-write); each commits its own blocks."""
    global _forked
    started = time.perf_counter()
    vocab, engine = _engine(day)
    stats = Stats()
    stats.removed += remove_closed_matches()
    sups = data.supplier_index(vocab)
    engine.supplier_features(sups)  # computed once, before any fork
    req_ids = list(
        Requirement.objects.filter(status=Requirement.Status.OPEN)
        .order_by("id")
        .values_list("id", flat=True)
    )
    chunks = [req_ids[i : i + BLOCK_SIZE] for i in range(0, len(req_ids), BLOCK_SIZE)]
    found = Readiness.empty(len(sups), vocab)
    # Forked processes use their own connections: they cannot see an open transaction's rows.
    # SQLite serialises writers anyway (and a test database may live in memory): one process.
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
    if processes > 1 and len(chunks) > 1 and parallel:
        _forked = (engine, vocab, sups, chunks)
        connections.close_all()
        context = multiprocessing.get_context("fork")
        try:
            with context.Pool(processes, initializer=_forked_init) as pool:
                parts = pool.map(
                    _forked_part, [list(range(i, len(chunks), processes)) for i in range(processes)]
                )
        finally:
            _forked = None
        for part_stats, cert, process in parts:
            for name in ("requirements", "pairs", "matches", "removed"):
                setattr(stats, name, getattr(stats, name) + getattr(part_stats, name))
            found.cert += cert
            found.process += process
    else:
        part_stats, found = _score_chunks(engine, vocab, sups, chunks)
        for name in ("requirements", "pairs", "matches", "removed"):
            setattr(stats, name, getattr(stats, name) + getattr(part_stats, name))
    with transaction.atomic():
        # This run covered every supplier: it replaces every batch.
        ReadinessSummary.objects.all().delete()
        written = write_summary(vocab, sups, found, "all")
    stats.suppliers = len(sups)
    stats.seconds = time.perf_counter() - started
    logger.info("rescored everything %s readiness_rows=%s", stats.as_dict(), written)
    return stats
