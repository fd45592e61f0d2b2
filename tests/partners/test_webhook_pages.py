"""The webhook pages: who may open which (the permission matrix: another partner's endpoint is
404), the secret shown once, bad input answered on the form with what was typed kept."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from partners.models import WebhookDelivery, WebhookEndpoint
from partners.webhooks.services import endpoint_create
from tests.factories import (
    AdminUserFactory,
    BuyerUserFactory,
    MinistryUserFactory,
    PartnerMemberFactory,
    UmkmUserFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = 302
VISITORS = ["anonymous", "umkm", "buyer", "ministry", "member", "other_partner", "admin"]
# view -> (method, expected status per visitor in VISITORS' order)
MATRIX = {
    "list": ("get", [LOGIN, 403, 403, 403, 200, 200, 200]),
    "add": ("get", [LOGIN, 403, 403, 403, 200, 200, 200]),
    "detail": ("get", [LOGIN, 403, 403, 403, 200, 404, 200]),
    "edit": ("get", [LOGIN, 403, 403, 403, 200, 404, 200]),
    "test": ("post", [LOGIN, 403, 403, 403, 302, 404, 302]),
    "rotate": ("post", [LOGIN, 403, 403, 403, 302, 404, 302]),
    "remove": ("post", [LOGIN, 403, 403, 403, 302, 404, 302]),
}
CASES = [
    pytest.param(view, method, who, expected, id=f"{view}-{who}")
    for view, (method, statuses) in MATRIX.items()
    for who, expected in zip(VISITORS, statuses, strict=True)
]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WEBHOOK_ALLOW_LOCAL = False


@pytest.fixture
def member():
    return PartnerMemberFactory(user__preferred_language="id")


@pytest.fixture
def endpoint(member):
    return endpoint_create(
        partner=member.partner,
        url="https://hooks.bank.example.id/rantai",
        events=["supplier.verified"],
        by=member.user,
    )


def _visitor(who: str, member):
    return {
        "anonymous": None,
        "umkm": lambda: UmkmUserFactory(),
        "buyer": lambda: BuyerUserFactory(),
        "ministry": lambda: MinistryUserFactory(),
        "member": lambda: member.user,
        "other_partner": lambda: PartnerMemberFactory().user,
        "admin": lambda: AdminUserFactory(),
    }[who]


@pytest.mark.parametrize(("view", "method", "who", "expected"), CASES)
def test_permission_matrix(client, member, endpoint, view, method, who, expected):
    make = _visitor(who, member)
    if make is not None:
        client.force_login(make())
    args = [] if view in ("list", "add") else [endpoint.pk]
    data = {"confirmed": "yes"} if method == "post" else None
    response = getattr(client, method)(reverse(f"webhooks:{view}", args=args), data)
    assert response.status_code == expected
    if expected == LOGIN and who == "anonymous":
        assert "/accounts/login/" in response.url


def test_a_member_registers_an_endpoint_and_sees_its_secret_only_once(client, member):
    client.force_login(member.user)
    response = client.post(
        reverse("webhooks:add"),
        {"url": "https://hooks.bank.example.id/rantai", "events": ["supplier.verified"]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.partner == member.partner
    assert response.url == reverse("webhooks:detail", args=[endpoint.pk])
    first = client.get(response.url).content.decode()
    assert endpoint.secret in first
    assert endpoint.secret not in client.get(response.url).content.decode()
    assert endpoint.secret not in client.get(reverse("webhooks:list")).content.decode()


def test_a_private_address_is_refused_on_the_form_with_what_was_typed_kept(client, member):
    client.force_login(member.user)
    response = client.post(
        reverse("webhooks:add"),
        {
            "url": "https://192.168.1.10/hook",
            "description": "Kantor pusat",
            "events": ["requirement.published"],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Alamat harus dapat dijangkau dari internet, bukan jaringan pribadi." in html
    assert 'value="https://192.168.1.10/hook"' in html
    assert 'value="Kantor pusat"' in html
    assert re.search(r'value="requirement\.published"[^>]*checked', html)
    assert not WebhookEndpoint.objects.exists()


def test_a_form_without_events_says_so(client, member):
    client.force_login(member.user)
    response = client.post(reverse("webhooks:add"), {"url": "https://hooks.example.id/x"})
    assert response.status_code == 400
    assert "Pilih setidaknya satu peristiwa." in response.content.decode()


def test_the_test_button_queues_a_delivery_shown_in_the_log(client, member, endpoint):
    client.force_login(member.user)
    response = client.post(reverse("webhooks:test", args=[endpoint.pk]), follow=True)
    delivery = WebhookDelivery.objects.get()
    assert delivery.event.name == "webhook.test"
    assert f'data-testid="delivery-{delivery.pk}"' in response.content.decode()


def test_rotating_shows_the_new_secret_once(client, member, endpoint):
    client.force_login(member.user)
    old = endpoint.secret
    response = client.post(
        reverse("webhooks:rotate", args=[endpoint.pk]), {"confirmed": "yes"}, follow=True
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.previous_secret == old
    assert endpoint.secret in response.content.decode()


def test_a_removed_endpoint_gets_nothing_more(client, member, endpoint):
    client.force_login(member.user)
    client.post(reverse("webhooks:remove", args=[endpoint.pk]), {"confirmed": "yes"})
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert client.get(reverse("webhooks:detail", args=[endpoint.pk])).status_code == 404


def test_an_administrator_registers_an_endpoint_for_a_partner(client, member):
    client.force_login(AdminUserFactory())
    response = client.post(
        reverse("webhooks:add"),
        {
            "partner": member.partner.pk,
            "url": "https://hooks.bank.example.id/admin",
            "events": ["quotation.awarded", "supplier.verified"],
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.url == reverse("webhooks:detail", args=[endpoint.pk])
    assert endpoint.partner == member.partner
    assert endpoint.events == ["supplier.verified", "quotation.awarded"]


def test_the_sweep_of_lost_deliveries_is_on_the_beat_schedule(settings):
    from config.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["partners-webhook-sweep"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60.0
