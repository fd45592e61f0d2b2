"""The machine's shared supplier snapshot (``matchmaking.snapshot``): the engine scores the same
from the mapped files as from a process's own arrays, through updates, new days, deletions and
compaction; a process keeps scoring against the version it opened."""

from __future__ import annotations

import multiprocessing
from datetime import timedelta

import numpy as np
import pytest
from django.db import connections
from django.utils import timezone

from matchmaking import data, services, snapshot
from matchmaking.models import Match
from suppliers.models import Supplier, SupplierCertification

from .helpers import in_days, make_requirement, make_supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot_dir(settings, tmp_path):
    settings.MATCHMAKING_SNAPSHOT_DIR = str(tmp_path / "snapshots")
    snapshot.forget()
    yield tmp_path / "snapshots"
    snapshot.forget()


VARIETY = [
    dict(),
    dict(processes=("CNC_MILL",), components=("BAT.PACK.ENCL",), materials=("ALUMINIUM",)),
    dict(certs=[("ISO9001", in_days(3))], verification="unverified"),
    dict(certs=[("IATF16949", in_days(400)), ("TKDN", in_days(200), 45)], capacity=None),
    dict(province="31", lead_time=None, verification="rejected"),
    dict(processes=("INJ_MOULD", "CNC_MILL"), certs=[("ISO9001", in_days(-1))]),
]


def _suppliers(n: int = 12) -> list[Supplier]:
    return [make_supplier(**VARIETY[i % len(VARIETY)]) for i in range(n)]


def _requirements() -> None:
    make_requirement()
    make_requirement(required=("ISO9001",), preferred=("IATF16949",))
    make_requirement(processes=("CNC_MILL",), component="BAT.PACK.ENCL", materials=("ALUMINIUM",))
    make_requirement(min_local_content_pct=40, local_content_required=True)


def _scores(sups, day) -> dict[int, tuple]:
    """Every live supplier's scores and exclusions against every open requirement, by id."""
    vocab, engine = data.load_engine(day)
    reqs = data.load_requirements(vocab)
    block = engine.score_block(reqs, np.arange(len(reqs)), sups)
    ids = [int(i) for i in sups.ids]
    live = (
        set(int(i) for i in sups.sorted_ids)
        if isinstance(sups, snapshot.SnapshotSuppliers)
        else set(ids)
    )
    return {
        sid: (tuple(np.round(block["score"][:, col], 4)), tuple(block["excluded"][:, col]))
        for col, sid in enumerate(ids)
        if sid in live
    }


def _own(day) -> dict[int, tuple]:
    vocab = data.load_vocabulary()
    return _scores(data.load_suppliers(vocab), day)


def _snap(day):
    vocab = data.load_vocabulary()
    return data.supplier_index(vocab, day=day)


def test_it_scores_from_the_snapshot_as_from_a_private_copy(snapshot_dir):
    _suppliers()
    _requirements()
    day = timezone.localdate()
    sups = _snap(day)
    assert isinstance(sups, snapshot.SnapshotSuppliers)
    assert sups.version == "g1/v1"
    assert isinstance(
        sups.__dict__["_features"][next(iter(sups.__dict__["_features"]))]["F"], np.memmap
    )
    assert _scores(sups, day) == _own(day)


def test_edits_append_a_version_and_an_open_version_keeps_scoring_as_it_was(
    snapshot_dir, monkeypatch
):
    monkeypatch.setattr(snapshot, "COMPACT_DEAD_SHARE", 1.0)  # a dozen UMKM: no compaction
    made = _suppliers()
    _requirements()
    day = timezone.localdate()
    first = _snap(day)
    before = _scores(first, day)

    edited = made[1]
    edited.processes.set(["INJ_MOULD"])
    edited.components.set(["BAT.MOD.HOLDER"])
    Supplier.objects.filter(pk=edited.pk).update(updated_at=timezone.now())
    SupplierCertification.objects.create(
        supplier=made[0], cert_type_id="ISO9001", valid_until=in_days(90)
    )
    Supplier.objects.filter(pk=made[0].pk).update(updated_at=timezone.now())
    added = make_supplier(processes=("CNC_MILL",), components=("BAT.PACK.ENCL",))
    made[5].delete()

    second = _snap(day)
    assert second.version.startswith("g1/")  # no rebuild: the same generation, a new version
    assert second.version != first.version
    assert _scores(second, day) == _own(day)
    assert added.pk in _scores(second, day)
    assert made[5].pk is None or made[5].pk not in _scores(second, day)
    # The version opened before the edits still answers as it did.
    assert _scores(first, day) == before
    assert second.position(edited.pk) is not None
    assert int(second.ids[second.position(edited.pk)]) == edited.pk


def test_a_new_day_takes_in_the_certificates_that_ended(snapshot_dir):
    _suppliers()
    _requirements()
    today = timezone.localdate()
    _snap(today)
    later = today + timedelta(days=5)  # the ISO 9001 valid for 3 more days has ended
    sups = _snap(later)
    assert sups.day == later.toordinal()
    assert _scores(sups, later) == _own(later)


