"""A buyer registers, drafts a requirement, cannot publish until the ministry verifies the
company (in a second browser), then publishes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from accounts.services import email_address_mark_verified
from manufacturers.models import Manufacturer, Requirement
from tests.browser.conftest import watch_failures

pytestmark = pytest.mark.browser

EMAIL = "rina@motor-listrik.example.id"
PASSWORD = "Rantai-Buyer-2026!"
MINISTRY_EMAIL = "verifikator@kemenkopukm.example.id"


def _confirmation_link() -> str:
    bodies = [message.body for message in mail.outbox if EMAIL in message.to]
    assert bodies, "no confirmation e-mail was sent"
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", bodies[-1])
    assert match, bodies[-1]
    return match.group(0)


def test_a_buyer_registers_is_verified_by_the_ministry_and_publishes(
    phone_page, browser, screenshot, settings, live_server
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = phone_page
    failed = []
    watch_failures(page, failed)

    # Sign up as a buyer and confirm the e-mail address.
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=full_name]", "Rina Wulandari")
    page.check("input[name=role][value=buyer]")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=privacy_consent]")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    link = _confirmation_link()
    page.goto(link[link.index("/accounts/") :])
    page.locator("main form button[type=submit]").click()

    # Straight to "register your manufacturer"; a bad NPWP keeps everything typed.
    page.wait_for_url("**/buyers/companies/new/")
    assert User.objects.get(email=EMAIL).role == User.Role.BUYER
    page.fill("#id_name", "PT Motor Listrik Nusantara")
    page.select_option("#id_kind", "two_three_wheeler_oem")
    page.fill("#id_npwp", "12.345")
    page.select_option("#id_province", "36")
    page.fill("#id_address", "Jl. Raya Serang Km 24, Tangerang")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#field-npwp .field-error").is_visible()
    assert page.input_value("#id_name") == "PT Motor Listrik Nusantara"
    assert page.input_value("#id_address") == "Jl. Raya Serang Km 24, Tangerang"
    screenshot(page, "01-company-npwp-error")
    page.fill("#id_npwp", "01.234.567.8-901.000")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/buyers/")
    manufacturer = Manufacturer.objects.get(name="PT Motor Listrik Nusantara")
    assert manufacturer.npwp == "0012345678901000"
    assert manufacturer.verification_status == "unverified"
    assert page.get_by_test_id("unverified-notice").is_visible()
    screenshot(page, "02-dashboard-unverified")

    # Draft a requirement; a reversed price range is refused next to the field, nothing lost.
    page.locator("a[href='/buyers/mine/new/']").click()
    page.wait_for_url("**/buyers/mine/new/")
    page.fill("#id_title", "Hub motor housing")
    page.select_option("#id_component", "MOT.HOUSING")
    page.check("input[name=processes][value=DIE_CAST]")
    page.check("input[name=processes][value=CNC_TURN]")
    page.check("input[name=materials][value=ALUMINIUM]")
    page.check("input[name=required_certifications][value=IATF16949]")
    page.fill("#id_annual_volume", "30000")
    page.fill("#id_target_price_min_idr", "520000")
    page.fill("#id_target_price_max_idr", "240000")
    needed_by = (timezone.localdate() + timedelta(days=90)).isoformat()
    page.fill("#id_needed_by", needed_by)
    page.fill("#id_description", "ADC12 die casting, bearing seats H7.")
    screenshot(page, "03-requirement-form")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#field-target_price_max_idr .field-error").is_visible()
    assert page.is_checked("input[name=processes][value=DIE_CAST]")
    assert page.is_checked("input[name=required_certifications][value=IATF16949]")
    assert page.input_value("#id_title") == "Hub motor housing"
    assert page.input_value("#id_needed_by") == needed_by
    screenshot(page, "04-requirement-price-error")
    page.fill("#id_target_price_min_idr", "240000")
    page.fill("#id_target_price_max_idr", "520000")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/buyers/mine/\d+/$"))
    requirement = Requirement.objects.get(manufacturer=manufacturer)
    assert requirement.is_draft
    assert sorted(requirement.processes.values_list("code", flat=True)) == ["CNC_TURN", "DIE_CAST"]

    # Not verified yet: publishing is refused with a clear message.
    assert page.get_by_test_id("cannot-publish").is_visible()
    page.get_by_test_id("publish-button").click()
    page.wait_for_load_state()
    assert page.locator(".message-error").is_visible()
    requirement.refresh_from_db()
    assert requirement.is_draft
    screenshot(page, "05-cannot-publish")

    # Ministry staff verify the company in their own browser.
    ministry = User.objects.create_user(
        MINISTRY_EMAIL, PASSWORD, full_name="Budi Verifikator", role=User.Role.MINISTRY
    )
    email_address_mark_verified(user=ministry)
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    try:
        desk = context.new_page()
        watch_failures(desk, failed)
        desk.goto("/accounts/login/")
        desk.fill("input[name=login]", MINISTRY_EMAIL)
        desk.fill("input[name=password]", PASSWORD)
        desk.locator("main form button[type=submit]").click()
        # An account made by an administrator has not seen the privacy notice: first page view
        # asks for it (UU PDP).
        desk.wait_for_url("**/accounts/privacy/accept/**")
        desk.check("input[name=accept]")
        desk.get_by_test_id("privacy-accept").click()
        desk.wait_for_load_state()
        desk.goto("/buyers/companies/?status=unverified")
        desk.get_by_role("link", name="PT Motor Listrik Nusantara").click()
        desk.wait_for_url(re.compile(r".*/buyers/companies/\d+/$"))
        screenshot(desk, "06-ministry-company-page")
        desk.get_by_test_id("verify-button").click()
        desk.wait_for_load_state()
        screenshot(desk, "07-ministry-verified")
    finally:
        context.close()
    manufacturer.refresh_from_db()
    assert manufacturer.is_verified and manufacturer.verified_by == ministry

    # Back on the phone: the buyer now publishes.
    page.reload()
    assert page.get_by_test_id("cannot-publish").count() == 0
    page.get_by_test_id("publish-button").click()
    page.wait_for_load_state()
    requirement.refresh_from_db()
    assert requirement.is_open and requirement.published_at is not None
    assert page.get_by_test_id("publish-button").count() == 0
    screenshot(page, "08-published")
    assert failed == []
