"""Writes matches: score one requirement, one supplier, or everything; upsert; remove stale.

Every write for a requirement's match list happens under that requirement's lock (a PostgreSQL
transaction-level advisory lock), and the data is read after the lock is taken, so two workers
scoring the same requirement at once leave the same rows as one.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import orjson
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
from .facts import json_texts, pair_facts_json
from .models import Match, ReadinessSummary
from .readiness import Readiness, write_summary

logger = logging.getLogger(__name__)

ADVISORY_LOCK_CLASS = 0x52414E  # "RAN": requirement match lists
BLOCK_SIZE = 128
# A block's temporaries are about a dozen (rows x suppliers) arrays: keep rows x suppliers near
# this, so that a block at 1,000,000 UMKM takes 32 rows (~0.5 GB) rather than 128 (~2 GB).
BLOCK_PAIRS = 32_000_000
# Candidates beyond the top N scored by the pair formula before the final cut (see _write_block).
RANK_SLACK = 4


def top_n() -> int:
    return int(getattr(settings, "MATCH_TOP_N", 50))


def block_rows(n_suppliers: int) -> int:
    """Requirement rows scored at once against ``n_suppliers`` suppliers."""
    return max(1, min(BLOCK_SIZE, BLOCK_PAIRS // max(n_suppliers, 1)))


def today() -> date:
    return timezone.localdate()


def _engine(day: date | None = None) -> tuple[Vocabulary, Engine]:
    return data.load_engine(day or today())


def lock_requirements(ids: Iterable[int]) -> None:
    """Takes the match-list locks of these requirements, in id order (no deadlocks)."""
    ids = sorted({int(i) for i in ids})
    if not ids:
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
    result: dict | None = None,
) -> list[store.Row]:
    if len(r_idx) == 0:
        return []
    if result is None:
        result = engine.score_pairs(reqs, r_idx, sups, s_idx)
    # JSON text, not dicts: building and serialising a dict per pair was most of the Python
    # time of a bulk write.
    facts = pair_facts_json(engine, reqs, r_idx, sups, s_idx, result)
    names = list(result["components"])
    template = "{" + ",".join(f"{orjson.dumps(name).decode()}:%s" for name in names) + "}"
    columns = [
        json_texts(np.round(np.asarray(result["components"][n], dtype=np.float64), 4).tolist())
        for n in names
    ]
    components = [template % values for values in zip(*columns, strict=True)]
    scores = (centi(result["score"]) / 100.0).tolist()
    requirement_ids = reqs.ids[r_idx].tolist()
    supplier_ids = sups.ids[s_idx].tolist()
    rank_list = np.asarray(ranks).tolist()
    return [
        (
            requirement_ids[i],
            supplier_ids[i],
            scores[i],
            rank_list[i],
            components[i],
            facts[i],
        )
        for i in range(len(requirement_ids))
    ]


def rank_by_stored_score(
    groups: np.ndarray, supplier_ids: np.ndarray, stored_centi: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the entries that make each group's (requirement's) top ``k``, and their ranks:
    best stored score (in hundredths) first, ties to the smaller supplier id, as ``top_k`` and
    ``_place`` order them."""
    order = np.lexsort((supplier_ids, -stored_centi, groups))
    grouped = groups[order]
    position = np.arange(len(order)) - np.searchsorted(grouped, grouped) + 1
    kept = position <= k
    return order[kept], position[kept]


def _take(result: dict, positions: np.ndarray) -> dict:
    """The pair-scoring result restricted to ``positions`` (every array in it, nested too)."""
    taken = {}
    for name, value in result.items():
        if isinstance(value, dict):
            taken[name] = _take(value, positions)
        else:
            array = np.asarray(value)
            taken[name] = array if array.ndim == 0 else array[positions]  # a scalar is shared
    return taken


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
    # The block's float32 sums may differ from the stored (pair) score in the last bit, which can
    # flip a rounding: take a few more candidates and rank them by exactly the stored score.
    best = top_k(block["score"], block["excluded"], sups.ids, k + RANK_SLACK) if len(rows) else []
    empty = np.zeros(0, np.int64)
    r_idx = np.concatenate(
        [np.full(len(b), r, np.int64) for r, b in zip(rows, best, strict=True)] or [empty]
    )
    s_idx = np.concatenate(best or [empty]).astype(np.int64)
    write_candidates(engine, reqs, r_idx, sups, s_idx, requested_ids, stats)
    stats.pairs += len(rows) * sups.live_count() if len(rows) else 0


