"""One definition of the supplier fields (``suppliers.fields.SUPPLIER``) and every door that
derives its field list from it: the forms, the services, the CSV import, the partner API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.db import models

from suppliers.fields import M2M_FIELDS, PROFILE_FIELDS, SUPPLIER, Audience, Kind
from suppliers.forms import CapabilitiesForm, CompanyForm
from suppliers.importing import COLUMNS
from suppliers.models import Kbli, Supplier
from tests.factories import SupplierMemberFactory

README = Path(__file__).resolve().parents[2] / "README.md"
# Kept by the ministry's verification and by the database, not edited through any door.
NOT_PROFILE = {"id", "verification_status", "verification_reason", "verified_at", "verified_by"}
NOT_PROFILE |= {"created_at", "updated_at"}


def test_every_profile_field_of_the_model_is_declared():
    model_fields = {
        field.name
        for field in Supplier._meta.get_fields()
        if (field.concrete or field.many_to_many) and not field.auto_created
    }
    assert model_fields - NOT_PROFILE == set(SUPPLIER.names()) - {"certifications"}


def test_the_forms_edit_the_fields_of_their_step():
    assert list(CompanyForm.base_fields) == list(SUPPLIER.names(form="company"))
    assert list(CapabilitiesForm.base_fields) == list(SUPPLIER.names(form="capabilities"))


@pytest.mark.django_db
def test_the_forms_require_what_the_definition_requires():
    for form in (CompanyForm(), CapabilitiesForm()):
        for name, field in form.fields.items():
            assert field.required == SUPPLIER[name].required, name
    assert CompanyForm().fields["province"].required
    assert not CompanyForm().fields["kbli"].required


def test_the_services_set_every_field_a_form_edits():
    edited = set(SUPPLIER.names(form="company")) | set(SUPPLIER.names(form="capabilities"))
    assert set(PROFILE_FIELDS) | set(M2M_FIELDS) == edited
    assert set(M2M_FIELDS) == {"kbli", "components", "processes", "materials"}


def test_the_import_header_is_the_documented_one():
    documented = re.search(r"`import_suppliers` header:\s*`([^`]+)`", README.read_text())
    assert ",".join(COLUMNS) == documented.group(1)
    # The import names the legal name "name"; every other column is its field's name.
    assert {column for column in COLUMNS} - set(SUPPLIER.names()) == {"name"}


def test_only_the_fields_without_a_column_are_left_out_of_the_import():
    assert {spec.name for spec in SUPPLIER if spec.csv is None} == {
        "website",
        "kbli",
        "min_order_qty",
        "address",
    }


def test_the_kinds_match_the_model_fields():
    for spec in SUPPLIER:
        field = SUPPLIER.model_field(spec.name)
        if spec.kind is Kind.CODE:
            assert field.many_to_one, spec.name
        elif spec.kind is Kind.CODES:
            assert field.many_to_many, spec.name
        elif spec.kind is Kind.NUMBER:
            assert isinstance(field, models.IntegerField), spec.name
        elif spec.kind is Kind.TEXT:
            assert isinstance(field, models.CharField | models.TextField), spec.name


def _schema(client) -> dict:
    return json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)["components"][
        "schemas"
    ]


@pytest.mark.django_db
def test_the_api_reads_and_writes_every_declared_field_in_one_order(client):
    schemas = _schema(client)
    read = list(schemas["Supplier"]["properties"])
    contact = [spec.name for spec in SUPPLIER if spec.audience is Audience.CONTACT]
    assert read == [
        "id",
        *(name for name in SUPPLIER.names() if name not in contact),
        "verification_status",
        "verified_at",
        "contact_visible",
        *contact,
        "created_at",
        "updated_at",
    ]
    assert list(schemas["SupplierWriteRequest"]["properties"]) == list(SUPPLIER.names())

    member = SupplierMemberFactory()
    client.force_login(member.user)
    data = client.get(f"/api/v1/suppliers/{member.supplier.pk}/").json()
    assert list(data) == read


def _patch(client, supplier, body):
    return client.patch(
        f"/api/v1/suppliers/{supplier.pk}/", data=json.dumps(body), content_type="application/json"
    )


@pytest.mark.django_db
def test_the_api_writes_the_kbli_codes_the_form_writes(client):
    # The API showed KBLI codes but silently ignored them on write.
    member = SupplierMemberFactory()
    client.force_login(member.user)
    codes = sorted(Kbli.objects.values_list("code", flat=True))[:2]
    response = _patch(client, member.supplier, {"kbli": codes})
    assert response.status_code == 200, response.content
    assert response.json()["kbli"] == codes
    assert sorted(member.supplier.kbli.values_list("code", flat=True)) == codes

    response = _patch(client, member.supplier, {"kbli": ["00000"]})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["kbli"] == ["Unknown codes: 00000"]


@pytest.mark.django_db
def test_the_api_checks_every_number_as_the_import_does(client):
    member = SupplierMemberFactory()
    client.force_login(member.user)
    fields = _patch(client, member.supplier, {"min_order_qty": -5, "employees": -5}).json()
    fields = fields["error"]["fields"]
    # The form's message (since issue 11.1: one set of rules for every door).
    assert fields["min_order_qty"] == ["Ensure this value is greater than or equal to 0."]
    assert fields["employees"] == fields["min_order_qty"]
