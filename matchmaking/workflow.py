"""The full rescore as a fan-out across workers: blocks of requirements x shards of suppliers.

Beyond ``MATCHMAKING_SHARD_SIZE`` suppliers the nightly rescore no longer scores each block of
requirements against every supplier in one task. Each (block, shard) pair is a map chunk that
scores the block against one contiguous range of suppliers and keeps, per requirement, the best
N + ``RANK_SLACK`` candidates with their block scores (``ShardCandidates``). The map that finishes
its block's last shard (``ScoringBlock.shards_left`` reaches zero under the block row's lock)
plans the block's merge chunk, which takes the union of the shards' candidates, keeps each
requirement's best N + slack exactly as ``top_k`` would over all suppliers, rescores them by the
pair formula (``services.write_candidates``, as ``services._write_block``) and writes the lists.

Both kinds of chunk live in the ``ScoringChunk`` ledger: a chunk lost with a killed worker is
redone after its lease by the sweep. A map run twice (a duplicate message, a redo racing a slow
original) changes nothing the second time: only the run that deletes the chunk row, under the
block's lock, writes candidates and counts down. A merge run twice finds the block gone once it
has the requirements' locks.

Shards are ranges of supplier ids, not of rows, so a supplier added or removed between the plan
and a map changes nothing about which shard covers whom: the first shard starts at 0 and the last
ends at the largest id there can be.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from manufacturers.models import Requirement

from . import chunks, data, services
from .engine import centi, top_k
from .models import ScoringBlock, ScoringChunk, ShardCandidates

logger = logging.getLogger(__name__)

LAST_ID = 2**63 - 1
# A block whose chunks were dropped (failed MAX_ATTEMPTS times) would keep its candidates forever.
ABANDONED_AFTER = timedelta(days=2)


def shard_size() -> int:
    return int(getattr(settings, "MATCHMAKING_SHARD_SIZE", 250_000))


def sharded(n_suppliers: int) -> bool:
    return n_suppliers > shard_size()


def supplier_shards(supplier_ids: Sequence[int], size: int) -> list[tuple[int, int]]:
    """Contiguous id ranges of ``size`` suppliers each (the last may be smaller), covering every
    id from 0 up."""
    ids = sorted(supplier_ids)
    lows = [ids[i] for i in range(0, len(ids), size)] or [0]
    lows[0] = 0
    highs = [low - 1 for low in lows[1:]] + [LAST_ID]
    return list(zip(lows, highs, strict=True))


def plan(
    requirement_ids: Sequence[int],
    supplier_ids: Sequence[int],
    *,
    block_size: int,
    enqueue: Callable[[int], bool],
) -> list[int]:
    """Records the blocks and one map chunk per (block, shard), enqueued after the commit.
    Returns the chunk ids."""
    ScoringBlock.objects.filter(created_at__lt=timezone.now() - ABANDONED_AFTER).delete()
    shards = supplier_shards(supplier_ids, shard_size())
    ids = sorted({int(i) for i in requirement_ids})
    parts = []
    for start in range(0, len(ids), block_size):
        block = ScoringBlock.objects.create(
            requirement_ids=ids[start : start + block_size],
            shards=len(shards),
            shards_left=len(shards),
        )
        parts += [[block.pk, n, low, high] for n, (low, high) in enumerate(shards)]
    return chunks.chunks_plan(kind=ScoringChunk.Kind.SHARD, parts=parts, enqueue=enqueue)


def _shard_candidates(
    requirement_ids: list[int], low: int, high: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Each requirement's best N + slack suppliers with ids in [low, high], ordered and cut as
    ``top_k`` does; (requirement ids, supplier ids, float32 block scores, pairs scored)."""
    vocab, engine = data.load_engine(services.today())
    sups = data.supplier_index(vocab, day=engine.today)
    shard = sups.take(sups.rows_between(low, high))
    k = services.top_n() + services.RANK_SLACK
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    pairs = 0
    for start in range(0, len(requirement_ids), services.BLOCK_SIZE):
        reqs = data.load_requirements(vocab, requirement_ids[start : start + services.BLOCK_SIZE])
        if not len(reqs) or not len(shard):
            continue
        rows = np.arange(len(reqs))
        block = engine.score_block(reqs, rows, shard)
        best = top_k(block["score"], block["excluded"], shard.ids, k)
        for row, cols in zip(rows, best, strict=True):
            found.append(
                (np.full(len(cols), reqs.ids[row]), shard.ids[cols], block["score"][row, cols])
            )
        pairs += int(block["score"].size)
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32), pairs
    req, sup, score = (np.concatenate(column) for column in zip(*found, strict=True))
    return req.astype(np.int64), sup.astype(np.int64), score.astype(np.float32), pairs


