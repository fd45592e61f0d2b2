"""An UMKM owner builds a team on a phone: invites a colleague, who accepts from the link in the
e-mail, logs in and joins as staff; staff do not see the company's identity step; the owner, the
last one, cannot leave."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from accounts.services import email_address_mark_verified
from suppliers.models import SupplierInvitation, SupplierMember
from tests.browser.axe import assert_accessible, axe_context
from tests.browser.conftest import PHONE, watch_failures
from tests.factories import SupplierMemberFactory, UmkmUserFactory

pytestmark = pytest.mark.browser

PASSWORD = "rantai-test-pass-123"  # the factories' password
COLLEAGUE = "dewi@bengkel-sari.example.id"


def _log_in_as(page, live_server, user) -> None:
    from django.conf import settings

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


def _invitation_path() -> str:
    bodies = [message.body for message in mail.outbox if COLLEAGUE in message.to]
    assert bodies, "no invitation e-mail was sent"
    match = re.search(r"https?://\S+?(/suppliers/invitations/\S+/)", bodies[-1])
    assert match, bodies[-1]
    return match.group(1)


def test_owner_invites_colleague_joins_from_the_email_as_staff_and_the_last_owner_stays(
    browser, live_server, screenshot, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    owner = SupplierMemberFactory(
        supplier__legal_name="CV Bengkel Sari",
        user__full_name="Sari Wulandari",
        user__preferred_language="id",
    ).user
    supplier = owner.supplier_membership.supplier
    colleague = UmkmUserFactory(email=COLLEAGUE, full_name="Dewi Lestari", preferred_language="id")
    email_address_mark_verified(user=colleague)

    # The owner opens the team page from the dashboard and invites a colleague as staff.
    owner_context = browser.new_context(base_url=live_server.url, locale="id-ID", **PHONE)
    owner_context.set_default_timeout(15_000)
    page = owner_context.new_page()
    failed = watch_failures(page, [])
    _log_in_as(page, live_server, owner)
    page.goto("/suppliers/mine/")
    page.get_by_test_id("dashboard-team").click()
    page.wait_for_url(f"**/suppliers/{supplier.pk}/team/")
    page.fill("#id_email", COLLEAGUE)
    page.select_option("#id_role", "staff")
    page.get_by_test_id("send-invitation").click()
    page.wait_for_url(f"**/suppliers/{supplier.pk}/team/")
    expect(page.get_by_test_id("invitations")).to_contain_text(COLLEAGUE)
    screenshot(page, "1-owner-invited")
    invitation = SupplierInvitation.objects.get(supplier=supplier)
    assert invitation.role == "staff"

    # The colleague opens the link in the e-mail (in Indonesian), logs in, joins.
    message = mail.outbox[-1]
    assert "mengundang Anda untuk bergabung dengan tim CV Bengkel Sari" in message.body
    colleague_context = browser.new_context(base_url=live_server.url, locale="id-ID", **PHONE)
    colleague_context.set_default_timeout(15_000)
    other = colleague_context.new_page()
    watch_failures(other, failed)
    other.goto(_invitation_path())
    expect(other.get_by_test_id("invitation")).to_contain_text("CV Bengkel Sari")
    screenshot(other, "2-invitation")
    other.get_by_test_id("login").click()
    other.fill("input[name=login]", COLLEAGUE)
    other.fill("input[name=password]", PASSWORD)
    other.locator("main form button[type=submit]").last.click()
    other.wait_for_url("**/suppliers/invitations/**")
    other.get_by_test_id("accept").click()
    other.wait_for_url("**/suppliers/mine/")
    membership = SupplierMember.objects.get(user=colleague)
    assert (membership.supplier_id, membership.role) == (supplier.pk, "staff")

    # Staff keep the capabilities up to date but do not see the identity step.
    expect(other.get_by_test_id("edit-company-owners-only")).to_be_visible()
    expect(other.get_by_test_id("edit-company")).to_have_count(0)
    expect(other.get_by_test_id("edit-capabilities")).to_be_visible()
    screenshot(other, "3-staff-dashboard")
    other.get_by_test_id("edit-capabilities").click()
    expect(other.locator(f"a[href$='/suppliers/{supplier.pk}/edit/company/']")).to_have_count(0)
    response = other.goto(f"/suppliers/{supplier.pk}/edit/company/")
    assert response.status == 403
    other.goto(f"/suppliers/{supplier.pk}/team/")
    expect(other.get_by_test_id("invite-form")).to_have_count(0)
    expect(other.get_by_test_id("change-role")).to_have_count(0)

    # The owner now sees the colleague in the team; as the last owner, leaving is refused.
    page.reload()
    expect(page.get_by_test_id(f"member-{COLLEAGUE}")).to_contain_text("Staf")
    page.get_by_test_id("leave").click()
    page.get_by_test_id("confirm-dialog-yes").click()
    page.wait_for_url(f"**/suppliers/{supplier.pk}/team/")
    expect(page.locator(".message-error")).to_contain_text("pemilik terakhir")
    screenshot(page, "4-last-owner-stays")
    assert SupplierMember.objects.filter(user=owner, role="owner").exists()
    assert failed == []
    owner_context.close()
    colleague_context.close()


def test_the_team_page_and_the_invitation_are_accessible_on_a_phone(browser, live_server):
    owner = SupplierMemberFactory(supplier__legal_name="CV Aksesibel").user
    supplier = owner.supplier_membership.supplier
    SupplierMemberFactory(supplier=supplier, role="staff")
    settings_email = "tamu@example.id"
    from suppliers import team

    invitation = team.supplier_invitation_create(
        supplier=supplier, email=settings_email, invited_by=owner
    )
    context = axe_context(browser, live_server, viewport=PHONE["viewport"], user=owner)
    page = context.new_page()
    page.goto(f"/suppliers/{supplier.pk}/team/")
    assert_accessible(page, "team page (owner)")
    page.goto(f"/suppliers/invitations/{invitation.token}/")
    assert_accessible(page, "invitation (logged in)")
    context.close()
