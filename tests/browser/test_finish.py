"""Issue 14's small fixes and its server error page, in a real browser at 360 px in Indonesian:
a legal name with emoji or of 360 characters is refused beside the field and kept as typed (never
cut); the 500 page is in the site's layout with a way back; dates on the ministry's queue read
"3 Des 2026"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from suppliers.models import Supplier
from tests.browser.conftest import watch_failures
from tests.browser.narrow import (  # noqa: F401
    fits_the_screen,
    narrow_page,
    wider_than_the_screen,
)
from tests.browser.test_matching_screens import log_in
from tests.factories import MinistryUserFactory, SupplierFactory, UmkmUserFactory

pytestmark = pytest.mark.browser

# Indonesian short month names as the site writes them (config/formats/id, Django's catalogue).
INDONESIAN_DAY = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4}\b")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_an_emoji_or_overlong_legal_name_is_refused_beside_the_field_and_kept_whole(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
):
    page = narrow_page
    failed: list[str] = []
    watch_failures(page, failed)
    log_in(page, live_server, UmkmUserFactory(), "id")
    page.goto("/suppliers/new/")

    page.fill("#id_legal_name", "CV Maju Jaya 🚗")
    page.get_by_test_id("save").click()
    error = page.locator("#id_legal_name_error")
    expect(error).to_contain_text("Gunakan hanya huruf, angka, dan tanda baca biasa")
    expect(error).to_contain_text("🚗")
    assert page.input_value("#id_legal_name") == "CV Maju Jaya 🚗"
    assert page.locator("#id_legal_name").get_attribute("aria-invalid") == "true"
    assert fits_the_screen(page), wider_than_the_screen(page)
    screenshot(page, "01-emoji-refused")

    long_name = ("PT " + "Sinar Logam Nusantara " * 16 + "Tbk")[:360].rstrip()
    page.fill("#id_legal_name", long_name)
    # The browser does not cut it either (no maxlength): the server says what is too long.
    assert page.input_value("#id_legal_name") == long_name
    page.get_by_test_id("save").click()
    expect(error).to_contain_text("200")
    expect(error).to_contain_text(str(len(long_name)))
    assert page.input_value("#id_legal_name") == long_name
    assert fits_the_screen(page), wider_than_the_screen(page)
    screenshot(page, "02-too-long-refused")
    assert not Supplier.objects.exists()
    assert failed == []


def test_a_server_error_is_told_in_the_sites_layout_with_a_way_home(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
    settings,
):
    # The site's URLs plus one view that raises (DEBUG is off, as in production).
    settings.ROOT_URLCONF = "tests.accounts.error_urls"
    page = narrow_page

    response = page.goto("/boom/")

    assert response.status == 500
    assert page.get_by_test_id("error-page").get_attribute("data-status") == "500"
    assert page.locator("html").get_attribute("lang") == "id"
    assert "Terjadi kesalahan di pihak kami" in page.locator("h1").inner_text()
    assert page.locator("meta[name=viewport]").count() == 1
    assert "RuntimeError" not in page.content()
    assert fits_the_screen(page), wider_than_the_screen(page)
    screenshot(page, "500-360")
    page.get_by_test_id("error-back").click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_queue_dates_read_the_indonesian_way_and_english_after_the_switch(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
):
    firm = SupplierFactory(legal_name="CV Tanggal Tunggu", verification_status="unverified")
    Supplier.objects.filter(pk=firm.pk).update(created_at=timezone.now() - timedelta(days=40))
    page = narrow_page
    log_in(page, live_server, MinistryUserFactory(), "id")

    page.goto("/reports/verification/")
    row = page.locator(f'[data-testid=queue-supplier][data-pk="{firm.pk}"]').inner_text()
    assert INDONESIAN_DAY.search(row), row
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}", row), row

    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto("/reports/verification/")
    row = page.locator(f'[data-testid=queue-supplier][data-pk="{firm.pk}"]').inner_text()
    # English: day first as in Indonesian, never the US "Oct 24, 2026".
    assert re.search(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b", row), row
    assert not re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", row), row
    screenshot(page, "queue-dates-en")