def run_shard(chunk: ScoringChunk, *, enqueue: Callable[[int], bool]) -> dict:
    """The map: scores the chunk's block against its shard and records the candidates; the last
    shard of a block plans its merge. Finishes (deletes) the chunk."""
    block_id, shard, low, high = (int(i) for i in chunk.object_ids)
    block = ScoringBlock.objects.filter(pk=block_id).first()
    if block is None:  # merged already, or abandoned
        chunks.chunk_finish(chunk.pk)
        return {"done": "no block"}
    started = time.perf_counter()
    req, sup, score, pairs = _shard_candidates(block.requirement_ids, low, high)
    seconds = time.perf_counter() - started
    with transaction.atomic():
        # The block's lock orders the maps of one block: exactly one sees the count reach zero.
        block = ScoringBlock.objects.select_for_update().filter(pk=block_id).first()
        if block is None or not ScoringChunk.objects.filter(pk=chunk.pk).delete()[0]:
            return {"done": "already"}  # another run of this map finished it
        ShardCandidates.objects.update_or_create(
            block=block,
            shard=shard,
            defaults={
                "requirement_ids": req.astype("<i8").tobytes(),
                "supplier_ids": sup.astype("<i8").tobytes(),
                "scores": score.astype("<f4").tobytes(),
                "seconds": seconds,
            },
        )
        block.shards_left -= 1
        block.save(update_fields=["shards_left"])
        if block.shards_left == 0:
            chunks.chunks_plan(kind=ScoringChunk.Kind.MERGE, parts=[[block_id]], enqueue=enqueue)
    return {
        "block": block_id,
        "shard": shard,
        "pairs": pairs,
        "candidates": len(sup),
        "seconds": round(seconds, 3),
    }


def _best_of_union(
    req_pos: np.ndarray, sup_ids: np.ndarray, score: np.ndarray, k: int
) -> np.ndarray:
    """Positions of each requirement's best ``k`` candidates, ordered as ``top_k`` orders them
    (score in hundredths, best first, then the smaller supplier id): over the union of the
    shards' top ``k`` lists, the same ``k`` as ``top_k`` over all suppliers at once."""
    order = np.lexsort((sup_ids, -centi(score), req_pos))
    grouped = req_pos[order]
    position = np.arange(len(order)) - np.searchsorted(grouped, grouped)
    return order[position < k]


def _column(parts: list[tuple], n: int, dtype: str) -> np.ndarray:
    """Column ``n`` of every shard's candidates, one array (stored as raw little-endian bytes)."""
    return np.concatenate(
        [np.frombuffer(bytes(part[n]), dtype=dtype) for part in parts] or [np.zeros(0, dtype)]
    )


def run_merge(chunk: ScoringChunk) -> dict:
    """The merge: a block's candidates from every shard become its requirements' match lists.
    Finishes (deletes) the chunk and the block with its candidates."""
    block_id = int(chunk.object_ids[0])
    block = ScoringBlock.objects.filter(pk=block_id).first()
    if block is None:
        chunks.chunk_finish(chunk.pk)
        return {"done": "no block"}
    started = time.perf_counter()
    stats = services.Stats()
    vocab, engine = data.load_engine(services.today())
    with transaction.atomic():
        services.lock_requirements(block.requirement_ids)
        # Read after locking: a duplicate merge that committed first has deleted the block.
        block = ScoringBlock.objects.select_for_update().filter(pk=block_id).first()
        if block is None:
            return {"done": "already"}
        # A requirement edited since the plan was rescored by its own task, from newer data
        # than these candidates: its list is left as that task wrote it.
        edited = set(
            Requirement.objects.filter(
                id__in=block.requirement_ids, updated_at__gt=block.created_at
            ).values_list("id", flat=True)
        )
        replace = [i for i in block.requirement_ids if i not in edited]
        reqs = data.load_requirements(vocab, replace)
        sups = data.supplier_index(vocab, day=engine.today)
        parts = list(block.candidates.values_list("requirement_ids", "supplier_ids", "scores"))
        req = _column(parts, 0, "<i8").astype(np.int64)
        sup = _column(parts, 1, "<i8").astype(np.int64)
        score = _column(parts, 2, "<f4").astype(np.float32)
        # Requirements closed and suppliers deleted since the maps ran drop out here.
        r_pos = np.minimum(np.searchsorted(reqs.ids, req), max(len(reqs) - 1, 0))
        s_pos, s_found = sups.rows_of(sup)
        live = (reqs.ids[r_pos] == req) & s_found if len(reqs) else np.zeros(len(req), bool)
        r_pos, s_pos, sup, score = r_pos[live], s_pos[live], sup[live], score[live]
        chosen = _best_of_union(r_pos, sup, score, services.top_n() + services.RANK_SLACK)
        rows = np.unique(s_pos[chosen])
        services.write_candidates(
            engine,
            reqs,
            r_pos[chosen],
            sups.take(rows),
            np.searchsorted(rows, s_pos[chosen]),
            replace,
            stats,
        )
        stats.requirements = len(reqs)
        map_seconds = sum(block.candidates.values_list("seconds", flat=True))
        block.delete()
        ScoringChunk.objects.filter(pk=chunk.pk).delete()
    return {
        "block": block_id,
        "candidates": len(req),
        "requirements": stats.requirements,
        "matches": stats.matches,
        "removed": stats.removed,
        "map_seconds": round(map_seconds, 3),
        "seconds": round(time.perf_counter() - started, 3),
    }