def write_candidates(
    engine: Engine,
    reqs: RequirementArrays,
    r_idx: np.ndarray,
    sups: SupplierArrays,
    s_idx: np.ndarray,
    requested_ids: Iterable[int],
    stats: Stats,
) -> None:
    """Scores the candidate pairs (requirement rows, supplier rows) by the pair formula, keeps
    each requirement's top N by exactly the stored score and makes them the match lists of the
    requirements in ``requested_ids``. The caller holds those lists' locks."""
    k = top_n()
    result = engine.score_pairs(reqs, r_idx, sups, s_idx)
    keep, ranks = rank_by_stored_score(r_idx, sups.ids[s_idx], centi(result["score"]), k)
    match_rows = _match_rows(
        engine, reqs, r_idx[keep], sups, s_idx[keep], ranks, _take(result, keep)
    )
    stats.removed += store.save_matches(match_rows, replace_for=requested_ids)
    stats.matches += len(match_rows)


def score_requirements(requirement_ids: Iterable[int], *, day: date | None = None) -> Stats:
    """Rescores these requirements against every supplier and replaces their match lists."""
    started = time.perf_counter()
    ids = sorted({int(i) for i in requirement_ids})
    stats = Stats()
    vocab, engine = _engine(day)
    # (One requirement needs no sizing: no look at the suppliers before its lock.)
    size = block_rows(len(data.supplier_index(vocab, day=engine.today))) if len(ids) > 1 else 1
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        with transaction.atomic():
            lock_requirements(chunk)
            # Read after locking: whoever holds the lock last wrote from the newest data.
            reqs = data.load_requirements(vocab, chunk)
            sups = data.supplier_index(vocab, day=engine.today)
            rows = np.arange(len(reqs))
            block = engine.score_block(reqs, rows, sups) if len(reqs) and len(sups) else {}
            if not block:
                rows = np.zeros(0, np.int64)
            _write_block(engine, reqs, rows, sups, block, chunk, stats)
            stats.requirements += len(reqs)
            stats.suppliers = sups.live_count()
    stats.seconds = time.perf_counter() - started
    logger.info("scored requirements %s", stats.as_dict())
    return stats


def score_requirement(requirement_id: int, *, day: date | None = None) -> Stats:
    return score_requirements([requirement_id], day=day)


def _supplier_scores(
    engine: Engine, reqs: RequirementArrays, sup: SupplierArrays
) -> tuple[np.ndarray, np.ndarray]:
    """The supplier's score (in hundredths) for every requirement row, and where it is
    eligible (passes the hard rules)."""
    if len(sup) and len(reqs):
        block = engine.score_block(reqs, np.arange(len(reqs)), sup)
        return centi(block["score"][:, 0]), ~block["excluded"][:, 0]
    return np.zeros(len(reqs)), np.zeros(len(reqs), dtype=bool)


def _decide(
    reqs: RequirementArrays,
    score: np.ndarray,
    eligible: np.ndarray,
    current: set[int],
    supplier_id: int,
    k: int,
) -> tuple[np.ndarray, list[int]]:
    """Which lists the supplier enters (rows of ``reqs``) and which need a refill (see
    ``score_supplier``), from the N-th entry of the lists it is eligible for or in."""
    current_ids = np.fromiter(current, dtype=np.int64, count=len(current))
    ids = np.union1d(reqs.ids[eligible], current_ids)
    nth_req, nth_score, nth_sup = store.nth_entry_arrays(ids.tolist(), k)
    at = np.minimum(np.searchsorted(nth_req, ids), max(len(nth_req) - 1, 0))
    if len(nth_req):
        has_last = nth_req[at] == ids
        last_score, last_sup = nth_score[at], nth_sup[at]
    else:
        has_last = np.zeros(len(ids), dtype=bool)
        last_score, last_sup = np.zeros(len(ids)), np.zeros(len(ids), dtype=np.int64)
    pos = np.minimum(np.searchsorted(reqs.ids, ids), max(len(reqs) - 1, 0))
    if len(reqs):
        usable = (reqs.ids[pos] == ids) & eligible[pos]
        mine = score[pos]
    else:
        usable, mine = np.zeros(len(ids), dtype=bool), np.zeros(len(ids))
    # Ranks order by (score in hundredths, best first; supplier id): at or above the N-th?
    ahead = (mine > last_score) | ((mine == last_score) & (supplier_id <= last_sup))
    enters = usable & (~has_last | ahead | (last_sup == supplier_id))
    refill = np.isin(ids, current_ids) & has_last & (~usable | ~ahead)
    return pos[enters], ids[refill].tolist()


