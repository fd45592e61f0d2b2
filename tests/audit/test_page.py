"""``/reports/audit/``: ministry staff and administrators read the audit trail filtered by firm,
person, action, door and dates, page by page, in both languages, and export it as CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditDoor, acting
from accounts.models import AuditRecord
from suppliers import services
from tests.factories import (
    AdminUserFactory,
    ManufacturerFactory,
    MinistryUserFactory,
    SupplierFactory,
    SupplierMemberFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example","x")'


def _at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day}T10:00:00"))


@pytest.fixture
def trail():
    """A member renames their UMKM on the web, an import changes another, a buyer is read by a
    partner key, and an old record (before doors were recorded) names a third UMKM."""
    owner = SupplierMemberFactory(supplier__legal_name="CV Sinar Logam", user__email="siti@x.id")
    other = SupplierFactory(legal_name="CV Mega Plastik", nib="8120000000123")
    old = SupplierFactory(legal_name="CV Lama Sekali")
    buyer = ManufacturerFactory(name="PT Motor Listrik")
    with acting(door=AuditDoor.WEB, user=owner.user):
        services.supplier_update(supplier=owner.supplier, data={"legal_name": "CV Sinar Baja"})
    with acting(door=AuditDoor.IMPORT, label="import_suppliers anggota.csv"):
        services.supplier_update(supplier=other, data={"employees": 12})
    AuditRecord.objects.create(
        action="api_private_read",
        door="api",
        api_key_id=7,
        actor_label="Bank Contoh · abc123",
        object_kind="manufacturer",
        object_id=buyer.pk,
        firm_kind="manufacturer",
        firm_id=buyer.pk,
        fields=["npwp"],
        at=_at("2026-01-15"),
    )
    ministry = MinistryUserFactory(email="petugas@kementerian.go.id")
    AuditRecord.objects.create(
        actor=ministry,
        action="contact_read",
        object_kind="supplier",
        object_id=old.pk,
        at=_at("2025-06-01"),
    )
    return owner, other, old, buyer


def _shown(response) -> list[str]:
    body = response.content.decode()
    return [
        part.split('"', 1)[0] for part in body.split('data-testid="audit-record" data-action="')[1:]
    ]


@pytest.fixture
def ministry_client(client):
    client.force_login(MinistryUserFactory(preferred_language="en"))
    return client


def test_the_page_lists_every_record_newest_first(ministry_client, trail):
    response = ministry_client.get(reverse("reports:audit"))

    assert response.status_code == 200
    assert _shown(response) == [
        "profile_changed",
        "identity_changed",
        "api_private_read",
        "contact_read",
    ]
    body = response.content.decode()
    assert "legal_name: CV Sinar Logam → CV Sinar Baja" in body
    assert "siti@x.id" in body
    assert "Bank Contoh · abc123" in body


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"firm": "sinar"}, ["identity_changed"]),
        ({"firm": "8120000000123"}, ["profile_changed"]),
        ({"firm": "PT Motor"}, ["api_private_read"]),
        ({"firm": "CV Lama Sekali"}, ["contact_read"]),  # an old record: the firm is its object
        ({"person": "siti@"}, ["identity_changed"]),
        ({"person": "import_suppliers"}, ["profile_changed"]),
        ({"person": "abc123"}, ["api_private_read"]),
        ({"action": "contact_read"}, ["contact_read"]),
        ({"door": "import"}, ["profile_changed"]),
        ({"door": "api", "action": "api_private_read"}, ["api_private_read"]),
        ({"date_from": "2026-01-01", "date_to": "2026-01-31"}, ["api_private_read"]),
        ({"date_to": "2025-12-31"}, ["contact_read"]),
    ],
)
def test_the_filters(ministry_client, trail, query, expected):
    response = ministry_client.get(reverse("reports:audit"), query)

    assert _shown(response) == expected


def test_a_firm_link_filters_on_that_firm_exactly(ministry_client, trail):
    owner = trail[0]

    response = ministry_client.get(
        reverse("reports:audit"), {"firm": f"supplier:{owner.supplier_id}"}
    )

    assert _shown(response) == ["identity_changed"]
    assert f'href="?firm=supplier%3A{owner.supplier_id}"' in response.content.decode()


def test_bad_filters_get_a_message_never_an_error(ministry_client, trail):
    response = ministry_client.get(
        reverse("reports:audit"),
        {
            "date_from": "2026-13-45",
            "action": "nope",
            "door": "x",
            "page": "zz",
            "firm": "a\x00b",
            "person": "x" * 500,
        },
    )

    assert response.status_code == 200
    assert len(_shown(response)) == 4
    assert "Enter a valid date." in response.content.decode()

    reversed_dates = ministry_client.get(
        reverse("reports:audit"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "The end date must not be before the start date." in reversed_dates.content.decode()


def test_records_come_fifty_to_a_page(ministry_client):
    supplier = SupplierFactory()
    AuditRecord.objects.bulk_create(
        AuditRecord(action="contact_read", object_kind="supplier", object_id=supplier.pk)
        for _ in range(51)
    )

    first = ministry_client.get(reverse("reports:audit"), {"action": "contact_read"})
    second = ministry_client.get(reverse("reports:audit"), {"action": "contact_read", "page": 2})

    assert (len(_shown(first)), len(_shown(second))) == (50, 1)
    assert "action=contact_read&amp;page=2" in first.content.decode()


def test_the_page_speaks_indonesian(client, trail):
    client.force_login(AdminUserFactory(preferred_language="id"))

    body = client.get(reverse("reports:audit")).content.decode()

    assert "Jejak audit" in body
    assert "Mengubah identitas perusahaan" in body


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_keeps_the_filters(ministry_client, trail):
    owner = trail[0]

    response = ministry_client.get(reverse("reports:audit_csv"), {"door": "web"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="rantai-audit-')
    header, *rows = _csv_rows(response)
    assert header[:5] == [
        "When (UTC)",
        "Person, partner or command",
        "Door",
        "Action code",
        "Action",
    ]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Person, partner or command"] == "siti@x.id"
    assert row["Action code"] == "identity_changed"
    assert row["Firm"] == "CV Sinar Baja"
    assert row["Firm id"] == str(owner.supplier_id)
    assert row["Old → new"] == "legal_name: CV Sinar Logam → CV Sinar Baja"


def test_the_csv_export_never_writes_a_formula(ministry_client):
    supplier = SupplierFactory(legal_name="CV Biasa")
    with acting(door=AuditDoor.WEB):
        services.supplier_update(supplier=supplier, data={"legal_name": HOSTILE})

    header, *rows = _csv_rows(ministry_client.get(reverse("reports:audit_csv")))

    row = dict(zip(header, rows[0], strict=True))
    assert row["Firm"] == "'" + HOSTILE
    assert row["Old → new"].startswith("legal_name: CV Biasa → ")
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in rows[0])


def test_the_csv_export_is_in_the_readers_language(client, trail):
    client.force_login(MinistryUserFactory(preferred_language="id"))

    header, *rows = _csv_rows(client.get(reverse("reports:audit_csv"), {"action": "contact_read"}))

    assert header[0] == "Waktu (UTC)"
    assert rows[0][4] == "Membaca kontak pribadi perusahaan"
