from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Notification, OutboxEmail
from accounts.outbox import render_email
from reports.models import VerificationDecision
from tests.factories import (
    ManufacturerFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    SupplierCertificationFactory,
    SupplierFactory,
    SupplierMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry(client):
    user = MinistryUserFactory()
    client.force_login(user)
    return user


def _decide(client, kind, pk, decision, reason=""):
    return client.post(
        reverse("reports:decide", args=[kind, pk]), {"decision": decision, "reason": reason}
    )


def test_queue_lists_waiting_firms_oldest_first_with_documents(client, ministry):
    newer = SupplierFactory(legal_name="CV Baru", verification_status="unverified")
    older = SupplierFactory(legal_name="CV Lama", verification_status="unverified")
    type(older).objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2020))
    SupplierFactory(legal_name="CV Sudah", verification_status="verified")
    cert = SupplierCertificationFactory(supplier=older)
    ManufacturerFactory(name="PT Menunggu", verification_status="unverified", npwp="0" * 15 + "1")

    response = client.get(reverse("reports:queue"))

    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("CV Lama") < body.index("CV Baru")
    assert "CV Sudah" not in body
    assert older.nib in body
    assert "0000000000000001" in body
    # The documents are on the firm's own review page, linked from its row.
    review_url = reverse("reports:review", args=["supplier", older.pk])
    assert review_url in body
    document_url = reverse("suppliers:certificate_document", args=[older.pk, cert.pk])
    assert document_url in client.get(review_url).content.decode()
    # The link goes through the permission-checked view, which lets the ministry download it.
    assert client.get(document_url).status_code == 200


def test_approving_a_supplier_is_audited_and_notifies_its_members(client, ministry):
    member = SupplierMemberFactory(supplier__verification_status="unverified")
    supplier = member.supplier

    response = _decide(client, "supplier", supplier.pk, "approved")

    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.verification_status == "verified"
    decision = VerificationDecision.objects.get()
    assert decision.decided_by == ministry
    assert (decision.firm_kind, decision.firm_id) == ("supplier", supplier.pk)
    assert decision.firm_name == supplier.legal_name
    assert (decision.status_before, decision.status_after) == ("unverified", "verified")
    assert decision.decision == "approved"
    notification = Notification.objects.get(user=member.user)
    assert notification.kind == "verification_approved"
    assert supplier.legal_name in notification.text
    email = OutboxEmail.objects.get(recipient=member.user.email)
    assert email.template == "verification_approved"
    message = render_email(email)
    assert supplier.legal_name in message.subject


def test_rejecting_needs_a_reason_and_changes_nothing_without_one(client, ministry):
    supplier = SupplierFactory(verification_status="unverified")

    response = _decide(client, "supplier", supplier.pk, "rejected", "   ")

    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert response.context["firm"] == supplier
    assert 'class="field-error"' in response.content.decode()
    supplier.refresh_from_db()
    assert supplier.verification_status == "unverified"
    assert not VerificationDecision.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_rejecting_a_manufacturer_records_the_reason_and_emails_it(client, ministry):
    member = ManufacturerMemberFactory(manufacturer__verification_status="unverified")
    manufacturer = member.manufacturer

    _decide(client, "manufacturer", manufacturer.pk, "rejected", "NPWP does not match the name")

    manufacturer.refresh_from_db()
    assert manufacturer.verification_status == "rejected"
    decision = VerificationDecision.objects.get()
    assert decision.firm_kind == "manufacturer"
    assert decision.reason == "NPWP does not match the name"
    assert (decision.status_before, decision.status_after) == ("unverified", "rejected")
    email = OutboxEmail.objects.get(recipient=member.user.email)
    assert email.template == "verification_rejected"
    assert "NPWP does not match the name" in render_email(email).body
    assert Notification.objects.get(user=member.user).kind == "verification_rejected"


def test_ministry_staff_cannot_edit_a_firm_profile(client, ministry):
    supplier = SupplierFactory(legal_name="CV Asli")

    get = client.get(reverse("suppliers:edit_company", args=[supplier.pk]))
    post = client.post(
        reverse("suppliers:edit_company", args=[supplier.pk]), {"legal_name": "CV Diubah"}
    )

    assert get.status_code in (403, 404)
    assert post.status_code in (403, 404)
    supplier.refresh_from_db()
    assert supplier.legal_name == "CV Asli"


def test_a_buyer_cannot_post_a_decision(client):
    member = ManufacturerMemberFactory()
    client.force_login(member.user)
    supplier = SupplierFactory(verification_status="unverified")

    response = _decide(client, "supplier", supplier.pk, "approved")

    assert response.status_code == 403
    supplier.refresh_from_db()
    assert supplier.verification_status == "unverified"
    assert not VerificationDecision.objects.exists()


def test_the_service_refuses_non_ministry_users_and_records_nothing(db):
    from django.core.exceptions import PermissionDenied

    from suppliers.verification import verification_decide
    from tests.factories import BuyerUserFactory

    supplier = SupplierFactory(verification_status="unverified")

    with pytest.raises(PermissionDenied):
        verification_decide(firm=supplier, by=BuyerUserFactory(), decision="approved")

    supplier.refresh_from_db()
    assert supplier.verification_status == "unverified"
    assert not VerificationDecision.objects.exists()
    assert not Notification.objects.exists()
