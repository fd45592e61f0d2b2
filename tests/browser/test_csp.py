"""Every kind of page keeps to the Content-Security-Policy in a real browser: chromium reports
no violation (no inline script or style, nothing from elsewhere), and the page still works
(htmx loaded and swapping, the province map laid out, the admin's widgets, the API docs)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from matchmaking import data
from suppliers.models import Supplier
from tests.browser.conftest import watch_failures
from tests.matching_views.conftest import build_market

from .conftest import DESKTOP

pytestmark = pytest.mark.browser

# Runs before any script of every document: records what the browser refused.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked=${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_caches(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    data.clear_caches()
    yield
    data.clear_caches()


class Visitor:
    """A browser context for one kind of user that collects CSP violations page by page."""

    def __init__(self, browser, live_server, user=None) -> None:
        self.context = browser.new_context(base_url=live_server.url, locale="en-US", **DESKTOP)
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(WATCH)
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
            )
        self.context.add_cookies(cookies)
        self.page = self.context.new_page()
        self.violations: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", self._console)
        watch_failures(self.page, self.failed)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.violations.append(f"{self.page.url}: console: {message.text}")

    def collect(self) -> None:
        """The violations of the page shown now (call before leaving it)."""
        self.page.wait_for_load_state("networkidle")
        found = self.page.evaluate("window.__cspViolations || []")
        self.violations += [f"{self.page.url}: {v}" for v in found]

    def visit(self, path: str):
        response = self.page.goto(path)
        assert response is not None and response.status < 400, (path, response and response.status)
        assert "Content-Security-Policy" in {k.title() for k in response.headers}, path
        self.page.wait_for_load_state("networkidle")
        return self.page

    def site_page_works(self) -> None:
        """Rantai's own pages: htmx loaded, configured not to inject a <style>."""
        assert self.page.evaluate("typeof htmx") == "object"
        assert self.page.evaluate("htmx.config.includeIndicatorStyles") is False
        assert self.page.evaluate("document.querySelectorAll('style').length") == 0

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitors(browser, live_server) -> Iterator:
    opened: list[Visitor] = []

    def open_as(user=None) -> Visitor:
        visitor = Visitor(browser, live_server, user)
        opened.append(visitor)
        return visitor

    yield open_as
    for visitor in opened:
        visitor.close()


def _check(visitor: Visitor) -> None:
    assert visitor.violations == []
    assert visitor.failed == []


def test_public_pages_keep_to_the_policy(visitors, live_server):
    build_market()
    visitor = visitors()
    for path in ("/", "/accounts/login/", "/accounts/signup/", "/suppliers/"):
        visitor.visit(path)
        visitor.site_page_works()
        visitor.collect()
    _check(visitor)


def test_umkm_pages_keep_to_the_policy(visitors):
    market = build_market()
    supplier = Supplier.objects.get(members__user=market.umkm)
    visitor = visitors(market.umkm)
    for path in (
        "/suppliers/mine/",
        f"/suppliers/{supplier.pk}/edit/company/",
        f"/suppliers/{supplier.pk}/edit/capabilities/",
        "/matches/mine/",
        "/buyers/requirements/",
    ):
        visitor.visit(path)
        visitor.site_page_works()
        visitor.collect()
    _check(visitor)


def test_buyer_pages_keep_to_the_policy_and_htmx_still_swaps(visitors):
    market = build_market()
    visitor = visitors(market.buyer)
    for path in ("/buyers/", "/buyers/mine/new/", f"/buyers/mine/{market.requirement.pk}/"):
        visitor.visit(path)
        visitor.site_page_works()
        visitor.collect()

    page = visitor.visit(f"/matches/requirements/{market.requirement.pk}/")
    visitor.site_page_works()
    cards = page.get_by_test_id("match-card")
    assert cards.count() >= 2
    # A filter answered by htmx: the results are swapped in place, no page load.
    page.locator("summary", has_text="Filters").click()
    with page.expect_response(lambda r: "province=32" in r.url and r.request.method == "GET"):
        page.select_option("#id_province", "32")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("match-card").filter(has_text="CV Presisi Bandung").count() == 1
    assert page.get_by_test_id("match-card").filter(has_text="CV Baja Medan").count() == 0
    visitor.collect()
    _check(visitor)


def test_ministry_pages_keep_to_the_policy_and_the_map_is_laid_out(visitors):
    market = build_market()
    visitor = visitors(market.ministry)
    page = visitor.visit("/reports/")
    visitor.site_page_works()
    provinces = page.locator("[data-testid=province-map] path")
    assert provinces.count() == 38
    assert page.get_by_test_id("province-map").is_visible()
    # Every province is drawn where it lies (the shades come from the stylesheet, not style
    # attributes): 38 distinct boxes, each filled.
    boxes = provinces.evaluate_all(
        "ps => ps.map(p => { const r = p.getBoundingClientRect();"
        " return [Math.round(r.x), Math.round(r.y), Math.round(r.width)].join(','); })"
    )
    assert len(set(boxes)) == 38
    fills = provinces.evaluate_all("ps => ps.map(p => getComputedStyle(p).fill)")
    assert all(fill.startswith("rgb(") for fill in fills)
    visitor.collect()
    for path in ("/reports/verification/", "/reports/print/", "/matches/readiness/"):
        visitor.visit(path)
        visitor.collect()
    _check(visitor)


def test_admin_pages_keep_to_the_policy(visitors):
    market = build_market()
    supplier = market.suppliers["bandung"]
    visitor = visitors(market.admin)
    page = visitor.visit("/admin/")
    assert page.locator("#content-main").is_visible()
    visitor.collect()
    visitor.visit("/admin/suppliers/supplier/")
    visitor.collect()
    # The change form with the admin's widgets: autocomplete (select2) and the two-box filter.
    page = visitor.visit(f"/admin/suppliers/supplier/{supplier.pk}/change/")
    assert page.locator(".select2-container").first.is_visible()
    assert page.locator(".selector-available").first.is_visible()
    page.locator(".select2-container").first.click()
    page.wait_for_timeout(300)
    visitor.collect()
    visitor.visit(f"/admin/manufacturers/requirement/{market.requirement.pk}/change/")
    visitor.collect()
    _check(visitor)


def test_the_api_docs_and_the_browsable_api_keep_to_the_policy(visitors):
    market = build_market()
    visitor = visitors(market.ministry)
    page = visitor.visit("/api/v1/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Rantai API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock").count() > 5
    visitor.collect()
    # The partner API in a browser (DRF's pages; their inline style is allowed, script is not).
    page = visitor.visit("/api/v1/reference/provinces/")
    assert page.locator(".response-info").is_visible()
    visitor.collect()
    page = visitor.visit("/api/v1/suppliers/")
    assert page.locator(".response-info").is_visible()
    visitor.collect()
    _check(visitor)
