"""Issue 14.1 in a real browser at 360 px: the ministry filters and pages its queue, opens one
firm's review, is stopped (error focused) when rejecting without a reason, is asked to confirm
when approving an UMKM whose ISO 9001 expired, and each decision brings it back to the queue at
the same filters with a message naming the firm."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from suppliers.models import Supplier
from tests.browser.narrow import (  # noqa: F401
    fits_the_screen,
    narrow_page,
    wider_than_the_screen,
)
from tests.browser.test_matching_screens import log_in
from tests.factories import (
    ManufacturerFactory,
    MinistryUserFactory,
    SupplierCertificationFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _waiting_since(firm, days: int) -> None:
    type(firm).objects.filter(pk=firm.pk).update(created_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def queue_world():
    jabar = []
    for n in range(24):
        firm = SupplierFactory(legal_name=f"CV Antrean {n:02d}", verification_status="unverified")
        Supplier.objects.filter(pk=firm.pk).update(province_id="32" if n % 2 == 0 else "35")
        _waiting_since(firm, 60 - n)
        if n % 2 == 0:
            jabar.append(firm)
    expired = SupplierFactory(legal_name="CV Sertifikat Lewat", verification_status="unverified")
    Supplier.objects.filter(pk=expired.pk).update(province_id="32")
    _waiting_since(expired, 90)
    SupplierCertificationFactory(
        supplier=expired, valid_until=timezone.localdate() - timedelta(days=20)
    )
    buyer = ManufacturerFactory(name="PT Pembeli Menunggu", verification_status="unverified")
    _waiting_since(buyer, 5)
    return {"jabar": jabar, "expired": expired, "buyer": buyer}


def test_the_ministry_filters_pages_and_decides_from_a_phone(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
    queue_world,
):
    page = narrow_page
    log_in(page, live_server, MinistryUserFactory(), "id")
    page.goto("/reports/verification/")

    # Oldest wait first, 20 to a page, compact rows.
    rows = page.locator("[data-testid=queue-rows] > li")
    expect(rows).to_have_count(20)
    expect(rows.first).to_contain_text("CV Sertifikat Lewat")
    expect(rows.first.get_by_test_id("row-expired")).to_be_visible()
    expect(page.get_by_test_id("queue-count")).to_contain_text("26")
    assert fits_the_screen(page), wider_than_the_screen(page)
    screenshot(page, "01-queue")
    page.get_by_test_id("next").click()
    expect(rows).to_have_count(6)
    expect(rows.last).to_contain_text("PT Pembeli Menunggu")

    # Filters: UMKM in Jawa Barat, waiting more than 30 days.
    page.goto("/reports/verification/")
    page.select_option("#id_kind", "supplier")
    page.select_option("#id_province", "32")
    page.select_option("#id_waiting", "30")
    page.get_by_test_id("apply-filters").click()
    page.wait_for_url("**/reports/verification/?*kind=supplier*")
    # The 12 UMKM in Jawa Barat all wait 38 days or more, and the one with the expired ISO 9001.
    expect(rows).to_have_count(13)
    expect(page.get_by_test_id("clear-filters")).to_be_visible()
    screenshot(page, "02-filtered")

    # One firm's review on its own page; "Tolak" without a reason.
    target = queue_world["jabar"][0]
    page.locator(f'[data-testid=queue-supplier][data-pk="{target.pk}"] a').click()
    page.wait_for_url(f"**/reports/verification/supplier/{target.pk}/?back=*")
    reason = page.locator("#id_reason")
    expect(reason).to_be_hidden()  # shown only once "Tolak" is chosen
    page.get_by_test_id("decision-rejected").check()
    expect(reason).to_be_visible()
    screenshot(page, "03-review-reject-chosen")
    page.get_by_test_id("record-decision").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("decision-errors")).to_be_visible()
    expect(page.get_by_test_id("decision-errors")).to_contain_text("Sebutkan alasan penolakan.")
    expect(reason).to_be_focused()
    expect(page.locator("#id_reason_error")).to_contain_text("Sebutkan alasan penolakan.")
    assert "CV Antrean 02" not in page.content()  # only this firm, not the whole queue
    assert fits_the_screen(page), wider_than_the_screen(page)
    screenshot(page, "04-reason-missing")
    reason.fill("NIB tidak terdaftar di OSS.")
    page.get_by_test_id("record-decision").click()

    # Back at the same filters, the outcome named.
    page.wait_for_url("**/reports/verification/?*province=32*")
    assert "kind=supplier" in page.url and "waiting=30" in page.url
    expect(page.locator(".message-success")).to_contain_text(target.legal_name)
    expect(page.locator(f'[data-testid=queue-supplier][data-pk="{target.pk}"]')).to_have_count(0)
    screenshot(page, "05-back-in-queue")
    target.refresh_from_db()
    assert target.verification_status == "rejected"


def test_approving_an_expired_iso_9001_asks_for_confirmation(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
    queue_world,
):
    page = narrow_page
    firm = queue_world["expired"]
    log_in(page, live_server, MinistryUserFactory(), "id")
    page.goto("/reports/verification/?q=Sertifikat")
    page.locator(f'[data-testid=queue-supplier][data-pk="{firm.pk}"] a').click()

    expect(page.get_by_test_id("certificate-expired")).to_be_visible()
    expect(page.get_by_test_id("expired-warning")).to_be_visible()
    confirm = page.get_by_test_id("confirm-expired")
    expect(confirm).to_be_hidden()
    page.get_by_test_id("decision-approved").check()
    expect(confirm).to_be_visible()
    screenshot(page, "01-expired-flagged")
    page.get_by_test_id("record-decision").click()
    page.wait_for_load_state()

    expect(page.get_by_test_id("decision-errors")).to_contain_text("ISO 9001")
    expect(confirm).to_be_focused()
    firm.refresh_from_db()
    assert firm.verification_status == "unverified"
    screenshot(page, "02-confirm-asked")
    confirm.check()
    page.get_by_test_id("record-decision").click()

    page.wait_for_url("**/reports/verification/?q=Sertifikat")
    expect(page.locator(".message-success")).to_contain_text("CV Sertifikat Lewat")
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    firm.refresh_from_db()
    assert firm.verification_status == "verified"
    screenshot(page, "03-approved")
