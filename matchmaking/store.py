# ruff: noqa: S608 - table names are module constants; every value is a query parameter.
"""Persisting match lists: idempotent upserts, stale-row removal and re-ranking.

Whole lists (``save_matches``) go through ``COPY`` into a temporary table, then one
``INSERT ... ON CONFLICT (requirement_id, supplier_id) DO UPDATE`` and one anti-join ``DELETE``:
set-based, so half a million rows take seconds. Lists that hold no rows yet (new requirements,
an import) skip the temporary table: their rows are copied straight into the match table, which
halves what PostgreSQL parses and writes. The few rows one supplier changes
(``write_changes``) go as arrays in a single statement instead: no temporary table, one round
trip.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import orjson
from django.db import connection
from django.utils import timezone

from .engine import ENGINE_VERSION
from .models import Match

# (requirement id, supplier id, score, rank, components, facts); components and facts as dicts
# or as their JSON text.
Row = tuple[int, int, float, int, dict | str, dict | str]

TABLE = Match._meta.db_table
STAGE = "matchmaking_match_stage"


def _text(value: dict | str) -> str:
    # Rows carry JSON text already (the bulk paths) or a dict.
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def _json(value: dict | str) -> str:
    # COPY's text format treats backslashes as escapes; JSON may contain some.
    return _text(value).replace("\\", "\\\\")


def _copy_text(rows: Sequence[Row], tail: str = "") -> io.StringIO:
    buffer = io.StringIO()
    buffer.writelines(
        f"{req}\t{sup}\t{score!r}\t{rank}\t{_json(components)}\t{_json(facts)}{tail}\n"
        for req, sup, score, rank, components, facts in rows
    )
    buffer.seek(0)
    return buffer


def _stage(cursor, rows: Sequence[Row]) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (requirement_id bigint, supplier_id bigint, "
        "score double precision, rank integer, components jsonb, facts jsonb) "
        "ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"DELETE FROM {STAGE}")
    cursor.cursor.copy_expert(f"COPY {STAGE} FROM STDIN WITH (FORMAT text)", _copy_text(rows))


def defer_flush(cursor) -> None:
    """Lets this transaction's commit return before its WAL reaches the disk (a bulk write of
    match lists waited ~10% of its time on that flush). Safe here: matches are derived data, a
    crash loses at most the last fraction of a second of writes and never leaves a list half
    written, and the chunk ledger's later (synchronous) commit flushes this one's WAL with it,
    so a chunk is never marked done while its matches are lost."""
    cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _lists_empty(cursor, requirement_ids: list[int]) -> bool:
    cursor.execute(
        f"SELECT NOT EXISTS (SELECT 1 FROM {TABLE} WHERE requirement_id = ANY(%s::bigint[]))",
        [requirement_ids],
    )
    return cursor.fetchone()[0]


def _copy_into_table(cursor, rows: Sequence[Row], now) -> None:
    # The same values the upsert would write; COPY's text format for the timestamp.
    tail = f"\t{ENGINE_VERSION}\t{now.isoformat()}"
    cursor.cursor.copy_expert(
        f"COPY {TABLE} (requirement_id, supplier_id, score, rank, components, facts, "
        "engine_version, computed_at) FROM STDIN WITH (FORMAT text)",
        _copy_text(rows, tail),
    )


def save_matches(rows: Sequence[Row], *, replace_for: Iterable[int] | None = None) -> int:
    """Upserts ``rows``. With ``replace_for``, those requirements' lists become exactly the rows
    given for them (everything else in those lists is removed); returns the rows removed."""
    now = timezone.now()
    replace = sorted({int(r) for r in replace_for}) if replace_for is not None else None
    with connection.cursor() as cursor:
        defer_flush(cursor)
        if replace and _lists_empty(cursor, replace) and _only_in(rows, replace):
            # Nothing stored to update or remove (the callers hold these lists' locks).
            if rows:
                _copy_into_table(cursor, rows, now)
            return 0
        _stage(cursor, rows)
        cursor.execute(
            f"INSERT INTO {TABLE} (requirement_id, supplier_id, score, rank, components, "
            "facts, engine_version, computed_at) "
            f"SELECT requirement_id, supplier_id, score, rank, components, facts, %s, %s "
            f"FROM {STAGE} "
            "ON CONFLICT (requirement_id, supplier_id) DO UPDATE SET score = EXCLUDED.score, "
            "rank = EXCLUDED.rank, components = EXCLUDED.components, facts = EXCLUDED.facts, "
            "engine_version = EXCLUDED.engine_version, computed_at = EXCLUDED.computed_at",
            [ENGINE_VERSION, now],
        )
        if not replace:
            return 0
        cursor.execute(
            f"DELETE FROM {TABLE} m WHERE m.requirement_id = ANY(%s) AND NOT EXISTS ("
            f"SELECT 1 FROM {STAGE} s WHERE s.requirement_id = m.requirement_id "
            "AND s.supplier_id = m.supplier_id)",
            [replace],
        )
        return cursor.rowcount


def _only_in(rows: Sequence[Row], requirement_ids: list[int]) -> bool:
    allowed = set(requirement_ids)
    return all(row[0] in allowed for row in rows)


def nth_entry_arrays(
    requirement_ids: Sequence[int], n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries ranked ``n`` of these lists, as arrays sorted by requirement id:
    (requirement ids, scores in hundredths, supplier ids)."""
    if not len(requirement_ids):
        return np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.int64)
    with connection.cursor() as cursor:
        # Arrays: one row to parse instead of thousands.
        cursor.execute(
            "SELECT coalesce(array_agg(requirement_id ORDER BY requirement_id), '{}'), "
            "coalesce(array_agg(score ORDER BY requirement_id), '{}'), "
            "coalesce(array_agg(supplier_id ORDER BY requirement_id), '{}') "
            f"FROM {TABLE} WHERE rank = %s AND requirement_id = ANY(%s::bigint[])",
            [n, list(requirement_ids)],
        )
        req, score, sup = cursor.fetchone()
    return (
        np.array(req, dtype=np.int64),
        np.rint(np.array(score, dtype=np.float64) * 100.0),
        np.array(sup, dtype=np.int64),
    )


