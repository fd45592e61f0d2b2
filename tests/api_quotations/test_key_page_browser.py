"""The buyer firm's API keys page in a real browser: an owner on a phone (Indonesian) creates a
key, copies it, and revokes it; the page fits 390 px, reads well on a desktop and passes axe."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from partners.models import ApiKey
from tests.browser import conftest as harness
from tests.browser.axe import assert_accessible, axe_context
from tests.factories import ManufacturerMemberFactory

# The browser harness's fixtures, shared with this folder.
_reference_data = harness._reference_data
desktop_page = harness.desktop_page
phone_page = harness.phone_page
screenshot = harness.screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(page, live_server, user, language: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )


def test_an_owner_creates_copies_and_revokes_a_key_on_a_phone(
    phone_page, desktop_page, browser, live_server, screenshot
):
    membership = ManufacturerMemberFactory(role="owner")
    firm = membership.manufacturer
    page = phone_page
    failed = harness.watch_failures(page, [])
    log_in(page, live_server, membership.user, "id")

    page.goto(f"/buyers/companies/{firm.pk}/")
    page.get_by_test_id("api-keys-link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kunci API perusahaan"
    page.get_by_label("Label").fill("ERP pembelian")
    page.get_by_test_id("create-key").click()

    raw = page.get_by_test_id("raw-key").inner_text().strip()
    key = ApiKey.objects.get(manufacturer=firm)
    assert raw.startswith(f"rk_{key.prefix}.")
    assert page.get_by_test_id(f"key-{key.prefix}").get_by_text("ERP pembelian").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(page, "01-phone-created")

    page.get_by_test_id(f"revoke-{key.prefix}").click()
    page.get_by_test_id("confirm-dialog-no").click()
    key.refresh_from_db()
    assert key.revoked_at is None
    page.get_by_test_id(f"revoke-{key.prefix}").click()
    screenshot(page, "02-phone-confirm")
    page.get_by_test_id("confirm-dialog-yes").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("raw-key").count() == 0
    assert "dicabut" in page.get_by_test_id(f"key-{key.prefix}").inner_text()
    key.refresh_from_db()
    assert key.revoked_at is not None
    screenshot(page, "03-phone-revoked")
    assert failed == []

    desktop = desktop_page
    log_in(desktop, live_server, membership.user, "en")
    desktop.goto(f"/buyers/companies/{firm.pk}/api-keys/")
    desktop.get_by_test_id("create-key").click()
    assert desktop.get_by_test_id("raw-key").is_visible()
    screenshot(desktop, "04-desktop-created")

    for viewport in (harness.PHONE["viewport"], harness.DESKTOP["viewport"]):
        context = axe_context(browser, live_server, viewport=viewport, user=membership.user)
        try:
            axe_page = context.new_page()
            axe_page.goto(f"/buyers/companies/{firm.pk}/api-keys/")
            assert_accessible(axe_page, f"api keys {viewport['width']}px")
        finally:
            context.close()
