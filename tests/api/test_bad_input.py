"""Bad input gets a 400 in the one error format, in the caller's language, never a 500: tampered
cursors, deeply nested JSON, impossible time zone offsets, a forged consent form."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from partners.models import PartnerConsent

from .conftest import key_client, key_for, session_client

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/suppliers/", "/api/v1/requirements/", "/api/v1/matches/"]
POSITIONS = ["abc", "1.5", "NaN", "%00", "\x00", "1e999", "-inf", "9" * 30, ""]


def _cursor(query: str) -> str:
    return quote(base64.b64encode(query.encode()).decode())


def _assert_error_400(response, language="en") -> dict:
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert error["code"] and error["message"]
    assert response["Content-Language"] == language
    return error


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("position", POSITIONS)
def test_a_tampered_cursor_position_is_a_400(world, url, position):
    client = key_client(key_for(world.bank))
    response = client.get(f"{url}?cursor={_cursor('p=' + position)}")
    error = _assert_error_400(response)
    assert error["fields"]["cursor"] == [
        "This cursor is not valid. Start again from the first page."
    ]


@pytest.mark.parametrize(
    "query",
    [
        "p=2026-01-01T00:00:00-19:04",
        "p=not-a-date",
        "p=9999-99-99",
        "r=maybe&p=2026-01-01",
        "o=-1",
    ],
)
def test_a_tampered_cursor_on_a_date_ordering_is_a_400(world, query):
    client = key_client(key_for(world.bank), language="id")
    response = client.get(f"/api/v1/suppliers/?ordering=-updated_at&cursor={_cursor(query)}")
    error = _assert_error_400(response, language="id")
    assert error["fields"]["cursor"] == ["Kursor ini tidak valid. Mulai lagi dari halaman pertama."]


def test_a_cursor_made_by_the_api_still_works_on_every_ordering(world):
    client = key_client(key_for(world.bank))
    for ordering in ("id", "-updated_at", "updated_at"):
        first = client.get(f"/api/v1/suppliers/?ordering={ordering}&page_size=1").json()
        assert client.get(first["next"]).status_code == 200
    first = client.get("/api/v1/matches/?ordering=-score&page_size=1").json()
    assert client.get(first["next"]).status_code == 200


@pytest.mark.parametrize("offset", ["-19:04", "+23:59", "+14:01", "-14:30"])
def test_updated_since_with_an_impossible_offset_is_a_400(world, offset):
    client = key_client(key_for(world.bank, "suppliers:read"))
    response = client.get(f"/api/v1/suppliers/?updated_since=2026-01-01T00:00:00{quote(offset)}")
    error = _assert_error_400(response)
    assert error["fields"]["updated_since"] == [
        "Enter a time zone offset between -14:00 and +14:00."
    ]


@pytest.mark.parametrize("offset", ["+14:00", "-12:00", "+07:00", "Z"])
def test_updated_since_with_a_real_offset_filters(world, offset):
    client = key_client(key_for(world.bank, "suppliers:read"))
    response = client.get(f"/api/v1/suppliers/?updated_since=2000-01-01T00:00:00{quote(offset)}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2


@pytest.mark.parametrize("depth", [33, 2_000, 100_000])
def test_deeply_nested_json_is_a_400(world, depth):
    client = key_client(key_for(world.association, "suppliers:write"))
    body = '{"legal_name": ' + "[" * depth + "]" * depth + "}"
    response = client.post("/api/v1/suppliers/", data=body, content_type="application/json")
    assert _assert_error_400(response)["code"] == "parse_error"


@pytest.mark.parametrize("method", ["post", "patch"])
def test_deeply_nested_json_in_a_session_write_is_a_400(world, method):
    client = session_client(world.buyer)
    url = "/api/v1/requirements/" + (f"{world.draft.pk}/" if method == "patch" else "")
    body = "[" * 50_000 + "]" * 50_000
    response = getattr(client, method)(url, data=body, content_type="application/json")
    assert _assert_error_400(response)["code"] == "parse_error"


@pytest.mark.parametrize(
    "body", ['{"legal_name": NaN}', '{"a": Infinity}', '{"legal_name": "\\ud800"}', "{"]
)
def test_what_is_not_strict_json_is_a_400(world, body):
    client = key_client(key_for(world.association, "suppliers:write"), language="id")
    response = client.post("/api/v1/suppliers/", data=body, content_type="application/json")
    error = _assert_error_400(response, language="id")
    assert error["message"].startswith("Isi permintaan bukan JSON yang valid")


def test_nesting_within_the_limit_is_parsed(world):
    client = key_client(key_for(world.association, "suppliers:write"))
    body = {"legal_name": "CV Dalam", "certifications": [{"code": "ISO9001"}]}
    response = client.post(
        "/api/v1/suppliers/", data=json.dumps(body), content_type="application/json"
    )
    error = _assert_error_400(response)  # invalid (no NIB), but parsed: field errors
    assert error["code"] == "invalid" and "nib" in error["fields"]


@pytest.mark.parametrize("partner", ["abc", "1.5", "", "٣", "1e3"])
def test_a_consent_post_with_a_forged_partner_is_a_400(world, partner):
    client = session_client(world.umkm, language="id")
    response = client.post(
        "/accounts/partners/", {"partner": partner, "scope": "contact", "action": "grant"}
    )
    assert response.status_code == 400
    assert "Organisasi mitra tidak dikenal." in response.content.decode()
    assert not PartnerConsent.objects.filter(
        supplier=world.consenting, partner=world.association
    ).exists()


def test_a_consent_post_for_an_unknown_partner_is_a_404(world):
    client = session_client(world.umkm)
    for partner in ("999999", "9" * 30):
        response = client.post(
            "/accounts/partners/", {"partner": partner, "scope": "contact", "action": "grant"}
        )
        assert response.status_code == 404
