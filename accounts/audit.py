"""The audit trail's writes, and who is acting: the one place that appends ``AuditRecord`` rows.

Write services record inside themselves (so no door skips it) without taking an actor argument:
whoever opened the door says who is acting through a context variable, which every thread and
asyncio task has its own copy of:

- the web: ``AuditDoorMiddleware`` (the logged-in person; the door is ``admin`` under the admin,
  ``api`` under ``/api/``, else ``web``);
- the partner API: its key authentication (the key, labelled "<partner> · <prefix>");
- the CSV imports: ``acting(door=IMPORT, label=...)`` around the import (keeping the person, if a
  page started it);
- anything else (commands, Celery tasks, the shell): the ``system`` door, nobody.

Rows keep ids, field names and the firms' identity values (business identity), never contact
data. The table refuses UPDATE and DELETE (migration 0005).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from .records import AuditDoor, AuditRecord

__all__ = [
    "Actor",
    "AuditDoor",
    "AuditRecord",
    "Entry",
    "acting",
    "audit_record",
    "audit_records",
    "current_actor",
]

LABEL_MAX = 200


@dataclass(frozen=True)
class Actor:
    """Who is acting and through which door. ``user`` may be a lazy ``request.user``: it is read
    only when a record is written."""

    door: str = AuditDoor.SYSTEM
    user: Any = None
    api_key_id: int | None = None
    label: str = ""


_SYSTEM = Actor()
_actor: ContextVar[Actor] = ContextVar("audit_actor", default=_SYSTEM)

_KEEP: Any = object()


def current_actor() -> Actor:
    return _actor.get()


def set_actor(actor: Actor):
    """Sets the actor until ``reset_actor(token)``; for middleware and authentication, which
    cannot wrap the code after them in a ``with``."""
    return _actor.set(actor)


def reset_actor(token) -> None:
    _actor.reset(token)


@contextmanager
def acting(
    *,
    door: str,
    user: Any = _KEEP,
    api_key_id: int | Any | None = _KEEP,
    label: str | Any = _KEEP,
) -> Iterator[Actor]:
    """Records written inside come through ``door``; who acts is kept from the enclosing
    context unless given (an import started from a page keeps its person)."""
    changes: dict[str, Any] = {"door": door}
    for name, value in (("user", user), ("api_key_id", api_key_id), ("label", label)):
        if value is not _KEEP:
            changes[name] = value
    token = _actor.set(replace(_actor.get(), **changes))
    try:
        yield _actor.get()
    finally:
        _actor.reset(token)


def _user_id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "pk", None)


@dataclass(frozen=True)
class Entry:
    """One record to write: ``action`` on the object, of the firm, with the identity values
    that changed and the names of the fields concerned."""

    action: str
    object_kind: str
    object_id: int
    firm_kind: str = ""
    firm_id: int | None = None
    changes: Mapping[str, Sequence[Any]] | None = None
    fields: Sequence[str] = ()


def audit_records(entries: Iterable[Entry], *, actor: Actor | None = None) -> int:
    """Appends one record per entry, all at the same moment, as the acting person, key or
    command; returns how many."""
    actor = actor or current_actor()
    user_id = _user_id(actor.user)
    now = timezone.now()
    rows = [
        AuditRecord(
            actor_id=user_id,
            api_key_id=actor.api_key_id,
            actor_label=(actor.label or "")[:LABEL_MAX],
            door=actor.door,
            action=entry.action,
            object_kind=entry.object_kind,
            object_id=entry.object_id,
            firm_kind=entry.firm_kind,
            firm_id=entry.firm_id,
            changes={name: list(values) for name, values in (entry.changes or {}).items()},
            fields=sorted(entry.fields),
            at=now,
        )
        for entry in entries
    ]
    AuditRecord.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def audit_record(
    *,
    action: str,
    object_kind: str,
    object_id: int,
    firm_kind: str = "",
    firm_id: int | None = None,
    changes: Mapping[str, Sequence[Any]] | None = None,
    fields: Sequence[str] = (),
) -> int:
    """Appends one record as the acting person, key or command."""
    return audit_records(
        [Entry(action, object_kind, object_id, firm_kind, firm_id, changes, fields)]
    )
