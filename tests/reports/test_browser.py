"""The dashboard in a real browser: filters, the chart beside each table, and print to A4."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import conftest as harness
from tests.factories import MinistryUserFactory

# The browser harness's fixtures, shared with this folder.
_reference_data = harness._reference_data
browser = harness.browser
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
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto("/")
    page.get_by_test_id("nav-reports").first.click()
    page.goto("/reports/?date_from=2026-01-01&date_to=2026-06-30")
    assert page.get_by_test_id("figure-intro_requested").get_attribute("data-value") == "4"
    assert page.locator("[data-testid=table-province] tbody tr").count() == 38
    assert page.locator("[data-testid=table-funnel] progress").count() == 5
    assert page.locator("[data-testid=province-map] .tile").count() == 38
    west_java = page.locator("[data-testid=province-map] .tile[data-code='32']")
    assert west_java.get_attribute("data-value") == "1"
    # Every breakdown table fits its box: no column cut off, no header wrapped word by word.
    for slug in ("province", "island", "size", "system", "month"):
        box = page.locator(f"[data-testid=table-{slug}] .report-numbers")
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), slug
        header = page.locator(f"[data-testid=table-{slug}] thead th").nth(1)
        assert header.evaluate("e => e.getClientRects().length === 1 && e.offsetHeight < 48")
    screenshot(page, "dashboard")

    page.get_by_test_id("map-measure-introductions").click()
    page.wait_for_url("**measure=introductions**")
    assert page.get_by_test_id("province-map").get_attribute("data-measure") == "introductions"
    assert west_java.get_attribute("data-value") == "2"
    assert west_java.get_attribute("data-shade") == "5"

    page.locator("summary", has_text="Filters").click()
    page.select_option("#id_province", history.west_java.code)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**province=32**")
    assert page.get_by_test_id("figure-registered").get_attribute("data-value") == "1"
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


def test_the_dashboard_on_a_phone(phone_page, live_server, history, screenshot):
    log_in(phone_page, live_server, MinistryUserFactory())

    phone_page.goto("/reports/?date_from=2026-01-01&date_to=2026-06-30")

    assert phone_page.get_by_test_id("figure-intro_requested").get_attribute("data-value") == "4"
    assert phone_page.locator("[data-testid=province-map] .tile").count() == 38
    # Only the map and the tables scroll sideways, inside their boxes; the page does not.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "dashboard-phone")


def test_verification_queue_on_a_phone(phone_page, live_server, history, screenshot):
    log_in(phone_page, live_server, MinistryUserFactory())

    phone_page.goto("/reports/verification/")
    assert phone_page.get_by_test_id("queue-supplier").count() == 1  # s2 is unverified
    screenshot(phone_page, "queue")
