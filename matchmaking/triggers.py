"""Call these from the services that change a requirement or a supplier profile.

The rescore is enqueued after the transaction commits (the worker must see the change), and a
burst of edits to the same object leads to one rescore: the first edit takes a short cache key and
enqueues the task with a countdown; later edits find the key and do nothing. The task drops the
key before it reads anything, so an edit made while it runs schedules one more run, and the run
always scores the state current when it starts.
"""

from __future__ import annotations

import logging

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


def _enqueue(kind: str, object_id: int) -> None:
    from . import tasks

    task = tasks.score_requirement if kind == "requirement" else tasks.score_supplier
    if not cache.add(pending_key(kind, object_id), 1, timeout=PENDING_TTL_SECONDS):
        return  # a rescore is already scheduled; it will read the current state
    try:
        task.apply_async((object_id,), countdown=DEBOUNCE_SECONDS)
    except Exception:
        # The edit itself is saved; the nightly rescore will pick it up.
        clear_pending(kind, object_id)
        logger.exception("could not enqueue the %s rescore of %s", kind, object_id)


def _after_commit(kind: str, object_id: int) -> None:
    key = (kind, int(object_id))
    connection = transaction.get_connection()
    # Several edits in one transaction: one callback (Django drops it if the transaction or its
    # savepoint rolls back, so nothing stale is remembered).
    if any(getattr(entry[1], "matchmaking_key", None) == key for entry in connection.run_on_commit):
        return

    def enqueue() -> None:
        _enqueue(*key)

    enqueue.matchmaking_key = key
    transaction.on_commit(enqueue, robust=True)


def requirement_changed(requirement_id: int) -> None:
    """A requirement was published, edited or closed."""
    _after_commit("requirement", requirement_id)


def supplier_changed(supplier_id: int) -> None:
    """A supplier's profile, capabilities or certifications changed."""
    _after_commit("supplier", supplier_id)
