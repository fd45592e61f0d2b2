"""The whole introduction flow in two browsers: a buyer on a desktop requests an introduction from
a match, the UMKM owner accepts on a phone, both see each other's contacts, and the partnership
is recorded and moved to the contract stage."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import OutboxEmail
from introductions.models import Introduction, Partnership
from manufacturers.models import Requirement
from matchmaking import data, services
from matchmaking.models import Match
from tests.factories import ManufacturerMemberFactory, SupplierMemberFactory
from tests.matching.helpers import make_requirement, make_supplier

pytestmark = pytest.mark.browser


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


def test_buyer_requests_umkm_accepts_both_see_contacts_and_the_partnership_reaches_contract(
    desktop_page, phone_page, live_server, screenshot
):
    buyer = ManufacturerMemberFactory(
        manufacturer__name="PT Motor Listrik Nusantara",
        user__full_name="Rina Pembeli",
        user__email="rina@motorlistrik.example.id",
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
        contact_phone="+6281298765432",
        contact_email="budi@plastikpresisi.example.id",
    )
    umkm = SupplierMemberFactory(supplier=supplier, user__preferred_language="id").user
    data.clear_caches()
    services.score_requirement(requirement.pk)  # the real engine writes the match
    assert Match.objects.filter(requirement=requirement, supplier=supplier).exists()

    # The buyer asks for an introduction from the match list.
    page = desktop_page
    log_in(page, live_server, buyer, "en")
    page.goto(f"/matches/requirements/{requirement.pk}/")
    card = page.locator(f"[data-testid=match-card][data-supplier='{supplier.pk}']")
    card.get_by_test_id("request-introduction").click()
    page.fill("#id_message", "We need 12,000 holders a year from March. Can we talk?")
    screenshot(page, "1-buyer-request")
    page.get_by_test_id("send-request").click()
    page.wait_for_url(re.compile(r"/introductions/\d+/$"))
    assert page.get_by_test_id("introduction-status").inner_text() == "Waiting for an answer"
    assert page.get_by_test_id("contacts-hidden").is_visible()
    assert "+6281298765432" not in page.content()
    introduction = Introduction.objects.get(requirement=requirement, supplier=supplier)
    assert OutboxEmail.objects.filter(recipient=umkm.email, template="intro_requested").exists()

    # The UMKM owner sees the notification on a phone and accepts.
    phone = phone_page
    log_in(phone, live_server, umkm, "id")
    phone.goto("/")
    assert phone.get_by_test_id("unread-count").inner_text() == "1"
    phone.get_by_test_id("nav-notifications").click()
    screenshot(phone, "2-umkm-notifications")
    phone.get_by_test_id("notification-open").first.click()
    phone.wait_for_url(f"**/introductions/{introduction.pk}/")
    assert "We need 12,000 holders" in phone.get_by_test_id("introduction-message").inner_text()
    assert buyer.email not in phone.content()
    screenshot(phone, "3-umkm-before-accepting")
    phone.get_by_test_id("accept").click()
    phone.wait_for_selector("[data-testid=contacts]")
    buyer_card = phone.get_by_test_id("buyer-contact").inner_text()
    assert buyer.email in buyer_card and "Rina Pembeli" in buyer_card
    assert re.search(r"IDR 4[.,]000 – 6[.,]000", phone.get_by_test_id("target-price").inner_text())
    assert phone.get_by_test_id("unread-count").count() == 0  # read by opening it
    screenshot(phone, "4-umkm-accepted-contacts")

    # The buyer now sees the supplier's contacts and records the partnership.
    page.reload()
    supplier_card = page.get_by_test_id("supplier-contact").inner_text()
    assert "+6281298765432" in supplier_card and "Budi Santoso" in supplier_card
    assert page.get_by_test_id("unread-count").inner_text() == "1"  # "accepted"
    page.get_by_test_id("start-partnership").click()
    page.select_option("#id_pattern", index=1)
    page.get_by_test_id("save-partnership").click()
    page.wait_for_url(re.compile(r"/introductions/partnerships/\d+/$"))
    assert page.get_by_test_id("current-stage").inner_text() == "In discussion"

    page.select_option("#id_stage", "contract")
    page.fill("#id_contract_value_idr", "")  # a bad value first: kept, with a message
    page.fill("#id_contract_value_idr", "-5")
    page.fill("#id_notes", "Trial order of 500 passed.")
    page.get_by_test_id("save-partnership").click()
    # The page comes back with the message (waited for: the click does not wait for the reload).
    page.locator("#field-contract_value_idr .field-error").wait_for(state="visible")
    assert page.input_value("#id_notes") == "Trial order of 500 passed."
    page.fill("#id_contract_value_idr", "180000000")
    page.fill("#id_start_date", "2027-03-01")
    page.check("#id_technology_transfer")
    page.get_by_test_id("save-partnership").click()
    page.wait_for_selector("[data-testid=current-stage]")
    assert page.get_by_test_id("current-stage").inner_text() == "Contract"
    history = page.get_by_test_id("partnership-history").inner_text()
    assert "Stage: In discussion → Contract" in history
    assert re.search(r"Contract value \(IDR\): – → 180[.,]000[.,]000", history)
    screenshot(page, "5-buyer-partnership-contract")

    partnership = Partnership.objects.get(introduction=introduction)
    assert partnership.stage == Partnership.Stage.CONTRACT
    assert partnership.contract_value_idr == 180_000_000 and partnership.technology_transfer
    assert partnership.events.count() == 2

    # The UMKM sees the same partnership at the contract stage.
    phone.goto(f"/introductions/partnerships/{partnership.pk}/")
    assert phone.get_by_test_id("current-stage").is_visible()
    assert phone.locator("#id_stage").input_value() == "contract"
    screenshot(phone, "6-umkm-partnership")
    assert Requirement.objects.get(pk=requirement.pk).is_open
