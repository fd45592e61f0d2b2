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


def test_the_refused_and_server_error_pages_pass_axe_at_both_widths(
    browser, live_server, screenshot, settings
):
    # The crawl keeps to pages that answer 200 and its extra pages hold only the 404: the 403
    # and the 500 are checked here.
    from tests.browser.axe import axe_context, axe_report, axe_violations
    from tests.factories import SupplierMemberFactory

    settings.ROOT_URLCONF = "tests.accounts.error_urls"
    reports = []
    for user, path, status in (
        (SupplierMemberFactory().user, "/reports/", 403),
        (None, "/boom/", 500),
        (None, "/bad/", 400),
    ):
        context = axe_context(
            browser, live_server, viewport={"width": 360, "height": 740}, user=user
        )
        page = context.new_page()
        assert page.goto(path).status == status
        for width in (360, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            if violations := axe_violations(page):
                reports.append(axe_report(f"{status} at {width} px", violations))
        context.close()
    assert reports == [], "\n".join(reports)


def _cut_selects(page) -> list[str]:
    """The selects whose chosen option is wider than the box shows (cut off at 360 px)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.queue-filter-grid select')].filter(select => {
            const style = getComputedStyle(select);
            const context = document.createElement('canvas').getContext('2d');
            context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const text = select.options[select.selectedIndex].text;
            const room = select.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return context.measureText(text).width > room;
        }).map(select => `${select.name}: ${select.options[select.selectedIndex].text}`)"""
    )


def test_the_queue_finds_firms_changed_after_verification_and_by_nib_at_360_px(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
):
    from suppliers.models import VerificationReview

    changed = SupplierFactory(
        legal_name="CV Berubah Setelah Verifikasi",
        nib="8120000000777",
        verification_status="verified",
    )
    VerificationReview.objects.create(
        firm_kind="supplier", firm_id=changed.pk, firm_name=changed.legal_name, reason="changed"
    )
    SupplierFactory(legal_name="CV Baru Mendaftar", verification_status="unverified")
    page = narrow_page
    log_in(page, live_server, MinistryUserFactory(), "id")
    page.goto("/reports/verification/")
    rows = page.locator("[data-testid=queue-rows] > li")
    expect(rows).to_have_count(2)

    page.select_option("#id_review", "changed")
    page.get_by_test_id("apply-filters").click()
    page.wait_for_url("**review=changed**")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("CV Berubah Setelah Verifikasi")
    expect(rows.first.get_by_test_id("row-changed")).to_be_visible()
    assert fits_the_screen(page), wider_than_the_screen(page)
    page.select_option("#id_province", label="Kepulauan Bangka Belitung")
    assert _cut_selects(page) == []
    screenshot(page, "01-changed-after-verification")

    # The NIB typed with separators, as it is written on paper.
    page.goto("/reports/verification/")
    page.fill("#id_q", "8120-0000-00777")
    page.get_by_test_id("apply-filters").click()
    page.wait_for_url("**q=8120**")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("CV Berubah Setelah Verifikasi")
    screenshot(page, "02-found-by-nib")
