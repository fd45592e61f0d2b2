from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from matchmaking.models import Match, ReadinessSummary
from tests.matching.helpers import in_days, make_requirement, make_supplier


@pytest.fixture
def world(db):
    good = [make_supplier(capacity=100 * (20 - i)) for i in range(12)]
    expired = make_supplier(certs=[("ISO9001", in_days(-3))], capacity=100_000)
    for supplier in good:
        supplier.certifications.create(cert_type_id="ISO9001", valid_until=in_days(200))
    open_requirement = make_requirement(required=["ISO9001"], reference="RFQ-OPEN")
    closed = make_requirement(reference="RFQ-CLOSED")
    return good, expired, open_requirement, closed


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rematch_scores_everything_and_reports(world):
    _good, _expired, open_requirement, closed = world
    closed.status = "closed"
    closed.close_reason = "cancelled"
    closed.save()
    output = run("rematch")
    assert "Rescored 1 open requirements against 13 suppliers (13 pairs)" in output
    assert " s." in output
    assert Match.objects.filter(requirement=open_requirement).count() == 12
    assert not Match.objects.filter(requirement=closed).exists()


def test_export_matches_contract(world):
    good, expired, open_requirement, closed = world
    run("rematch")
    closed.status = "closed"
    closed.close_reason = "awarded"
    closed.save()  # closed after scoring: its stored matches must not be exported
    rows = list(csv.reader(io.StringIO(run("export_matches"))))
    assert rows[0] == ["requirement_ref", "manufacturer", "supplier_nib", "rank", "score"]
    body = rows[1:]
    assert len(body) == 10  # default top 10
    assert {r[0] for r in body} == {"RFQ-OPEN"}
    assert [int(r[3]) for r in body] == list(range(1, 11))
    assert body[0][2] == good[0].nib  # the largest capacity is rank 1
    assert expired.nib not in {r[2] for r in body}
    scores = [float(r[4]) for r in body]
    assert scores == sorted(scores, reverse=True)
    assert body[0][1] == open_requirement.manufacturer.name


def test_export_matches_top_n(world):
    run("rematch")
    rows = list(csv.reader(io.StringIO(run("export_matches", "--top", "3"))))
    assert [int(r[3]) for r in rows[1:] if r[0] == "RFQ-OPEN"] == [1, 2, 3]


def test_export_matches_rejects_a_bad_top(world):
    with pytest.raises(CommandError):
        run("export_matches", "--top", "0")


HOSTILE_REFERENCE = '=HYPERLINK("http://evil.example","x")'
HOSTILE_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"


def test_export_matches_never_writes_a_formula(world):
    # A reference and a firm name are typed by users (the requirement form accepts both): a
    # spreadsheet must show them as text, not run them (OWASP: prefix a single quote).
    _good, _expired, open_requirement, _closed = world
    open_requirement.reference = HOSTILE_REFERENCE
    open_requirement.save()
    open_requirement.manufacturer.name = HOSTILE_NAME
    open_requirement.manufacturer.save()
    for prefix in ("+", "-", "\t", "\r"):
        make_requirement(required=["ISO9001"], reference=f"{prefix}RFQ")
    # A bare CR inside a cell must be quoted, or a spreadsheet starts a row there.
    make_requirement(required=["ISO9001"], reference="RFQ\r=1+1")
    run("rematch")

    output = run("export_matches", "--top", "1")
    rows = list(csv.reader(io.StringIO(output)))

    body = {row[0]: row for row in rows[1:]}
    assert body["'" + HOSTILE_REFERENCE][1] == "'" + HOSTILE_NAME
    assert {"'+RFQ", "'-RFQ", "'\tRFQ", "'\rRFQ", "RFQ\r=1+1"} <= set(body)
    assert '"RFQ\r=1+1"' in output
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t")]
    score = body["'" + HOSTILE_REFERENCE][4]
    assert float(score) > 0 and score == f"{float(score):.2f}"  # still a plain number


def test_rematch_in_two_processes_gives_the_same_matches(reference_data, monkeypatch):
    from matchmaking import services

    monkeypatch.setattr(services, "BLOCK_SIZE", 1)  # several blocks to share
    for i in range(6):
        make_supplier(capacity=100 * (i + 1), certs=[("ISO9001", in_days(100))])
    for _ in range(4):
        make_requirement(required=["ISO9001"])
    make_requirement(required=["ISO9001", "ISO14001"])  # a near miss for everyone
    run("rematch")
    expected = sorted(Match.objects.values_list("requirement_id", "supplier_id", "rank", "score"))
    summary = sorted(ReadinessSummary.objects.values_list("kind", "code", "suppliers", "pairs"))
    Match.objects.all().delete()
    output = run("rematch", "--processes", "2")
    assert "Rescored 5 open requirements against 6 suppliers" in output
    assert sorted(Match.objects.values_list("requirement_id", "supplier_id", "rank", "score")) == (
        expected
    )
    assert sorted(ReadinessSummary.objects.values_list("kind", "code", "suppliers", "pairs")) == (
        summary
    )
    assert ("certification", "ISO14001", 6, 6) in summary


def test_rematch_in_two_processes_while_an_event_loop_is_marked_running(
    reference_data, monkeypatch
):
    # Playwright's sync API (the browser tests) leaves the test thread's event loop marked as
    # running between calls. Django then keeps this thread's connections per loop context, so
    # the connection opened before the loop stays open where close_all() cannot see it, while
    # the forked children (no running loop there) can: each must open its own.
    import asyncio

    from django.db import connections

    from matchmaking import services

    monkeypatch.setattr(services, "BLOCK_SIZE", 1)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    for i in range(4):
        make_supplier(capacity=100 * (i + 1))
    for _ in range(6):
        make_requirement()
    run("rematch")  # opens this thread's connection before the loop
    expected = sorted(Match.objects.values_list("requirement_id", "supplier_id", "rank", "score"))
    assert len(expected) == 24
    loop = asyncio.new_event_loop()
    # The browser tests' loop, if one ran earlier in this run: theirs to keep, put back after.
    previous = asyncio._get_running_loop()
    asyncio._set_running_loop(loop)
    try:
        Match.objects.all().delete()
        output = run("rematch", "--processes", "2")
        found = sorted(Match.objects.values_list("requirement_id", "supplier_id", "rank", "score"))
        connections.close_all()  # the loop context's connection, before the context goes away
    finally:
        asyncio._set_running_loop(previous)
        loop.close()
    assert "Rescored 6 open requirements against 4 suppliers" in output
    assert found == expected
