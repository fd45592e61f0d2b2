"""The conversation in two browsers: after an accepted introduction the buyer writes on a
desktop, the UMKM owner sees the unread badge on a phone, answers with a file, the badge clears,
and the buyer reads the answer and downloads the file.

``exchange_messages`` is the reusable part (the whole-chain test calls it): it takes two pages
already logged in as a member of each firm and an accepted introduction.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from introductions import services as intro
from introductions.conversation import services
from introductions.models import Message
from tests.browser.axe import assert_accessible, axe_context
from tests.browser.test_introduction_flow import log_in
from tests.factories import (
    TINY_PDF,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
)
from tests.introductions.factories import make_match
from tests.matching.helpers import make_requirement, make_supplier

pytestmark = pytest.mark.browser

BUYER_TEXT = "Could you quote 12,000 holders a year, first delivery in March?"
UMKM_TEXT = "Bisa. Penawaran harga terlampir."
ATTACHMENT = "penawaran-harga.pdf"


def exchange_messages(buyer_page, umkm_page, introduction, screenshot=None) -> None:
    """The buyer writes, the UMKM sees the unread badge, answers with a PDF, the badge clears;
    the buyer sees the answer unread, opens it and downloads the file."""
    thread_url = f"/introductions/{introduction.pk}/messages/"
    shoot = screenshot or (lambda page, name: None)

    buyer_page.goto(f"/introductions/{introduction.pk}/")
    buyer_page.get_by_test_id("open-thread").click()
    buyer_page.wait_for_url(f"**{thread_url}*")
    buyer_page.get_by_test_id("message-form").locator("textarea").fill(BUYER_TEXT)
    buyer_page.get_by_test_id("send-message").click()
    buyer_page.get_by_test_id("message").filter(has_text=BUYER_TEXT).wait_for()

    umkm_page.goto("/")
    # The header's badge counts notifications and messages; the messages are told apart for
    # screen readers.
    before = int(umkm_page.get_by_test_id("unread-count").inner_text())
    assert umkm_page.get_by_test_id("unread-messages").inner_text() == "1"
    umkm_page.get_by_test_id("nav-notifications").click()
    umkm_page.get_by_test_id("unread-thread").wait_for()
    shoot(umkm_page, "conversation-1-umkm-unread")
    umkm_page.get_by_test_id("unread-thread-open").first.click()
    umkm_page.wait_for_url(f"**{thread_url}*")
    assert BUYER_TEXT in umkm_page.get_by_test_id("thread").inner_text()
    assert umkm_page.get_by_test_id("unread-divider").is_visible()
    assert umkm_page.get_by_test_id("unread-messages").count() == 0  # read by opening it
    badge = umkm_page.get_by_test_id("unread-count")
    assert (int(badge.inner_text()) if badge.count() else 0) == before - 1

    form = umkm_page.get_by_test_id("message-form")
    form.locator("textarea").fill(UMKM_TEXT)
    form.locator("input[type=file]").set_input_files(
        files=[{"name": ATTACHMENT, "mimeType": "application/pdf", "buffer": TINY_PDF}]
    )
    umkm_page.get_by_test_id("send-message").click()
    umkm_page.get_by_test_id("message-file").filter(has_text=ATTACHMENT).wait_for()
    mine = umkm_page.get_by_test_id("message").last
    assert UMKM_TEXT in mine.inner_text() and "is-mine" in mine.get_attribute("class")
    shoot(umkm_page, "conversation-2-umkm-answered")

    buyer_page.goto("/introductions/")
    assert buyer_page.get_by_test_id("unread-messages").inner_text() == "1"
    buyer_page.get_by_test_id("card-unread").first.click()
    buyer_page.wait_for_url(f"**{thread_url}*")
    last = buyer_page.get_by_test_id("message").last
    assert UMKM_TEXT in last.inner_text()
    assert buyer_page.get_by_test_id("unread-messages").count() == 0
    with buyer_page.expect_download() as download:
        last.get_by_test_id("message-file").click()
    assert download.value.suggested_filename == ATTACHMENT
    shoot(buyer_page, "conversation-3-buyer-read")


def test_buyer_writes_umkm_answers_with_a_file_and_the_unread_badges_clear(
    desktop_page, phone_page, live_server, screenshot
):
    buyer = ManufacturerMemberFactory(
        manufacturer__name="PT Motor Listrik Nusantara",
        user__full_name="Rina Pembeli",
        user__preferred_language="en",
    ).user
    requirement = make_requirement(
        manufacturer=buyer.manufacturer_membership.manufacturer,
        title="Cell holder 21700",
        published_at=timezone.now(),
    )
    supplier = make_supplier(
        legal_name="CV Plastik Presisi",
        contact_name="Budi Santoso",
        contact_phone="0812-9876-5432",
    )
    umkm = SupplierMemberFactory(
        supplier=supplier, user__full_name="Budi Santoso", user__preferred_language="id"
    ).user
    make_match(requirement, supplier)
    introduction = intro.introduction_request(
        requirement=requirement, supplier=supplier, by=buyer, message="Hello"
    )
    intro.introduction_accept(introduction=introduction, by=umkm)

    log_in(desktop_page, live_server, buyer, "en")
    log_in(phone_page, live_server, umkm, "id")
    exchange_messages(desktop_page, phone_page, introduction, screenshot)

    assert list(Message.objects.order_by("pk").values_list("side", "body")) == [
        ("buyer", BUYER_TEXT),
        ("supplier", UMKM_TEXT),
    ]
    # The buyer may also continue on WhatsApp, with the UMKM's number as +62 without the plus.
    link = desktop_page.get_by_test_id("whatsapp-link").get_attribute("href")
    assert re.match(r"https://wa\.me/6281298765432\?text=Hello%20Budi%20Santoso", link)
    assert phone_page.get_by_test_id("whatsapp-link").count() == 0
    screenshot(phone_page, "conversation-4-umkm-phone")


def test_the_conversation_pages_are_accessible_on_a_phone_and_a_desktop(
    browser, live_server, screenshot
):
    buyer = ManufacturerMemberFactory(user__preferred_language="en").user
    requirement = make_requirement(
        manufacturer=buyer.manufacturer_membership.manufacturer, published_at=timezone.now()
    )
    supplier = make_supplier(contact_name="Budi Santoso", contact_phone="081298765432")
    umkm = SupplierMemberFactory(supplier=supplier).user
    make_match(requirement, supplier)
    introduction = intro.introduction_request(requirement=requirement, supplier=supplier, by=buyer)
    intro.introduction_accept(introduction=introduction, by=umkm)
    services.message_send(introduction=introduction, by=buyer, body=BUYER_TEXT)
    ministry = MinistryUserFactory()
    pages = [
        (umkm, "/accounts/notifications/"),  # with its unread thread
        (umkm, f"/introductions/{introduction.pk}/messages/"),  # with the unread divider
        (buyer, f"/introductions/{introduction.pk}/messages/"),  # with the WhatsApp link
        (ministry, "/introductions/conversations/"),
    ]
    for viewport in ({"width": 360, "height": 780}, {"width": 1366, "height": 900}):
        for user, path in pages:
            context = axe_context(browser, live_server, viewport=viewport, user=user)
            page = context.new_page()
            response = page.goto(path)
            assert response.status == 200, path
            assert_accessible(page, f"{path} at {viewport['width']} px")
            slug = "-".join(part for part in path.split("/") if part and not part.isdigit())
            screenshot(page, f"{user.role}-{slug}-{viewport['width']}")
            context.close()
