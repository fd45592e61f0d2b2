"""Error pages in the site's layout and language with a way back; where people land after
log-in; the favicon; compression of logged-out pages only."""

from __future__ import annotations

import gzip

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.services import email_address_mark_verified
from tests.factories import (
    AdminUserFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
    UmkmUserFactory,
)

pytestmark = pytest.mark.django_db

ERROR_URLS = "tests.accounts.error_urls"


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = ERROR_URLS
    return Client(raise_request_exception=False)


def test_debug_is_off_as_in_production():
    assert settings.DEBUG is False


def test_a_missing_page_is_in_the_sites_layout_and_language_with_a_way_back(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="id"' in body
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    assert "Halaman tidak ditemukan" in body
    assert 'data-testid="error-back"' in body and f'href="{reverse("home")}"' in body
    assert f'action="{reverse("suppliers:list")}" class="error-search"' in body
    assert 'class="site-header"' in body


def test_a_missing_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    body = client.get("/no-such-page/").content.decode()

    assert '<html lang="en"' in body and "Page not found" in body


def test_a_refused_page_says_so_and_leads_to_the_persons_own_start(client):
    client.force_login(SupplierMemberFactory().user)

    response = client.get(reverse("reports:dashboard"))

    assert response.status_code == 403
    body = response.content.decode()
    assert "Anda tidak dapat membuka halaman ini" in body
    assert 'data-status="403"' in body
    assert f'href="{reverse("suppliers:dashboard")}" role="button" data-testid="error-back"' in body


def test_a_server_error_page_in_the_sites_look_without_the_database(failing_site):
    response = failing_site.get("/boom/")

    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="id"' in body and 'name="viewport"' in body
    assert "Terjadi kesalahan di pihak kami" in body
    assert f'href="{reverse("home")}" role="button" data-testid="error-back"' in body
    assert "RuntimeError" not in body


def test_a_bad_request_page(failing_site):
    response = failing_site.get("/bad/")

    assert response.status_code == 400
    assert 'data-status="400"' in response.content.decode()


def test_the_api_gets_its_errors_as_json(failing_site):
    missing = failing_site.get("/api/v1/no-such-thing/")
    broken = failing_site.get("/api/v1/boom/")

    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert broken.status_code == 500 and broken.json()["error"]["code"] == "server_error"


@pytest.mark.parametrize(
    ("factory", "landing"),
    [(MinistryUserFactory, "reports:dashboard"), (AdminUserFactory, "reports:dashboard")],
)
def test_ministry_staff_and_administrators_land_on_their_dashboard(client, factory, landing):
    email_address_mark_verified(user=factory(email="staff@example.id"))

    response = client.post(
        reverse("account_login"),
        {"login": "staff@example.id", "password": "rantai-test-pass-123"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse(landing)
    assert response.status_code == 200


def test_an_umkm_member_still_lands_on_their_company(client):
    member = SupplierMemberFactory(user=UmkmUserFactory(email="umkm@example.id"))
    email_address_mark_verified(user=member.user)

    response = client.post(
        reverse("account_login"),
        {"login": "umkm@example.id", "password": "rantai-test-pass-123"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("suppliers:dashboard")


def test_the_favicon_is_served_at_the_root_and_linked_as_svg(client):
    icon = client.get("/favicon.ico")
    home = client.get(reverse("home")).content.decode()

    assert icon.status_code == 200
    assert b"".join(icon.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO file
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in home
    from django.contrib.staticfiles import finders

    with open(finders.find("favicon.svg"), encoding="utf-8") as svg:
        assert svg.read().startswith("<svg ")


def test_logged_out_pages_are_compressed(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_ENCODING="gzip, br")

    assert response["Content-Encoding"] == "gzip"
    assert b"Rantai" in gzip.decompress(response.content)


def test_logged_in_pages_are_not_compressed_against_breach(client):
    client.force_login(MinistryUserFactory())

    response = client.get(reverse("reports:dashboard"), HTTP_ACCEPT_ENCODING="gzip, br")

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
