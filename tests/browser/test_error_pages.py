"""At 360 px: the error pages lead back, and ministry staff and administrators land on their
dashboard after log-in (DEBUG is off in the tests, as in production)."""

from __future__ import annotations

import pytest
from django.conf import settings

from accounts.services import email_address_mark_verified
from tests.browser.conftest import watch_failures
from tests.factories import AdminUserFactory, MinistryUserFactory, SupplierMemberFactory

pytestmark = pytest.mark.browser

PASSWORD = "rantai-test-pass-123"  # tests.factories.UserFactory
PHONE_360 = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True}


@pytest.fixture
def page_360(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **PHONE_360)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_missing_page_leads_back_and_searches(page_360, live_server, screenshot):
    assert settings.DEBUG is False
    page = page_360
    failed = []
    watch_failures(page, failed)

    response = page.goto("/suppliers/no-such-page/")

    assert response.status == 404
    error = page.get_by_test_id("error-page")
    assert error.get_attribute("data-status") == "404"
    assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
    assert page.locator("meta[name=viewport]").count() == 1
    assert _fits(page)
    screenshot(page, "404-360")
    page.fill("#error-search-q", "Presisi")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url("**/suppliers/?q=Presisi")
    page.go_back()
    page.get_by_test_id("error-back").click()
    page.wait_for_url(f"{live_server.url}/")
    assert failed == []


def test_a_refused_page_leads_to_the_persons_workspace(page_360, live_server, screenshot):
    member = SupplierMemberFactory()
    email_address_mark_verified(user=member.user)
    page = page_360
    _log_in(page, member.user.email)

    response = page.goto("/reports/")

    assert response.status == 403
    assert page.locator("h1").inner_text() == "Anda tidak dapat membuka halaman ini"
    assert page.get_by_test_id("nav-menu-toggle").is_visible()  # the site's own header
    assert _fits(page)
    screenshot(page, "403-360")
    page.get_by_test_id("error-back").click()
    page.wait_for_url("**/suppliers/mine/")


@pytest.mark.parametrize(
    "factory", [MinistryUserFactory, AdminUserFactory], ids=["ministry", "admin"]
)
def test_ministry_staff_and_administrators_land_on_their_dashboard_after_log_in(
    page_360, live_server, screenshot, factory
):
    staff = factory()
    email_address_mark_verified(user=staff)
    page = page_360

    _log_in(page, staff.email)

    page.wait_for_url("**/reports/")
    assert page.get_by_test_id("key-figures").is_visible()
    assert page.get_by_test_id("province-map").is_visible()
    assert _fits(page)
    screenshot(page, "ministry-landing-360")
    # The brand link, too, leads to the dashboard rather than the public page.
    page.locator("a.brand").click()
    page.wait_for_url("**/reports/")
