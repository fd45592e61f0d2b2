from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from suppliers import team
from suppliers.models import CertificateReminder, ImportJob
from suppliers.verification import verification_decide, verification_review_request
from tests.factories import (
    SupplierCertificationFactory,
    SupplierMemberFactory,
    SupplierPhotoFactory,
)

pytestmark = pytest.mark.django_db

SUPPLIER_MODELS = sorted(m.__name__ for m in apps.get_app_config("suppliers").get_models())


@pytest.mark.parametrize("model_name", SUPPLIER_MODELS)
def test_every_suppliers_model_has_a_working_admin(client, admin_user, supplier, model_name):
    model = apps.get_model("suppliers", model_name)
    assert model in admin.site._registry
    member = SupplierMemberFactory(supplier=supplier)
    SupplierCertificationFactory(supplier=supplier)
    SupplierPhotoFactory(supplier=supplier)
    # A decision and a review, for the verification records' admin pages.
    verification_decide(firm=supplier, by=admin_user, decision="rejected", reason="NIB unknown")
    verification_review_request(firm=supplier, by=member.user)
    # A certificate reminder and a browser import, for their read-only pages.
    CertificateReminder.objects.create(
        certification=supplier.certifications.first(), days_before=30, valid_until=date.today()
    )
    ImportJob.objects.create(
        created_by=admin_user, language="en", file_name="anggota.csv", file_size=10
    )
    team.supplier_invitation_create(supplier=supplier, email="a@b.id", invited_by=member.user)
    client.force_login(admin_user)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist, {"q": "a"}).status_code == 200
    instance = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
    assert client.get(change).status_code == 200
