"""From a published requirement to a recorded contract: the buyer opens the requirement to
quotations and publishes it, the engine matches two UMKM, the buyer asks to meet both, they
accept, both quote on a phone (one with volume tiers, one revising its offer), the buyer compares
them side by side, awards one, and the partnership page shows the awarded value."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboxEmail
from introductions.models import Introduction, Partnership, Quotation
from manufacturers.models import Requirement
from matchmaking import data, services
from matchmaking.models import Match
from tests.browser.test_conversation import exchange_messages
from tests.factories import (
    ManufacturerMemberFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
)
from tests.matching.helpers import make_requirement, make_supplier

from .axe import assert_accessible, axe_context

pytestmark = pytest.mark.browser


def log_in(page, live_server, user, language: str) -> None:
    page.context.clear_cookies()
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


def quote(phone, introduction: Introduction, *, price: str, lead: str, tiers=(), tkdn="") -> None:
    phone.goto(f"/introductions/{introduction.pk}/")
    phone.get_by_test_id("submit-quotation").click()
    phone.wait_for_selector("[data-testid=quotation-form]")
    phone.fill("#id_minimum_order", "1000")
    phone.fill("#id_unit_price_idr", price)
    for n, (quantity, tier_price) in enumerate(tiers, start=1):
        phone.fill(f"#id_tier_quantity_{n}", quantity)
        phone.fill(f"#id_tier_price_{n}", tier_price)
    phone.fill("#id_lead_time_days", lead)
    phone.fill("#id_valid_until", (timezone.localdate() + timedelta(days=45)).isoformat())
    phone.fill("#id_local_content_pct", tkdn)
    phone.get_by_test_id("send-quotation").click()
    phone.wait_for_url(re.compile(r"/introductions/quotations/\d+/$"))


def check_accessible(browser, live_server, user, url: str, viewport: dict) -> None:
    context = axe_context(browser, live_server, viewport=viewport, user=user)
    try:
        page = context.new_page()
        page.goto(url)
        assert_accessible(page)
    finally:
        context.close()


def test_two_umkm_quote_the_buyer_compares_and_awards_one_and_the_partnership_shows_it(
    browser, desktop_page, phone_page, live_server, screenshot
):
    buyer = ManufacturerMemberFactory(
        manufacturer__name="PT Motor Listrik Nusantara",
        user__full_name="Rina Pembeli",
        user__preferred_language="en",
    ).user
    requirement = make_requirement(
        manufacturer=buyer.manufacturer_membership.manufacturer,
        title="Cell holder 21700",
        status=Requirement.Status.DRAFT,
        annual_volume=24_000,
    )
    first = make_supplier(legal_name="CV Plastik Presisi")
    second = make_supplier(legal_name="CV Cetak Mandiri")
    first_user = SupplierMemberFactory(supplier=first, user__preferred_language="id").user
    second_user = SupplierMemberFactory(supplier=second, user__preferred_language="en").user

    # The buyer opens the draft to quotations, then publishes it.
    page = desktop_page
    log_in(page, live_server, buyer, "en")
    page.goto(reverse("manufacturers:requirement_edit", args=[requirement.pk]))
    page.check("#id_quotes_open")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{reverse('manufacturers:requirement_detail', args=[requirement.pk])}")
    page.get_by_test_id("publish-button").click()
    page.wait_for_selector("[data-testid=matches-link]")
    requirement.refresh_from_db()
    assert requirement.is_open and requirement.quotes_open

    data.clear_caches()
    services.score_requirement(requirement.pk)  # the real engine writes the matches
    assert Match.objects.filter(requirement=requirement, supplier__in=[first, second]).count() == 2

    # The buyer asks to meet both matched UMKM.
    for supplier in (first, second):
        page.goto(f"/matches/requirements/{requirement.pk}/")
        card = page.locator(f"[data-testid=match-card][data-supplier='{supplier.pk}']")
        card.get_by_test_id("request-introduction").click()
        page.get_by_test_id("send-request").click()
        page.wait_for_url(re.compile(r"/introductions/\d+/$"))
    first_intro = Introduction.objects.get(requirement=requirement, supplier=first)
    second_intro = Introduction.objects.get(requirement=requirement, supplier=second)

    # Each UMKM accepts on a phone.
    phone = phone_page
    for user, introduction, language in (
        (first_user, first_intro, "id"),
        (second_user, second_intro, "en"),
    ):
        log_in(phone, live_server, user, language)
        phone.goto(f"/introductions/{introduction.pk}/")
        phone.get_by_test_id("accept").click()
        phone.wait_for_selector("[data-testid=contacts]")
    # The buyer and the first UMKM talk before it quotes: messages both ways, with a file.
    log_in(phone, live_server, first_user, "id")
    exchange_messages(page, phone, first_intro, screenshot)

    # Both quote from their phones: the first with volume tiers, the second twice (a revision).
    log_in(phone, live_server, first_user, "id")
    phone.goto(f"/introductions/{first_intro.pk}/")
    phone.get_by_test_id("submit-quotation").click()
    phone.wait_for_selector("[data-testid=quotation-form]")
    screenshot(phone, "1-umkm-quotation-form")
    quote(phone, first_intro, price="5200", lead="30", tiers=[("10000", "4800")], tkdn="42.5")
    assert phone.get_by_test_id("revision").count() == 1
    screenshot(phone, "2-umkm-quotation-sent")

    log_in(phone, live_server, second_user, "en")
    quote(phone, second_intro, price="5000", lead="120")
    # A wrong tier first: the page says why and keeps what was typed.
    phone.get_by_test_id("revise-quotation").click()
    phone.fill("#id_tier_quantity_1", "500")
    phone.fill("#id_tier_price_1", "4900")
    phone.get_by_test_id("send-quotation").click()
    phone.locator("#field-tier_quantity_1 .field-error").wait_for(state="visible")
    assert phone.input_value("#id_tier_price_1") == "4900"
    phone.fill("#id_tier_quantity_1", "")
    phone.fill("#id_tier_price_1", "")
    phone.fill("#id_unit_price_idr", "4700")
    phone.get_by_test_id("send-quotation").click()
    phone.wait_for_url(re.compile(r"/introductions/quotations/\d+/$"))
    assert phone.get_by_test_id("revision").count() == 2
    assert OutboxEmail.objects.filter(recipient=buyer.email, template="quotation_revised").exists()

    # The buyer compares them side by side from the requirement page.
    page.goto(reverse("manufacturers:requirement_detail", args=[requirement.pk]))
    page.get_by_test_id("compare-quotations-link").click()
    page.wait_for_selector("[data-testid=quotations]")
    cards = page.get_by_test_id("quotation-card")
    assert cards.count() == 2
    # 24,000 units: CV Plastik Presisi reaches its 4,800 tier (115,200,000), CV Cetak Mandiri
    # quotes 4,700 flat (112,800,000) but delivers 120 days out for a need in 90.
    assert "CV Cetak Mandiri" in cards.nth(0).inner_text()
    assert re.search(
        r"IDR 112[.,]800[.,]000", cards.nth(0).get_by_test_id("annual-total").inner_text()
    )
    assert "late" in cards.nth(0).get_by_test_id("lead-time").inner_text()
    page.get_by_test_id("sort-lead_time").click()
    page.wait_for_url("**?sort=lead_time")
    assert "CV Plastik Presisi" in cards.nth(0).inner_text()
    assert re.search(r"42[.,]50?%", cards.nth(0).get_by_test_id("tkdn").inner_text())
    screenshot(page, "3-buyer-compares")

    log_in(phone, live_server, buyer, "en")
    compare_url = reverse("introductions:quotation_compare", args=[requirement.pk])
    phone.goto(f"{compare_url}?sort=lead_time")
    screenshot(phone, "4-buyer-compares-on-a-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone_size = {"width": 390, "height": 844}
    check_accessible(browser, live_server, buyer, compare_url, {"width": 1366, "height": 900})
    check_accessible(browser, live_server, buyer, compare_url, phone_size)
    submit_url = reverse("introductions:quotation_submit", args=[first_intro.pk])
    check_accessible(browser, live_server, first_user, submit_url, phone_size)
    second_quotation = Quotation.objects.get(supplier=second)
    quotation_url = reverse("introductions:quotation", args=[second_quotation.pk])
    check_accessible(browser, live_server, buyer, quotation_url, phone_size)

    # The buyer shortlists and awards the first, the whole annual volume.
    page.locator(
        f"[data-testid=quotation-card][data-supplier='{first.pk}'] [data-testid=shortlist]"
    ).click()
    page.wait_for_selector("[data-testid=unshortlist]")
    first_quotation = Quotation.objects.get(supplier=first)
    page.fill(f"#id_quantity_{first_quotation.pk}", "24000")
    page.select_option("#id_pattern", index=1)
    page.get_by_test_id("award").click()
    page.wait_for_url(re.compile(r"/introductions/partnerships/\d+/$"))

    # The partnership page shows the awarded value.
    assert page.get_by_test_id("current-stage").inner_text() == "Contract"
    awarded = page.get_by_test_id("awarded-value").inner_text()
    assert re.search(r"24[.,]000 units, IDR 115[.,]200[.,]000", awarded), awarded
    assert re.search(r"42[.,]50?%", awarded), awarded
    screenshot(page, "5-buyer-partnership-awarded")
    partnership = Partnership.objects.get(introduction=first_intro)
    assert partnership.contract_value_idr == 115_200_000 and partnership.awarded_quantity == 24_000
    assert OutboxEmail.objects.filter(recipient=first_user.email, template="quotation_awarded")
    assert Quotation.objects.get(supplier=second).status == Quotation.Status.SUBMITTED

    # The ministry's dashboard counts the award: its value and its local content.
    log_in(phone, live_server, MinistryUserFactory(preferred_language="en"), "en")
    phone.goto("/reports/")
    assert phone.get_by_test_id("figure-awarded_value_idr").get_attribute("data-value") == (
        "115200000"
    )
    assert phone.get_by_test_id("figure-awarded_tkdn_pct").get_attribute("data-value") in (
        "42.5",
        "42.50",
    )
    screenshot(phone, "6-ministry-dashboard-award")
