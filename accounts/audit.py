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

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db import connection
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
    who = (_user_id(actor.user), actor.api_key_id, (actor.label or "")[:LABEL_MAX], actor.door)
    now = timezone.now()
    rows = [
        (
            *who,
            entry.action,
            entry.object_kind,
            entry.object_id,
            entry.firm_kind,
            entry.firm_id,
            {name: list(values) for name, values in (entry.changes or {}).items()},
            sorted(entry.fields),
            now,
        )
        for entry in entries
    ]
    if not rows:
        return 0
    if len(rows) >= COPY_FROM and _can_copy():
        _copy(rows)
    elif len(rows) < COPY_FROM and connection.vendor == "postgresql":
        _insert(rows)
    else:
        AuditRecord.objects.bulk_create(
            (AuditRecord(**dict(zip(COLUMNS, row, strict=True))) for row in rows),
            batch_size=1000,
        )
    return len(rows)


# The table's columns, in the order ``audit_records`` builds its rows.
COLUMNS = (
    "actor_id",
    "api_key_id",
    "actor_label",
    "door",
    "action",
    "object_kind",
    "object_id",
    "firm_kind",
    "firm_id",
    "changes",
    "fields",
    "at",
)
# An import writes a record per company: from this many rows on they go in by COPY, several
# times faster than bulk_create's INSERTs (measured: 5,000 records in 2.5 s by INSERT, 0.5 s by
# COPY, on a busy machine).
COPY_FROM = 200
_NULL = "\\N"


def _copy_value(value: Any) -> Any:
    if value is None:
        return _NULL
    if isinstance(value, dict | list):
        # Identity values and field names: plain strings, nothing a JSON encoder must convert.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _can_copy() -> bool:
    # psycopg2's copy_expert; another driver takes the INSERTs.
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return not is_psycopg3


def _copy(rows: list[tuple]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_copy_value(value) for value in row])
    buffer.seek(0)
    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in COLUMNS)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{_NULL}')",
            buffer,
        )


def _insert(rows: list[tuple]) -> None:
    """One INSERT statement for a few rows. A partner's list page writes its records on every
    request: bulk_create's model instances, per-value preparation and its own transaction
    (BEGIN ... COMMIT around a single statement) cost more than the page's serialisation
    (measured: ~1.5 ms of CPU per page of 50 at 1,000,000 UMKM). One statement is atomic on its
    own, and inside a caller's transaction it joins it."""
    json_columns = (COLUMNS.index("changes"), COLUMNS.index("fields"))
    adapt = connection.ops.adapt_json_value
    params: list[Any] = []
    for row in rows:
        row = list(row)
        for index in json_columns:
            row[index] = adapt(row[index], None)
        params.extend(row)
    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in COLUMNS)
    one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(rows))}",  # noqa: S608 (names from the model; values are parameters)
            params,
        )


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
