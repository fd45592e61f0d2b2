"""What the manufacturers app announces; the apps above it (matchmaking, ...) connect in their
``AppConfig.ready``, so manufacturers never imports them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

# A requirement was published, edited or closed (sent inside the writing transaction; receivers
# that enqueue work do it on commit). Argument: ``requirement_id``.
requirement_changed = Signal()

# A bulk write (CSV import) saved these requirements; sent after the commit, once for the whole
# batch. Argument: ``requirement_ids``.
requirements_bulk_saved = Signal()

_batch: ContextVar[set[int] | None] = ContextVar("requirement_batch", default=None)


def batched(requirement_id: int) -> bool:
    """True inside ``requirement_batch``: the change is announced with the batch, so a receiver
    that would schedule work for this one requirement (a rescore) leaves it to the batch."""
    batch = _batch.get()
    if batch is None:
        return False
    batch.add(int(requirement_id))
    return True


@contextmanager
def requirement_batch() -> Iterator[None]:
    """Collects the requirements changed inside; at the end (after the commit, if inside a
    transaction) sends ``requirements_bulk_saved`` once with all of them."""
    if _batch.get() is not None:  # nested: the outer batch announces
        yield
        return
    collected: set[int] = set()
    token = _batch.set(collected)
    try:
        yield
    finally:
        _batch.reset(token)
    if collected:
        ids = sorted(collected)
        transaction.on_commit(
            lambda: requirements_bulk_saved.send(sender=None, requirement_ids=ids), robust=True
        )
