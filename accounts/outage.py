"""Remembering, per process, that Redis (the cache or the Celery broker) is unreachable.

When Redis refuses connections each call fails at once, but when it hangs (a frozen server, a
network partition) each call waits for its socket timeout. So the first failure is remembered
for ``OUTAGE_SECONDS``: meanwhile callers take their fallback at once (the cache a per-process
memory, an enqueue a row in PostgreSQL) and a request waits at most one timeout per process and
window. After the window the next call tries Redis again. Each outage is logged once.
"""

from __future__ import annotations

import logging
import threading
import time

import kombu.exceptions
from celery import Celery, Task
from kombu.utils.url import maybe_sanitize_url

logger = logging.getLogger(__name__)

OUTAGE_SECONDS = 5.0


class Outage:
    def __init__(self, name: str, seconds: float = OUTAGE_SECONDS) -> None:
        self.name = name
        self.seconds = seconds
        self._until = 0.0
        self._failing = False
        self._lock = threading.Lock()

    def down(self) -> bool:
        """True while a recent failure is remembered: skip the service, take the fallback."""
        return time.monotonic() < self._until

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            first = not self._failing
            self._failing = True
            self._until = time.monotonic() + self.seconds
        if first:
            logger.error(
                "%s is unreachable (%s: %s); falling back, retrying every %.0f s",
                self.name,
                type(exc).__name__,
                exc,
                self.seconds,
            )

    def recovered(self) -> None:
        if self._failing:  # read without the lock: the common case costs nothing
            with self._lock:
                was_failing, self._failing = self._failing, False
            if was_failing:
                logger.warning("%s answers again", self.name)

    def clear(self) -> None:
        """Forgets the outage (tests)."""
        with self._lock:
            self._until = 0.0
            self._failing = False


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_for(name: str) -> Outage:
    """The one ``Outage`` of this process for ``name`` (shared by every thread)."""
    with _outages_lock:
        outage = _outages.get(name)
        if outage is None:
            outage = _outages[name] = Outage(name)
        return outage


def clear_outages() -> None:
    with _outages_lock:
        for outage in _outages.values():
            outage.clear()


def broker_outage(app: Celery) -> Outage:
    """The outage record of ``app``'s current broker (by URL: a switch starts afresh)."""
    return outage_for(f"The Celery broker at {maybe_sanitize_url(app.conf.broker_url)}")


# What publishing raises when the broker cannot be reached (kombu wraps the socket errors).
BROKER_ERRORS = (kombu.exceptions.OperationalError, OSError)


def enqueue(task: Task, args: tuple = (), **options) -> bool:
    """Publishes ``task(*args)``; False when the broker is unreachable (known to be, or found so
    now), so that the caller records the work for its sweep. Never retries: the sweep is the
    retry, and a request must not wait on a broker that hangs."""
    if task.app.conf.task_always_eager:
        # No broker (the embedded default): the task runs here and now; its own failure says
        # nothing about a broker.
        try:
            task.apply_async(args, **options)
        except Exception:
            logger.exception("%s failed", task.name)
            return False
        return True
    broker = broker_outage(task.app)
    if broker.down():
        return False
    try:
        task.apply_async(args, retry=False, **options)
    except BROKER_ERRORS as exc:
        broker.failed(exc)
        return False
    broker.recovered()
    return True
