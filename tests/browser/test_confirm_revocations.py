"""Issue 14.3 in a real browser at 360 px, the actions that end someone's access or an offer:
removing a webhook endpoint, revoking a buyer firm's API key, withdrawing a quotation and
withdrawing a partner's consent. Each asks in the dialog (static/js/confirm.js); "cancel" sends
nothing and keeps the object, "yes" does it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.narrow import narrow_page  # noqa: F401
from tests.browser.test_matching_screens import log_in
from tests.factories import (
    ManufacturerMemberFactory,
    PartnerMemberFactory,
    PartnerOrganisationFactory,
    QuotationRevisionFactory,
    SupplierMemberFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _count_posts(page) -> list[str]:
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    return posts


def _ask_then_cancel(page, button: str, question: str, posts: list[str]) -> None:
    """Taps ``button``, checks the dialog asks ``question``, cancels: nothing is sent."""
    page.get_by_test_id(button).click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(question)
    expect(page.get_by_test_id("confirm-dialog-no")).to_have_text("Batal, simpan saja")
    expect(page.get_by_test_id("confirm-dialog-no")).to_be_focused()
    page.get_by_test_id("confirm-dialog-no").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id(button)).to_be_focused()
    assert posts == []


def test_removing_a_webhook_endpoint_asks_and_cancel_keeps_it(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
    settings,
):
    from partners.models import WebhookEndpoint
    from partners.webhooks.services import endpoint_create

    settings.WEBHOOK_ALLOW_LOCAL = False
    page = narrow_page
    member = PartnerMemberFactory(user__preferred_language="id")
    endpoint = endpoint_create(
        partner=member.partner,
        url="https://hooks.bank.example.id/rantai",
        events=["supplier.verified"],
        by=member.user,
    )
    log_in(page, live_server, member.user, "id")
    page.goto(reverse("webhooks:detail", args=[endpoint.pk]))
    posts = _count_posts(page)

    _ask_then_cancel(
        page,
        "webhook-remove",
        "Hapus https://hooks.bank.example.id/rantai? Alamat ini tidak akan menerima peristiwa",
        posts,
    )
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).is_active

    page.get_by_test_id("webhook-remove").click()
    screenshot(page, "01-dialog")
    page.get_by_test_id("confirm-dialog-yes").click()
    page.wait_for_url(f"**{reverse('webhooks:list')}")
    expect(page.locator(".message-success")).to_contain_text("Endpoint sudah dihapus.")
    assert not WebhookEndpoint.objects.get(pk=endpoint.pk).is_active


def test_revoking_a_buyer_api_key_asks_and_cancel_keeps_it_working(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
):
    from partners.models import ApiKey
    from partners.services import buyer_api_key_create

    page = narrow_page
    owner = ManufacturerMemberFactory(user__preferred_language="id", role="owner")
    key, _raw = buyer_api_key_create(
        manufacturer=owner.manufacturer, by=owner.user, scopes=["quotations:read"], name="ERP"
    )
    log_in(page, live_server, owner.user, "id")
    page.goto(reverse("buyer_api_keys", args=[owner.manufacturer.pk]))
    posts = _count_posts(page)

    _ask_then_cancel(page, f"revoke-{key.prefix}", f"Cabut kunci {key.prefix}?", posts)
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None

    page.get_by_test_id(f"revoke-{key.prefix}").click()
    screenshot(page, "01-dialog")
    page.get_by_test_id("confirm-dialog-yes").click()
    expect(page.locator(".message-success")).to_contain_text(f"Kunci {key.prefix} telah dicabut")
    expect(page.get_by_test_id(f"revoke-{key.prefix}")).to_have_count(0)
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None


def test_withdrawing_a_quotation_asks_and_cancel_keeps_it_with_the_buyer(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
):
    from introductions.models import Quotation

    page = narrow_page
    member = SupplierMemberFactory(user__preferred_language="id")
    revision = QuotationRevisionFactory(
        quotation__introduction__supplier=member.supplier,
        quotation__introduction__requirement__title="Braket baterai",
    )
    quotation = revision.quotation
    log_in(page, live_server, member.user, "id")
    page.goto(reverse("introductions:quotation", args=[quotation.pk]))
    posts = _count_posts(page)

    _ask_then_cancel(
        page,
        "withdraw-quotation",
        "Tarik penawaran harga ini? Pembeli akan diberi tahu.",
        posts,
    )
    quotation.refresh_from_db()
    assert quotation.status == Quotation.Status.SUBMITTED

    page.get_by_test_id("withdraw-quotation").click()
    screenshot(page, "01-dialog")
    page.get_by_test_id("confirm-dialog-yes").click()
    expect(page.locator(".message-success")).to_contain_text("Penawaran harga ditarik.")
    quotation.refresh_from_db()
    assert quotation.status == Quotation.Status.WITHDRAWN


def test_withdrawing_a_partners_consent_asks_and_cancel_keeps_it(
    narrow_page,  # noqa: F811
    live_server,
    screenshot,
):
    from partners.models import PartnerConsent
    from partners.services import consent_grant

    page = narrow_page
    member = SupplierMemberFactory(user__preferred_language="id", role="owner")
    bank = PartnerOrganisationFactory(name="Bank Pembangunan Daerah")
    consent_grant(supplier=member.supplier, partner=bank, scope="contact", by=member.user)
    log_in(page, live_server, member.user, "id")
    page.goto(reverse("partner_consents"))
    posts = _count_posts(page)
    button = f"revoke-{bank.pk}-contact"

    _ask_then_cancel(
        page,
        button,
        "Bank Pembangunan Daerah tidak akan dapat lagi membaca: Detail kontak. Cabut izin ini?",
        posts,
    )
    active = PartnerConsent.objects.filter(partner=bank, scope="contact", revoked_at__isnull=True)
    assert active.exists()

    page.get_by_test_id(button).click()
    expect(page.get_by_test_id("confirm-dialog-yes")).to_have_text("Cabut")
    screenshot(page, "01-dialog")
    page.get_by_test_id("confirm-dialog-yes").click()
    expect(page.locator(".message-success")).to_contain_text(
        "Bank Pembangunan Daerah tidak dapat lagi membaca data ini."
    )
    expect(page.get_by_test_id(f"grant-{bank.pk}-contact")).to_be_visible()
    screenshot(page, "02-withdrawn")
    assert not active.exists()

    # Allowing again is not destructive: it asks nothing.
    page.get_by_test_id(f"grant-{bank.pk}-contact").click()
    expect(page.get_by_test_id(button)).to_be_visible()
    expect(page.get_by_test_id("confirm-dialog")).to_have_count(0)
    assert active.exists()
