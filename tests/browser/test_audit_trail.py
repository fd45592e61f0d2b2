"""The audit trail in a real browser: from the report to the trail, filtered, on a phone in
Indonesian and on a desktop in English, and its CSV download. (Here, not in tests/audit, so that
it shares this folder's one browser: a second Playwright in the same session cannot start.)"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.audit import AuditDoor, acting
from suppliers import services
from tests.factories import MinistryUserFactory, SupplierFactory, SupplierMemberFactory

pytestmark = pytest.mark.browser


def _log_in(page, live_server, user, language: str) -> None:
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


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def trail():
    owner = SupplierMemberFactory(supplier__legal_name="CV Sinar Logam")
    with acting(door=AuditDoor.WEB, user=owner.user):
        services.supplier_update(
            supplier=owner.supplier, data={"legal_name": "CV Sinar Baja", "nib": "8120000000321"}
        )
    imported = SupplierFactory(legal_name="CV Mega Plastik")
    with acting(door=AuditDoor.IMPORT, label="import_suppliers anggota.csv"):
        services.supplier_update(supplier=imported, data={"employees": 12})
    return owner


def test_ministry_filters_the_trail_by_door_and_downloads_it(
    desktop_page, live_server, trail, screenshot
):
    page = desktop_page
    _log_in(page, live_server, MinistryUserFactory(), "en")

    page.goto("/reports/")
    page.get_by_test_id("audit-link").click()
    page.wait_for_url("**/reports/audit/")
    assert page.get_by_test_id("audit-record").count() == 2
    assert (
        page.get_by_test_id("audit-change")
        .filter(has_text="CV Sinar Logam → CV Sinar Baja")
        .count()
        == 1
    )
    table = page.get_by_test_id("audit-records")
    screenshot(page, "all")

    page.locator("summary", has_text="Filters").click()
    page.select_option("#id_door", "import")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**door=import**")
    assert page.get_by_test_id("audit-record").count() == 1
    assert "import_suppliers anggota.csv" in table.inner_text()
    screenshot(page, "import")

    with page.expect_download() as download:
        page.get_by_test_id("audit-csv").click()
    rows = list(csv.reader(Path(download.value.path()).read_text("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["When (UTC)", "Person, partner or command", "Door"]
    assert len(rows) == 2 and "CV Mega Plastik" in rows[1]


def test_the_trail_reads_on_a_phone_in_indonesian(phone_page, live_server, trail, screenshot):
    page = phone_page
    _log_in(page, live_server, MinistryUserFactory(), "id")

    page.goto("/reports/audit/")

    assert page.locator("h1").inner_text() == "Jejak audit"
    assert (
        page.get_by_test_id("audit-record").first.get_attribute("data-action") == "profile_changed"
    )
    assert "Mengubah identitas perusahaan" in page.get_by_test_id("audit-records").inner_text()
    # The table scrolls inside its box; the page itself does not get wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "phone")
