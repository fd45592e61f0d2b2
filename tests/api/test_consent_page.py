"""The UMKM's partner-access page: see, grant and withdraw, effective in the API at once."""

from __future__ import annotations

import pytest

from partners.models import PartnerConsent

from .conftest import key_client, key_for, session_client

pytestmark = pytest.mark.django_db


def test_the_owner_sees_who_may_read_what(world):
    page = session_client(world.umkm).get("/accounts/partners/")
    assert page.status_code == 200
    html = page.content.decode()
    assert world.bank.name in html and world.association.name in html
    assert f'data-testid="revoke-{world.bank.pk}-contact"' in html
    assert f'data-testid="grant-{world.association.pk}-contact"' in html


def test_withdrawing_on_the_page_hides_contacts_from_the_partner_at_once(world):
    bank = key_client(key_for(world.bank, "suppliers:read"))
    url = f"/api/v1/suppliers/{world.consenting.pk}/"
    assert bank.get(url).json()["contact_visible"] is True
    response = session_client(world.umkm).post(
        "/accounts/partners/",
        {"partner": world.bank.pk, "scope": "contact", "action": "revoke", "confirmed": "yes"},
    )
    assert response.status_code == 302
    assert bank.get(url).json()["contact_email"] is None
    consent = PartnerConsent.objects.get(
        partner=world.bank, supplier=world.consenting, scope="contact"
    )
    assert consent.revoked_by == world.umkm


def test_withdrawing_without_confirmation_asks_on_a_page_and_changes_nothing(world):
    # What a browser without scripts gets (with scripts the dialog asks first).
    bank = key_client(key_for(world.bank, "suppliers:read"))
    url = f"/api/v1/suppliers/{world.consenting.pk}/"
    response = session_client(world.umkm).post(
        "/accounts/partners/", {"partner": world.bank.pk, "scope": "contact", "action": "revoke"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="confirm-page"' in html
    assert f"{world.bank.name} tidak akan dapat lagi membaca: Detail kontak." in html
    assert 'name="action" value="revoke"' in html and 'name="confirmed" value="yes"' in html
    assert bank.get(url).json()["contact_visible"] is True


def test_granting_on_the_page_shows_contacts_to_that_partner_only(world):
    association = key_client(key_for(world.association, "suppliers:read"))
    url = f"/api/v1/suppliers/{world.private.pk}/"
    assert association.get(url).json()["contact_visible"] is False
    session_client(world.other_umkm).post(
        "/accounts/partners/",
        {"partner": world.association.pk, "scope": "contact", "action": "grant"},
    )
    assert association.get(url).json()["contact_email"] == world.private.contact_email
    bank = key_client(key_for(world.bank, "suppliers:read"))
    assert bank.get(url).json()["contact_email"] is None


def test_staff_members_see_the_page_but_cannot_change_it(world):
    from tests.factories import SupplierMemberFactory

    staff = SupplierMemberFactory(supplier=world.consenting, role="staff").user
    client = session_client(staff)
    html = client.get("/accounts/partners/").content.decode()
    assert "revoke-" not in html
    response = client.post(
        "/accounts/partners/", {"partner": world.bank.pk, "scope": "contact", "action": "revoke"}
    )
    assert response.status_code == 403
    assert (
        PartnerConsent.objects.filter(revoked_at__isnull=True, supplier=world.consenting).count()
        == 2
    )


@pytest.mark.parametrize("role", ["buyer", "ministry"])
def test_the_page_is_for_umkm_only(world, role):
    assert session_client(world.user(role)).get("/accounts/partners/").status_code == 403


def test_the_dashboard_links_to_the_page(world):
    html = session_client(world.umkm).get("/suppliers/mine/").content.decode()
    assert "/accounts/partners/" in html
