"""Rescoring one supplier (``services.score_supplier``): ranks computed from the stored scores,
one write per call, and the re-check once the list locks are held."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from manufacturers.models import Requirement
from matchmaking import services
from matchmaking.models import Match
from tests.matching.helpers import make_requirement, make_supplier


def snapshot():
    return sorted(
        Match.objects.values_list("requirement_id", "supplier_id", "rank", "score", "components")
    )


def ranked(requirement):
    return list(
        Match.objects.filter(requirement=requirement)
        .order_by("rank")
        .values_list("supplier_id", "rank")
    )


@pytest.mark.django_db
def test_it_enters_mid_list_shifts_the_rest_and_trims_the_last(settings):
    settings.MATCH_TOP_N = 3
    # Monthly need 500: capacities 500, 400, 300, 200 score in that order.
    first, second, third, fourth = (make_supplier(capacity=c) for c in (500, 400, 300, 200))
    requirement = make_requirement(annual_volume=12 * 500)
    services.rescore_everything()
    assert ranked(requirement) == [(first.id, 1), (second.id, 2), (third.id, 3)]

    fourth.capacity_per_month = 450
    fourth.save()
    stats = services.score_supplier(fourth.id)

    assert ranked(requirement) == [(first.id, 1), (fourth.id, 2), (second.id, 3)]
    assert (stats.matches, stats.removed, stats.refills) == (1, 0, [])
    incremental = snapshot()
    services.rescore_everything()
    assert snapshot() == incremental


@pytest.mark.django_db
def test_it_moves_down_within_a_list_without_a_refill(settings):
    settings.MATCH_TOP_N = 3
    first, second, third = (make_supplier(capacity=c) for c in (500, 400, 300))
    make_supplier(capacity=100)  # not stored: ranks below the third
    requirement = make_requirement(annual_volume=12 * 500)
    services.rescore_everything()

    first.capacity_per_month = 350  # still above the stored third: no one else can pass it
    first.save()
    stats = services.score_supplier(first.id)

    assert ranked(requirement) == [(second.id, 1), (first.id, 2), (third.id, 3)]
    assert stats.refills == []


@pytest.mark.django_db
def test_scoring_the_same_supplier_twice_gives_the_same_lists(settings):
    settings.MATCH_TOP_N = 2
    suppliers = [make_supplier(capacity=c) for c in (500, 400, 300)]
    make_requirement(annual_volume=12 * 500)
    make_requirement(annual_volume=12 * 100)
    services.rescore_everything()
    suppliers[2].capacity_per_month = 600
    suppliers[2].save()
    services.score_supplier(suppliers[2].id)
    once = snapshot()
    services.score_supplier(suppliers[2].id)
    assert snapshot() == once
    assert {rank for _r, _s, rank, *_ in once} == {1, 2}


@pytest.mark.django_db
def test_incremental_updates_and_refills_match_a_full_rescore(settings):
    """Random profile changes, each followed by what the worker does (score the supplier, then
    refill the lists it fell out of), end where a full rescore ends."""
    settings.MATCH_TOP_N = 3
    rng = random.Random(7)
    suppliers = [make_supplier(capacity=rng.randint(1, 9) * 100) for _ in range(7)]
    requirements = [
        make_requirement(annual_volume=12 * 500),
        make_requirement(annual_volume=12 * 200),
        make_requirement(processes=["INJ_MOULD", "CNC_MILL"], annual_volume=12 * 800),
    ]
    services.rescore_everything()
    for _ in range(12):
        supplier = rng.choice(suppliers)
        change = rng.choice(["capacity", "lead_time", "processes"])
        if change == "capacity":
            supplier.capacity_per_month = rng.randint(1, 12) * 100
        elif change == "lead_time":
            supplier.lead_time_days = rng.choice([7, 30, 200])
        else:
            supplier.processes.set(rng.choice([["INJ_MOULD"], ["CNC_MILL"], ["SEWING"]]))
        supplier.save()
        stats = services.score_supplier(supplier.id)
        for requirement_id in stats.refills:
            services.score_requirement(requirement_id)
        incremental = snapshot()
        services.rescore_everything()
        assert snapshot() == incremental, (change, supplier.id)
    assert all(ranked(r) for r in requirements)


@pytest.mark.django_db
def test_it_decides_again_when_a_list_changes_before_the_locks(settings, monkeypatch):
    """A requirement closed between the decision and the locks: the supplier must not be written
    into its list from the stale decision."""
    settings.MATCH_TOP_N = 3
    supplier = make_supplier(capacity=100)
    closing, staying = make_requirement(), make_requirement()
    services.rescore_everything()
    Match.objects.all().delete()
    real = services._lock_and_read
    calls = []

    def close_first(*args, **kwargs):
        if not calls:
            Requirement.objects.filter(pk=closing.pk).update(
                status="closed",
                close_reason="awarded",
                updated_at=timezone.now() + timedelta(seconds=1),
            )
        calls.append(sorted(args[1]))
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_lock_and_read", close_first)
    services.score_supplier(supplier.id)

    assert calls[0] == sorted([closing.id, staying.id])
    assert len(calls) == 2
    assert list(Match.objects.values_list("requirement_id", "supplier_id")) == [
        (staying.id, supplier.id)
    ]


@pytest.mark.django_db
def test_the_full_rescore_leaves_planner_statistics_for_the_lookups():
    for capacity in (500, 400, 300):
        make_supplier(capacity=capacity)
    make_requirement()
    services.rescore_everything()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Match._meta.db_table]
        )
        assert cursor.fetchone()[0] == Match.objects.count() == 3
