"""A TKDN certificate carries its local-content percentage: one rule (0-100, required for TKDN,
refused for any other type) on every door: the certificate form, the services, the admin, the
CSV import and the partner API."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from suppliers import services
from suppliers.forms import CertificationForm
from suppliers.importing import import_suppliers_file
from suppliers.importing.rows import COLUMNS
from suppliers.models import CertificationType, Supplier, SupplierCertification
from suppliers.validation import certification_errors
from tests.api.conftest import key_client, key_for
from tests.api.conftest import world as world  # a fixture
from tests.factories import AdminUserFactory, SupplierFactory, SupplierMemberFactory

pytestmark = pytest.mark.django_db

MISSING = "Enter the local-content percentage stated on the certificate."
NOT_TKDN = "Only a TKDN certificate states a local-content percentage."
RANGE = "Enter a percentage from 0 to 100."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "pct", "expected"),
    [
        ("TKDN", Decimal("45.5"), {}),
        ("TKDN", Decimal("0"), {}),
        ("TKDN", Decimal("100"), {}),
        ("TKDN", None, {"local_content_pct": [MISSING]}),
        ("TKDN", Decimal("100.01"), {"local_content_pct": [RANGE]}),
        ("TKDN", Decimal("-1"), {"local_content_pct": [RANGE]}),
        ("ISO9001", Decimal("40"), {"local_content_pct": [NOT_TKDN]}),
        ("ISO9001", None, {}),
    ],
)
def test_the_rule_allows_a_percentage_only_on_tkdn(code, pct, expected):
    assert certification_errors(code, pct) == expected
    assert certification_errors(CertificationType.objects.get(pk=code), pct) == expected


def test_the_service_refuses_a_tkdn_certificate_without_percentage():
    supplier = SupplierFactory()
    tkdn = CertificationType.objects.get(pk="TKDN")
    with pytest.raises(ValidationError) as caught:
        services.certification_add(supplier=supplier, cert_type=tkdn)
    assert caught.value.message_dict == {"local_content_pct": [MISSING]}
    held = services.certification_add(
        supplier=supplier, cert_type=tkdn, local_content_pct=Decimal("42.5")
    )
    assert held.local_content_pct == Decimal("42.5")
    with pytest.raises(ValidationError):
        services.certification_update(certification=held, data={"local_content_pct": None})
    services.certification_update(certification=held, data={"local_content_pct": Decimal("60")})
    held.refresh_from_db()
    assert held.local_content_pct == Decimal("60")


# --- the form and its page ----------------------------------------------------------------------


def test_the_form_says_beside_the_field_what_is_wrong():
    form = CertificationForm({"cert_type": "TKDN", "valid_until": "2030-01-31"})
    assert not form.is_valid()
    assert form.errors["local_content_pct"] == [MISSING]
    form = CertificationForm({"cert_type": "ISO9001", "local_content_pct": "40"})
    assert form.errors["local_content_pct"] == [NOT_TKDN]
    form = CertificationForm({"cert_type": "TKDN", "local_content_pct": "140"})
    assert not form.is_valid()
    assert "local_content_pct" in form.errors
    assert CertificationForm({"cert_type": "TKDN", "local_content_pct": "45.5"}).is_valid()


def _indonesian(message: str) -> str:
    with translation.override("id"):
        return translation.gettext(message)


def test_the_owner_records_a_tkdn_certificate_and_sees_its_percentage(client):
    member = SupplierMemberFactory()
    supplier = member.supplier
    client.force_login(member.user)
    url = reverse("suppliers:edit_certifications", args=[supplier.pk])
    refused = client.post(url, {"cert_type": "TKDN", "number": "T-9", "issuer": "Kemenperin"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert _indonesian(MISSING) in html
    assert 'value="T-9"' in html  # nothing typed is lost
    assert not supplier.certifications.exists()
    saved = client.post(
        url,
        {"cert_type": "TKDN", "number": "T-9", "local_content_pct": "47.5"},
    )
    assert saved.status_code == 302
    assert supplier.certifications.get().local_content_pct == Decimal("47.5")
    page = client.get(url).content.decode()
    assert f"{_indonesian('Local content (TKDN)')}: 47,50%" in page


def test_the_admin_applies_the_same_rule(client):
    client.force_login(AdminUserFactory())
    supplier = SupplierFactory()
    url = reverse("admin:suppliers_suppliercertification_add")
    post = {"supplier": supplier.pk, "local_content_pct": "30"}
    response = client.post(url, {**post, "cert_type": "ISO9001"})
    assert response.status_code == 200
    assert _indonesian(NOT_TKDN) in response.content.decode()
    response = client.post(url, {**post, "cert_type": "TKDN"})
    assert response.status_code == 302
    assert supplier.certifications.get().local_content_pct == Decimal("30")


# --- the CSV import -----------------------------------------------------------------------------


def _import(tmp_path, rows: list[dict], *, dry_run: bool = False):
    path = tmp_path / "umkm.csv"
    base = {"name": "CV Lokal", "province": "32", "regency": "32.04"}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: {**base, **row}.get(column, "") for column in COLUMNS})
    return import_suppliers_file(path, dry_run=dry_run)


def _problems(report) -> list[str]:
    return [problem.message for row in report.rows for problem in row.problems]


def test_the_import_reads_the_percentage_of_a_tkdn_certificate(tmp_path):
    _import(tmp_path, [{"nib": "8120000000101", "certifications": "TKDN:45,5@2030-12-31;ISO9001"}])
    supplier = Supplier.objects.get(nib="8120000000101")
    tkdn = supplier.certifications.get(cert_type="TKDN")
    assert tkdn.local_content_pct == Decimal("45.5")
    assert str(tkdn.valid_until) == "2030-12-31"
    assert supplier.certifications.get(cert_type="ISO9001").local_content_pct is None
    # A later file changes the percentage of the certificate on file; a bare code keeps it.
    _import(tmp_path, [{"nib": "8120000000101", "certifications": "TKDN:52"}])
    assert supplier.certifications.get(cert_type="TKDN").local_content_pct == Decimal("52")
    report = _import(tmp_path, [{"nib": "8120000000101", "certifications": "TKDN"}])
    assert not _problems(report)
    assert supplier.certifications.get(cert_type="TKDN").local_content_pct == Decimal("52")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("TKDN@2030-01-01", f"TKDN: {MISSING}"),
        ("ISO9001:40", f"ISO9001:40: {NOT_TKDN}"),
        ("TKDN:140", f"TKDN:140: {RANGE}"),
        ("TKDN:banyak", "TKDN:banyak: the local content must be a number with at most two"),
        ("TKDN:45.555", "TKDN:45.555: the local content must be a number with at most two"),
    ],
)
def test_the_import_rejects_a_wrong_percentage_by_row(tmp_path, cell, message):
    report = _import(tmp_path, [{"nib": "8120000000102", "certifications": cell}])
    problems = _problems(report)
    assert any(text.startswith(message) for text in problems), problems
    assert not Supplier.objects.filter(nib="8120000000102").exists()


# --- the partner API ----------------------------------------------------------------------------


@pytest.fixture
def association(world):
    return key_client(key_for(world.association, "suppliers:write", "suppliers:read"))


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_an_association_registers_a_tkdn_certificate_with_its_percentage(world, association):
    body = {
        "nib": "8120000000103",
        "legal_name": "CV Kandungan Lokal",
        "regency": "32.04",
        "certifications": [
            {"code": "TKDN", "valid_until": "2029-06-30", "local_content_pct": 43.25}
        ],
    }
    response = _post(association, "/api/v1/suppliers/", body)
    assert response.status_code == 201, response.content
    assert response.json()["certifications"] == [
        {"code": "TKDN", "valid_until": "2029-06-30", "local_content_pct": 43.25}
    ]
    held = SupplierCertification.objects.get(supplier__nib="8120000000103")
    assert held.local_content_pct == Decimal("43.25")


def test_the_api_refuses_a_percentage_where_the_import_does(world, association):
    body = {
        "nib": "8120000000104",
        "legal_name": "CV Salah Isi",
        "regency": "32.04",
        "certifications": [{"code": "ISO9001", "local_content_pct": 40}],
    }
    response = _post(association, "/api/v1/suppliers/", body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["certifications"] == [f"ISO9001:40: {NOT_TKDN}"]
    body["certifications"] = [{"code": "TKDN"}]
    response = _post(association, "/api/v1/suppliers/", body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["certifications"] == [f"TKDN: {MISSING}"]
    assert not Supplier.objects.filter(nib="8120000000104").exists()
