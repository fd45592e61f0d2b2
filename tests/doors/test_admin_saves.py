"""The admin writes through the services (issue 11.1): a new company, its certificates and a
new requirement are checked with the rules of every door and rescored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from manufacturers.models import Requirement
from suppliers.models import Regency, Supplier, SupplierCertification
from tests.factories import AdminUserFactory, ManufacturerFactory

pytestmark = pytest.mark.django_db

INLINES = ("members", "certifications", "photos")


def _admin_client() -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(AdminUserFactory(preferred_language="en"))
    return client


def _empty_inlines(prefixes=INLINES) -> dict:
    data = {}
    for prefix in prefixes:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data


def _new_company(**overrides) -> dict:
    regency = Regency.objects.filter(province_id="32").order_by("code").first()
    return {
        "legal_name": "CV Dari Admin",
        "nib": "8120000000444",
        "province": "32",
        "regency": regency.code,
        "contact_phone": "0812-3456-7890",
        **_empty_inlines(),
        **overrides,
    }


def test_an_administrator_adds_a_company_with_a_certificate_through_the_services():
    client = _admin_client()
    data = _new_company(
        **{
            "certifications-TOTAL_FORMS": 1,
            "certifications-0-cert_type": "ISO9001",
            "certifications-0-valid_until": (date.today() + timedelta(days=300)).isoformat(),
        }
    )

    response = client.post(reverse("admin:suppliers_supplier_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    supplier = Supplier.objects.get(nib="8120000000444")
    # Stored as the form stores it.
    assert supplier.contact_phone == "+6281234567890"
    assert SupplierCertification.objects.filter(supplier=supplier, cert_type="ISO9001").exists()


def test_the_admin_refuses_a_company_the_form_refuses():
    client = _admin_client()

    response = client.post(
        reverse("admin:suppliers_supplier_add"),
        _new_company(founded_year="2099", regency=""),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["founded_year"] == ["The founding year cannot be in the future."]
    assert errors["regency"] == ["This field is required."]
    assert not Supplier.objects.filter(nib="8120000000444").exists()


def test_an_administrator_adds_a_requirement_through_the_services():
    client = _admin_client()
    manufacturer = ManufacturerFactory()
    data = {
        "manufacturer": manufacturer.pk,
        "reference": "RFQ-ADM-1",
        "title": "Busbar",
        "component": "BAT.MOD.BUSBAR",
        "annual_volume": 1000,
        "needed_by": (date.today() + timedelta(days=60)).isoformat(),
        "delivery_province": "32",
        **_empty_inlines(("attachments", "revisions")),
    }

    refused = client.post(
        reverse("admin:manufacturers_requirement_add"), {**data, "annual_volume": 0}
    )
    saved = client.post(reverse("admin:manufacturers_requirement_add"), data)

    assert refused.context["adminform"].form.errors["annual_volume"] == [
        "Ensure this value is greater than or equal to 1."
    ]
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    requirement = Requirement.objects.get(reference="RFQ-ADM-1")
    assert (requirement.manufacturer, requirement.status) == (manufacturer, "draft")
