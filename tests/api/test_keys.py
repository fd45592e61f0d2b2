"""API keys: only a hash is stored, revoked keys are refused (at once when revoked in this
process, within ``KEY_CACHE_SECONDS`` elsewhere), last use is recorded sparingly, and
administrators create keys in the admin and with ``create_api_key``."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.api import authentication
from partners.api.authentication import forget_keys
from partners.models import ApiKey, PartnerOrganisation
from partners.services import api_key_create, api_key_revoke

from .conftest import key_client, session_client

pytestmark = pytest.mark.django_db


def _all_text_in_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(k)::text FROM accounts_apikey k")
        return " ".join(row[0] for row in cursor.fetchall())


def test_the_raw_key_is_never_stored(world):
    api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    secret = raw.split(".", 1)[1]
    stored = _all_text_in_database()
    assert secret not in stored and raw not in stored
    assert api_key.hashed_key == hashlib.sha256(raw.encode()).hexdigest()
    assert api_key.prefix in raw
    assert key_client(raw).get("/api/v1/suppliers/").status_code == 200


def test_a_wrong_secret_with_a_real_prefix_is_refused(world):
    _api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    forged = raw[:-4] + ("aaaa" if not raw.endswith("aaaa") else "bbbb")
    response = key_client(forged).get("/api/v1/suppliers/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_revoked_key_is_refused_at_once(world):
    api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    client = key_client(raw)
    assert client.get("/api/v1/suppliers/").status_code == 200
    api_key_revoke(api_key=api_key)
    response = client.get("/api/v1/suppliers/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_keys_of_a_deactivated_partner_are_refused(world):
    _api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    PartnerOrganisation.objects.filter(pk=world.bank.pk).update(is_active=False)
    assert key_client(raw).get("/api/v1/suppliers/").status_code == 401


def test_last_used_at_is_written_at_most_once_a_minute(world, django_assert_num_queries):
    api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    assert api_key.last_used_at is None
    client = key_client(raw)
    client.get("/api/v1/reference/size-classes/")
    first = ApiKey.objects.get(pk=api_key.pk).last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=10)
    # Within the minute: list the size classes (the key is remembered); no UPDATE.
    with django_assert_num_queries(1):
        client.get("/api/v1/reference/size-classes/")
    # Once the key is read again (after KEY_CACHE_SECONDS): that read and the listing.
    forget_keys()
    with django_assert_num_queries(2):
        client.get("/api/v1/reference/size-classes/")
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == first
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=first - timedelta(minutes=2))
    forget_keys()
    client.get("/api/v1/reference/size-classes/")
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at > first


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> _Clock:
    clock = _Clock()
    monkeypatch.setattr(authentication, "_now", clock)
    return clock


def test_a_key_is_read_from_the_database_once_per_few_seconds(world, clock):
    _api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    client = key_client(raw)

    def key_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/reference/size-classes/").status_code == 200
        return sum('"accounts_apikey" k' in query["sql"] for query in queries)

    assert key_reads() == 1
    assert key_reads() == 0
    clock.now += authentication.KEY_CACHE_SECONDS - 0.1
    assert key_reads() == 0
    clock.now += 0.2
    assert key_reads() == 1


@pytest.mark.parametrize("change", ["revoke", "deactivate partner", "drop scope"])
def test_a_change_made_by_another_process_applies_within_the_cache_time(world, clock, change):
    api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    client = key_client(raw)
    assert client.get("/api/v1/suppliers/").status_code == 200
    # As another worker (the admin) would: straight to the database, this process is not told.
    if change == "revoke":
        ApiKey.objects.filter(pk=api_key.pk).update(revoked_at=timezone.now())
    elif change == "deactivate partner":
        PartnerOrganisation.objects.filter(pk=world.bank.pk).update(is_active=False)
    else:
        ApiKey.objects.filter(pk=api_key.pk).update(scopes=["stats:read"])
    clock.now += 1
    assert client.get("/api/v1/suppliers/").status_code == 200  # still remembered
    clock.now += authentication.KEY_CACHE_SECONDS
    response = client.get("/api/v1/suppliers/")
    assert response.status_code == (403 if change == "drop scope" else 401)


def test_a_revocation_saved_in_this_process_applies_at_once(world, clock):
    api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    client = key_client(raw)
    assert client.get("/api/v1/suppliers/").status_code == 200
    api_key_revoke(api_key=api_key)  # the admin's action: saves the key
    assert client.get("/api/v1/suppliers/").status_code == 401
    # Deactivating the partner in the admin (a save) too.
    _other, other_raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    other = key_client(other_raw)
    assert other.get("/api/v1/suppliers/").status_code == 200
    world.bank.is_active = False
    world.bank.save()
    assert other.get("/api/v1/suppliers/").status_code == 401


def test_a_wrong_secret_is_refused_even_while_the_real_key_is_remembered(world):
    _api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    assert key_client(raw).get("/api/v1/suppliers/").status_code == 200
    forged = raw[:-4] + ("aaaa" if not raw.endswith("aaaa") else "bbbb")
    assert key_client(forged).get("/api/v1/suppliers/").status_code == 401


def test_unknown_scopes_are_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_key_create(partner=world.bank, scopes=["suppliers:delete"])


def test_create_api_key_command_prints_the_key_once(db):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_key",
        "--partner",
        "Bank Contoh",
        "--scopes",
        "suppliers:read,stats:read",
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    api_key = ApiKey.objects.get()
    assert api_key.partner.name == "Bank Contoh"
    assert api_key.scopes == ["suppliers:read", "stats:read"]
    assert raw not in _all_text_in_database() and raw not in err.getvalue()
    assert key_client(raw).get("/api/v1/stats/").status_code == 200
    assert key_client(raw).get("/api/v1/matches/").status_code == 403


def test_create_api_key_command_rejects_unknown_scopes(db):
    with pytest.raises(CommandError, match="Unknown scopes"):
        call_command(
            "create_api_key", "--partner", "X", "--scopes", "everything", stdout=StringIO()
        )
    assert not PartnerOrganisation.objects.exists()


def test_admin_shows_a_new_key_once_and_stores_only_its_hash(world):
    admin = session_client(world.admin)
    response = admin.post(
        "/admin/partners/apikey/add/",
        {
            "partner": world.bank.pk,
            "name": "Sinkronisasi",
            "scopes": ["suppliers:read", "partnerships:read"],
            "rate_per_minute": "",
        },
    )
    assert response.status_code == 200, response.content[:500]
    api_key = ApiKey.objects.get(name="Sinkronisasi")
    assert api_key.created_by == world.admin
    page = response.content.decode()
    raw = re.search(r'data-testid="raw-key"[^>]*>([^<]+)<', page).group(1)
    assert api_key.hashed_key == hashlib.sha256(raw.encode()).hexdigest()
    assert key_client(raw).get("/api/v1/partnerships/").status_code == 200
    # Nowhere else: the change page shows the prefix, never the key or its hash.
    change = admin.get(f"/admin/partners/apikey/{api_key.pk}/change/").content.decode()
    assert raw not in change and api_key.hashed_key not in change
    assert api_key.prefix in change


def test_admin_revoke_action(world):
    api_key, raw = api_key_create(partner=world.bank, scopes=["suppliers:read"])
    session_client(world.admin).post(
        "/admin/partners/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]}
    )
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None
    assert key_client(raw).get("/api/v1/suppliers/").status_code == 401
