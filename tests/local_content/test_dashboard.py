"""The ministry's awarded contract value and value-weighted local content (TKDN): counted from
partnerships with an award date, by province, component system and month, with the dashboard's
filters, the same from the direct queries and from the worker's facts, in the exports and the
print view."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports import aggregated, dashboard, services
from reports.dashboard import Filters
from suppliers.models import ComponentCategory, Province, Regency
from tests.factories import (
    IntroductionFactory,
    MinistryUserFactory,
    PartnershipFactory,
    RequirementFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
HALF = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))


def at(day: str) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(12)))


def _award(supplier, component, *, value, pct, awarded, created="2025-12-01"):
    # One requirement each: a pair has one open introduction at a time.
    requirement = RequirementFactory(status="open", component=component)
    introduction = IntroductionFactory(
        requirement=requirement, supplier=supplier, status="accepted", requested_at=at(created)
    )
    return PartnershipFactory(
        introduction=introduction,
        stage="contract",
        contract_value_idr=value,
        local_content_pct=None if pct is None else Decimal(pct),
        awarded_at=None if awarded is None else at(awarded),
        created_at=at(created),
    )


@pytest.fixture
def awards():
    west_java = Province.objects.get(code="32")
    other = Province.objects.exclude(island_group=west_java.island_group).order_by("code").first()
    motor = ComponentCategory.objects.filter(level__gte=2).exclude(code__startswith="BAT.").first()
    java_umkm = SupplierFactory(
        province=west_java, regency=Regency.objects.filter(province=west_java).first()
    )
    other_umkm = SupplierFactory(
        province=other, regency=Regency.objects.filter(province=other).first()
    )
    battery = ComponentCategory.objects.get(code="BAT.MOD.HOLDER")
    motor_part = motor
    # In the period: West Java, battery, February: 100 M at 40% and 300 M at 60%.
    _award(java_umkm, battery, value=100_000_000, pct="40", awarded="2026-02-03")
    _award(java_umkm, battery, value=300_000_000, pct="60", awarded="2026-02-20")
    # The other province, the other system, April: 200 M stating no TKDN; 50 M at 33.33%.
    _award(other_umkm, motor_part, value=200_000_000, pct=None, awarded="2026-04-10")
    _award(other_umkm, motor_part, value=50_000_000, pct="33.33", awarded="2026-04-11")
    # Not counted: awarded before the period; a partnership never awarded (typed-in value).
    _award(java_umkm, battery, value=900_000_000, pct="90", awarded="2025-11-30")
    _award(java_umkm, motor_part, value=700_000_000, pct=None, awarded=None)
    untouched = Province.objects.exclude(pk__in=[west_java.pk, other.pk]).order_by("code").first()
    return {
        "java": west_java,
        "other": other,
        "untouched": untouched,
        "motor": motor.code.split(".")[0],
    }


def _both(f: Filters) -> dict:
    """The dashboard from the direct queries, after checking the facts give the same."""
    direct = {k: v for k, v in dashboard.dashboard(f).items() if k != "computed_at"}
    services.dashboard_facts_refresh()
    facts = aggregated.dashboard(f, dashboard.latest_refresh())
    assert {k: v for k, v in facts.items() if k != "computed_at"} == direct
    return direct


def _rows(data: dict, slug: str) -> dict:
    return {row["key"]: row for row in dict(data["awards"])[slug]}


def test_awarded_value_and_weighted_local_content_of_the_period(awards):
    figures = _both(HALF)["figures"]
    assert figures["awarded_value_idr"] == 100_000_000 + 300_000_000 + 200_000_000 + 50_000_000
    # Weighted over the awards that state a TKDN: (100 x 40 + 300 x 60 + 50 x 33.33) / 450.
    expected = (100 * 40 + 300 * 60 + 50 * 33.33) / 450
    assert figures["awarded_tkdn_pct"] == round(expected, 1) == 52.6
    # The hand-typed partnership value stays its own figure.
    assert figures["contract_value_idr"] == 0


def test_awards_by_province_system_and_month(awards):
    data = _both(HALF)
    province = _rows(data, "province")
    assert province["32"]["awarded_value_idr"] == 400_000_000
    assert province["32"]["awarded_tkdn_pct"] == 55.0  # (100 x 40 + 300 x 60) / 400
    assert province[awards["other"].code]["awarded_value_idr"] == 250_000_000
    assert province[awards["other"].code]["awarded_tkdn_pct"] == 33.3  # only the 50 M states it
    untouched = awards["untouched"].code
    assert province[untouched]["awarded_value_idr"] == 0
    assert province[untouched]["awarded_tkdn_pct"] is None  # nothing awarded: no percentage
    system = _rows(data, "system")
    assert system["BAT"]["awarded_value_idr"] == 400_000_000
    assert system[awards["motor"]]["awarded_tkdn_pct"] == 33.3
    month = _rows(data, "month")
    assert month[date(2026, 2, 1)]["awarded_value_idr"] == 400_000_000
    assert month[date(2026, 4, 1)]["awarded_value_idr"] == 250_000_000
    assert month[date(2026, 3, 1)]["awarded_tkdn_pct"] is None


def test_the_dashboard_filters_apply_to_awards(awards):
    java = _both(Filters(date_from=HALF.date_from, date_to=HALF.date_to, province="32"))
    assert java["figures"]["awarded_value_idr"] == 400_000_000
    assert java["figures"]["awarded_tkdn_pct"] == 55.0
    motor = _both(Filters(date_from=HALF.date_from, date_to=HALF.date_to, system=awards["motor"]))
    assert motor["figures"]["awarded_value_idr"] == 250_000_000
    last_year = _both(Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)))
    assert last_year["figures"]["awarded_value_idr"] == 900_000_000
    assert last_year["figures"]["awarded_tkdn_pct"] == 90.0
    # Cut in the middle of February: month rows and day rows add up the same.
    part = _both(Filters(date_from=date(2026, 2, 10), date_to=date(2026, 4, 10)))
    assert part["figures"]["awarded_value_idr"] == 300_000_000 + 200_000_000
    assert part["figures"]["awarded_tkdn_pct"] == 60.0


def test_no_awards_no_percentage(db):
    figures = _both(HALF)["figures"]
    assert figures["awarded_value_idr"] == 0
    assert figures["awarded_tkdn_pct"] is None


@pytest.fixture
def ministry_client(client):
    client.force_login(MinistryUserFactory())
    return client


def test_the_exports_and_the_print_view_carry_the_awards(ministry_client, awards):
    response = ministry_client.get(
        reverse("reports:export_csv"), {**PERIOD, "table": "awards_province"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Per provinsi",
        "Nilai kontrak yang diberikan (IDR)",
        "Kandungan lokal tertimbang nilai (TKDN %)",
    ]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label[awards["java"].name] == ["400000000", "55.0"]
    assert by_label[awards["untouched"].name] == ["0", ""]

    xlsx = ministry_client.get(reverse("reports:export_xlsx"), PERIOD)
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book["Angka utama"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert figures["Nilai kontrak yang diberikan (IDR)"] == 650_000_000
    assert figures["Kandungan lokal tertimbang nilai dari kontrak yang diberikan (TKDN %)"] == 52.6

    page = ministry_client.get(reverse("reports:print"), PERIOD).content.decode()
    assert 'data-testid="figure-awarded_value_idr" data-value="650000000"' in page
    assert 'data-testid="figure-awarded_tkdn_pct" data-value="52.6"' in page
    assert 'data-testid="table-awards_month"' in page
    assert book.sheetnames[-3:] == [
        "Kontrak diberikan per provinsi",
        "Kontrak diberikan per sistem ko",
        "Kontrak diberikan per bulan",
    ]
    dashboard_page = ministry_client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert 'data-testid="figure-awarded_tkdn_pct"' in dashboard_page
    assert 'data-testid="table-awards_system"' in dashboard_page
