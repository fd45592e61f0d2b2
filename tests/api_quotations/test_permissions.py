"""The permission matrix of the quotation endpoints (every kind of caller against every endpoint)
and of the buyer firm's API keys page (every role)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import client_for

pytestmark = pytest.mark.django_db

KEY_CALLERS = ["buyer_key", "other_buyer_key", "partner_key", "revoked_key"]
SESSION_CALLERS = ["owner", "staff", "other_owner", "umkm", "ministry"]
CALLERS = ["anonymous", *KEY_CALLERS, *SESSION_CALLERS]

OWN_FIRM = {"buyer_key", "owner", "staff"}
OTHER_FIRM = {"other_buyer_key", "other_owner"}


def _firm_read(other_firm_status: int):
    """A buyer read: its own firm reads, the other firm gets ``other_firm_status``, a partner
    key lacks the scope, session users without a buyer firm are refused."""

    def expected(caller: str) -> int:
        if caller in ("anonymous", "revoked_key"):
            return 401
        if caller in OWN_FIRM:
            return 200
        if caller in OTHER_FIRM:
            return other_firm_status
        return 403

    return expected


def _aggregates(caller: str) -> int:
    if caller in ("anonymous", "revoked_key"):
        return 401
    return 200 if caller in ("partner_key", "ministry") else 403


ENDPOINTS = [
    ("quotations list", lambda w: "/api/v1/quotations/", _firm_read(200)),
    ("own quotation", lambda w: f"/api/v1/quotations/{w.quotation.pk}/", _firm_read(404)),
    (
        "other firm's quotation",
        lambda w: f"/api/v1/quotations/{w.other_quotation.pk}/",
        lambda c: 200 if c in OTHER_FIRM else 404 if c in OWN_FIRM else _firm_read(404)(c),
    ),
    ("awards list", lambda w: "/api/v1/awards/", _firm_read(200)),
    ("own award", lambda w: f"/api/v1/awards/{w.quotation.pk}/", _firm_read(404)),
    (
        "a quotation that is no award",
        lambda w: f"/api/v1/awards/{w.pending.pk}/",
        lambda c: 404 if c in OWN_FIRM else _firm_read(404)(c),
    ),
    ("aggregates", lambda w: "/api/v1/stats/quotations/", _aggregates),
]


@pytest.mark.parametrize(("name", "url", "expected"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_permission_matrix(world, name, url, expected):
    wrong = []
    for caller in CALLERS:
        response = client_for(world, caller).get(url(world))
        if response.status_code != expected(caller):
            wrong.append((caller, expected(caller), response.status_code, response.content[:200]))
        elif response.status_code >= 400:
            error = response.json()["error"]
            assert error["code"] and error["message"]
    assert not wrong, wrong


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_refuses_every_write_to_quotations_and_awards(world, method):
    for url in (
        "/api/v1/quotations/",
        f"/api/v1/quotations/{world.quotation.pk}/",
        f"/api/v1/awards/{world.quotation.pk}/",
    ):
        response = getattr(client_for(world, "buyer_key"), method)(url)
        assert response.status_code in (403, 405), (method, url, response.status_code)
        assert response.json()["error"]["code"]


def test_a_buyer_key_opens_no_partner_endpoint(world):
    client = client_for(world, "buyer_key")
    for url in (
        "/api/v1/suppliers/",
        "/api/v1/requirements/",
        "/api/v1/matches/",
        "/api/v1/introductions/",
        "/api/v1/partnerships/",
        "/api/v1/stats/",
        "/api/v1/stats/quotations/",
    ):
        response = client.get(url)
        assert response.status_code == 403, (url, response.status_code)
        assert response.json()["error"]["code"] == "missing_scope"


PAGE_EXPECTED = {
    "owner": 200,
    "staff": 403,
    "other_owner": 404,
    "umkm": 404,
    "ministry": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("role", "status"), PAGE_EXPECTED.items(), ids=list(PAGE_EXPECTED))
def test_key_page_permission_matrix(world, role, status, method):
    url = reverse("buyer_api_keys", args=[world.firm.pk])
    client = client_for(world, role)
    data = {"action": "create", "name": "ERP", "scopes": ["quotations:read"]}
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == status
    if role == "anonymous":
        assert reverse("account_login") in response["Location"]
    created = world.firm.api_keys.filter(name="ERP").exists()
    assert created is (method == "post" and status == 200)


def test_the_firm_page_links_to_the_keys_only_for_owners(world):
    url = reverse("manufacturers:manufacturer_detail", args=[world.firm.pk])
    link = reverse("buyer_api_keys", args=[world.firm.pk])
    assert link in client_for(world, "owner").get(url).content.decode()
    assert link not in client_for(world, "staff").get(url).content.decode()
    assert link not in client_for(world, "ministry").get(url).content.decode()
