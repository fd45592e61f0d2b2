"""Issue 14.3 in a real browser at 360 px: deleting a certificate, a photo, a drawing or a draft
asks first; "cancel" keeps the item. With scripts a dialog asks, without them a page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.narrow import narrow_page, narrow_page_without_js  # noqa: F401
from tests.browser.test_matching_screens import log_in
from tests.factories import (
    ManufacturerMemberFactory,
    RequirementFactory,
    SupplierCertificationFactory,
    SupplierMemberFactory,
    SupplierPhotoFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member():
    member = SupplierMemberFactory(user__preferred_language="id")
    SupplierCertificationFactory(supplier=member.supplier)
    SupplierPhotoFactory(supplier=member.supplier, caption="Mesin CNC")
    return member


def test_deleting_a_certificate_or_photo_asks_in_a_dialog_and_cancel_keeps_it(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
    member,
):
    page = narrow_page
    supplier = member.supplier
    log_in(page, live_server, member.user, "id")
    page.goto(f"/suppliers/{supplier.pk}/edit/certifications/")
    posts = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )

    page.get_by_test_id("delete-certification").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("ISO 9001")
    expect(page.get_by_test_id("confirm-dialog-no")).to_be_focused()
    screenshot(page, "01-dialog")
    page.get_by_test_id("confirm-dialog-no").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("delete-certification")).to_be_focused()
    assert posts == [] and supplier.certifications.count() == 1

    page.get_by_test_id("delete-certification").click()
    page.get_by_test_id("confirm-dialog-yes").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.get_by_test_id("delete-certification")).to_have_count(0)
    screenshot(page, "02-deleted")
    assert not supplier.certifications.exists()

    page.goto(f"/suppliers/{supplier.pk}/edit/photos/")
    page.get_by_test_id("delete-photo").click()
    expect(page.get_by_test_id("confirm-dialog")).to_be_visible()
    page.keyboard.press("Escape")  # closing the dialog any way changes nothing
    expect(page.get_by_test_id("confirm-dialog")).to_be_hidden()
    assert supplier.photos.count() == 1
    page.get_by_test_id("delete-photo").click()
    page.get_by_test_id("confirm-dialog-yes").click()
    expect(page.get_by_test_id("delete-photo")).to_have_count(0)
    assert not supplier.photos.exists()


def test_without_scripts_a_confirmation_page_asks_and_cancel_keeps_it(
    narrow_page_without_js,  # noqa: F811
    live_server,
    screenshot,
    member,
):
    page = narrow_page_without_js
    supplier = member.supplier
    log_in(page, live_server, member.user, "id")
    page.goto(f"/suppliers/{supplier.pk}/edit/certifications/")

    page.get_by_test_id("delete-certification").click()
    expect(page.get_by_test_id("confirm-page")).to_contain_text("ISO 9001")
    screenshot(page, "01-confirm-page")
    page.get_by_test_id("confirm-no").click()
    page.wait_for_url(f"**/suppliers/{supplier.pk}/edit/certifications/")
    assert supplier.certifications.count() == 1

    page.get_by_test_id("delete-certification").click()
    page.get_by_test_id("confirm-yes").click()
    page.wait_for_url(f"**/suppliers/{supplier.pk}/edit/certifications/")
    expect(page.locator(".message-success")).to_be_visible()
    assert not supplier.certifications.exists()


def test_a_draft_requirement_and_its_drawing_are_deleted_only_when_confirmed(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from manufacturers import services
    from tests.factories import TINY_PDF

    page = narrow_page
    buyer = ManufacturerMemberFactory(user__preferred_language="id")
    draft = RequirementFactory(manufacturer=buyer.manufacturer, title="Dudukan sel 21700")
    services.attachment_add(
        requirement=draft, upload=SimpleUploadedFile("gambar.pdf", TINY_PDF), uploaded_by=buyer.user
    )
    log_in(page, live_server, buyer.user, "id")
    page.goto(f"/buyers/mine/{draft.pk}/")

    page.get_by_test_id("delete-attachment").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("gambar.pdf")
    page.get_by_test_id("confirm-dialog-no").click()
    assert draft.attachments.count() == 1
    page.get_by_test_id("delete-draft").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("Dudukan sel 21700")
    screenshot(page, "01-draft-dialog")
    page.get_by_test_id("confirm-dialog-no").click()
    draft.refresh_from_db()

    page.get_by_test_id("delete-draft").click()
    page.get_by_test_id("confirm-dialog-yes").click()
    page.wait_for_url("**/buyers/")
    screenshot(page, "02-draft-deleted")
    assert not type(draft).objects.filter(pk=draft.pk).exists()


def test_closing_a_requirement_and_withdrawing_a_request_ask_first_and_cancel_keeps_them(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
):
    from tests.factories import IntroductionFactory

    page = narrow_page
    buyer = ManufacturerMemberFactory(user__preferred_language="id")
    requirement = RequirementFactory(
        manufacturer=buyer.manufacturer, title="Rumah motor hub", status="open"
    )
    introduction = IntroductionFactory(requirement=requirement, requested_by=buyer.user)
    log_in(page, live_server, buyer.user, "id")

    # Closing the requirement: the dialog names it; cancel keeps it open.
    page.goto(f"/buyers/mine/{requirement.pk}/")
    page.locator("input[name=close_reason]").first.check()
    page.locator("#close-heading + form button[type=submit]").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text("Rumah motor hub")
    screenshot(page, "01-close-dialog")
    page.get_by_test_id("confirm-dialog-no").click()
    expect(dialog).to_be_hidden()
    requirement.refresh_from_db()
    assert requirement.is_open

    # Withdrawing the introduction request: cancel keeps it, yes withdraws it.
    page.goto(f"/introductions/{introduction.pk}/")
    page.get_by_test_id("withdraw").click()
    expect(dialog).to_be_visible()
    page.get_by_test_id("confirm-dialog-no").click()
    introduction.refresh_from_db()
    assert introduction.status == "requested"
    page.get_by_test_id("withdraw").click()
    screenshot(page, "02-withdraw-dialog")
    page.get_by_test_id("confirm-dialog-yes").click()
    page.wait_for_load_state()
    expect(page.locator(".message-success")).to_be_visible()
    introduction.refresh_from_db()
    assert introduction.status == "withdrawn"