def test_it_compacts_when_too_many_slots_are_dead(snapshot_dir, monkeypatch):
    made = _suppliers()
    _requirements()
    day = timezone.localdate()
    _snap(day)
    monkeypatch.setattr(snapshot, "COMPACT_DEAD_SHARE", 0.0)
    Supplier.objects.filter(pk=made[2].pk).update(capacity_per_month=1, updated_at=timezone.now())
    sups = _snap(day)
    assert sups.version == "g2/v1"
    assert not (snapshot_dir / connections["default"].settings_dict["NAME"] / "g1").exists()
    assert _scores(sups, day) == _own(day)


def test_a_new_process_maps_the_same_version_without_rebuilding(snapshot_dir):
    _suppliers()
    _requirements()
    day = timezone.localdate()
    sups = _snap(day)
    root = snapshot.root_dir()
    current = (root / "CURRENT").stat().st_mtime_ns
    snapshot.forget()
    again = _snap(day)
    assert again.version == sups.version
    assert (root / "CURRENT").stat().st_mtime_ns == current
    # Shared pages: the same file backs both mappings.
    (features,) = again.__dict__["_features"].values()
    assert str(features["F"].filename) == str(root / again.version.split("/")[0] / "features.npy")


def test_matches_written_from_the_snapshot_equal_those_from_a_private_copy(settings, tmp_path):
    _suppliers(18)
    _requirements()
    requirement_ids = sorted(services.Requirement.objects.values_list("id", flat=True))

    def written() -> list[tuple]:
        return sorted(Match.objects.values_list("requirement_id", "supplier_id", "score", "rank"))

    settings.MATCHMAKING_SNAPSHOT_DIR = ""
    services.score_requirements(requirement_ids)
    own = written()
    Match.objects.all().delete()
    data.clear_caches()
    settings.MATCHMAKING_SNAPSHOT_DIR = str(tmp_path / "snap")
    services.score_requirements(requirement_ids)
    assert written() == own
    assert len(own) > 0
    snapshot.forget()


def _child_version(queue, day_ordinal):  # pragma: no cover - runs in a forked child
    from datetime import date

    connections.close_all()
    snapshot.forget()
    vocab = data.load_vocabulary()
    sups = data.supplier_index(vocab, day=date.fromordinal(day_ordinal))
    queue.put(sups.version)


@pytest.mark.django_db(transaction=True)
def test_a_process_started_later_reads_the_published_version(snapshot_dir, reference_data):
    # Committed rows (a transactional test) so that the second process sees them.
    _suppliers(6)
    _requirements()
    day = timezone.localdate()
    sups = _snap(day)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    connections.close_all()
    child = context.Process(target=_child_version, args=(queue, day.toordinal()))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    assert queue.get(timeout=5) == sups.version


def test_a_shard_of_the_snapshot_scores_like_the_same_rows_of_the_whole(snapshot_dir):
    _suppliers(12)
    _requirements()
    day = timezone.localdate()
    sups = _snap(day)
    shard = sups.take(np.arange(4, 9))
    assert isinstance(shard, snapshot.SnapshotSuppliers)
    (features,) = shard.__dict__["_features"].values()
    assert isinstance(features["F"], np.memmap)  # a view, not a copy
    whole = _scores(sups, day)
    part = _scores(shard, day)
    assert set(part) == {int(i) for i in sups.ids[4:9]}
    assert part == {sid: whole[sid] for sid in part}
    assert shard.position(int(sups.ids[6])) == 2


def test_a_snapshot_older_than_its_maximum_age_is_read_again_in_full(snapshot_dir, settings):
    made = _suppliers(6)
    _requirements()
    # Older than the late-commit window, which an update always reads again.
    Supplier.objects.update(updated_at=timezone.now() - timedelta(hours=2))
    Supplier.objects.filter(pk=made[5].pk).update(updated_at=timezone.now() - timedelta(hours=1))
    day = timezone.localdate()
    assert _snap(day).version == "g1/v1"
    # Changed without touching updated_at: invisible to an update, not to a full read.
    Supplier.objects.filter(pk=made[0].pk).update(capacity_per_month=3)
    make_supplier()  # a new signature
    snapshot.forget()
    assert _snap(day).version == "g1/v2"
    settings.MATCHMAKING_SNAPSHOT_MAX_AGE_HOURS = 0
    make_supplier()
    rebuilt = _snap(day)
    assert rebuilt.version == "g2/v1"
    assert rebuilt.capacity[rebuilt.position(made[0].pk)] == 3


def test_any_deletion_changes_the_supplier_signature(snapshot_dir):
    made = _suppliers(3)
    before = data.supplier_signature()
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "DELETE FROM suppliers_supplier_processes WHERE supplier_id = %s", [made[0].pk]
        )
        cursor.execute(
            "DELETE FROM suppliers_supplier_components WHERE supplier_id = %s", [made[0].pk]
        )
        cursor.execute(
            "DELETE FROM suppliers_supplier_materials WHERE supplier_id = %s", [made[0].pk]
        )
        cursor.execute("DELETE FROM suppliers_suppliermember WHERE supplier_id = %s", [made[0].pk])
        cursor.execute("DELETE FROM suppliers_supplier WHERE id = %s", [made[0].pk])
    after = data.supplier_signature()
    assert after[0] != before[0]
    assert after[1:] == before[1:]  # neither the newest change nor the largest id tells
