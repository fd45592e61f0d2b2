from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from reports import dashboard
from reports.dashboard import DIMENSIONS, Filters
from tests.factories import MinistryUserFactory

from .conftest import PERIOD

pytestmark = pytest.mark.django_db

FIRST_HALF = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))


def _with(**kw) -> Filters:
    return Filters(date_from=FIRST_HALF.date_from, date_to=FIRST_HALF.date_to, **kw)


def test_key_figures_count_the_period(history):
    figures = dashboard.key_figures(FIRST_HALF)

    assert figures == {
        "registered": 2,
        "verified": 1,
        "open_requirements": 2,
        "matches": 2,
        "intro_requested": 4,
        "intro_accepted": 1,
        "intro_declined": 1,
        "intro_expired": 1,
        "partnerships": 1,
        "contract_value_idr": 500_000_000,
        # Nothing awarded from a quotation: no value, no percentage (tests/local_content).
        "awarded_value_idr": 0,
        "awarded_tkdn_pct": None,
        # s1: 10 days, s2: 15 days; s3's first introduction (2025) is outside the period.
        "median_days_to_intro": 12.5,
        "moved_up": 1,
    }


def test_key_figures_of_an_earlier_period(history):
    figures = dashboard.key_figures(Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)))

    assert figures["registered"] == 1
    assert figures["verified"] == 1
    assert figures["matches"] == 1
    assert figures["intro_requested"] == 1
    assert figures["partnerships"] == 1
    assert figures["contract_value_idr"] == 7
    assert figures["median_days_to_intro"] == 59.0
    # s3 has no record after its partnership: it did not move up.
    assert figures["moved_up"] == 0


def test_funnel_follows_the_cohort(history):
    assert [n for _label, n in dashboard.funnel(FIRST_HALF)] == [2, 4, 1, 1, 1]


def test_partnerships_by_stage_and_pattern(history):
    stages = dict(dashboard.partnerships_by_stage(FIRST_HALF))
    patterns = dashboard.partnerships_by_pattern(FIRST_HALF)

    assert sum(stages.values()) == 1
    assert [n for _label, n in dashboard.partnerships_by_stage(FIRST_HALF)] == [0, 0, 1, 0, 0]
    assert sum(n for _label, n in patterns) == 1
    assert len(patterns) >= 3


def test_province_filter(history):
    figures = dashboard.key_figures(_with(province=history.west_java.code))

    assert figures["registered"] == 1
    assert figures["verified"] == 1
    assert figures["intro_requested"] == 2
    assert figures["intro_accepted"] == 1
    assert figures["matches"] == 1
    assert figures["open_requirements"] == 1
    assert figures["partnerships"] == 1


def test_island_group_filter(history):
    figures = dashboard.key_figures(_with(island_group=history.other.island_group))

    assert figures["registered"] == 1
    assert figures["intro_requested"] == 2
    assert figures["intro_declined"] == 1
    assert figures["intro_expired"] == 1
    assert figures["partnerships"] == 0
    assert figures["contract_value_idr"] == 0


def test_size_class_filter(history):
    figures = dashboard.key_figures(_with(size_class=history.small_size.code))

    assert figures["registered"] == 1
    assert figures["intro_requested"] == 1
    assert figures["matches"] == 1


def test_component_system_filter(history):
    figures = dashboard.key_figures(_with(system=history.other_system))

    assert figures["registered"] == 1
    assert figures["open_requirements"] == 1
    assert figures["matches"] == 1
    assert figures["intro_requested"] == 2
    assert figures["partnerships"] == 0


def _rows(dimension: str, f: Filters = FIRST_HALF) -> dict:
    return {row["key"]: row for row in dashboard.breakdown(f, DIMENSIONS[dimension])}


def test_province_grid_lists_every_province(history):
    rows = _rows("province")

    assert len(rows) == 38
    west = rows[history.west_java.code]
    assert [west[c] for c in dashboard.BREAKDOWN_COLUMNS] == [1, 1, 2, 1, 1, 500_000_000]
    other = rows[history.other.code]
    assert [other[c] for c in dashboard.BREAKDOWN_COLUMNS] == [1, 0, 2, 0, 0, 0]
    assert sum(row["introductions"] for row in rows.values()) == 4


def test_island_group_breakdown(history):
    rows = _rows("island")

    assert rows[history.west_java.island_group]["introductions"] == 2
    assert rows[history.other.island_group]["introductions"] == 2
    assert rows[history.other.island_group]["registered"] == 1


def test_size_class_breakdown(history):
    rows = _rows("size")

    assert rows[history.small_size.code]["registered"] == 1
    assert rows[history.small_size.code]["introductions"] == 1
    assert rows["mikro"]["introductions"] == 3
    assert rows["mikro"]["contract_value_idr"] == 500_000_000


def test_component_system_breakdown(history):
    rows = _rows("system")

    assert rows["BAT"]["introductions"] == 2
    assert rows["BAT"]["registered"] == 1
    assert rows[history.other_system]["introductions"] == 2
    assert rows[history.other_system]["registered"] == 1


def test_month_breakdown_covers_every_month_of_the_period(history):
    rows = _rows("month")

    assert [key.strftime("%Y-%m") for key in rows] == [f"2026-0{m}" for m in range(1, 7)]
    feb, mar = rows[date(2026, 2, 1)], rows[date(2026, 3, 1)]
    assert (feb["registered"], feb["introductions"], feb["verified"]) == (1, 1, 0)
    assert (mar["registered"], mar["verified"], mar["introductions"], mar["partnerships"]) == (
        1,
        1,
        1,
        1,
    )
    assert rows[date(2026, 1, 1)]["introductions"] == 0


@pytest.mark.parametrize(("language", "may"), [("id", "Mei 2026"), ("en", "May 2026")])
def test_month_rows_are_named_in_the_sites_one_date_format(history, language, may):
    with translation.override(language):
        rows = _rows("month")

    assert rows[date(2026, 5, 1)]["label"] == may
    assert "2026-05" not in [row["label"] for row in rows.values()]


def test_dashboard_page_shows_the_figures_and_applies_filters(client, history):
    client.force_login(MinistryUserFactory())

    response = client.get(reverse("reports:dashboard"), PERIOD)
    filtered = client.get(
        reverse("reports:dashboard"), {**PERIOD, "province": history.west_java.code}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="figure-intro_requested" data-value="4"' in body
    assert 'data-testid="figure-contract_value_idr" data-value="500000000"' in body
    assert 'data-testid="table-province"' in body
    assert "<progress" in body
    assert 'data-testid="figure-registered" data-value="1"' in filtered.content.decode()


def test_default_period_is_the_last_twelve_months():
    start, end = dashboard.default_period(date(2026, 11, 23))

    assert (start, end) == (date(2025, 12, 1), date(2026, 11, 23))


def test_reversed_dates_get_an_error_and_the_default_period(client, db):
    client.force_login(MinistryUserFactory())

    response = client.get(
        reverse("reports:dashboard"), {"date_from": "2026-05-01", "date_to": "2026-01-01"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    assert response.context["filters"].date_from == dashboard.default_period()[0]


def test_the_page_reads_the_figures_the_worker_refreshed(client, history):
    from reports.tasks import refresh_dashboard

    refresh_dashboard()
    refresh = dashboard.latest_refresh()
    client.force_login(MinistryUserFactory())

    response = client.get(reverse("reports:dashboard"), PERIOD)

    assert response.context["data"]["computed_at"] == refresh.refreshed_at
    assert response.context["data"]["figures"] == dashboard.key_figures(FIRST_HALF)
