"""The rules' messages are the form's in the user's language, whatever the door (issue 11.1)."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from suppliers.forms import CompanyForm
from tests.api.conftest import key_client, key_for

from .doors import SupplierImport, _company_data
from .test_matrix import _profile_supplier

pytestmark = pytest.mark.django_db


def _form_messages(supplier, **typed) -> dict[str, list[str]]:
    form = CompanyForm({**_company_data(supplier), **typed}, instance=supplier)
    assert not form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_the_import_refuses_founding_year_2099_and_phone_12_in_indonesian(tmp_path):
    supplier = _profile_supplier()
    with translation.override("id"):
        expected = _form_messages(supplier, founded_year="2099", contact_phone="12")
        errors = SupplierImport(tmp_path).edit(
            supplier, {"founded_year": "2099", "contact_phone": "12"}
        )
    assert expected["founded_year"] == ["Tahun pendirian tidak boleh di masa depan."]
    assert errors == expected


def test_the_partner_api_answers_in_the_callers_language_with_the_forms_message():
    from partners.models import PartnerManagedSupplier, PartnerOrganisation

    supplier = _profile_supplier()
    association = PartnerOrganisation.objects.create(name="Asosiasi", kind="association")
    PartnerManagedSupplier.objects.create(partner=association, supplier=supplier)
    api = key_client(key_for(association, "suppliers:write"), language="id")

    response = api.patch(
        f"/api/v1/suppliers/{supplier.pk}/",
        data=json.dumps({"founded_year": 2099, "contact_phone": "12"}),
        content_type="application/json",
    )

    assert response.status_code == 400
    with translation.override("id"):
        expected = _form_messages(supplier, founded_year="2099", contact_phone="12")
    assert response.json()["error"]["fields"] == expected
