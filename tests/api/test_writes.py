"""Writes: an association registers and updates its member companies with the CSV import's
validation; buyers manage requirements with their session (CSRF-protected)."""

from __future__ import annotations

import csv
import json

import pytest
from django.core.validators import MinValueValidator
from django.utils import translation

from manufacturers.models import Requirement
from partners.models import PartnerManagedSupplier
from suppliers.importing import import_suppliers_file
from suppliers.importing.rows import COLUMNS
from suppliers.models import Supplier

from .conftest import key_client, key_for, session_client

pytestmark = pytest.mark.django_db

BAD = {
    "nib": "8120000000001",
    "legal_name": "CV Anggota",
    "size_class": "raksasa",
    "province": "99",
    "employees": -3,
    "founded_year": 1800,
    "components": ["BAT.MOD.HOLDER", "NOPE.PART"],
    "contact_email": "not-an-email",
    "certifications": [{"code": "ISO0000"}],
}
# The same row as the CSV import reads it.
BAD_CSV = {
    "nib": "8120000000001",
    "name": "CV Anggota",
    "size_class": "raksasa",
    "province": "99",
    "employees": "-3",
    "founded_year": "1800",
    "components": "BAT.MOD.HOLDER;NOPE.PART",
    "contact_email": "not-an-email",
    "certifications": "ISO0000",
}


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def association(world):
    return key_client(key_for(world.association, "suppliers:write", "suppliers:read"))


