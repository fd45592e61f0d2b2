"""Runs planned requirement chunks in child processes when tasks run in-process (``make run``,
no worker): what the worker pool would do in parallel.

One process alternates between Python (scoring, the rows' JSON) and waiting for PostgreSQL
(``COPY``, the foreign-key checks at commit), so it keeps about one core busy. Forked children
each take the next chunk and run it exactly as a worker runs ``tasks.run_chunk``: the same
transactions and advisory locks, the ledger row claimed and deleted. Requirement chunks hold
disjoint lists, so they never wait for each other's locks. The children inherit the supplier
arrays (copy-on-write) loaded once here, before the fork.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence

from celery import current_app
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from . import data, services
from .models import ScoringChunk

logger = logging.getLogger(__name__)

_run: Callable[[int], object] | None = None
_in_child = False


def processes() -> int:
    wanted = getattr(settings, "MATCHMAKING_EAGER_PROCESSES", None)
    return int(wanted) if wanted is not None else (os.cpu_count() or 1)


def can_fork(n_chunks: int) -> bool:
    """Tasks run in-process, there is more than one chunk and more than one core, the chunks'
    rows are committed (a forked process cannot see an open transaction's rows), and this
    process has no other thread (a web server's: a child would inherit the locks it holds)."""
    return (
        bool(current_app.conf.task_always_eager)
        and n_chunks > 1
        and processes() > 1
        and not _in_child
        and not connection.in_atomic_block
        and single_threaded()
    )


def single_threaded() -> bool:
    return threading.active_count() == 1


def _child_init(parent: int) -> None:
    global _in_child
    _in_child = True  # a chunk that plans more chunks runs them itself: no grandchildren
    services._forked_init(parent)


def _child_run(chunk_id: int) -> int:
    try:
        _run(chunk_id)
    finally:
        connections.close_all()
    return os.getpid()


def run_chunks(chunk_ids: Sequence[int], run: Callable[[int], object]) -> int:
    """Runs ``run(chunk_id)`` for every chunk in forked children, at most ``processes()`` at
    once; returns when all are done. Returns the number of chunks run."""
    global _run
    ids = [int(i) for i in chunk_ids]
    ScoringChunk.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
    # Loaded before the fork: every child shares these arrays instead of reading them again.
    vocab, engine = services._engine()
    engine.supplier_features(data.supplier_index(vocab, day=engine.today))
    _run = run
    connections.close_all()
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(
            min(processes(), len(ids)), initializer=_child_init, initargs=(os.getpid(),)
        ) as pool:
            pids = set(pool.imap_unordered(_child_run, ids))
    except BaseException:
        # Not sent anywhere: left to the sweep, as chunks the broker never took.
        ScoringChunk.objects.filter(pk__in=ids, lease_until=None).update(enqueued_at=None)
        raise
    finally:
        _run = None
    logger.info("ran %s scoring chunks in %s child processes", len(ids), len(pids))
    return len(ids)
