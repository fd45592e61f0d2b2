"""WCAG 2.1 AA on every page each kind of user reaches, checked with axe-core in Chromium at
360 px and 1366 px: no serious or critical violation, and headings, landmarks and tab order in
shape (tests/browser/axe.py says which rules).

The pages come from a crawl of the seeded demo site with the Django test client (as in
tests/test_crawl.py), plus the pages behind buttons and GET forms that a link crawl cannot
reach. A page shape checked for one role is not checked again for the next (the templates are
the same), except each role's landing page, which shows its own header. One browser context per
role visits each page once, runs axe at phone width, widens the page and runs axe again."""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import translation

from accounts.models import User
from introductions.models import Introduction
from manufacturers.demo import BUYER_EMAIL
from manufacturers.models import Requirement
from matchmaking.models import Match
from partners.models import PartnerOrganisation
from suppliers.demo import ADMIN_EMAIL, MINISTRY_EMAIL, UMKM_EMAIL
from tests.browser.axe import axe_context, axe_report, axe_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1366, "height": 900}
LINK = re.compile(r'href="(/[^"#]*)"')
# Files, the end of the session, the API, and Django's own admin pages (not Rantai's markup).
SKIP = re.compile(r"^/(static|media|admin|api)/|logout|/download|/export|/data/|\.(csv|xlsx|pdf)")
MAX_PAGES = 60
BAD_FILTERS = "date_from=2026-13-45&date_to=kemarin&province=ZZ&size_class=x&verified=mungkin"


