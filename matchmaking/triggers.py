"""What rescoring a change needs: called when a requirement or a supplier profile changed.

The suppliers and manufacturers apps do not import matchmaking (dependencies flow one way): their
services send ``suppliers.signals.supplier_changed`` / ``manufacturers.signals.requirement_changed``
and ``MatchmakingConfig.ready`` connects those signals to the functions below. A single change is
debounced and enqueued after the commit (``matchmaking.debounce``); a bulk write (an import, a
partner batch: ``suppliers_bulk_saved``, ``requirements_bulk_saved``) is scored in chunks
recorded in the chunk ledger (``matchmaking.chunks``), never one task per row.
"""

from __future__ import annotations

from manufacturers.signals import batched

from . import tasks
from .debounce import schedule_after_commit


def requirement_changed(requirement_id: int) -> None:
    """A requirement was published, edited or closed."""
    schedule_after_commit(tasks.score_requirement, "requirement", requirement_id)


def supplier_changed(supplier_id: int) -> None:
    """A supplier's profile, capabilities or certifications changed."""
    schedule_after_commit(tasks.score_supplier, "supplier", supplier_id)


def suppliers_saved(supplier_ids: list[int]) -> None:
    """Many suppliers were written at once: scored in blocks (one alone: as a single edit)."""
    ids = sorted({int(i) for i in supplier_ids})
    if len(ids) == 1:
        supplier_changed(ids[0])
    elif ids:
        tasks.plan_suppliers(ids)


def requirements_saved(requirement_ids: list[int]) -> None:
    ids = sorted({int(i) for i in requirement_ids})
    if len(ids) == 1:
        requirement_changed(ids[0])
    elif ids:
        tasks.plan_requirements(ids)


def on_supplier_changed(*, supplier_id: int, **kwargs) -> None:
    supplier_changed(supplier_id)


def on_requirement_changed(*, requirement_id: int, **kwargs) -> None:
    if not batched(requirement_id):
        requirement_changed(requirement_id)


def on_suppliers_bulk_saved(*, supplier_ids: list[int], **kwargs) -> None:
    suppliers_saved(supplier_ids)


def on_requirements_bulk_saved(*, requirement_ids: list[int], **kwargs) -> None:
    requirements_saved(requirement_ids)
