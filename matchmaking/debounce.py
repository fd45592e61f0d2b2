"""One rescore for a burst of edits: the debounce behind ``matchmaking.triggers``.

The rescore is enqueued after the transaction commits (the worker must see the change), and a
burst of edits to the same object leads to one rescore: the first edit takes a short cache key and
enqueues the task with a countdown; later edits find the key and do nothing. The task drops the
key before it reads anything, so an edit made while it runs schedules one more run, and the run
always scores the state current when it starts.

Kept apart from ``triggers`` so that the tasks (which schedule refills) and the triggers (which
enqueue the tasks) both import it, and neither imports the other.
"""

from __future__ import annotations

import logging

from celery import Task
from django.core.cache import cache
from django.db import transaction

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
    try:
        task.apply_async((object_id,), countdown=DEBOUNCE_SECONDS)
    except Exception:
        # The edit itself is saved; the nightly rescore will pick it up.
        clear_pending(kind, object_id)
        logger.exception("could not enqueue the %s rescore of %s", kind, object_id)


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