def _shape(path: str) -> str:
    # One page per view and set of query parameters: /suppliers/12/ is /suppliers/13/, and
    # ?page=2 is ?page=3.
    parts = urlsplit(path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _pages(client: Client, start: list[str]) -> list[str]:
    """The HTML pages reachable from ``start`` by following links, one per shape."""
    requested, landed, pages, queue = set(), set(), [], deque(start)
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


def _buyer_extras(buyer: User) -> list[str]:
    """The buyer's richest match list, the comparison and the introduction request form (GET
    forms and buttons), and the form to record a partnership."""
    requirement = (
        Requirement.objects.filter(manufacturer__members__user=buyer, status="open")
        .annotate(found=Count("matches"))
        .order_by("-found")
        .first()
    )
    extras = []
    if requirement is not None and requirement.found >= 2:
        first, second = Match.objects.filter(requirement=requirement).order_by("rank")[:2]
        extras += [
            f"/matches/requirements/{requirement.pk}/",
            f"/matches/requirements/{requirement.pk}/compare/"
            f"?supplier={first.supplier_id}&supplier={second.supplier_id}",
            f"/introductions/request/{requirement.pk}/{first.supplier_id}/",
            f"/matches/requirements/{requirement.pk}/?min_score=abc&process=ZZ",
        ]
    accepted = Introduction.objects.filter(
        requirement__manufacturer__members__user=buyer,
        status=Introduction.Status.ACCEPTED,
        partnership__isnull=True,
    ).first()
    if accepted is not None:
        extras.append(f"/introductions/{accepted.pk}/partnership/")
    return extras


def _umkm_extras(umkm: User) -> list[str]:
    supplier = umkm.supplier_membership.supplier
    # The form to tell a buyer the company is interested (a button on the requirement's page).
    requirement = Requirement.objects.listed().exclude(introductions__supplier=supplier).first()
    return [f"/introductions/interest/{requirement.pk}/"] if requirement else []


def test_every_page_each_role_reaches_passes_axe_at_phone_and_desktop_width(
    browser, live_server, screenshot
):
    with translation.override("en"):
        call_command("seed_demo", "--suppliers", "40", stdout=io.StringIO())
    umkm, buyer = User.objects.get(email=UMKM_EMAIL), User.objects.get(email=BUYER_EMAIL)
    # role: (user, pages to start from besides the home page)
    roles = {
        "umkm": (umkm, _umkm_extras(umkm)),
        "buyer": (buyer, _buyer_extras(buyer)),
        # Filters with garbage in them show their errors.
        "ministry": (User.objects.get(email=MINISTRY_EMAIL), [f"/reports/?{BAD_FILTERS}"]),
        "admin": (User.objects.get(email=ADMIN_EMAIL), []),
        "partner": (UserFactory(role=User.Role.PARTNER, email="mitra@bank.example.id"), []),
        # Signed up, company not registered yet: the registration forms.
        "new umkm": (UserFactory(role=User.Role.UMKM, email="baru@umkm.example.id"), []),
        "new buyer": (UserFactory(role=User.Role.BUYER, email="baru@oem.example.id"), []),
        "anonymous": (
            None,
            [
                "/accounts/confirm-email/",
                "/accounts/password/reset/done/",
                f"/suppliers/?{BAD_FILTERS}",
            ],
        ),
    }
    reports, checked, seen = [], {}, set()
    for role, (user, extras) in roles.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        pages = _pages(client, ["/", *extras])
        todo = [pages[0]] + [path for path in pages[1:] if _shape(path) not in seen]
        seen.update(_shape(path) for path in todo)
        checked[role] = todo
        context = axe_context(browser, live_server, viewport=PHONE, user=user)
        page = context.new_page()
        for index, path in enumerate(todo):
            page.goto(path)
            for width, size in (("360", PHONE), ("1366", DESKTOP)):
                page.set_viewport_size(size)
                if violations := axe_violations(page):
                    reports.append(axe_report(f"{role} {path} at {width} px", violations))
            page.set_viewport_size(PHONE)
            if index == 0 and user is not None:
                # The phone menu, open.
                page.get_by_test_id("nav-menu-toggle").click()
                if violations := axe_violations(page):
                    reports.append(axe_report(f"{role} {path}, menu open", violations))
                screenshot(page, f"{role}-menu-open")
        context.close()

    # The figures the closing note quotes (run with -s to see them).
    counts = ", ".join(f"{role} {len(paths)}" for role, paths in checked.items())
    total = sum(len(paths) for paths in checked.values())
    print(f"\naxe crawl: {total} pages x 2 widths ({counts}); {len(reports)} with violations")
    assert not reports, "\n" + "\n".join(reports)
    # The crawl really walked each role's part of the site.
    assert sum(len(paths) for paths in checked.values()) >= 40, checked
    everything = {path for paths in checked.values() for path in paths}
    for reached in ("/reports/", "/suppliers/new/", "/buyers/companies/new/", "/introductions/"):
        assert any(path.startswith(reached) for path in everything), (reached, checked)
    assert any("/compare/" in path for path in everything), checked
    assert any(path.startswith("/introductions/interest/") for path in everything), checked


def test_the_admin_page_that_shows_a_new_api_key_passes_axe(browser, live_server, screenshot):
    """Rantai's one template inside Django's admin."""
    PartnerOrganisation.objects.create(name="Bank Pembangunan Daerah")
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    context = axe_context(browser, live_server, viewport=PHONE, user=admin)
    page = context.new_page()
    page.goto("/admin/partners/apikey/add/")
    page.select_option("#id_partner", label="Bank Pembangunan Daerah")
    page.fill("#id_name", "Sinkronisasi")
    page.check("input[name=scopes][value='suppliers:read']")
    page.locator("input[name=_save]").click()
    page.get_by_test_id("api-key-created").wait_for()
    for width, size in (("360", PHONE), ("1366", DESKTOP)):
        page.set_viewport_size(size)
        violations = axe_violations(page)
        assert not violations, axe_report(f"new API key at {width} px", violations)
    screenshot(page, "api-key-created")
    context.close()


def _check(page, where: str, reports: list[str]) -> int:
    for width, size in (("360", PHONE), ("1366", DESKTOP)):
        page.set_viewport_size(size)
        if violations := axe_violations(page):
            reports.append(axe_report(f"{where} at {width} px", violations))
    page.set_viewport_size(PHONE)
    return 1


def test_the_pages_added_with_the_merge_pass_axe(browser, live_server, screenshot, tmp_path):
    """The crawl above stops at MAX_PAGES and cannot reach pages behind a POST or a missing URL:
    the 404 page, the verification queue and a firm's review, the audit trail, the browser import
    (its form and its dry run with problems) and a confirmation page as seen without scripts."""
    from accounts.audit import AuditDoor, acting
    from config.celery import app as celery_app
    from partners.models import PartnerMember
    from suppliers import services
    from tests.factories import (
        MinistryUserFactory,
        SupplierMemberFactory,
        SupplierPhotoFactory,
    )
    from tests.suppliers_import.conftest import csv_text, row

    owner = SupplierMemberFactory(
        supplier__legal_name="CV Sinar Logam", supplier__verification_status="verified"
    )
    supplier = owner.supplier
    SupplierPhotoFactory(supplier=supplier, caption="Mesin CNC")
    # A verified UMKM renames itself: an audit record, and a review with old -> new in the queue.
    with acting(door=AuditDoor.WEB, user=owner.user):
        services.supplier_update(supplier=supplier, data={"legal_name": "CV Sinar Baja"})
    ministry = MinistryUserFactory()
    association = PartnerOrganisation.objects.create(
        name="Asosiasi Komponen", kind=PartnerOrganisation.Kind.ASSOCIATION
    )
    partner = UserFactory(role=User.Role.PARTNER)
    PartnerMember.objects.create(user=partner, partner=association)
    broken = tmp_path / "anggota.csv"
    broken.write_text(
        csv_text([row(nib="12345", name="CV NIB Pendek"), row(nib="9120000000301", name="CV A")]),
        encoding="utf-8",
    )

    reports: list[str] = []
    checked = 0
    eager = celery_app.conf.task_always_eager
    # No worker here: the import's dry run runs in the server's thread after the commit.
    celery_app.conf.task_always_eager = True
    try:
        for role, user, paths in (
            ("anonymous", None, ["/suppliers/no-such-page/"]),
            ("umkm", owner.user, ["/no-such-page/"]),
            (
                "ministry",
                ministry,
                [
                    "/reports/verification/",
                    f"/reports/verification/supplier/{supplier.pk}/",
                    "/reports/audit/",
                    "/reports/audit/?door=web",
                    "/suppliers/import/",
                ],
            ),
            ("partner", partner, ["/suppliers/import/"]),
        ):
            context = axe_context(browser, live_server, viewport=PHONE, user=user)
            page = context.new_page()
            for path in paths:
                response = page.goto(path)
                expected = 404 if "no-such-page" in path else 200
                assert response.status == expected, (role, path, response.status)
                checked += _check(page, f"{role} {path}", reports)
                name = re.sub(r"\W+", "-", _shape(path)).strip("-")
                screenshot(page, f"{role}-{name}")
            if role == "ministry":
                # The dry run of a file with mistakes: the problems table.
                page.goto("/suppliers/import/")
                page.set_input_files("#id_file", str(broken))
                page.get_by_test_id("import-check").click()
                page.wait_for_selector('[data-testid="import-panel"][data-status="checked"]')
                assert page.get_by_test_id("import-problem").count() >= 1
                checked += _check(page, "ministry import dry run", reports)
                screenshot(page, "ministry-import-problems")
            if role == "umkm":
                # Without scripts the delete button's form posts unconfirmed: the confirmation
                # page. form.submit() skips the script that would open the dialog instead.
                page.goto(f"/suppliers/{supplier.pk}/edit/photos/")
                page.get_by_test_id("delete-photo").evaluate("button => button.form.submit()")
                page.get_by_test_id("confirm-page").wait_for()
                checked += _check(page, "umkm delete photo confirmation", reports)
                screenshot(page, "umkm-confirm-delete-photo")
            context.close()
    finally:
        celery_app.conf.task_always_eager = eager

    print(f"\naxe extra pages: {checked} checks at 2 widths; {len(reports)} with violations")
    assert not reports, "\n" + "\n".join(reports)
    assert supplier.photos.count() == 1  # the confirmation page deleted nothing
