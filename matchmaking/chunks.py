"""The ledger of bulk scoring chunks (``ScoringChunk``): plan, claim with a lease, finish, sweep.

A chunk is a row until its work is committed. The task that runs it claims a lease first
(``chunk_claim``); if the worker dies (SIGKILL, a lost machine) the lease runs out and the sweep
enqueues the chunk again, within ``MATCHMAKING_CHUNK_LEASE_SECONDS`` plus one sweep interval,
instead of after the broker's visibility timeout. A chunk whose message vanished before any
worker claimed it is enqueued again after ``MATCHMAKING_CHUNK_QUEUE_PATIENCE_SECONDS``. Every
chunk's work is idempotent (it rescores from the current data), so the late redelivery of the
lost message, or a duplicate, does nothing harmful: it finds the row gone and returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import ScoringChunk

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SWEEP_BATCH = 500


def lease_seconds() -> int:
    # Must outlive the chunk task's hard time limit, or a slow chunk is run twice at once.
    return int(getattr(settings, "MATCHMAKING_CHUNK_LEASE_SECONDS", 150))


def queue_patience_seconds() -> int:
    # Longer than a chunk normally waits in the queue behind the others: a chunk enqueued and
    # never claimed for this long lost its message (a broker restarted without persistence).
    return int(getattr(settings, "MATCHMAKING_CHUNK_QUEUE_PATIENCE_SECONDS", 900))


def _stuck(now: datetime) -> Q:
    """Lease ran out (its worker died), never enqueued (broker down), or enqueued and never
    claimed for longer than the queue patience (its message was lost). Sending one again is
    harmless: a chunk done meanwhile is a row no longer there."""
    unclaimed_since = now - timedelta(seconds=queue_patience_seconds())
    return (
        Q(lease_until__lt=now)
        | Q(enqueued_at=None)
        | Q(lease_until=None, enqueued_at__lt=unclaimed_since)
    )


def chunks_plan(
    *,
    kind: str,
    parts: Sequence[Sequence[int]],
    enqueue: Callable[[int], bool],
    send_all: Callable[[list[int]], object] | None = None,
) -> list[int]:
    """Records one chunk per part and enqueues them once the current transaction commits (at
    once outside one). ``enqueue(chunk_id)`` returns False when the broker is unreachable: the
    chunk stays unenqueued and the sweep enqueues it later. ``send_all(chunk_ids)``, if given,
    sends (or runs) them all instead. Returns the chunk ids."""
    rows = ScoringChunk.objects.bulk_create(
        [ScoringChunk(kind=kind, object_ids=[int(i) for i in part]) for part in parts if part]
    )
    ids = [row.pk for row in rows]

    def send() -> None:
        if send_all is not None:
            send_all(ids)
        else:
            enqueue_all(ids, enqueue)

    transaction.on_commit(send, robust=True)
    return ids


def enqueue_all(ids: Sequence[int], enqueue: Callable[[int], bool]) -> int:
    sent = []
    for chunk_id in ids:
        # Marked before publishing: with in-process tasks the chunk runs (and is deleted) inside
        # ``enqueue``; a mark after it would find nothing, or race the worker's claim.
        ScoringChunk.objects.filter(pk=chunk_id).update(enqueued_at=timezone.now())
        if not enqueue(chunk_id):
            ScoringChunk.objects.filter(pk=chunk_id, lease_until=None).update(enqueued_at=None)
            break  # the broker is gone: the sweep sends the rest
        sent.append(chunk_id)
    return len(sent)


def chunk_claim(chunk_id: int) -> ScoringChunk | None:
    """Takes the chunk's lease (a new one if a previous run's ran out); None if it is done."""
    now = timezone.now()
    updated = ScoringChunk.objects.filter(pk=chunk_id).update(
        lease_until=now + timedelta(seconds=lease_seconds()),
        attempts=F("attempts") + 1,
    )
    if not updated:
        return None
    return ScoringChunk.objects.get(pk=chunk_id)


def chunk_finish(chunk_id: int) -> None:
    ScoringChunk.objects.filter(pk=chunk_id).delete()


def chunks_sweep(enqueue: Callable[[int], bool]) -> dict[str, int]:
    """Enqueues again the chunks whose lease ran out (their worker died), the chunks never
    enqueued (broker down) and those whose message was lost before any worker claimed them;
    gives up, loudly, on a chunk that failed ``MAX_ATTEMPTS`` times."""
    now = timezone.now()
    stuck = ScoringChunk.objects.filter(_stuck(now))
    failed = list(stuck.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True))
    if failed:
        logger.error("scoring chunks %s failed %s times: dropped", failed, MAX_ATTEMPTS)
        ScoringChunk.objects.filter(pk__in=failed).delete()
    ids = list(
        stuck.filter(attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    # Cleared first: the lease is void, and the chunk waits in the queue like a new one.
    ScoringChunk.objects.filter(pk__in=ids).filter(_stuck(now)).update(lease_until=None)
    enqueued = enqueue_all(ids, enqueue)
    return {"enqueued": enqueued, "dropped": len(failed), "left": ScoringChunk.objects.count()}
