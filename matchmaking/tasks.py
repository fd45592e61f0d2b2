"""Celery tasks: thin wrappers that take ids, re-read current state and call the services.

Acks are late and a task lost with its worker is redelivered (global settings); every task is
idempotent, so a redelivery or a duplicate leaves the same matches.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from accounts.outage import enqueue
from manufacturers.models import Requirement
from suppliers.models import Supplier

from . import blocks, chunks, eager, readiness, reminders, services, workflow
from .debounce import clear_pending, schedule_after_commit, sweep_pending
from .models import ReadinessSummary, ScoringChunk

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
    "reject_on_worker_lost": True,
}
# Two whole engine blocks (services.BLOCK_SIZE): ~2.5 s of work per chunk at 100,000 suppliers.
REQUIREMENT_CHUNK = 256
SUPPLIER_CHUNK = 5000
# An import this large a share of all suppliers is scored requirement by requirement (the
# cheaper direction when most lists change anyway).
WHOLE_RESCORE_SHARE = 0.25


@shared_task(soft_time_limit=60, time_limit=90, **RETRY)
def score_requirement(requirement_id: int) -> dict:
    clear_pending("requirement", requirement_id)
    stats = services.score_requirement(requirement_id)
    logger.info("score_requirement %s: %s", requirement_id, stats.as_dict())
    return stats.as_dict()


@shared_task(soft_time_limit=60, time_limit=90, **RETRY)
def score_supplier(supplier_id: int) -> dict:
    clear_pending("supplier", supplier_id)
    stats = services.score_supplier(supplier_id)
    # A list the supplier fell out of needs its next-best supplier: rescore those requirements.
    for requirement_id in stats.refills:
        schedule_after_commit(score_requirement, "requirement", requirement_id)
    logger.info("score_supplier %s: %s", supplier_id, stats.as_dict())
    return stats.as_dict()


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def rescore_pending() -> dict[str, int]:
    """Beat, every minute: the rescores that could not be enqueued when their edit was saved."""
    counts = sweep_pending({"supplier": score_supplier, "requirement": score_requirement})
    if counts["enqueued"] or counts["left"]:
        logger.info("rescore_pending: %s", counts)
    return counts


def _enqueue_chunk(chunk_id: int) -> bool:
    return enqueue(run_chunk, (chunk_id,))


def _split(ids: list[int], size: int) -> list[list[int]]:
    ids = sorted({int(i) for i in ids})
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _run_chunk_here(chunk_id: int) -> dict:
    return run_chunk(chunk_id)


def _send_requirement_chunks(chunk_ids: list[int]) -> None:
    # Without a worker, the chunks would run one after the other inside ``enqueue``: run them
    # in as many processes as there are cores instead (disjoint lists, no lock waits).
    if eager.can_fork(len(chunk_ids)):
        eager.run_chunks(chunk_ids, _run_chunk_here)
    else:
        chunks.enqueue_all(chunk_ids, _enqueue_chunk)


def plan_requirements(requirement_ids: list[int]) -> list[int]:
    """Rescores these requirements in chunks any worker can take (after the commit)."""
    return chunks.chunks_plan(
        kind=ScoringChunk.Kind.REQUIREMENTS,
        parts=_split(requirement_ids, REQUIREMENT_CHUNK),
        enqueue=_enqueue_chunk,
        send_all=_send_requirement_chunks,
    )


def plan_suppliers(supplier_ids: list[int]) -> list[int]:
    """Rescores these suppliers in blocks (``blocks.score_suppliers``); when they are a large
    share of all suppliers, rescores every open requirement instead."""
    total = Supplier.objects.count()
    if total and len(set(supplier_ids)) >= WHOLE_RESCORE_SHARE * total:
        open_ids = Requirement.objects.filter(status=Requirement.Status.OPEN).values_list(
            "id", flat=True
        )
        return plan_requirements(list(open_ids))
    return chunks.chunks_plan(
        kind=ScoringChunk.Kind.SUPPLIERS,
        parts=_split(supplier_ids, blocks.SUPPLIER_BLOCK),
        enqueue=_enqueue_chunk,
    )


# Short (well under the lease): a chunk lost with its worker is redone after the lease, not
# after the broker's visibility timeout.
@shared_task(soft_time_limit=100, time_limit=120, **RETRY)
def run_chunk(chunk_id: int) -> dict:
    chunk = chunks.chunk_claim(chunk_id)
    if chunk is None:
        return {"done": "already"}
    ids = chunk.object_ids
    if chunk.kind in (ScoringChunk.Kind.SHARD, ScoringChunk.Kind.MERGE):
        # They finish their chunk themselves, in the transaction that records their work.
        if chunk.kind == ScoringChunk.Kind.SHARD:
            result = workflow.run_shard(chunk, enqueue=_enqueue_chunk)
        else:
            result = workflow.run_merge(chunk)
        logger.info("run_chunk %s (%s %s): %s", chunk_id, chunk.kind, ids, result)
        return result
    if chunk.kind == ScoringChunk.Kind.REQUIREMENTS:
        result = services.score_requirements(ids).as_dict()
    elif chunk.kind == ScoringChunk.Kind.SUPPLIERS:
        stats = blocks.score_suppliers(ids, refill=False)
        if stats.refills:
            plan_requirements(stats.refills)
        result = stats.as_dict()
    else:
        result = {"readiness_rows": readiness.refresh_readiness(ids[0], ids[1])}
    chunks.chunk_finish(chunk_id)
    logger.info("run_chunk %s (%s, %s ids): %s", chunk_id, chunk.kind, len(ids), result)
    return result


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def sweep_chunks() -> dict[str, int]:
    """Beat, every minute: chunks lost with a worker (lease ran out) or never enqueued."""
    counts = chunks.chunks_sweep(_enqueue_chunk)
    if counts["enqueued"] or counts["dropped"]:
        logger.warning("sweep_chunks: %s", counts)
    return counts


@shared_task(soft_time_limit=240, time_limit=300, **RETRY)
def rescore_chunk(requirement_ids: list[int]) -> dict:
    stats = services.score_requirements(requirement_ids)
    logger.info("rescore_chunk of %s requirements: %s", len(requirement_ids), stats.as_dict())
    return stats.as_dict()


@shared_task(soft_time_limit=240, time_limit=300, **RETRY)
def readiness_chunk(low_id: int, high_id: int) -> int:
    rows = readiness.refresh_readiness(low_id, high_id)
    logger.info("readiness_chunk of suppliers %s-%s: %s summary rows", low_id, high_id, rows)
    return rows


@shared_task(soft_time_limit=120, time_limit=180, **RETRY)
def rescore_all() -> dict:
    """The nightly job: splits all the work into chunks that any number of workers share; beyond
    ``MATCHMAKING_SHARD_SIZE`` suppliers, blocks of requirements x shards of suppliers with a
    merge per block (``workflow``)."""
    removed = services.remove_closed_matches()
    requirement_ids = list(
        Requirement.objects.filter(status=Requirement.Status.OPEN)
        .order_by("id")
        .values_list("id", flat=True)
    )
    supplier_ids = list(Supplier.objects.order_by("id").values_list("id", flat=True))
    supplier_chunks = [
        (supplier_ids[i], supplier_ids[min(i + SUPPLIER_CHUNK, len(supplier_ids)) - 1])
        for i in range(0, len(supplier_ids), SUPPLIER_CHUNK)
    ]
    # Summary rows of batches that are not in this plan would be counted twice.
    planned = [readiness.readiness_batch(low, high) for low, high in supplier_chunks]
    ReadinessSummary.objects.exclude(batch__in=planned).delete()

    if workflow.sharded(len(supplier_ids)):
        workflow.plan(
            requirement_ids, supplier_ids, block_size=REQUIREMENT_CHUNK, enqueue=_enqueue_chunk
        )
    else:
        plan_requirements(requirement_ids)
    chunks.chunks_plan(
        kind=ScoringChunk.Kind.READINESS, parts=supplier_chunks, enqueue=_enqueue_chunk
    )
    result = {
        "removed": removed,
        "requirement_chunks": len(_split(requirement_ids, REQUIREMENT_CHUNK)),
        "supplier_shards": -(-len(supplier_ids) // workflow.shard_size()),
        "supplier_chunks": len(supplier_chunks),
    }
    logger.info("rescore_all enqueued %s", result)
    return result


@shared_task(soft_time_limit=60, time_limit=90, **RETRY)
def remind_certificate(certification_id: int) -> bool:
    reminder = reminders.certificate_remind(certification_id=certification_id)
    logger.info(
        "remind_certificate %s: %s",
        certification_id,
        f"sent {reminder.days_before} d" if reminder else "nothing due",
    )
    return reminder is not None


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def send_certificate_reminders() -> int:
    """Beat, daily: one task per certificate whose 30- or 7-day reminder is due and unsent.
    Running it twice (or two beats) sends nothing twice: each task re-checks the record."""
    due = reminders.certificate_reminders_due()
    for certification_id in due:
        remind_certificate.delay(certification_id)
    logger.info("send_certificate_reminders: %s due", len(due))
    return len(due)