@dataclass
class Entries:
    """Stored rows of some match lists, one array per column."""

    pk: np.ndarray  # int64
    requirement: np.ndarray  # int64
    supplier: np.ndarray  # int64
    centi: np.ndarray  # float64: score in hundredths, as ranks compare it
    rank: np.ndarray  # int64

    @classmethod
    def from_columns(cls, pk, requirement, supplier, score, rank) -> Entries:
        return cls(
            pk=np.asarray(pk, dtype=np.int64).reshape(-1),
            requirement=np.asarray(requirement, dtype=np.int64).reshape(-1),
            supplier=np.asarray(supplier, dtype=np.int64).reshape(-1),
            centi=np.rint(np.asarray(score, dtype=np.float64).reshape(-1) * 100.0),
            rank=np.asarray(rank, dtype=np.int64).reshape(-1),
        )


ENTRIES_SQL = (
    "SELECT coalesce(array_agg(id), '{}'), coalesce(array_agg(requirement_id), '{}'), "
    "coalesce(array_agg(supplier_id), '{}'), coalesce(array_agg(score), '{}'), "
    f"coalesce(array_agg(rank), '{{}}') FROM {TABLE} WHERE requirement_id = ANY(%s)"
)


def write_changes(
    upserts: Sequence[Row], moves: tuple[Sequence[int], Sequence[int]], deletes: Sequence[int]
) -> None:
    """Applies a re-ranking computed by the caller: upserts ``upserts`` (unique pair), sets
    the rank of the rows ``moves`` = (primary keys, ranks), deletes the rows ``deletes`` (primary
    keys), in one statement (small batches: arrays, no temporary table)."""
    moved_pk, moved_rank = [int(x) for x in moves[0]], [int(x) for x in moves[1]]
    deletes = [int(x) for x in deletes]
    now = timezone.now()
    parts, params = [], []
    if upserts:
        parts.append(
            f"INSERT INTO {TABLE} (requirement_id, supplier_id, score, rank, components, "
            "facts, engine_version, computed_at) "
            "SELECT r, s, sc, k, c, f, %s, %s FROM unnest(%s::bigint[], %s::bigint[], "
            "%s::float8[], %s::int[], %s::jsonb[], %s::jsonb[]) AS t(r, s, sc, k, c, f) "
            "ON CONFLICT (requirement_id, supplier_id) DO UPDATE SET score = EXCLUDED.score, "
            "rank = EXCLUDED.rank, components = EXCLUDED.components, "
            "facts = EXCLUDED.facts, engine_version = EXCLUDED.engine_version, "
            "computed_at = EXCLUDED.computed_at RETURNING 1"
        )
        params += [
            ENGINE_VERSION,
            now,
            [row[0] for row in upserts],
            [row[1] for row in upserts],
            [row[2] for row in upserts],
            [row[3] for row in upserts],
            [_text(row[4]) for row in upserts],
            [_text(row[5]) for row in upserts],
        ]
    if moved_pk:
        parts.append(
            f"UPDATE {TABLE} m SET rank = t.k FROM unnest(%s::bigint[], %s::int[]) "
            "AS t(id, k) WHERE m.id = t.id RETURNING 1"
        )
        params += [moved_pk, moved_rank]
    if deletes:
        parts.append(f"DELETE FROM {TABLE} WHERE id = ANY(%s::bigint[]) RETURNING 1")
        params += [deletes]
    if not parts:
        return
    # Data-modifying CTEs: one statement, one round trip. They touch disjoint rows.
    ctes = ", ".join(f"w{i} AS ({sql})" for i, sql in enumerate(parts))
    counts = ", ".join(f"(SELECT count(*) FROM w{i})" for i in range(len(parts)))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {ctes} SELECT {counts}", params)
