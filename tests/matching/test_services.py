"""Writing matches: top N, ranks, stale rows, decisions, supplier-side updates, idempotency."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from django.db import connection

from manufacturers.models import Requirement
from matchmaking import data, readiness, selectors, services
from matchmaking.models import Match, MatchDecision, ReadinessSummary
from tests.matching.helpers import in_days, make_requirement, make_supplier


def snapshot(requirement_ids=None):
    qs = Match.objects.all()
    if requirement_ids is not None:
        qs = qs.filter(requirement_id__in=requirement_ids)
    return sorted(qs.values_list("requirement_id", "supplier_id", "rank", "score", "components"))


def _suppliers(n):
    # Decreasing capacity gives a clear order.
    return [make_supplier(capacity=100 * (n - i)) for i in range(n)]


@pytest.mark.django_db
def test_it_keeps_the_top_n_ranked_best_first(settings):
    settings.MATCH_TOP_N = 3
    suppliers = _suppliers(5)
    make_supplier(processes=["SEWING"], components=["INT.SEAT"])  # excluded
    requirement = make_requirement(annual_volume=12 * 500)
    services.score_requirement(requirement.id)
    rows = list(Match.objects.filter(requirement=requirement).order_by("rank"))
    assert [m.rank for m in rows] == [1, 2, 3]
    assert [m.supplier_id for m in rows] == [s.id for s in suppliers[:3]]
    assert rows[0].score >= rows[1].score >= rows[2].score
    assert rows[0].engine_version and rows[0].facts["processes"]["covered"] == ["INJ_MOULD"]


@pytest.mark.django_db
def test_excluded_pairs_are_never_matches():
    make_supplier(certs=[("ISO9001", in_days(-1))])
    requirement = make_requirement(required=["ISO9001"])
    services.score_requirement(requirement.id)
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_rescoring_removes_stale_matches_and_keeps_decisions():
    supplier = make_supplier()
    other = make_supplier()
    requirement = make_requirement()
    services.score_requirement(requirement.id)
    MatchDecision.objects.create(requirement=requirement, supplier=supplier, status="shortlisted")
    assert Match.objects.filter(requirement=requirement).count() == 2
    requirement.required_certifications.set(["ISO9001"])
    services.score_requirement(requirement.id)
    assert not Match.objects.exists()
    supplier.certifications.create(cert_type_id="ISO9001", valid_until=in_days(100))
    supplier.save()
    services.score_requirement(requirement.id)
    assert list(Match.objects.values_list("supplier_id", flat=True)) == [supplier.id]
    assert other.id not in Match.objects.values_list("supplier_id", flat=True)
    decision = selectors.matches_for_requirement(requirement).get().decision
    assert decision == "shortlisted"


@pytest.mark.django_db
def test_a_closed_requirement_loses_its_matches():
    make_supplier()
    requirement = make_requirement()
    services.score_requirement(requirement.id)
    assert Match.objects.exists()
    Requirement.objects.filter(pk=requirement.pk).update(status="closed", close_reason="awarded")
    services.score_requirement(requirement.id)
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_running_twice_gives_the_same_matches():
    _suppliers(4)
    requirements = [make_requirement(), make_requirement(processes=["INJ_MOULD", "ASSEMBLY"])]
    ids = [r.id for r in requirements]
    services.score_requirements(ids)
    first = snapshot()
    services.score_requirements(ids)
    assert snapshot() == first
    services.rescore_everything()
    assert snapshot() == first


def test_two_workers_at_once_leave_the_same_matches(reference_data):
    _suppliers(6)
    requirement = make_requirement()
    services.score_requirement(requirement.id)
    expected = snapshot()
    Match.objects.all().delete()
    errors = []

    def run():
        try:
            services.score_requirement(requirement.id)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert snapshot() == expected


@pytest.mark.django_db
def test_supplier_update_enters_and_leaves_lists_like_a_full_rescore(settings):
    settings.MATCH_TOP_N = 3
    suppliers = _suppliers(5)
    requirements = [make_requirement(), make_requirement(annual_volume=120)]
    services.rescore_everything()
    # The weakest supplier becomes the strongest: it must enter the full lists.
    weakest = suppliers[-1]
    weakest.capacity_per_month = 100_000
    weakest.save()
    stats = services.score_supplier(weakest.id)
    assert stats.refills == []
    incremental = snapshot()
    services.rescore_everything()
    assert snapshot() == incremental
    assert Match.objects.get(requirement=requirements[0], supplier=weakest).rank == 1


@pytest.mark.django_db
def test_supplier_falling_out_of_a_full_list_asks_for_a_refill(settings):
    settings.MATCH_TOP_N = 2
    suppliers = _suppliers(3)
    requirement = make_requirement()
    services.rescore_everything()
    best = suppliers[0]
    best.processes.set(["SEWING"])
    best.components.set(["INT.SEAT"])
    best.save()
    stats = services.score_supplier(best.id)
    assert stats.refills == [requirement.id]
    assert not Match.objects.filter(supplier=best).exists()
    services.score_requirement(requirement.id)  # what the refill task does
    assert [m.supplier_id for m in Match.objects.order_by("rank")] == [
        suppliers[1].id,
        suppliers[2].id,
    ]


@pytest.mark.django_db
def test_supplier_dropping_in_a_list_that_is_not_full_needs_no_refill():
    suppliers = _suppliers(2)
    make_requirement()
    services.rescore_everything()
    suppliers[0].capacity_per_month = 1
    suppliers[0].save()
    stats = services.score_supplier(suppliers[0].id)
    assert stats.refills == []
    incremental = snapshot()
    services.rescore_everything()
    assert snapshot() == incremental


@pytest.mark.django_db
def test_the_supplier_index_sees_profile_changes():
    supplier = make_supplier()
    requirement = make_requirement()
    services.score_requirement(requirement.id)
    assert Match.objects.count() == 1
    supplier.processes.set(["SEWING"])
    supplier.components.set(["INT.SEAT"])
    supplier.save()  # bumps updated_at, which the cached index checks
    services.score_requirement(requirement.id)
    assert Match.objects.count() == 0
    supplier.delete()
    make_supplier()
    services.score_requirement(requirement.id)
    assert Match.objects.count() == 1
    assert len(data.supplier_index(data.load_vocabulary())) == 1


@pytest.mark.django_db
def test_readiness_finds_the_one_missing_certificate_and_process():
    supplier = make_supplier(processes=["CNC_MILL"], components=["MOT.HOUSING"])
    iso = [make_requirement(required=["ISO9001"]) for _ in range(2)]
    for requirement in iso:
        requirement.processes.set(["CNC_MILL"])
    two_missing = make_requirement(required=["ISO9001", "ISO14001"], processes=["CNC_MILL"])
    injection = make_requirement(processes=["INJ_MOULD"], component="BAT.MOD.HOLDER")
    items = {(i.kind, i.code): i for i in selectors.readiness_for_supplier(supplier)}
    assert sorted(items[("certification", "ISO9001")].requirement_ids) == [r.id for r in iso]
    assert items[("process", "INJ_MOULD")].requirement_ids == [injection.id]
    assert all(two_missing.id not in i.requirement_ids for i in items.values())
    # The nightly rescore stores the same counts, aggregated for the ministry's overview.
    services.rescore_everything()
    overview = {(row["kind"], row["code"]): row for row in selectors.readiness_overview()}
    assert {key: (row["suppliers"], row["pairs"]) for key, row in overview.items()} == {
        key: (1, item.count) for key, item in items.items()
    }
    assert overview[("certification", "ISO9001")]["pairs"] == 2
    assert selectors.readiness_overview(province="32")[0]["pairs"] >= 1
    assert selectors.readiness_overview(province="11") == []
    # A batch of the nightly job replaces its own rows; together the batches give the same.
    ReadinessSummary.objects.all().delete()
    assert readiness.refresh_readiness(supplier.id, supplier.id) == len(items)
    again = selectors.readiness_overview()
    assert [(r["kind"], r["code"], r["suppliers"], r["pairs"]) for r in again] == [
        (r["kind"], r["code"], r["suppliers"], r["pairs"]) for r in overview.values()
    ]


@pytest.mark.django_db
def test_ranks_follow_exactly_the_stored_scores(settings, monkeypatch):
    # The block scorer and the pair scorer may round a score differently in its last float32 bit;
    # skew the pair scorer (the one whose score is stored) so that its order disagrees with the
    # block's, and the stored ranks must still follow the stored scores, ties to the smaller id.
    settings.MATCH_TOP_N = 4
    suppliers = [make_supplier(capacity=100 * (10 - i)) for i in range(8)]
    requirement = make_requirement(annual_volume=12 * 500)
    pair_scores = services.Engine.score_pairs
    # One inside the block's top 4 (its rank must change) and one just beyond it (it must enter).
    favoured = {suppliers[3].id, suppliers[4].id}

    def skewed(self, reqs, r_idx, sups, s_idx, *args, **kwargs):
        result = pair_scores(self, reqs, r_idx, sups, s_idx, *args, **kwargs)
        lift = np.isin(sups.ids[np.asarray(s_idx)], list(favoured)).astype(np.float32) * 40
        result["score"] = np.minimum(result["score"] + lift, np.float32(100))
        return result

    monkeypatch.setattr(services.Engine, "score_pairs", skewed)
    services.score_requirement(requirement.id)
    rows = list(
        Match.objects.filter(requirement=requirement).values_list("rank", "score", "supplier_id")
    )
    by_rank = [(score, supplier) for _, score, supplier in sorted(rows)]
    assert [rank for rank, _, _ in sorted(rows)] == [1, 2, 3, 4]
    assert by_rank == sorted(by_rank, key=lambda row: (-row[0], row[1]))
    assert {supplier for _, supplier in by_rank[:2]} == favoured