def _lock_and_read(
    lock_ids: set[int], list_ids: set[int], supplier_id: int, *, latest, open_ids: set[int]
) -> tuple[bool, set[int], store.Entries]:
    """Takes the locks of ``lock_ids``, then reads whether the requirements of ``list_ids`` are
    as the arrays hold them (open exactly when in ``open_ids``, not updated after ``latest``,
    the newest ``updated_at`` the arrays were checked against), the lists the supplier is in and
    the stored rows of ``list_ids``. One round trip of two statements: the reads get a snapshot
    taken once the locks are held."""
    lists = sorted(list_ids)
    sql = (
        "SELECT (SELECT count(*) FILTER (WHERE r.updated_at <= %s "  # noqa: S608
        "AND (r.status = %s) = (r.id = ANY(%s::bigint[]))) = %s "
        f"FROM {Requirement._meta.db_table} r WHERE r.id = ANY(%s::bigint[])), "
        f"ARRAY(SELECT m.requirement_id FROM {store.TABLE} m WHERE m.supplier_id = %s), e.* "
        f"FROM ({store.ENTRIES_SQL}) e"
    )
    params = [
        latest,
        Requirement.Status.OPEN,
        sorted(open_ids),
        len(lists),
        lists,
        supplier_id,
        lists,
    ]
    if lock_ids:
        lock = "SELECT count(pg_advisory_xact_lock(%s, x)) FROM unnest(%s::int[]) AS x; "
        sql = lock + sql
        params = [ADVISORY_LOCK_CLASS, sorted(lock_ids), *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bool(row[0]), set(row[1]), store.Entries.from_columns(*row[2:])


def _place(
    entries: store.Entries, rows: list[store.Row], supplier_id: int, k: int
) -> tuple[list[store.Row], tuple[list[int], list[int]], list[int], int]:
    """The writes that put the supplier's new ``rows`` into the stored lists ``entries`` and
    remove it from the others, with every list re-ranked from the stored scores (by score in
    hundredths, best first, then supplier id, as ``top_k``) and trimmed to its top k.
    Returns (rows to upsert with their ranks, (primary keys, ranks) of moved rows, primary keys
    to delete, how many of the supplier's rows left a list it no longer enters)."""
    others = entries.supplier != supplier_id
    mine = dict(
        zip(entries.requirement[~others].tolist(), entries.pk[~others].tolist(), strict=True)
    )
    new_req = np.array([row[0] for row in rows], dtype=np.int64)
    req = np.concatenate([entries.requirement[others], new_req])
    cen = np.concatenate(
        [entries.centi[others], np.rint(np.array([row[2] for row in rows]) * 100.0)]
    )
    sup = np.concatenate([entries.supplier[others], np.full(len(rows), supplier_id)])
    order = np.lexsort((sup, -cen, req))
    grouped = req[order]
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order)) - np.searchsorted(grouped, grouped) + 1
    n_old = int(others.sum())
    old_pos, new_pos = position[:n_old], position[n_old:]
    old_pk, old_rank = entries.pk[others], entries.rank[others]
    deletes = old_pk[old_pos > k].tolist()
    moved = (old_pos <= k) & (old_pos != old_rank)
    upserts = []
    for row, place in zip(rows, new_pos.tolist(), strict=True):
        if place <= k:
            upserts.append((row[0], row[1], row[2], place, row[4], row[5]))
        elif row[0] in mine:
            deletes.append(mine[row[0]])
    entered = set(new_req.tolist())
    gone = [pk for req_id, pk in mine.items() if req_id not in entered]
    return upserts, (old_pk[moved].tolist(), old_pos[moved].tolist()), deletes + gone, len(gone)