def test_an_association_registers_a_member_and_manages_it(world, association):
    body = {
        "nib": "8120000000002",
        "legal_name": "CV Anggota Baru",
        "size_class": "kecil",
        "regency": "32.04",
        "employees": 12,
        "components": ["BAT.MOD.HOLDER"],
        "processes": ["INJ_MOULD", "TOOL_DIE"],
        "certifications": [{"code": "ISO9001", "valid_until": "2028-05-31"}],
        "contact_email": "halo@anggota.example.id",
        "website": "https://anggota.example.id",
    }
    response = _post(association, "/api/v1/suppliers/", body)
    assert response.status_code == 201, response.content
    data = response.json()
    supplier = Supplier.objects.get(nib="8120000000002")
    assert data["id"] == supplier.pk
    assert data["province"] == "32"  # taken from the regency, as the import does
    assert data["processes"] == ["INJ_MOULD", "TOOL_DIE"]
    assert data["certifications"] == [
        {"code": "ISO9001", "valid_until": "2028-05-31", "local_content_pct": None}
    ]
    assert data["nib"] == "8120000000002"  # it manages the company
    assert data["contact_email"] is None  # no consent from the UMKM yet
    assert supplier.contact_email == "halo@anggota.example.id"
    assert PartnerManagedSupplier.objects.filter(
        partner=world.association, supplier=supplier
    ).exists()

    # Update: given fields change, the rest stays; a list replaces, certifications merge.
    response = _post(
        association,
        f"/api/v1/suppliers/{supplier.pk}/",
        {"employees": 20, "processes": ["STAMP"], "certifications": [{"code": "SNI"}]},
        method="patch",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["employees"] == 20
    assert data["legal_name"] == "CV Anggota Baru"
    assert data["processes"] == ["STAMP"]
    assert {c["code"] for c in data["certifications"]} == {"ISO9001", "SNI"}


def test_an_association_cannot_take_over_a_registered_company(world, association):
    response = _post(
        association, "/api/v1/suppliers/", {"nib": world.private.nib, "legal_name": "X"}
    )
    assert response.status_code == 400
    assert "nib" in response.json()["error"]["fields"]
    response = _post(
        association, f"/api/v1/suppliers/{world.private.pk}/", {"employees": 1}, method="patch"
    )
    assert response.status_code == 403
    assert Supplier.objects.get(pk=world.private.pk).employees == world.private.employees


def test_the_nib_of_a_managed_company_cannot_change(world, association):
    PartnerManagedSupplier.objects.create(partner=world.association, supplier=world.private)
    response = _post(
        association,
        f"/api/v1/suppliers/{world.private.pk}/",
        {"nib": "8120000000999"},
        method="patch",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["nib"]


def _csv_problems(tmp_path) -> dict[str, list[str]]:
    path = tmp_path / "bad.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow({column: BAD_CSV.get(column, "") for column in COLUMNS})
    [row] = import_suppliers_file(path, dry_run=True).rows
    problems: dict[str, list[str]] = {}
    for problem in row.problems:
        problems.setdefault(problem.column, []).append(problem.message)
    return problems


def test_the_api_rejects_what_the_csv_import_rejects_with_the_same_messages(
    world, association, tmp_path
):
    with translation.override("en"):
        csv_problems = _csv_problems(tmp_path)
    response = _post(association, "/api/v1/suppliers/", BAD)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    fields = error["fields"]
    # The parsing stage fails first (as in the import, where model rules come after).
    for column in ("size_class", "province", "employees", "components", "certifications"):
        assert fields[column] == csv_problems[column], column
    assert not Supplier.objects.filter(nib=BAD["nib"]).exists()


def test_model_rules_are_checked_too_in_the_clients_language(world, association):
    body = {
        "nib": "123",
        "legal_name": "CV Pendek",
        "founded_year": 1800,
        "province": "32",
        "regency": "32.04",
    }
    english = _post(association, "/api/v1/suppliers/", body).json()["error"]
    indonesian_client = key_client(key_for(world.association, "suppliers:write"), language="id")
    indonesian = _post(indonesian_client, "/api/v1/suppliers/", body).json()["error"]
    assert set(english["fields"]) == {"nib", "founded_year"}
    message = MinValueValidator(1900).message
    with translation.override("en"):
        assert english["fields"]["founded_year"] == [str(message) % {"limit_value": 1900}]
    with translation.override("id"):
        expected = str(message) % {"limit_value": 1900}
    assert indonesian["fields"]["founded_year"] == [expected]
    assert expected != english["fields"]["founded_year"][0]


def test_type_errors_are_reported_per_field_in_both_languages(world):
    body = {"nib": "8120000000003", "legal_name": "CV", "employees": "banyak", "components": "x"}
    for language in ("en", "id"):
        client = key_client(key_for(world.association, "suppliers:write"), language=language)
        response = _post(client, "/api/v1/suppliers/", body)
        assert response.status_code == 400
        assert response["Content-Language"] == language
        fields = response.json()["error"]["fields"]
        assert set(fields) == {"employees", "components"}
    with translation.override("id"):
        from rest_framework.fields import IntegerField

        assert fields["employees"] == [str(IntegerField.default_error_messages["invalid"])]


def test_a_member_updates_its_own_company_through_the_session(world):
    client = session_client(world.umkm)
    url = f"/api/v1/suppliers/{world.consenting.pk}/"
    response = _post(client, url, {"lead_time_days": 21}, method="patch")
    assert response.status_code == 200
    assert response.json()["lead_time_days"] == 21
    response = _post(client, url, {"lead_time_days": 9999}, method="patch")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["lead_time_days"]


# --- requirements -----------------------------------------------------------------------------

REQUIREMENT = {
    "reference": "RFQ-API-7",
    "title": "Copper busbar",
    "component": "BAT.MOD.BUSBAR",
    "processes": ["STAMP"],
    "required_certifications": ["ISO9001"],
    "annual_volume": 12000,
    "target_price_min_idr": 9000,
    "target_price_max_idr": 12000,
    "needed_by": "2030-06-30",
    "delivery_province": "32",
}
CSRF = "abcdefghijklmnopqrstuvwxyzABCDEF"


def _csrf_client(user):
    client = session_client(user, csrf=True)
    client.cookies["csrftoken"] = CSRF
    return client


def test_session_writes_need_the_csrf_token(world):
    client = _csrf_client(world.buyer)
    without = _post(client, "/api/v1/requirements/", REQUIREMENT)
    assert without.status_code == 403
    assert "CSRF" in without.json()["error"]["message"]
    with_token = client.post(
        "/api/v1/requirements/",
        data=json.dumps(REQUIREMENT),
        content_type="application/json",
        headers={"x-csrftoken": CSRF},
    )
    assert with_token.status_code == 201, with_token.content


def test_a_buyer_manages_a_requirement_through_the_api(world):
    client = session_client(world.buyer)
    response = _post(client, "/api/v1/requirements/", REQUIREMENT)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["is_mine"] is True
    assert data["target_price_max_idr"] == 12000
    pk = data["id"]
    assert Requirement.objects.get(pk=pk).created_by == world.buyer

    response = _post(client, f"/api/v1/requirements/{pk}/", {"annual_volume": 15000}, "patch")
    assert response.json()["annual_volume"] == 15000
    response = client.post(f"/api/v1/requirements/{pk}/publish/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"
    # An open requirement keeps a revision of each edit (the service does it).
    _post(client, f"/api/v1/requirements/{pk}/", {"title": "Copper busbar v2"}, "patch")
    assert Requirement.objects.get(pk=pk).revisions.count() == 1
    response = _post(client, f"/api/v1/requirements/{pk}/close/", {"reason": "awarded"})
    assert response.json()["status"] == "closed"
    assert response.json()["close_reason"] == "awarded"
    response = _post(client, f"/api/v1/requirements/{pk}/", {"title": "Late"}, "patch")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["non_field_errors"]


def test_requirement_validation_errors_name_the_fields(world):
    client = session_client(world.buyer)
    body = {
        **REQUIREMENT,
        "reference": world.requirement.reference,
        "target_price_min_idr": 5,
        "target_price_max_idr": 1,
    }
    response = _post(client, "/api/v1/requirements/", body)
    assert response.status_code == 400
    assert "reference" in response.json()["error"]["fields"]
    body = {**REQUIREMENT, "component": "NOPE", "annual_volume": 0, "processes": ["ZZZ"]}
    fields = _post(client, "/api/v1/requirements/", body).json()["error"]["fields"]
    assert set(fields) == {"component", "annual_volume", "processes"}
    body = {**REQUIREMENT, "target_price_min_idr": 5, "target_price_max_idr": 1}
    fields = _post(client, "/api/v1/requirements/", body).json()["error"]["fields"]
    assert list(fields) == ["target_price_max_idr"]


def test_publishing_needs_a_verified_buyer(world):
    world.requirement.manufacturer.verification_status = "unverified"
    world.requirement.manufacturer.save()
    client = session_client(world.buyer)
    response = client.post(f"/api/v1/requirements/{world.draft.pk}/publish/")
    assert response.status_code == 400
    assert Requirement.objects.get(pk=world.draft.pk).status == "draft"
