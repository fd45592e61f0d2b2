"""Issue 12.1: every door that decides a verification (the queue, the firm's page, the buyer
company page) records the decision and tells the firm; the admin is no side door."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Notification, OutboxEmail
from accounts.outbox import render_email
from manufacturers.models import Manufacturer
from suppliers.models import Supplier, VerificationDecision
from tests.factories import (
    AdminUserFactory,
    ManufacturerMemberFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
)

from .helpers import admin_change_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry(client):
    user = MinistryUserFactory()
    client.force_login(user)
    return user


def _told(user, kind: str) -> OutboxEmail:
    assert Notification.objects.filter(user=user, kind=kind).exists()
    return OutboxEmail.objects.get(user=user, template=kind)


def test_verifying_on_the_supplier_page_is_recorded_and_told(client, ministry):
    member = SupplierMemberFactory(supplier__verification_status="unverified")
    supplier = member.supplier

    client.post(reverse("suppliers:verification", args=[supplier.pk]), {"action": "verify"})

    supplier.refresh_from_db()
    assert supplier.verification_status == "verified"
    decision = VerificationDecision.objects.get(firm_kind="supplier", firm_id=supplier.pk)
    assert (decision.decision, decision.decided_by) == ("approved", ministry)
    assert (decision.status_before, decision.status_after) == ("unverified", "verified")
    assert decision.snapshot["nib"] == supplier.nib
    assert supplier.legal_name in render_email(_told(member.user, "verification_approved")).subject


def test_rejecting_on_the_supplier_page_is_recorded_and_told(client, ministry):
    member = SupplierMemberFactory(supplier__verification_status="unverified")
    supplier = member.supplier

    client.post(
        reverse("suppliers:verification", args=[supplier.pk]),
        {"action": "reject", "reason": "NIB not found in OSS"},
    )

    supplier.refresh_from_db()
    assert supplier.verification_status == "rejected"
    decision = VerificationDecision.objects.get(firm_kind="supplier", firm_id=supplier.pk)
    assert (decision.decision, decision.reason) == ("rejected", "NIB not found in OSS")
    email = _told(member.user, "verification_rejected")
    assert "NIB not found in OSS" in render_email(email).body


@pytest.mark.parametrize(
    ("url_name", "data", "status", "kind"),
    [
        ("manufacturers:manufacturer_verify", {}, "verified", "verification_approved"),
        (
            "manufacturers:manufacturer_reject",
            {"verification_reason": "NPWP does not match"},
            "rejected",
            "verification_rejected",
        ),
    ],
)
def test_deciding_on_the_buyer_company_page_is_recorded_and_told(
    client, ministry, url_name, data, status, kind
):
    member = ManufacturerMemberFactory(manufacturer__verification_status="unverified")
    manufacturer = member.manufacturer

    client.post(reverse(url_name, args=[manufacturer.pk]), data)

    manufacturer.refresh_from_db()
    assert manufacturer.verification_status == status
    decision = VerificationDecision.objects.get(firm_kind="manufacturer", firm_id=manufacturer.pk)
    assert (decision.decided_by, decision.status_after) == (ministry, status)
    assert decision.snapshot["npwp"] == manufacturer.npwp
    assert manufacturer.name in render_email(_told(member.user, kind)).subject


def test_every_decision_is_one_row_whatever_the_door(client, ministry):
    member = SupplierMemberFactory(supplier__verification_status="unverified")
    supplier = member.supplier
    client.post(reverse("suppliers:verification", args=[supplier.pk]), {"action": "verify"})
    client.post(
        reverse("reports:decide", args=["supplier", supplier.pk]),
        {"decision": "rejected", "reason": "Address not found"},
    )

    decisions = VerificationDecision.objects.filter(firm_id=supplier.pk).order_by("pk")
    assert [(d.status_before, d.status_after) for d in decisions] == [
        ("unverified", "verified"),
        ("verified", "rejected"),
    ]
    assert OutboxEmail.objects.filter(user=member.user).count() == 2


def test_the_supplier_admin_cannot_set_the_verification(client):
    admin = AdminUserFactory()
    client.force_login(admin)
    member = SupplierMemberFactory(supplier__verification_status="unverified")
    supplier = member.supplier
    url = reverse("admin:suppliers_supplier_change", args=[supplier.pk])
    data = admin_change_data(Supplier, supplier, admin)
    data.update(verification_status="verified", verified_by=str(admin.pk))

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    supplier.refresh_from_db()
    assert supplier.verification_status == "unverified"
    assert supplier.verified_by is None
    assert not OutboxEmail.objects.exists()


def test_the_manufacturer_admin_cannot_set_the_verification(client):
    admin = AdminUserFactory()
    client.force_login(admin)
    manufacturer = ManufacturerMemberFactory(
        manufacturer__verification_status="unverified"
    ).manufacturer
    url = reverse("admin:manufacturers_manufacturer_change", args=[manufacturer.pk])
    data = admin_change_data(Manufacturer, manufacturer, admin)
    data.update(verification_status="verified")

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    manufacturer.refresh_from_db()
    assert manufacturer.verification_status == "unverified"
