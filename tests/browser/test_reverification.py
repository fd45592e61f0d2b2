"""Issue 11.3 in a real browser: a verified UMKM changes its NIB in the profile form (phone,
Indonesian) and loses its badge; the ministry sees the old and new NIB side by side in its queue
(desktop, English) and approves; the badge is back."""

from __future__ import annotations

import pytest

from accounts.models import Notification
from suppliers.models import Kbli
from tests.browser.conftest import watch_failures
from tests.browser.test_matching_screens import log_in
from tests.factories import MinistryUserFactory, SupplierMemberFactory

pytestmark = pytest.mark.browser

NEW_NIB = "8120000000555"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_new_nib_takes_the_badge_off_until_the_ministry_approves(
    phone_page, desktop_page, live_server, screenshot
):
    member = SupplierMemberFactory(
        supplier__verification_status="verified",
        supplier__legal_name="CV Sinar Presisi",
        user__preferred_language="id",
    )
    supplier = member.supplier
    supplier.kbli.set([Kbli.objects.order_by("code").first()])
    old_nib = supplier.nib
    umkm, desk = phone_page, desktop_page
    failed = []
    for page in (umkm, desk):
        watch_failures(page, failed)
    badge = umkm.get_by_test_id("verification-badge")

    # Verified: the badge on the company's dashboard.
    log_in(umkm, live_server, member.user, "id")
    umkm.goto("/suppliers/mine/")
    assert badge.inner_text() == "Terverifikasi"
    screenshot(umkm, "01-verified")

    # A new NIB in the profile form.
    umkm.goto(f"/suppliers/{supplier.pk}/edit/company/")
    umkm.fill("#id_nib", NEW_NIB)
    umkm.get_by_test_id("save").click()
    umkm.wait_for_url(f"**/suppliers/{supplier.pk}/edit/capabilities/")
    umkm.goto("/suppliers/mine/")
    assert badge.inner_text() != "Terverifikasi"
    assert "badge-unverified" in badge.get_attribute("class")
    notice = umkm.get_by_test_id("changed-notice")
    assert notice.is_visible()
    assert f"{old_nib} → {NEW_NIB}" in notice.inner_text()
    screenshot(umkm, "02-badge-off")
    assert Notification.objects.filter(user=member.user, kind="verification_changed").exists()

    # The ministry's queue: the firm's row says why it is back; its review page shows the old
    # and new values side by side; approve.
    log_in(desk, live_server, MinistryUserFactory(), "en")
    desk.goto("/reports/verification/")
    entry = desk.locator(f'[data-testid="queue-supplier"][data-pk="{supplier.pk}"]')
    assert entry.get_by_test_id("row-changed").is_visible()
    entry.get_by_test_id("review-link").click()
    desk.wait_for_url(f"**/reports/verification/supplier/{supplier.pk}/**")
    assert desk.get_by_test_id("review-changed").is_visible()
    row = desk.locator('[data-testid="review-changes"] tr[data-field="nib"]')
    assert row.get_by_test_id("old").inner_text() == old_nib
    assert row.get_by_test_id("new").inner_text() == NEW_NIB
    screenshot(desk, "03-queue")
    desk.get_by_test_id("decision-approved").check()
    desk.get_by_test_id("record-decision").click()
    desk.wait_for_url("**/reports/verification/")
    assert "CV Sinar Presisi" in desk.locator(".message-success").inner_text()
    assert desk.locator(f'[data-testid="queue-supplier"][data-pk="{supplier.pk}"]').count() == 0
    screenshot(desk, "04-approved")

    # The badge is back.
    umkm.goto("/suppliers/mine/")
    assert badge.inner_text() == "Terverifikasi"
    assert umkm.get_by_test_id("changed-notice").count() == 0
    screenshot(umkm, "05-verified-again")
    supplier.refresh_from_db()
    assert (supplier.nib, supplier.verification_status) == (NEW_NIB, "verified")
    assert not failed, failed


def test_a_rejected_umkm_reads_why_and_asks_for_a_new_review(phone_page, live_server, screenshot):
    from suppliers.verification import verification_decide

    member = SupplierMemberFactory(
        supplier__verification_status="unverified", user__preferred_language="id"
    )
    supplier = member.supplier
    verification_decide(
        firm=supplier,
        by=MinistryUserFactory(),
        decision="rejected",
        reason="NIB tidak ditemukan di OSS.",
    )
    page = phone_page
    log_in(page, live_server, member.user, "id")

    page.goto("/suppliers/mine/")
    notice = page.get_by_test_id("rejection-notice")
    assert "NIB tidak ditemukan di OSS." in notice.inner_text()
    screenshot(page, "01-rejected")
    page.fill("textarea[name=message]", "NIB sudah kami perbaiki.")
    page.get_by_test_id("request-review").click()
    page.wait_for_selector('[data-testid="review-requested"]')
    assert page.get_by_test_id("request-review").count() == 0
    screenshot(page, "02-review-requested")
