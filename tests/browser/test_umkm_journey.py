"""An UMKM owner signs up on a phone in Indonesian and completes the whole company profile."""

import re

import pytest
from django.core import mail

from accounts.models import User
from suppliers.models import Supplier
from tests.browser.conftest import watch_failures
from tests.factories import TINY_PDF, tiny_png

pytestmark = pytest.mark.browser

EMAIL = "sari@bengkel-sari.id"
PASSWORD = "Rantai-Umkm-2026!"


def _confirmation_link() -> str:
    bodies = [message.body for message in mail.outbox if EMAIL in message.to]
    assert bodies, "no confirmation e-mail was sent"
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", bodies[-1])
    assert match, bodies[-1]
    return match.group(0)


def test_an_umkm_signs_up_on_a_phone_and_completes_the_profile(
    phone_page, screenshot, settings, live_server
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = phone_page
    failed = []
    watch_failures(page, failed)

    # Sign up.
    page.goto("/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=full_name]", "Sari Wulandari")
    page.check("input[name=role][value=umkm]")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=privacy_consent]")
    screenshot(page, "01-signup")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    screenshot(page, "02-verify-email-sent")

    # Confirm the e-mail address from the link in the e-mail.
    link = _confirmation_link().replace("http://testserver", live_server.url)
    page.goto(link[link.index("/accounts/") :])
    screenshot(page, "03-confirm-email")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/suppliers/new/")
    user = User.objects.get(email=EMAIL)
    assert user.role == User.Role.UMKM

    # Step 1: company. The regency list follows the province (htmx).
    page.fill("#id_legal_name", "CV Bengkel Sari")
    page.fill("#id_nib", "9120-3456-78901")
    page.select_option("#id_size_class", "mikro")
    page.select_option("#id_province", "32")
    page.wait_for_function(  # a function: a bare expression would be eval'd, refused by the CSP
        "() => document.querySelectorAll('#id_regency option[value^=\"32.\"]').length > 5"
    )
    regency = page.locator("#id_regency option[value^='32.']").first.get_attribute("value")
    page.select_option("#id_regency", regency)
    page.fill("#id_address", "Jl. Industri Kecil No. 5, Cikarang")
    page.fill("#id_founded_year", "2014")
    page.fill("#id_employees", "18")
    page.locator("input[name=kbli]").first.check()
    page.fill("#id_description", "Bubut dan frais CNC untuk dudukan sel baterai.")
    page.fill("#id_contact_name", "Sari Wulandari")
    page.fill("#id_contact_email", "kontak@bengkel-sari.id")
    page.fill("#id_contact_phone", "12345")
    page.get_by_test_id("save").click()
    # A wrong phone number: the message sits next to the field and nothing typed is lost.
    page.wait_for_selector("#field-contact_phone .field-error")
    assert page.input_value("#id_legal_name") == "CV Bengkel Sari"
    assert page.input_value("#id_regency") == regency
    screenshot(page, "04-company-error")
    page.fill("#id_contact_phone", "0812 3456 7890")
    screenshot(page, "04-company")
    page.get_by_test_id("save").click()
    page.wait_for_url("**/edit/capabilities/")
    supplier = Supplier.objects.get(nib="9120345678901")
    assert supplier.contact_phone == "+6281234567890"
    assert supplier.regency.province_id == "32"
    assert supplier.members.get().user == user

    # Step 2: capabilities, component families grouped per system.
    page.locator("[data-testid=system-BAT] summary").click()
    page.locator("[data-testid=system-BAT] input[name=components]").nth(1).check()
    page.locator("input[name=processes]").first.check()
    page.locator("input[name=materials]").first.check()
    page.fill("#id_capacity_per_month", "3000")
    page.fill("#id_lead_time_days", "14")
    page.fill("#id_min_order_qty", "100")
    screenshot(page, "05-capabilities")
    page.get_by_test_id("save").click()
    page.wait_for_url("**/edit/certifications/")

    # Step 3: a certificate with a real PDF.
    page.select_option("#id_cert_type", "ISO9001")
    page.fill("#id_number", "QMS-2024-0042")
    page.fill("#id_issuer", "BSN")
    page.fill("#id_valid_until", "2029-06-30")
    page.set_input_files(
        "#id_document",
        files=[{"name": "iso9001.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}],
    )
    page.get_by_test_id("add-certification").click()
    page.wait_for_selector("[data-testid=certifications] li")
    screenshot(page, "06-certifications")
    assert page.locator("[data-testid=document-link]").count() == 1
    page.get_by_test_id("next").click()
    page.wait_for_url("**/edit/photos/")

    # Step 4: a photo.
    page.set_input_files(
        "#id_image",
        files=[{"name": "bengkel.png", "mimeType": "image/png", "buffer": tiny_png((320, 200))}],
    )
    page.fill("#id_caption", "Mesin CNC")
    page.get_by_test_id("add-photo").click()
    page.wait_for_selector("[data-testid=photos] img")
    screenshot(page, "07-photos")
    page.get_by_test_id("finish").click()

    # The dashboard says the profile is complete.
    page.wait_for_url("**/suppliers/mine/")
    assert page.get_by_test_id("profile-complete").is_visible()
    assert page.get_by_test_id("verification-badge").is_visible()
    assert page.locator("[data-testid=completeness]").get_attribute("value") == "100"
    # At 100% nothing asks to complete the profile any more.
    assert page.get_by_test_id("verification-hint").inner_text().strip() == (
        "Staf kementerian akan memeriksa perusahaan Anda."
    )
    assert "Lengkapi profil" not in page.locator("main").inner_text()
    screenshot(page, "08-dashboard")

    # The public profile as the owner sees it (with the private contact block).
    page.get_by_test_id("public-profile").click()
    assert page.get_by_test_id("private-contact").is_visible()
    screenshot(page, "09-profile")
    assert failed == []


def test_a_visitor_browses_the_directory_and_sees_no_private_contact(phone_page, screenshot):
    from tests.factories import SupplierCertificationFactory, SupplierFactory

    suppliers = SupplierFactory.create_batch(27)
    SupplierCertificationFactory(supplier=suppliers[0])
    page = phone_page
    page.goto("/suppliers/")
    assert page.locator("[data-testid=supplier-list] li").count() == 25
    screenshot(page, "directory")
    page.get_by_test_id("next").click()
    assert page.locator("[data-testid=supplier-list] li").count() == 2
    page.goto(f"/suppliers/{suppliers[0].pk}/")
    assert page.get_by_test_id("verification-badge").is_visible()
    assert page.get_by_test_id("private-contact").count() == 0
    assert page.get_by_test_id("document-link").count() == 0
    content = page.content()
    assert suppliers[0].contact_email not in content
    assert suppliers[0].address not in content
    screenshot(page, "public-profile")
