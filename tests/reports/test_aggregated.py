"""The dashboard read from the worker's pre-aggregated facts gives exactly the figures of the
direct queries, for every filter combination, and stays as of its refresh until the next one."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import Match
from reports import aggregated, dashboard, services
from reports.dashboard import Filters
from reports.models import DashboardRefresh, IntroductionStat, MatchStat, SupplierStat
from reports.tasks import refresh_dashboard
from suppliers.models import SizeClass, Supplier
from tests.factories import (
    IntroductionFactory,
    MatchFactory,
    MinistryUserFactory,
    PartnershipFactory,
    SupplierSizeRecordFactory,
)

from .conftest import PERIOD, _supplier, at

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def _without_time(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "computed_at"}


def _direct(f: Filters) -> dict:
    return _without_time(dashboard.dashboard(f))


def _from_facts(f: Filters) -> dict:
    return _without_time(aggregated.dashboard(f, dashboard.latest_refresh()))


def _local(day: str, hour: int, minute: int, microsecond: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), JAKARTA).replace(
        microsecond=microsecond
    )


@pytest.fixture
def edges(history):
    """Rows on the edges: the last local minutes of a period (already the next day in UTC), a
    supplier in two component systems, one without any, intros without a partnership stage, an
    odd number of first introductions with fractional seconds."""
    medium = SizeClass.objects.order_by("rank")[2]
    twin = _supplier(history.other, "2026-06-30", medium, "BAT.MOD.HOLDER")
    twin.components.add(history.r2.component)
    Supplier.objects.filter(pk=twin.pk).update(created_at=_local("2026-06-30", 23, 50, 123457))
    bare = _supplier(history.west_java, "2026-07-01", medium, "BAT.MOD.HOLDER")
    bare.components.clear()
    Supplier.objects.filter(pk=bare.pk).update(created_at=_local("2026-07-01", 0, 5))
    IntroductionFactory(
        requirement=history.r2,
        supplier=twin,
        status="accepted",
        requested_at=_local("2026-06-30", 23, 59, 999999),
    )
    late = IntroductionFactory(
        requirement=history.r1,
        supplier=bare,
        status="accepted",
        requested_at=_local("2026-07-01", 0, 1),
    )
    PartnershipFactory(introduction=late, stage="active", created_at=_local("2026-07-02", 8, 0))
    MatchFactory(requirement=history.r2, supplier=twin, computed_at=_local("2026-06-30", 23, 59))
    MatchFactory(requirement=history.r1, supplier=bare, computed_at=_local("2026-07-01", 0, 0))
    return history


def _periods() -> list[Filters]:
    return [
        Filters(date(2026, 1, 1), date(2026, 6, 30)),
        Filters(date(2025, 1, 1), date(2025, 12, 31)),
        Filters(date(2026, 2, 20), date(2026, 3, 1)),
        Filters(date(2026, 6, 30), date(2026, 7, 1)),
        Filters(date(2024, 1, 1), date(2026, 12, 31)),
        # Whole months in the middle, partial ones at both ends; one whole month.
        Filters(date(2026, 2, 15), date(2026, 5, 10)),
        Filters(date(2026, 3, 1), date(2026, 3, 31)),
    ]


def test_it_gives_the_direct_figures_for_every_filter_combination(edges):
    services.dashboard_facts_refresh()
    h = edges
    micro, small = (s.code for s in SizeClass.objects.order_by("rank")[:2])
    combinations = itertools.product(
        ["", h.west_java.code, h.other.code],
        ["", h.west_java.island_group, h.other.island_group],
        ["", micro, small],
        ["", "BAT", h.other_system],
    )
    checked = 0
    for province, island, size, system in combinations:
        for period in _periods() if not (province or island or size) else _periods()[::3]:
            f = Filters(period.date_from, period.date_to, province, island, size, system)
            assert _from_facts(f) == _direct(f), f
            checked += 1
    assert checked > 150


def test_it_counts_the_edge_rows_as_the_direct_queries_do(edges):
    services.dashboard_facts_refresh()
    june = Filters(date(2026, 6, 30), date(2026, 6, 30))

    figures = _from_facts(june)["figures"]
    systems = {row["key"]: row for row in dict(_from_facts(june)["breakdowns"])["system"]}

    assert (figures["registered"], figures["intro_requested"], figures["matches"]) == (1, 1, 1)
    # The UMKM in two systems counts once in each, and once in the total.
    assert systems["BAT"]["registered"] == 1
    assert systems[edges.other_system]["registered"] == 1
    # First introductions minutes after (and one before) registration, to the microsecond.
    year = Filters(date(2026, 1, 1), date(2026, 12, 31))
    assert _from_facts(year)["figures"]["median_days_to_intro"] == 5.0
    assert _direct(year)["figures"]["median_days_to_intro"] == 5.0


def test_it_stays_as_of_the_refresh_until_the_worker_refreshes_again(history):
    f = Filters(date(2026, 1, 1), date(2026, 6, 30))
    first = services.dashboard_facts_refresh()
    before = _from_facts(f)

    # Data changes: a new introduction with a contract, a UMKM that moved province and gained a
    # component system, a match removed, a verification, a size record that moves s3 up.
    intro = IntroductionFactory(
        requirement=history.r1,
        supplier=history.s3,
        status="accepted",
        requested_at=at("2026-04-02"),
    )
    PartnershipFactory(
        introduction=intro, stage="contract", contract_value_idr=9, created_at=at("2026-04-03")
    )
    Supplier.objects.filter(pk=history.s2.pk).update(
        province=history.west_java, verification_status="verified", verified_at=at("2026-05-05")
    )
    history.s2.components.add("BAT.MOD.HOLDER")
    Match.objects.filter(supplier=history.s1).delete()
    SupplierSizeRecordFactory(
        supplier=history.s3, size_class=history.small_size, valid_from=date(2026, 5, 1)
    )

    assert _from_facts(f) == before  # as of the last refresh
    assert _direct(f) != before

    refresh_dashboard()

    refreshed = _from_facts(f)
    assert refreshed == _direct(f)
    assert refreshed["figures"]["moved_up"] == 2
    assert refreshed["figures"]["contract_value_idr"] == 500_000_009
    assert DashboardRefresh.objects.get().refreshed_at >= first.refreshed_at
    day_rows = {"day__isnull": False}
    registered = SupplierStat.objects.filter(kind="registered", **day_rows)
    assert sum(registered.values_list("n", flat=True)) == Supplier.objects.count()
    assert sum(IntroductionStat.objects.filter(**day_rows).values_list("n", flat=True)) == 6
    matches = MatchStat.objects.filter(day__isnull=True).values_list("n", flat=True)
    assert sum(matches) == Match.objects.count()


def test_the_refresh_replaces_the_facts_rather_than_adding_to_them(history):
    services.dashboard_facts_refresh()
    services.dashboard_facts_refresh()

    assert sum(SupplierStat.objects.filter(day__isnull=True).values_list("n", flat=True)) == 5
    assert sum(MatchStat.objects.filter(day__isnull=False).values_list("n", flat=True)) == 3
    assert DashboardRefresh.objects.count() == 1


def test_the_worker_refreshes_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-refresh-dashboard"]

    assert entry["task"] == "reports.tasks.refresh_dashboard"
    assert entry["schedule"] <= 600


def test_the_page_builds_the_facts_once_then_shows_their_time(client, history):
    client.force_login(MinistryUserFactory())
    assert not DashboardRefresh.objects.exists()

    response = client.get(reverse("reports:dashboard"), PERIOD)
    refresh = DashboardRefresh.objects.get()
    IntroductionFactory(requirement=history.r1, supplier=history.s2, requested_at=at("2026-06-01"))
    again = client.get(reverse("reports:dashboard"), PERIOD)

    assert response.context["data"]["computed_at"] == refresh.refreshed_at
    assert again.context["data"]["figures"]["intro_requested"] == 4  # as of the refresh
    local = timezone.localtime(refresh.refreshed_at)
    assert f'data-testid="as-of" data-time="{local:%H:%M}"' in again.content.decode()
    assert DashboardRefresh.objects.count() == 1


def test_a_new_refresh_retires_the_cached_page(client, history):
    client.force_login(MinistryUserFactory())
    client.get(reverse("reports:dashboard"), PERIOD)
    IntroductionFactory(requirement=history.r1, supplier=history.s2, requested_at=at("2026-06-01"))

    refresh_dashboard()
    response = client.get(reverse("reports:dashboard"), PERIOD)

    assert response.context["data"]["figures"]["intro_requested"] == 5


def test_without_a_worker_the_page_rebuilds_facts_older_than_a_minute(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    old = services.dashboard_facts_refresh()
    DashboardRefresh.objects.filter(pk=old.pk).update(
        refreshed_at=timezone.now() - timedelta(minutes=5)
    )

    dashboard.cached_dashboard(Filters(date(2026, 1, 1), date(2026, 6, 30)))

    assert timezone.now() - dashboard.latest_refresh().refreshed_at < timedelta(minutes=1)


def test_with_a_worker_the_page_keeps_the_workers_facts(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = services.dashboard_facts_refresh()
    stale = timezone.now() - timedelta(minutes=5)
    DashboardRefresh.objects.filter(pk=old.pk).update(refreshed_at=stale)

    dashboard.cached_dashboard(Filters(date(2026, 1, 1), date(2026, 6, 30)))

    assert dashboard.latest_refresh().refreshed_at == stale
