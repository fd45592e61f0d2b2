"""A partner's member registers a webhook endpoint in a real browser (an HTTP server this test
starts on 127.0.0.1), copies its secret, sends a test event and sees it delivered in the log:
on a phone in Indonesian, then the log on a desktop in English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from config.celery import app as celery_app
from partners.models import WebhookDelivery, WebhookEndpoint
from tests.browser.axe import assert_accessible, axe_context
from tests.browser.conftest import DESKTOP
from tests.factories import PartnerMemberFactory
from tests.partners.receiver import Receiver

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WEBHOOK_ALLOW_LOCAL = True
    # No worker here: the delivery task runs in the server's thread after the commit, as with
    # `make run` (the worker's part is tested in tests/partners/test_webhook_worker.py).
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def _log_in(page, live_server, user) -> None:
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


def test_a_partner_registers_an_endpoint_sends_a_test_event_and_sees_it_delivered(
    phone_page, browser, live_server, screenshot
):
    member = PartnerMemberFactory(partner__name="Bank Mitra UMKM", user__preferred_language="id")
    page = phone_page
    _log_in(page, live_server, member.user)
    with Receiver() as receiver:
        page.goto("/")
        page.get_by_test_id("nav-menu-toggle").click()
        page.get_by_test_id("nav-webhooks").click()
        expect(page.get_by_role("heading", name="Webhook", exact=True)).to_be_visible()
        page.get_by_test_id("webhook-add").click()

        # A private address first: refused on the form, what was typed is kept.
        page.get_by_label("Alamat (URL)").fill("http://192.168.1.5/hook")
        page.get_by_label("Deskripsi").fill("Server uji")
        page.get_by_role("checkbox", name=re.compile(r"supplier\.verified")).check()
        page.get_by_test_id("webhook-save").click()
        expect(page.locator(".field-error")).to_contain_text("https://")
        expect(page.get_by_label("Deskripsi")).to_have_value("Server uji")
        expect(page.get_by_role("checkbox", name=re.compile(r"supplier\.verified"))).to_be_checked()
        screenshot(page, "phone-form-error")

        page.get_by_label("Alamat (URL)").fill(f"{receiver.url}/rantai")
        page.get_by_test_id("webhook-save").click()
        secret = page.get_by_test_id("webhook-secret-value").inner_text()
        endpoint = WebhookEndpoint.objects.get()
        assert secret == endpoint.secret
        screenshot(page, "phone-registered")

        page.get_by_test_id("webhook-send-test").click()
        row = page.locator("[data-testid^=delivery-][data-status]")
        expect(row).to_have_count(1)
        expect(row).to_have_attribute("data-status", "delivered")
        expect(row.get_by_test_id("delivery-code")).to_have_text("200")
        expect(row.get_by_test_id("delivery-status")).to_have_text("terkirim")
        screenshot(page, "phone-log")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.goto("/partners/webhooks/")
        expect(page.get_by_test_id(f"webhook-{endpoint.pk}")).to_be_visible()
        screenshot(page, "phone-list")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    [request] = receiver.received
    assert request.signed_with(secret)
    assert request.json["type"] == "webhook.test"
    delivery = WebhookDelivery.objects.get()
    assert request.headers["X-Rantai-Event-Id"] == str(delivery.event_id)

    type(member.user).objects.filter(pk=member.user.pk).update(preferred_language="en")
    context = axe_context(browser, live_server, viewport=DESKTOP["viewport"], user=member.user)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    desktop = context.new_page()
    try:
        desktop.goto(f"/partners/webhooks/{endpoint.pk}/")
        expect(desktop.get_by_role("heading", name="Delivery log")).to_be_visible()
        expect(desktop.get_by_test_id("delivery-status")).to_have_text("delivered")
        assert secret not in desktop.content()  # shown once, on the phone
        screenshot(desktop, "desktop-log")
        assert_accessible(desktop, "webhook endpoint (desktop)")
        desktop.goto("/partners/webhooks/")
        assert_accessible(desktop, "webhooks (desktop)")
        desktop.goto("/partners/webhooks/new/")
        desktop.get_by_test_id("webhook-save").click()  # the form with its errors
        expect(desktop.locator(".field-error").first).to_be_visible()
        assert_accessible(desktop, "new webhook endpoint with errors (desktop)")
    finally:
        context.close()
