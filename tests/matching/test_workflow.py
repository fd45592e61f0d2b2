"""The sharded full rescore (blocks of requirements x shards of suppliers, one merge per block)
writes exactly the lists of a full ``rematch``, whatever runs twice or dies on the way."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from bench.synthetic import generate
from manufacturers.models import Requirement
from matchmaking import chunks, services, tasks, workflow
from matchmaking.models import Match, ScoringBlock, ScoringChunk, ShardCandidates
from suppliers.models import Supplier
from tests.matching.test_bulk_scoring import eager, stored
from tests.matching.test_killed_runs import HeldLocks, broker, start_worker, wait_for

__all__ = ["broker", "eager"]  # fixtures used below

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shards(settings, monkeypatch):
    # Short lists and shards smaller than a list's candidates: the merge must pick across shards.
    settings.MATCH_TOP_N = 6
    settings.MATCHMAKING_SHARD_SIZE = 40
    monkeypatch.setattr(tasks, "REQUIREMENT_CHUNK", 7)


def expected_lists() -> list[tuple]:
    services.rescore_everything()
    lists = stored()
    assert lists
    return lists


def test_the_nightly_rescore_fans_out_and_writes_exactly_the_lists_of_a_full_rematch(
    reference_data, eager, shards, caplog
):
    generate(300, 40, seed=21)
    expected = expected_lists()
    Match.objects.all().delete()
    open_ids = Requirement.objects.filter(status=Requirement.Status.OPEN)
    blocks = -(-open_ids.count() // 7)

    with caplog.at_level("INFO", logger="matchmaking"):
        tasks.rescore_all()

    assert stored() == expected
    log = caplog.text
    assert log.count("(shard [") == 8 * blocks  # 300 suppliers in shards of 40
    assert log.count("(merge [") == blocks
    assert not ScoringChunk.objects.exists()
    assert not ScoringBlock.objects.exists() and not ShardCandidates.objects.exists()

    # A requirement closed since: the next run empties its list, as the full rematch does.
    closed = open_ids.order_by("id").first()
    Requirement.objects.filter(pk=closed.pk).update(
        status=Requirement.Status.CLOSED, close_reason=Requirement.CloseReason.CANCELLED
    )
    tasks.rescore_all()
    assert not Match.objects.filter(requirement=closed).exists()
    assert stored() == expected_lists()


def test_below_the_shard_size_the_rescore_stays_one_chunk_per_block(
    reference_data, eager, shards, settings, caplog
):
    settings.MATCHMAKING_SHARD_SIZE = 1000
    settings.MATCHMAKING_EAGER_PROCESSES = 1  # in this process: its log shows every chunk
    generate(120, 20, seed=4)
    with caplog.at_level("INFO", logger="matchmaking"):
        tasks.rescore_all()
    assert "(shard [" not in caplog.text
    assert "(requirements, 7 ids)" in caplog.text
    assert not ScoringBlock.objects.exists()


def run_maps(enqueued: list[int]) -> list[int]:
    """Runs the map chunks among ``enqueued``; returns the merge chunks they planned."""
    merges: list[int] = []
    for chunk_id in enqueued:
        chunk = chunks.chunk_claim(chunk_id)
        if chunk is not None and chunk.kind == ScoringChunk.Kind.SHARD:
            workflow.run_shard(chunk, enqueue=lambda i: merges.append(i) or True)
    return merges


def test_a_map_or_a_merge_run_twice_leaves_the_same_lists(reference_data, shards):
    generate(200, 30, seed=5)
    expected = expected_lists()
    Match.objects.all().delete()
    sent: list[int] = []
    open_ids = Requirement.objects.filter(status=Requirement.Status.OPEN)
    requirement_ids = list(open_ids.order_by("id").values_list("id", flat=True))[:30]
    map_ids = workflow.plan(
        requirement_ids,
        list(Supplier.objects.values_list("id", flat=True)),
        block_size=10,
        enqueue=lambda i: sent.append(i) or True,
    )
    assert sorted(sent) == sorted(map_ids) and len(map_ids) == 3 * 5

    # Two runs of one map at once (a duplicate message; a redo racing a slow original): both hold
    # the claim, only the first to finish counts.
    first = chunks.chunk_claim(map_ids[0])
    again = chunks.chunk_claim(map_ids[0])
    assert workflow.run_shard(first, enqueue=lambda i: True)["shard"] == 0
    assert workflow.run_shard(again, enqueue=lambda i: True) == {"done": "already"}
    block = ScoringBlock.objects.get(pk=first.object_ids[0])
    assert block.shards_left == block.shards - 1
    assert tasks.run_chunk(map_ids[0]) == {"done": "already"}  # its late redelivery

    merges = run_maps(map_ids[1:])
    assert len(merges) == 3  # one per block, however the maps interleave
    for merge_id in merges:
        chunk = chunks.chunk_claim(merge_id)
        assert workflow.run_merge(chunk)["requirements"] == 10
        assert workflow.run_merge(chunk) == {"done": "no block"}
    assert stored() == expected
    assert not ScoringChunk.objects.exists() and not ShardCandidates.objects.exists()


def test_a_shard_keeps_its_own_suppliers_and_at_most_a_list_and_its_slack(reference_data, shards):
    generate(120, 10, seed=8)
    requirement_ids = list(Requirement.objects.values_list("id", flat=True))
    map_ids = workflow.plan(
        requirement_ids,
        list(Supplier.objects.values_list("id", flat=True)),
        block_size=10,
        enqueue=lambda i: True,
    )
    _, _, low, high = ScoringChunk.objects.get(pk=map_ids[0]).object_ids
    candidates = workflow._shard_candidates(requirement_ids, low, high)
    assert len(candidates[1]) and (candidates[1] >= low).all() and (candidates[1] <= high).all()
    # Per requirement, no more than the list and its slack.
    _, counts = np.unique(candidates[0], return_counts=True)
    assert counts.max() <= 6 + services.RANK_SLACK


def test_the_fan_out_on_real_workers_survives_a_killed_worker_and_duplicate_maps(
    reference_data, broker, settings
):
    settings.MATCH_TOP_N = 6
    settings.MATCHMAKING_SHARD_SIZE = 50
    generate(200, 30, seed=9)
    expected = expected_lists()
    Match.objects.all().delete()
    ids = list(Requirement.objects.order_by("id").values_list("id", flat=True))
    env = {"MATCH_TOP_N": "6", "MATCHMAKING_SHARD_SIZE": "50"}
    locks = HeldLocks(ids)  # the merges wait on them: the worker dies inside one
    first, logs = start_worker("fanout-1@%h", lease=3, **env)
    try:
        tasks.rescore_all()  # outside a transaction: enqueued at once
        for chunk_id in ScoringChunk.objects.filter(kind=ScoringChunk.Kind.SHARD).values_list(
            "pk", flat=True
        ):
            tasks.run_chunk.delay(chunk_id)  # every map's message, twice
        wait_for(
            lambda: (
                ScoringChunk.objects.filter(kind=ScoringChunk.Kind.MERGE)
                .exclude(lease_until=None)
                .exists()
            ),
            what="a worker to claim a merge",
            logs=logs,
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        locks.release()
    assert ScoringBlock.objects.exists()
    assert not Match.objects.exists()

    second, logs = start_worker("fanout-2@%h", lease=3, **env)
    try:
        time.sleep(3.5)  # the dead worker's lease runs out
        assert tasks.sweep_chunks()["enqueued"] >= 1
        wait_for(
            lambda: not ScoringChunk.objects.exists() and not ScoringBlock.objects.exists(),
            timeout=90,
            what="the fan-out to finish",
            logs=logs,
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(20)
    connection.close()
    assert "(merge [" in "".join(logs)
    assert stored() == expected


def test_the_fan_out_on_the_machine_snapshot_writes_the_lists_of_a_full_rematch(
    reference_data, eager, shards, settings, tmp_path
):
    """With the shared snapshot, and edited UMKM in new slots out of id order."""
    settings.MATCHMAKING_SNAPSHOT_DIR = str(tmp_path / "snapshots")
    generate(300, 40, seed=21)
    # Generated rows share one timestamp: an update would re-read them all (late commits).
    Supplier.objects.update(updated_at=timezone.now() - timedelta(hours=2))
    newest = Supplier.objects.order_by("id").first()
    Supplier.objects.filter(pk=newest.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    services.rescore_everything()  # builds the snapshot
    edited = list(Supplier.objects.order_by("id").values_list("id", flat=True)[5:300:20])
    Supplier.objects.filter(id__in=edited).update(lead_time_days=3)
    Supplier.objects.filter(id__in=edited).update(updated_at=timezone.now())
    expected = expected_lists()  # against the new version
    from matchmaking import data

    sups = data.supplier_index(data.load_vocabulary())
    assert sups.version.endswith("/v2")  # the edits went to new slots
    Match.objects.all().delete()
    tasks.rescore_all()
    assert stored() == expected
