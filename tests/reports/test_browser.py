"""The dashboard in a real browser: filters, the chart beside each table, and print to A4."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import conftest as harness
from tests.factories import IntroductionFactory, MinistryUserFactory, PartnershipFactory

from .conftest import at

# The browser harness's fixtures, shared with this folder.
_reference_data = harness._reference_data
desktop_page = harness.desktop_page
phone_page = harness.phone_page
screenshot = harness.screenshot

pytestmark = pytest.mark.browser


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_ministry_reads_and_filters_the_dashboard(
    desktop_page, live_server, history, screenshot, tmp_path
):
    page = desktop_page
    log_in(page, live_server, MinistryUserFactory())
    failed = []
    harness.watch_failures(page, failed)
    # A contract awarded in the period, from an introduction and a partnership of 2025.
    earlier = IntroductionFactory(
        requirement=history.r2,
        supplier=history.s2,
        status="accepted",
        requested_at=at("2025-05-01"),
    )
    PartnershipFactory(
        introduction=earlier,
        stage="contract",
        contract_value_idr=250_000_000,
        local_content_pct=Decimal("45"),
        awarded_at=at("2026-05-05"),
        created_at=at("2025-05-02"),
    )

    page.goto("/")
    page.get_by_test_id("nav-reports").first.click()
    page.goto("/reports/?date_from=2026-01-01&date_to=2026-06-30")
    assert page.get_by_test_id("figure-intro_requested").get_attribute("data-value") == "4"
    assert page.locator("[data-testid=table-province] tbody tr").count() == 38
    assert page.locator("[data-testid=table-funnel] progress").count() == 5
    assert page.locator("[data-testid=province-map] path").count() == 38
    west_java = page.locator("[data-testid=province-map] path[data-code='32']")
    assert west_java.get_attribute("data-value") == "1"
    # Every breakdown table fits its box: no column cut off, no header wrapped word by word.
    for slug in ("province", "island", "size", "system", "month"):
        box = page.locator(f"[data-testid=table-{slug}] .report-numbers")
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), slug
        header = page.locator(f"[data-testid=table-{slug}] thead th").nth(1)
        assert header.evaluate("e => e.getClientRects().length === 1 && e.offsetHeight < 48")
    assert page.get_by_test_id("figure-awarded_value_idr").get_attribute("data-value") == (
        "250000000"
    )
    assert page.get_by_test_id("figure-awarded_tkdn_pct").get_attribute("data-value") == "45.0"
    for slug in ("awards_province", "awards_system", "awards_month"):
        box = page.locator(f"[data-testid=table-{slug}] .report-numbers")
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), slug
    may = page.locator("[data-testid=table-awards_month] tbody tr", has_text="May 2026")
    assert may.locator("td").nth(1).get_attribute("data-value") == "45.0"
    screenshot(page, "dashboard")

    page.get_by_test_id("map-measure-introductions").click()
    page.wait_for_url("**measure=introductions**")
    assert page.get_by_test_id("province-map").get_attribute("data-measure") == "introductions"
    assert west_java.get_attribute("data-value") == "2"
    assert west_java.get_attribute("data-shade") == "5"

    assert page.get_by_test_id("chip-period").is_visible()
    page.locator("summary", has_text="Filters").click()
    page.select_option("#id_province", history.west_java.code)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**province=32**")
    assert page.get_by_test_id("figure-registered").get_attribute("data-value") == "1"
    # The filter shows without opening the panel, by name.
    assert page.get_by_test_id("chip-province").inner_text().startswith("Province: Jawa Barat")
    screenshot(page, "filtered")

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto("/reports/print/?date_from=2026-01-01&date_to=2026-06-30")
    page.emulate_media(media="print")
    screenshot(page, "print")
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    # A download ends its navigation with ERR_ABORTED by design; nothing else may fail.
    assert [url for url in failed if "/export.xlsx" not in url] == []


PHONE_360 = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True}


@pytest.fixture
def page_360(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **PHONE_360)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_the_dashboard_on_a_phone(page_360, live_server, history, screenshot):
    page = page_360
    log_in(page, live_server, MinistryUserFactory())
    page.goto("/reports/?date_from=2025-01-01&date_to=2026-06-30")
    # Registered in the period: two UMKM in the other province, one in West Java.
    shades = {
        code: page.locator(f"[data-testid=province-map] path[data-code='{code}']").evaluate(
            "p => [p.dataset.shade, getComputedStyle(p).fill]"
        )
        for code in (history.other.code, history.west_java.code, "91")
    }
    assert shades[history.other.code] == ["5", "rgb(8, 48, 107)"]  # the darkest
    assert shades[history.west_java.code] == ["3", "rgb(107, 174, 214)"]
    assert shades["91"] == ["0", "rgb(223, 227, 232)"]  # none: grey, not the lightest blue
    page.get_by_test_id("province-map").screenshot(
        path=str(harness.ARTIFACTS / "test_the_dashboard_on_a_phone-map-360.png")
    )

    page.goto(
        f"/reports/?date_from=2026-01-01&date_to=2026-06-30&province={history.west_java.code}"
        f"&size_class={history.small_size.code}&measure=introductions"
    )

    assert page.get_by_test_id("figure-intro_requested").get_attribute("data-value") == "0"
    chips = page.get_by_test_id("active-filters")
    assert chips.is_visible()
    assert "Jawa Barat" in chips.inner_text() and "Small enterprise" in chips.inner_text()
    # The map: every province drawn, the whole country inside the screen, no sideways scroll.
    provinces = page.locator("[data-testid=province-map] path")
    assert provinces.count() == 38
    svg = page.locator("svg.provmap").bounding_box()
    assert svg["x"] >= 0 and svg["x"] + svg["width"] <= 360 and svg["width"] > 280
    edges = provinces.evaluate_all(
        "ps => ps.map(p => { const r = p.getBoundingClientRect(); return [r.left, r.right]; })"
    )
    assert min(left for left, _r in edges) >= 0 and max(right for _l, right in edges) <= 360
    assert page.get_by_test_id("map-legend").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "dashboard-360")

    # One chip off: the province goes, the size class stays, the map keeps its measure.
    page.get_by_test_id("chip-remove-province").click()
    page.wait_for_load_state()
    assert "province=" not in page.url and "size_class=" in page.url
    assert page.get_by_test_id("chip-province").count() == 0
    assert page.get_by_test_id("province-map").get_attribute("data-measure") == "introductions"
    page.get_by_test_id("clear-filters").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("active-filters").count() == 0
    assert page.get_by_test_id("province-map").get_attribute("data-measure") == "introductions"
    screenshot(page, "cleared-360")


def test_verification_queue_on_a_phone(phone_page, live_server, history, screenshot):
    log_in(phone_page, live_server, MinistryUserFactory())

    phone_page.goto("/reports/verification/")
    assert phone_page.get_by_test_id("queue-supplier").count() == 1  # s2 is unverified
    screenshot(phone_page, "queue")
