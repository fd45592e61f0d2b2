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


def on_suppliers_bulk_saved(*, supplier_ids: list[int], **kwargs) -> None:
    """An import or a partner API write saved suppliers in bulk: each is rescored like a single
    edit (debounced), instead of waiting for the nightly run."""
    for supplier_id in supplier_ids:
        supplier_changed(supplier_id)


def on_requirement_changed(*, requirement_id: int, **kwargs) -> None:
    requirement_changed(requirement_id)
