# ruff: noqa: S608 - table names are module constants; every value is a query parameter.
"""Persisting match lists: idempotent upserts, stale-row removal and re-ranking.

On PostgreSQL the rows go through ``COPY`` into a temporary table, then one
``INSERT ... ON CONFLICT (requirement_id, supplier_id) DO UPDATE`` and one anti-join ``DELETE``:
set-based, so half a million rows take seconds. Elsewhere (the embedded SQLite default) the same
semantics use ``bulk_create(update_conflicts=True)`` and ORM deletes.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence

import orjson
from django.db import connection
from django.utils import timezone

from .engine import ENGINE_VERSION
from .models import Match

# (requirement id, supplier id, score, rank, components, facts)
Row = tuple[int, int, float, int, dict, dict]

TABLE = Match._meta.db_table
STAGE = "matchmaking_match_stage"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _json(value: dict) -> str:
    # COPY's text format treats backslashes as escapes; JSON may contain some.
    return orjson.dumps(value).decode().replace("\\", "\\\\")


def _stage(cursor, rows: Sequence[Row]) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (requirement_id bigint, supplier_id bigint, "
        "score double precision, rank integer, components jsonb, facts jsonb) "
        "ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"DELETE FROM {STAGE}")
    buffer = io.StringIO()
    for req, sup, score, rank, components, facts in rows:
        buffer.write(f"{req}\t{sup}\t{score!r}\t{rank}\t{_json(components)}\t{_json(facts)}\n")
    buffer.seek(0)
    cursor.cursor.copy_expert(f"COPY {STAGE} FROM STDIN WITH (FORMAT text)", buffer)


def save_matches(rows: Sequence[Row], *, replace_for: Iterable[int] | None = None) -> int:
    """Upserts ``rows``. With ``replace_for``, those requirements' lists become exactly the rows
    given for them (everything else in those lists is removed); returns the rows removed."""
    now = timezone.now()
    replace = sorted({int(r) for r in replace_for}) if replace_for is not None else None
    if _postgres():
        with connection.cursor() as cursor:
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
    Match.objects.bulk_create(
        [
            Match(
                requirement_id=req,
                supplier_id=sup,
                score=score,
                rank=rank,
                components=components,
                facts=facts,
                engine_version=ENGINE_VERSION,
                computed_at=now,
            )
            for req, sup, score, rank, components, facts in rows
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["requirement", "supplier"],
        update_fields=["score", "rank", "components", "facts", "engine_version", "computed_at"],
    )
    if not replace:
        return 0
    keep = defaultdict(list)
    for req, sup, *_rest in rows:
        keep[req].append(sup)
    removed = 0
    for req in replace:
        removed += (
            Match.objects.filter(requirement_id=req).exclude(supplier_id__in=keep[req]).delete()[0]
        )
    return removed


def lists_of_supplier(supplier_id: int) -> set[int]:
    """The requirements whose stored list holds this supplier."""
    return set(
        Match.objects.filter(supplier_id=supplier_id).values_list("requirement_id", flat=True)
    )


def nth_entries(requirement_ids: list[int], n: int) -> dict[int, tuple[int, int]]:
    """requirement id -> (score in hundredths, supplier id) of the entry ranked ``n``."""
    if not requirement_ids:
        return {}
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT requirement_id, score, supplier_id FROM {TABLE} "
                "WHERE rank = %s AND requirement_id = ANY(%s)",
                [n, list(requirement_ids)],
            )
            found = cursor.fetchall()
    else:
        found = Match.objects.filter(rank=n, requirement_id__in=requirement_ids).values_list(
            "requirement_id", "score", "supplier_id"
        )
    return {req: (round(score * 100), sup) for req, score, sup in found}


def remove_pairs(supplier_id: int, requirement_ids: Iterable[int]) -> int:
    return Match.objects.filter(
        supplier_id=supplier_id, requirement_id__in=list(requirement_ids)
    ).delete()[0]


def rerank(requirement_ids: Iterable[int], top_n: int) -> None:
    """Renumbers these lists by (score in hundredths, best first; supplier id) and trims them
    to the top N."""
    ids = sorted({int(r) for r in requirement_ids})
    if not ids:
        return
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} m SET rank = r.position FROM (SELECT id, row_number() OVER ("
                "PARTITION BY requirement_id ORDER BY round(score * 100) DESC, supplier_id"
                f") AS position FROM {TABLE} WHERE requirement_id = ANY(%s)) r "
                "WHERE m.id = r.id AND m.rank <> r.position",
                [ids],
            )
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE requirement_id = ANY(%s) AND rank > %s", [ids, top_n]
            )
        return
    lists = defaultdict(list)
    for pk, req, sup, score, rank in Match.objects.filter(requirement_id__in=ids).values_list(
        "pk", "requirement_id", "supplier_id", "score", "rank"
    ):
        lists[req].append((-round(score * 100), sup, pk, rank))
    changed, drop = [], []
    for items in lists.values():
        items.sort()
        for position, (_score, _sup, pk, rank) in enumerate(items, start=1):
            if position > top_n:
                drop.append(pk)
            elif rank != position:
                changed.append(Match(pk=pk, rank=position))
    if changed:
        Match.objects.bulk_update(changed, ["rank"], batch_size=500)
    if drop:
        Match.objects.filter(pk__in=drop).delete()
