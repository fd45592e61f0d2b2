"""One rescore for a burst of edits: the debounce behind ``matchmaking.triggers``.

The rescore is enqueued after the transaction commits (the worker must see the change), and a
burst of edits to the same object leads to one rescore: the first edit takes a short cache key and
enqueues the task with a countdown; later edits find the key and do nothing. The task drops the
key before it reads anything, so an edit made while it runs schedules one more run, and the run
always scores the state current when it starts.

If the broker cannot be reached (``accounts.outage``: refused, or hanging and remembered as
down for a few seconds), the edit is still saved and the rescore is recorded as a
``PendingRescore`` row in PostgreSQL; beat's ``rescore_pending`` sweep enqueues it within a
minute of the broker's return, like the e-mail outbox, instead of leaving it to the nightly run.

Kept apart from ``triggers`` so that the tasks (which schedule refills) and the triggers (which
enqueue the tasks) both import it, and neither imports the other.
"""

from __future__ import annotations

import logging

from celery import Task
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.outage import enqueue

from .models import PendingRescore

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 5
# Long enough to outlive the countdown and a busy queue; if a task is lost the key expires and
# the next edit schedules again.
PENDING_TTL_SECONDS = 300


def pending_key(kind: str, object_id: int) -> str:
    return f"matchmaking:pending:{kind}:{object_id}"


def clear_pending(kind: str, object_id: int) -> None:
    cache.delete(pending_key(kind, object_id))


def _enqueue(task: Task, kind: str, object_id: int) -> None:
    if not cache.add(pending_key(kind, object_id), 1, timeout=PENDING_TTL_SECONDS):
        return  # a rescore is already scheduled; it will read the current state
    if not enqueue(task, (object_id,), countdown=DEBOUNCE_SECONDS):
        # The edit itself is saved; the sweep enqueues its rescore once the broker is back.
        clear_pending(kind, object_id)
        record_pending(kind, object_id)


def record_pending(kind: str, object_id: int) -> None:
    """Remembers in PostgreSQL that ``kind`` ``object_id`` needs a rescore (one row per object;
    a later edit renews its time, so a sweep running meanwhile does not drop it)."""
    try:
        PendingRescore.objects.bulk_create(
            [PendingRescore(kind=kind, object_id=object_id, requested_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["requested_at"],
        )
    except DatabaseError:
        # Runs after the edit's commit: the edit stays saved; the nightly rescore catches up.
        logger.exception("could not record the pending %s rescore of %s", kind, object_id)
        return
    logger.warning("%s %s: rescore recorded for the sweep (broker unreachable)", kind, object_id)


SWEEP_BATCH = 1000


def sweep_pending(tasks: dict[str, Task]) -> dict[str, int]:
    """Enqueues the recorded rescores (``tasks``: kind -> task), oldest first, and removes each
    row once its rescore is enqueued, unless an edit renewed it meanwhile (then the next sweep
    enqueues once more). Stops at the first failure: the broker is gone again."""
    rows = list(PendingRescore.objects.order_by("requested_at", "id")[:SWEEP_BATCH])
    enqueued = 0
    for row in rows:
        if not enqueue(tasks[row.kind], (row.object_id,)):
            break
        PendingRescore.objects.filter(pk=row.pk, requested_at=row.requested_at).delete()
        enqueued += 1
    return {"enqueued": enqueued, "left": PendingRescore.objects.count()}


def schedule_after_commit(task: Task, kind: str, object_id: int) -> None:
    """Enqueues ``task(object_id)`` once the current transaction commits, debounced."""
    key = (kind, int(object_id))
    connection = transaction.get_connection()
    # Several edits in one transaction: one callback (Django drops it if the transaction or its
    # savepoint rolls back, so nothing stale is remembered).
    if any(getattr(entry[1], "matchmaking_key", None) == key for entry in connection.run_on_commit):
        return

    def enqueue() -> None:
        _enqueue(task, *key)

    enqueue.matchmaking_key = key
    transaction.on_commit(enqueue, robust=True)
