"""What rescoring a change needs: called when a requirement or a supplier profile changed.

The suppliers and manufacturers apps do not import matchmaking (dependencies flow one way): their
services send ``suppliers.signals.supplier_changed`` / ``manufacturers.signals.requirement_changed``
and ``MatchmakingConfig.ready`` connects those signals to the functions below. The rescore is
debounced and enqueued after the commit (``matchmaking.debounce``).
"""

from __future__ import annotations

from . import tasks
from .debounce import schedule_after_commit


def requirement_changed(requirement_id: int) -> None:
    """A requirement was published, edited or closed."""
    schedule_after_commit(tasks.score_requirement, "requirement", requirement_id)


def supplier_changed(supplier_id: int) -> None:
    """A supplier's profile, capabilities or certifications changed."""
    schedule_after_commit(tasks.score_supplier, "supplier", supplier_id)


def on_supplier_changed(*, supplier_id: int, **kwargs) -> None:
    supplier_changed(supplier_id)


def on_requirement_changed(*, requirement_id: int, **kwargs) -> None:
    requirement_changed(requirement_id)
