"""Every page each kind of user can reach answers without a server error, also when the query
string is garbage (hand-edited links, old bookmarks, scanners): bad input gets a message, never
a 500. Every HTML page carries the Content-Security-Policy header."""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import User
from manufacturers.demo import BUYER_EMAIL
from suppliers.demo import ADMIN_EMAIL, MINISTRY_EMAIL, UMKM_EMAIL

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#]*)"')
# Links that leave the page's own data, end the session, or are files rather than pages.
SKIP = re.compile(r"^/(static|media)/|logout|/download|/export|\.(csv|xlsx|pdf|png|jpg)(\?|$)")
GARBAGE = (
    "page=zz&cursor=%%%&min_score=abc&province=ZZ&island=%FF&size_class=x&verified=maybe"
    "&date_from=2026-13-45&date_to=yesterday&component=..&process=%00&q=%00%27%22&sort=-nope"
)
# The admin's index, lists and add forms (its object pages are Django's own).
ADMIN = re.compile(r"^/admin/(\w+/\w+/(add/)?)?$")
MAX_PAGES = 150


def _shape(path: str) -> str:
    # One page per shape: /suppliers/12/ and /suppliers/13/ are the same view.
    parts = urlsplit(path)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(sorted(parts.query.split("&")))


def _crawl(client) -> tuple[list[tuple[str, int | str]], int]:
    seen, queue, failures, unprotected = set(), deque(["/"]), [], []
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        shape = _shape(path)
        if shape in seen:
            continue
        seen.add(shape)
        response = client.get(path, follow=True)
        garbled = client.get(path.split("?")[0] + "?" + GARBAGE)
        failures += [(p, r.status_code) for p, r in ((path, response), (shape, garbled))]
        if "text/html" not in response.get("Content-Type", ""):
            continue
        if "Content-Security-Policy" not in response:
            unprotected.append((path, "no Content-Security-Policy"))
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if not SKIP.search(link) and (not link.startswith("/admin/") or ADMIN.match(link)):
                queue.append(link)
    return [(p, status) for p, status in failures if status >= 500] + unprotected, len(seen)


def test_no_page_any_kind_of_user_can_reach_fails(client):
    with translation.override("en"):
        call_command("seed_demo", "--suppliers", "40", stdout=io.StringIO())
    walked = {}
    failures = []
    for email in (None, UMKM_EMAIL, BUYER_EMAIL, MINISTRY_EMAIL, ADMIN_EMAIL):
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email))
        failed, walked[email] = _crawl(client)
        failures += [(email, *f) for f in failed]

    assert failures == []
    # The crawl really walked each user's part of the site.
    assert all(pages >= 5 for pages in walked.values()), walked
