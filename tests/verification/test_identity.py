"""Issue 11.3: a change of identity (NIB, legal name or province of an UMKM; name or NPWP of a
buyer) sends a verified firm back to the ministry's queue, through every door (the form, the CSV
import, the partner API, the admin), with the old and new values side by side; the firm is told,
in its language; the badge comes back with the ministry's approval."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Notification, OutboxEmail
from accounts.outbox import render_email
from manufacturers.models import Manufacturer
from partners.models import PartnerManagedSupplier, PartnerOrganisation
from suppliers.importing import COLUMNS
from suppliers.models import Kbli, Province, Regency, Supplier, VerificationReview
from tests.api.conftest import key_client, key_for
from tests.factories import (
    AdminUserFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
)

from .helpers import admin_change_data

pytestmark = pytest.mark.django_db

NEW_NIB = "8120000000777"


@pytest.fixture
def member():
    """The owner of a verified UMKM, who reads Rantai in Indonesian."""
    membership = SupplierMemberFactory(
        supplier__verification_status="verified",
        supplier__legal_name="CV Lama Jaya",
        user__preferred_language="id",
    )
    return membership


def _company_form(supplier: Supplier, **overrides) -> dict:
    data = {
        "legal_name": supplier.legal_name,
        "nib": supplier.nib,
        "size_class": supplier.size_class_id,
        "province": supplier.province_id,
        "regency": supplier.regency_id,
        "address": supplier.address,
        "founded_year": supplier.founded_year,
        "employees": supplier.employees,
        "kbli": [Kbli.objects.first().code],
        "description": supplier.description,
        "website": "",
        "contact_name": supplier.contact_name,
        "contact_email": supplier.contact_email,
        "contact_phone": "0813 1111 2222",
    }
    data.update(overrides)
    return data


def _back_in_the_queue(firm, changes: dict) -> VerificationReview:
    firm.refresh_from_db()
    assert firm.verification_status == "unverified"
    assert firm.verified_at is None
    review = VerificationReview.objects.open().get(firm_kind=firm.firm_kind, firm_id=firm.pk)
    assert review.reason == "changed"
    assert review.changes == changes
    return review


def _told_of_the_change(user) -> str:
    assert Notification.objects.filter(user=user, kind="verification_changed").exists()
    email = OutboxEmail.objects.get(user=user, template="verification_changed")
    return render_email(email).body


# --- through every door -----------------------------------------------------------------------


def test_a_new_nib_in_the_profile_form_sends_it_back_to_the_queue(client, member):
    supplier = member.supplier
    old_nib = supplier.nib
    client.force_login(member.user)

    response = client.post(
        reverse("suppliers:edit_company", args=[supplier.pk]),
        _company_form(supplier, nib=NEW_NIB),
    )

    assert response.status_code == 302
    _back_in_the_queue(supplier, {"nib": [old_nib, NEW_NIB]})
    body = _told_of_the_change(member.user)
    # In the member's language, labels included.
    assert (
        "diverifikasi ulang"
        in render_email(
            OutboxEmail.objects.get(user=member.user, template="verification_changed")
        ).subject
    )
    assert f"NIB: {old_nib} → {NEW_NIB}" in body
    page = client.get(reverse("suppliers:dashboard")).content.decode()
    assert 'data-testid="changed-notice"' in page
    assert 'badge-unverified" data-testid="verification-badge"' in page


def test_a_new_name_or_province_in_a_csv_import_sends_it_back_to_the_queue(tmp_path, member):
    supplier = member.supplier
    other = Province.objects.exclude(pk=supplier.province_id).order_by("code").first()
    regency = Regency.objects.filter(province=other).order_by("code").first()
    old_province = supplier.province.name
    row = {column: "" for column in COLUMNS}
    row.update(nib=supplier.nib, name="CV Baru Jaya", province=other.code, regency=regency.code)
    path = tmp_path / "suppliers.csv"
    path.write_text(",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n")

    call_command("import_suppliers", str(path), stdout=io.StringIO())

    _back_in_the_queue(
        supplier,
        {"legal_name": ["CV Lama Jaya", "CV Baru Jaya"], "province": [old_province, other.name]},
    )
    assert "CV Lama Jaya → CV Baru Jaya" in _told_of_the_change(member.user)


def test_a_csv_import_that_leaves_the_identity_alone_keeps_the_badge(tmp_path, member):
    supplier = member.supplier
    row = {column: "" for column in COLUMNS}
    row.update(nib=supplier.nib, name=supplier.legal_name, employees="99")
    path = tmp_path / "suppliers.csv"
    path.write_text(",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n")

    call_command("import_suppliers", str(path), stdout=io.StringIO())

    supplier.refresh_from_db()
    assert (supplier.employees, supplier.verification_status) == (99, "verified")
    assert not VerificationReview.objects.exists()


def test_a_new_name_through_the_partner_api_sends_it_back_to_the_queue(member):
    supplier = member.supplier
    association = PartnerOrganisation.objects.create(name="Asosiasi", kind="association")
    PartnerManagedSupplier.objects.create(partner=association, supplier=supplier)
    api = key_client(key_for(association, "suppliers:write", "suppliers:read"))

    response = api.patch(
        f"/api/v1/suppliers/{supplier.pk}/",
        data=json.dumps({"legal_name": "CV Anggota Baru"}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["verification_status"] == "unverified"
    _back_in_the_queue(supplier, {"legal_name": ["CV Lama Jaya", "CV Anggota Baru"]})
    _told_of_the_change(member.user)


def test_a_new_name_in_the_admin_sends_it_back_to_the_queue(client, member):
    admin = AdminUserFactory()
    client.force_login(admin)
    supplier = member.supplier
    data = admin_change_data(Supplier, supplier, admin)
    data["legal_name"] = "CV Diubah Admin"

    response = client.post(reverse("admin:suppliers_supplier_change", args=[supplier.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    review = _back_in_the_queue(supplier, {"legal_name": ["CV Lama Jaya", "CV Diubah Admin"]})
    assert review.requested_by == admin
    _told_of_the_change(member.user)


def test_other_profile_fields_keep_the_badge(client, member):
    supplier = member.supplier
    client.force_login(member.user)

    client.post(
        reverse("suppliers:edit_company", args=[supplier.pk]),
        _company_form(supplier, address="Jl. Baru 9", employees=40),
    )

    supplier.refresh_from_db()
    assert supplier.address == "Jl. Baru 9"
    assert supplier.verification_status == "verified"
    assert not VerificationReview.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_a_buyer_renamed_in_its_form_goes_back_to_the_queue_and_is_told(client):
    member = ManufacturerMemberFactory(manufacturer__name="PT Lama Motor")
    manufacturer = member.manufacturer
    client.force_login(member.user)

    client.post(
        reverse("manufacturers:manufacturer_edit", args=[manufacturer.pk]),
        {
            "name": "PT Baru Motor",
            "kind": manufacturer.kind,
            "npwp": manufacturer.npwp,
            "province": manufacturer.province_id,
            "address": manufacturer.address,
            "website": "",
        },
    )

    _back_in_the_queue(manufacturer, {"name": ["PT Lama Motor", "PT Baru Motor"]})
    assert "PT Lama Motor → PT Baru Motor" in _told_of_the_change(member.user)


def test_a_new_npwp_in_the_buyer_admin_sends_it_back_to_the_queue(client):
    admin = AdminUserFactory()
    client.force_login(admin)
    manufacturer = ManufacturerMemberFactory().manufacturer
    old = manufacturer.npwp
    data = admin_change_data(Manufacturer, manufacturer, admin)
    data["npwp"] = "0999999999999999"

    response = client.post(
        reverse("admin:manufacturers_manufacturer_change", args=[manufacturer.pk]), data
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    _back_in_the_queue(manufacturer, {"npwp": [old, "0999999999999999"]})


def test_changes_before_the_decision_add_up_and_the_firm_is_told_once(client, member):
    supplier = member.supplier
    old_nib = supplier.nib
    client.force_login(member.user)
    url = reverse("suppliers:edit_company", args=[supplier.pk])
    client.post(url, _company_form(supplier, nib=NEW_NIB))
    supplier.refresh_from_db()
    client.post(url, _company_form(supplier, nib="8120000000888", legal_name="CV Dua"))

    _back_in_the_queue(
        supplier,
        {"nib": [old_nib, "8120000000888"], "legal_name": ["CV Lama Jaya", "CV Dua"]},
    )
    assert OutboxEmail.objects.filter(template="verification_changed").count() == 1


# --- the ministry's queue ---------------------------------------------------------------------


def test_the_queue_shows_old_and_new_and_approval_gives_the_badge_back(client, member):
    supplier = member.supplier
    old_nib = supplier.nib
    client.force_login(member.user)
    client.post(
        reverse("suppliers:edit_company", args=[supplier.pk]),
        _company_form(supplier, nib=NEW_NIB),
    )
    ministry = MinistryUserFactory()
    client.force_login(ministry)

    assert 'data-testid="row-changed"' in client.get(reverse("reports:queue")).content.decode()
    page = client.get(reverse("reports:review", args=["supplier", supplier.pk])).content.decode()

    assert 'data-testid="review-changed"' in page
    assert f"<del>{old_nib}</del>" in page
    assert f"<ins>{NEW_NIB}</ins>" in page
    client.post(reverse("reports:decide", args=["supplier", supplier.pk]), {"decision": "approved"})
    supplier.refresh_from_db()
    assert supplier.verification_status == "verified"
    review = VerificationReview.objects.get()
    assert review.closed_at is not None and review.decision.decision == "approved"
    assert 'data-testid="row-changed"' not in client.get(reverse("reports:queue")).content.decode()


# --- a new review after a rejection -----------------------------------------------------------


@pytest.fixture
def rejected(member):
    from suppliers.verification import verification_decide

    verification_decide(
        firm=member.supplier,
        by=MinistryUserFactory(),
        decision="rejected",
        reason="The NIB belongs to another company",
    )
    OutboxEmail.objects.all().delete()
    return member


def test_a_rejected_firm_fixes_its_nib_and_asks_for_a_new_review(client, rejected):
    supplier = rejected.supplier
    old_nib = supplier.nib
    client.force_login(rejected.user)
    dashboard = client.get(reverse("suppliers:dashboard")).content.decode()
    assert "The NIB belongs to another company" in dashboard
    assert 'data-testid="request-review"' in dashboard

    client.post(
        reverse("suppliers:edit_company", args=[supplier.pk]),
        _company_form(supplier, nib=NEW_NIB),
    )
    supplier.refresh_from_db()
    assert supplier.verification_status == "rejected"  # still, until the ministry decides
    response = client.post(
        reverse("suppliers:review_request", args=[supplier.pk]), {"message": "NIB corrected."}
    )

    assert response.status_code == 302
    review = VerificationReview.objects.open().get()
    assert review.reason == "resubmitted"
    assert review.rejection_reason == "The NIB belongs to another company"
    assert review.changes == {"nib": [old_nib, NEW_NIB]}
    assert review.message == "NIB corrected."
    assert Notification.objects.filter(
        user=rejected.user, kind="verification_review_requested"
    ).exists()
    email = OutboxEmail.objects.get(template="verification_review_requested")
    assert "peninjauan ulang" in render_email(email).subject.lower()
    assert (
        'data-testid="review-requested"'
        in client.get(reverse("suppliers:dashboard")).content.decode()
    )

    client.force_login(MinistryUserFactory())
    assert 'data-testid="row-resubmitted"' in client.get(reverse("reports:queue")).content.decode()
    page = client.get(reverse("reports:review", args=["supplier", supplier.pk])).content.decode()
    assert 'data-testid="review-resubmitted"' in page
    assert "The NIB belongs to another company" in page
    assert f"<del>{old_nib}</del>" in page and f"<ins>{NEW_NIB}</ins>" in page
    client.post(reverse("reports:decide", args=["supplier", supplier.pk]), {"decision": "approved"})
    supplier.refresh_from_db()
    assert supplier.verification_status == "verified"
    assert not VerificationReview.objects.open().exists()


def test_a_new_review_is_asked_once_and_only_by_the_firm(client, rejected):
    supplier = rejected.supplier
    rejected.user.preferred_language = "en"
    rejected.user.save()
    url = reverse("suppliers:review_request", args=[supplier.pk])
    client.force_login(SupplierMemberFactory().user)
    assert client.post(url).status_code == 404
    client.force_login(rejected.user)
    client.post(url)
    response = client.post(url, follow=True)

    assert VerificationReview.objects.count() == 1
    assert "already requested" in response.content.decode()


def test_a_firm_that_was_not_rejected_cannot_ask_for_a_review(client, member):
    member.user.preferred_language = "en"
    member.user.save()
    client.force_login(member.user)
    response = client.post(
        reverse("suppliers:review_request", args=[member.supplier.pk]), follow=True
    )
    assert not VerificationReview.objects.exists()
    assert "Only a company whose verification was rejected" in response.content.decode()


def test_a_rejected_buyer_asks_for_a_new_review_from_its_company_page(client):
    from suppliers.verification import verification_decide

    member = ManufacturerMemberFactory()
    manufacturer = member.manufacturer
    verification_decide(
        firm=manufacturer, by=MinistryUserFactory(), decision="rejected", reason="Unknown NPWP"
    )
    client.force_login(member.user)
    page = client.get(
        reverse("manufacturers:manufacturer_detail", args=[manufacturer.pk])
    ).content.decode()
    assert "Unknown NPWP" in page and 'data-testid="request-review"' in page

    client.post(reverse("manufacturers:manufacturer_review_request", args=[manufacturer.pk]))

    review = VerificationReview.objects.open().get(firm_kind="manufacturer")
    assert review.rejection_reason == "Unknown NPWP"
    client.force_login(MinistryUserFactory())
    assert f'data-pk="{manufacturer.pk}"' in client.get(reverse("reports:queue")).content.decode()
