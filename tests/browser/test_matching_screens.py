"""The match screens in a real browser: a buyer filters, shortlists, dismisses and compares the
ranked suppliers of a requirement (desktop, English); an UMKM owner reads the matching
requirements and the readiness near misses (phone, Indonesian). Data comes from the factories
and is scored synchronously through the engine's services."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from matchmaking import data
from matchmaking.models import MatchDecision
from tests.browser.conftest import watch_failures
from tests.matching_views.conftest import build_market

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_caches(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    data.clear_caches()
    yield
    data.clear_caches()


def log_in(page, live_server, user, language: str) -> None:
    """Puts a server-side session for ``user`` into the browser (the log-in form has its own
    browser tests) and reads the site in ``language``."""
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


def wait_for_cards(page, count: int) -> None:
    # A function, not a bare expression: Playwright would eval that in the page, and the
    # Content-Security-Policy refuses eval.
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=match-card]').length === {count}"
    )


def card(page, name: str):
    return page.get_by_test_id("match-card").filter(has_text=name)


def test_a_buyer_filters_shortlists_dismisses_and_compares(desktop_page, live_server, screenshot):
    market = build_market()
    page = desktop_page
    failed = []
    watch_failures(page, failed)
    log_in(page, live_server, market.buyer, "en")

    # From the requirement's own page to its matches.
    page.goto(f"/buyers/mine/{market.requirement.pk}/")
    page.get_by_test_id("matches-link").click()
    page.wait_for_url(f"**/matches/requirements/{market.requirement.pk}/")
    cards = page.get_by_test_id("match-card")
    assert cards.count() == 4
    assert cards.first.get_by_test_id("rank").inner_text() == "#1"
    assert card(page, "CV Presisi Bandung").get_by_test_id("explanation").is_visible()
    screenshot(page, "01-match-list")

    # Filter to Java: htmx swaps the list in place and the address keeps the filter.
    page.locator("summary", has_text="Filters").click()
    page.select_option("#id_island_group", "Jawa")
    page.wait_for_url(re.compile(r"island_group=Jawa"))
    wait_for_cards(page, 2)
    assert card(page, "CV Baja Medan").count() == 0
    page.check("#id_verified_only")
    wait_for_cards(page, 1)
    screenshot(page, "02-filtered")

    # Shortlist Bandung in place.
    card(page, "CV Presisi Bandung").get_by_test_id("shortlist").click()
    card(page, "CV Presisi Bandung").get_by_test_id("shortlisted-badge").wait_for()
    assert "1 shortlisted" in page.get_by_test_id("shortlisted-count").inner_text()
    assert MatchDecision.objects.get(supplier=market.suppliers["bandung"]).status == "shortlisted"

    # Back to every match; dismiss Medan: it folds away with an undo, and stays hidden.
    page.get_by_test_id("clear-filters").click()
    wait_for_cards(page, 4)
    card(page, "CV Baja Medan").get_by_test_id("dismiss").click()
    page.get_by_text("CV Baja Medan dismissed.").wait_for()
    screenshot(page, "03-dismissed")
    page.reload()
    assert page.get_by_test_id("match-card").count() == 3
    assert page.get_by_test_id("hidden-dismissed").is_visible()
    page.get_by_test_id("show-dismissed").check()
    wait_for_cards(page, 4)
    assert card(page, "CV Baja Medan").get_by_test_id("dismissed-badge").is_visible()

    # Compare: four is one too many, said next to the button with the ticks kept.
    for tick in page.get_by_test_id("compare-tick").all():
        tick.check()
    page.get_by_test_id("compare-button").click()
    page.get_by_test_id("compare-error").wait_for()
    assert "at most 3" in page.get_by_test_id("compare-error").inner_text()
    assert page.locator("[data-testid=compare-tick]:checked").count() == 4
    screenshot(page, "04-compare-refused")
    card(page, "CV Las Balikpapan").get_by_test_id("compare-tick").uncheck()
    page.get_by_test_id("compare-button").click()
    page.get_by_test_id("compare-table").wait_for()
    headers = page.get_by_test_id("compare-supplier").all_inner_texts()
    assert len(headers) == 3
    assert page.get_by_test_id("component-row").count() == 10
    assert "km" in page.get_by_test_id("distance-row").inner_text()
    assert "valid until" in page.get_by_test_id("certifications-row").inner_text()
    screenshot(page, "05-compare")
    assert failed == []


def test_an_umkm_reads_its_matches_and_readiness_on_a_phone(phone_page, live_server, screenshot):
    market = build_market()
    page = phone_page
    log_in(page, live_server, market.umkm, "id")

    page.goto("/matches/mine/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_test_id("requirement-card").count() == 2
    assert page.get_by_test_id("explanation").first.is_visible()
    listed = page.get_by_test_id("requirement-list").inner_text()
    assert not re.search(r"18[.,]?750|23[.,]?950", listed)  # never the target price
    screenshot(page, "01-matching-requirements")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The company whose ISO 9001 expired sees what renewing it would open.
    log_in(page, live_server, market.other_umkm, "id")
    page.goto("/matches/mine/")
    assert page.get_by_test_id("no-matches").is_visible()
    page.get_by_test_id("tab-readiness").click()
    page.wait_for_url("**/matches/mine/readiness/")
    item = page.get_by_test_id("readiness-item").first
    assert item.get_attribute("data-code") == "ISO9001"
    item.locator("summary").click()
    titles = item.get_by_test_id("readiness-requirement").all_inner_texts()
    assert any("Battery pack bracket" in title for title in titles)
    assert any("Motor mount bracket" in title for title in titles)
    screenshot(page, "02-readiness")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_buyer_screens_fit_a_phone(phone_page, live_server, screenshot):
    market = build_market()
    page = phone_page
    log_in(page, live_server, market.buyer, "id")
    page.goto(f"/matches/requirements/{market.requirement.pk}/")
    assert page.get_by_test_id("match-card").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "01-match-list")
    for tick in page.get_by_test_id("compare-tick").all()[:3]:
        tick.check()
    page.get_by_test_id("compare-button").click()
    page.get_by_test_id("compare-table").wait_for()
    # The table scrolls inside its own box; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "02-compare")
