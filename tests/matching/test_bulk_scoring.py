"""Imports become matches in blocks, and end with exactly the lists a full ``rematch`` writes."""

from __future__ import annotations

import csv
import logging
import os
import re
import signal
from pathlib import Path

import pytest
from celery import current_app
from django.core.management import call_command

from bench.csvfiles import write_requirements_csv, write_suppliers_csv
from bench.synthetic import generate
from manufacturers.models import Requirement
from matchmaking import blocks, services, tasks
from matchmaking import eager as eager_runs
from matchmaking.models import Match, ScoringChunk
from suppliers.models import Supplier
from tests.matching.test_killed_runs import broker, start_worker, wait_for

__all__ = ["broker"]  # a fixture used below

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eager():
    # In-process tasks, as ``make run`` has them (the embedded default without a broker).
    conf = current_app.conf
    before, conf.task_always_eager = conf.task_always_eager, True
    yield
    conf.task_always_eager = before


@pytest.fixture
def small_lists(settings, monkeypatch):
    # Short lists and small blocks: entries get pushed out, blocks follow each other.
    settings.MATCH_TOP_N = 6
    monkeypatch.setattr(blocks, "SUPPLIER_BLOCK", 20)
    monkeypatch.setattr(tasks, "REQUIREMENT_CHUNK", 7)


def stored() -> list[tuple]:
    return list(
        Match.objects.order_by("requirement_id", "rank").values_list(
            "requirement_id", "supplier_id", "score", "rank"
        )
    )


def import_file(command: str, path: Path) -> None:
    try:
        call_command(command, str(path), verbosity=0)
    except SystemExit as exc:  # a rejected row would exit 1: the file must import whole
        raise AssertionError(f"{command} rejected rows of {path}") from exc


def lower_capacities(path: Path) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        row["capacity_per_month"] = "1"  # their scores fall: lists must refill
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_imported_suppliers_become_the_matches_a_full_rematch_finds(
    reference_data, eager, small_lists, tmp_path, caplog
):
    generate(300, 40, seed=7)
    services.rescore_everything()
    new = tmp_path / "new.csv"
    write_suppliers_csv(new, nib_offset=10**9, ids=range(1, 51))  # 50 new companies
    changed = tmp_path / "changed.csv"
    write_suppliers_csv(changed, ids=[m.supplier_id for m in Match.objects.filter(rank=1)][:25])
    lower_capacities(changed)
    before = Match.objects.count()

    with caplog.at_level(logging.INFO, logger="matchmaking"):
        import_file("import_suppliers", new)
        import_file("import_suppliers", changed)

    assert Supplier.objects.count() == 350
    imported = Supplier.objects.filter(nib__gte=str(7_000_000_000_000 + 10**9)).values_list(
        "id", flat=True
    )
    assert Match.objects.filter(supplier_id__in=list(imported)).exists()
    log = caplog.text
    assert "run_chunk" in log and "score_supplier " not in log  # blocks, not one task per row
    after_import = stored()
    assert len(after_import) >= before
    services.rescore_everything()
    assert after_import == stored()
    assert not ScoringChunk.objects.exists()


def test_an_import_of_most_suppliers_rescores_every_requirement(
    reference_data, eager, small_lists, tmp_path
):
    generate(120, 30, seed=11)
    services.rescore_everything()
    path = tmp_path / "many.csv"
    write_suppliers_csv(path, nib_offset=10**9)  # as many again: the whole-rescore direction
    import_file("import_suppliers", path)
    after_import = stored()
    services.rescore_everything()
    assert after_import == stored()


def test_imported_requirements_are_scored_in_chunks_and_equal_a_full_rematch(
    reference_data, eager, small_lists, settings, tmp_path, caplog
):
    settings.MATCHMAKING_EAGER_PROCESSES = 1  # in this process: its log shows every chunk
    generate(300, 40, seed=3)
    path = tmp_path / "requirements.csv"
    write_requirements_csv(path)
    Requirement.objects.all().delete()

    with caplog.at_level(logging.INFO, logger="matchmaking"):
        import_file("import_requirements", path)

    assert Requirement.objects.filter(status=Requirement.Status.OPEN).count() == 40
    log = caplog.text
    assert "score_requirement " not in log  # no row scored alone
    assert log.count("(requirements, ") == 6  # 40 requirements in chunks of 7
    after_import = stored()
    assert after_import
    services.rescore_everything()
    assert after_import == stored()


def test_without_a_worker_imported_requirements_are_scored_by_parallel_processes_as_a_rematch(
    reference_data, eager, small_lists, settings, tmp_path, caplog, monkeypatch
):
    settings.MATCHMAKING_EAGER_PROCESSES = 2
    # In a whole test run, the live server of the browser tests before this one keeps an idle
    # thread; the `make run` command this stands for has none.
    monkeypatch.setattr(eager_runs, "single_threaded", lambda: True)
    generate(300, 40, seed=5)
    path = tmp_path / "requirements.csv"
    write_requirements_csv(path)
    Requirement.objects.all().delete()

    with caplog.at_level(logging.INFO, logger="matchmaking"):
        import_file("import_requirements", path)

    # 40 requirements in chunks of 7, shared by the children (how many each took varies).
    assert re.search(r"ran 6 scoring chunks in [12] child processes", caplog.text)
    assert "(requirements, " not in caplog.text  # not run in this process
    assert not ScoringChunk.objects.exists()  # every chunk claimed and finished
    after_import = stored()
    assert after_import
    services.rescore_everything()
    assert after_import == stored()


def test_with_a_worker_an_import_returns_at_once_and_its_blocks_become_the_rematch_lists(
    reference_data, broker, small_lists, settings, tmp_path
):
    generate(300, 40, seed=13)
    services.rescore_everything()
    path = tmp_path / "new.csv"
    write_suppliers_csv(path, nib_offset=10**9, ids=range(1, 61))
    import_file("import_suppliers", path)  # no worker yet: the import does not wait for one
    assert ScoringChunk.objects.filter(kind=ScoringChunk.Kind.SUPPLIERS).count() == 3
    imported = list(
        Supplier.objects.filter(nib__gte=str(7_000_000_000_000 + 10**9)).values_list(
            "id", flat=True
        )
    )
    assert not Match.objects.filter(supplier_id__in=imported).exists()

    # The worker has its own settings: the same short lists.
    worker, logs = start_worker("bulk-1@%h", lease=150, MATCH_TOP_N=str(settings.MATCH_TOP_N))
    try:
        wait_for(lambda: not ScoringChunk.objects.exists(), what="the blocks", logs=logs)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(20)
    assert Match.objects.filter(supplier_id__in=imported).exists()
    after_import = stored()
    services.rescore_everything()
    assert after_import == stored()
