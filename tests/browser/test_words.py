"""Issue 14 items 6-8 and the small fixes, in a real browser at 360 px: matches in pages with the
compare bar in reach and the gaps said; Indonesian first whatever the browser asks; the supplier
list's new filters; capability checkboxes that do not overlap their labels."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from matchmaking import data, services
from matchmaking.models import Match
from tests.browser.conftest import watch_failures
from tests.factories import SupplierCertificationFactory, SupplierFactory
from tests.matching_views.conftest import build_market, make_supplier

pytestmark = pytest.mark.browser

NARROW = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True}


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_caches(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    data.clear_caches()
    yield
    data.clear_caches()


@pytest.fixture
def narrow_page(browser, live_server) -> Iterator:
    """360 px wide, and a browser that asks for English (the site must still start Indonesian)."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", **NARROW)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_indonesian_first_whatever_the_browser_asks_and_english_remembered(
    narrow_page, live_server, screenshot
):
    page = narrow_page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    screenshot(page, "01-first-visit-indonesian")
    page.locator(".language-switch button, .language-switch [type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/suppliers/")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "02-english-remembered")


def test_matches_in_pages_keep_ticks_and_say_what_is_missing(narrow_page, live_server, screenshot):
    market = build_market()
    for n in range(22):
        make_supplier(
            legal_name=f"CV Pres Jawa {n:02d}",
            processes=["STAMP"],
            components=["BAT.PACK.BRKT"],
            materials=["STEEL"],
            certs=[("ISO9001", None)],
            province="32",
            capacity=500 + 100 * n,
        )
    services.score_requirements([market.requirement.pk])
    page = narrow_page
    failed: list[str] = []
    watch_failures(page, failed)
    log_in(page, live_server, market.buyer)
    page.goto(f"/matches/requirements/{market.requirement.pk}/")
    cards = page.get_by_test_id("match-card")
    assert cards.count() == 20
    assert page.get_by_test_id("explanation-gap").first.is_visible()
    assert "tidak mengerjakan" in page.get_by_test_id("match-list").inner_text()

    # Tick two on page 1, go to page 2, tick one more: the compare bar stays in reach.
    cards.nth(0).get_by_test_id("compare-tick").check()
    cards.nth(3).get_by_test_id("compare-tick").check()
    page.get_by_test_id("match-pages").scroll_into_view_if_needed()
    screenshot(page, "03-matches-page-1")
    page.get_by_test_id("next-page").click()
    page.wait_for_url("**page=2**")
    total = Match.objects.filter(requirement=market.requirement).count()
    assert total > 20
    assert page.get_by_test_id("match-card").count() == total - 20
    assert "2" in page.get_by_test_id("ticked-elsewhere-count").inner_text()
    last = page.get_by_test_id("match-card").last
    last.get_by_test_id("compare-tick").check()
    last.scroll_into_view_if_needed()
    bar = page.get_by_test_id("compare-button").bounding_box()
    assert bar is not None and 0 <= bar["y"] <= 740, "compare button out of reach"
    assert no_horizontal_scroll(page)
    screenshot(page, "04-matches-page-2")
    page.get_by_test_id("compare-button").click()
    page.get_by_test_id("compare-table").wait_for()
    assert len(page.get_by_test_id("compare-supplier").all()) == 3
    screenshot(page, "05-compare-across-pages")
    assert failed == []


def test_the_supplier_list_filters_by_text_material_and_certification(
    narrow_page, live_server, screenshot
):
    cast = SupplierFactory(
        legal_name="CV Cor Logam Ceper", description="Pengecoran aluminium untuk rumah motor."
    )
    cast.materials.set(["ALUMINIUM"])
    SupplierCertificationFactory(supplier=cast, cert_type_id="IATF16949", valid_until=None)
    SupplierFactory(legal_name="UD Kayu Jepara", description="Kerajinan kayu.")
    page = narrow_page
    page.goto("/suppliers/")
    page.locator("details.filters summary").click()
    page.fill("#id_q", "cor")
    page.select_option("#id_material", "ALUMINIUM")
    page.select_option("#id_certification", "ISO9001")  # IATF 16949 counts
    page.locator("[data-testid=filters] button[type=submit]").click()
    page.wait_for_url("**q=cor**")
    listed = page.get_by_test_id("supplier-list").inner_text()
    assert "CV Cor Logam Ceper" in listed and "UD Kayu Jepara" not in listed
    assert page.input_value("#id_q") == "cor"
    assert no_horizontal_scroll(page)
    screenshot(page, "06-supplier-filters")


def test_capability_checkboxes_do_not_overlap_their_labels(narrow_page, live_server, screenshot):
    market = build_market()
    supplier = market.suppliers["bandung"]
    page = narrow_page
    log_in(page, live_server, market.umkm)
    page.goto(f"/suppliers/{supplier.pk}/edit/capabilities/")
    label = page.locator("label", has_text="Pengepresan pelat (stamping)")
    label.scroll_into_view_if_needed()
    overlaps = page.evaluate(
        """() => [...document.querySelectorAll('div.checkbox-grid label')].filter(label => {
            const box = label.querySelector('input').getBoundingClientRect();
            const text = document.createRange();
            const node = [...label.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
            text.selectNodeContents(node);
            return [...text.getClientRects()].some(r => r.left < box.right && r.right > box.left
                && r.top < box.bottom && r.bottom > box.top);
        }).map(label => label.textContent.trim())"""
    )
    screenshot(page, "07-capabilities")
    assert overlaps == []
    assert no_horizontal_scroll(page)