def score_supplier(supplier_id: int, *, day: date | None = None) -> Stats:
    """Rescores one supplier against every open requirement and updates the affected lists.

    A list is affected when the supplier enters it (beats the current N-th) or is in it. When
    the supplier was in a full list and now scores below that list's previous N-th, a supplier
    that is not stored might now rank above it: that requirement is rescored (enqueued, returned
    in ``Stats.refills``).

    Six round trips whatever the number of lists: begin; the supplier, the freshness check of
    the requirement arrays and the lists it is in; the N-th entries of the lists it may enter;
    the locks of the affected lists, then (a snapshot taken once they are held) whether those
    requirements or its lists changed meanwhile, and their rows; one statement writing the new
    ranks; commit. The new ranks are computed here from the stored scores, so only rows whose
    rank changes are written.
    """
    started = time.perf_counter()
    stats = Stats(suppliers=1)
    vocab, engine = _engine(day)
    k = top_n()
    with transaction.atomic():
        start = data.for_supplier_rescore(vocab, supplier_id)
        sup, reqs, current = start.supplier, start.requirements, start.lists
        latest = start.signature[1]
        locked: set[int] = set()
        entries = None
        for attempt in range(3):
            scores = _supplier_scores(engine, reqs, sup)
            enters, refill = _decide(reqs, *scores, current, supplier_id, k)
            touched = set(reqs.ids[enters].tolist()) | current
            if not touched:
                break
            unchanged, now_in, entries = _lock_and_read(
                touched - locked,
                touched | locked,
                supplier_id,
                latest=latest,
                open_ids=set(reqs.ids.tolist()) & (touched | locked),
            )
            locked |= touched
            if (unchanged and now_in == current) or attempt == 2:
                break
            # Lists, or requirements whose lists we write, changed while we waited for the
            # locks: decide again. (Only locked lists are written: ``entries`` holds no other.)
            current = now_in
            signature = data.requirement_signature()
            reqs, latest = data.requirement_index(vocab, signature=signature), signature[1]
        stats.requirements = len(reqs)
        stats.pairs = len(reqs) * len(sup)
        rows = _match_rows(
            engine, reqs, enters, sup, np.zeros(len(enters), np.int64), np.full(len(enters), k + 1)
        )
        if entries is not None:
            upserts, moves, deletes, stats.removed = _place(entries, rows, supplier_id, k)
            store.write_changes(upserts, moves, deletes)
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
            lock_requirements(chunk)
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


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Asks the kernel to kill this process when its parent dies (Linux ``prctl``): a killed
    ``rematch`` must not leave its children writing matches for the rest of the run."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pool's own clean-up only
        logger.warning("cannot tie the rematch children to their parent on this system")
    # The parent may have died before the prctl above: then nobody would signal us.
    if os.getppid() != parent:
        os._exit(1)


def _forked_init(parent: int) -> None:
    """Runs first in every forked child: die with the parent; never use, nor close, an
    inherited connection.

    ``connections.close_all()`` before the fork closes only the connections the parent can see
    from where it stands: Django keeps them per thread, and per event-loop context while an
    asyncio loop is marked running in the thread (Playwright's sync API does that). The child has
    no running loop, so it can see a connection the parent could not close; used by two children,
    one socket carries both protocol streams and PostgreSQL drops it. Like Celery's prefork pool,
    the child drops what it inherited without any network I/O and opens its own."""
    _die_with_parent(parent)
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


def rescore_everything(
    *, day: date | None = None, processes: int = 1, requirement_ids: list[int] | None = None
) -> Stats:
    """Every open requirement against every supplier: match lists (top N each) and the readiness
    summary. What ``manage.py rematch`` runs; the nightly job spreads the same work over Celery
    workers (``tasks.rescore_all``). With ``processes`` > 1 the blocks are shared by forked
    processes that inherit the supplier arrays (copy-on-write); each commits its own blocks."""
    global _forked
    started = time.perf_counter()
    vocab, engine = _engine(day)
    stats = Stats()
    stats.removed += remove_closed_matches()
    sups = data.supplier_index(vocab, day=engine.today)
    engine.supplier_features(sups)  # computed once, before any fork
    req_ids = list(
        Requirement.objects.filter(status=Requirement.Status.OPEN)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if requirement_ids is not None:  # a sample of the work (benchmarks)
        wanted = set(requirement_ids)
        req_ids = [i for i in req_ids if i in wanted]
    size = block_rows(len(sups))
    chunks = [req_ids[i : i + size] for i in range(0, len(req_ids), size)]
    found = Readiness.empty(len(sups), vocab)
    # Forked processes use their own connections: they cannot see an open transaction's rows.
    parallel = not connection.in_atomic_block
    if processes > 1 and len(chunks) > 1 and parallel:
        _forked = (engine, vocab, sups, chunks)
        connections.close_all()
        context = multiprocessing.get_context("fork")
        try:
            with context.Pool(processes, initializer=_forked_init, initargs=(os.getpid(),)) as pool:
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
    # Every list was just rewritten: fresh planner statistics, or the small per-list lookups
    # that follow (score_supplier, score_requirement) may get plans for a table of unknown
    # size (parallel scans, JIT) until autovacuum, if it runs at all, analyzes it.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Match._meta.db_table}")
    with transaction.atomic():
        # This run covered every supplier: it replaces every batch.
        ReadinessSummary.objects.all().delete()
        written = write_summary(vocab, sups, found, "all")
    stats.suppliers = sups.live_count()
    stats.seconds = time.perf_counter() - started
    logger.info("rescored everything %s readiness_rows=%s", stats.as_dict(), written)
    return stats
