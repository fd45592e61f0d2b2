"""Ministry staff reading an UMKM's private contacts is recorded (UU PDP: accountability)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from tests.factories import MinistryUserFactory, SupplierFactory, SupplierMemberFactory

pytestmark = pytest.mark.django_db


def _reads(user) -> list[int]:
    return list(
        AuditRecord.objects.filter(actor=user, action=AuditRecord.Action.CONTACT_READ)
        .order_by("object_id")
        .values_list("object_id", flat=True)
    )


def test_a_ministry_read_of_a_profile_with_contacts_is_recorded(client):
    supplier = SupplierFactory()
    staff = MinistryUserFactory()
    client.force_login(staff)

    response = client.get(reverse("suppliers:detail", args=[supplier.pk]))

    assert b'data-testid="private-contact"' in response.content
    record = AuditRecord.objects.get(actor=staff)
    assert (record.action, record.object_kind, record.object_id) == (
        "contact_read",
        "supplier",
        supplier.pk,
    )


def test_members_and_the_public_leave_no_record(client):
    membership = SupplierMemberFactory()
    client.force_login(membership.user)
    client.get(reverse("suppliers:detail", args=[membership.supplier_id]))
    client.logout()
    client.get(reverse("suppliers:detail", args=[membership.supplier_id]))

    assert not AuditRecord.objects.exists()


def test_ministry_reads_through_the_api_are_recorded_per_firm(client):
    first, second = SupplierFactory(), SupplierFactory()
    staff = MinistryUserFactory()
    client.force_login(staff)

    response = client.get("/api/v1/suppliers/")
    assert response.status_code == 200
    client.get(f"/api/v1/suppliers/{first.pk}/")

    assert _reads(staff) == sorted([first.pk, first.pk, second.pk])


def test_the_admin_lists_the_records_read_only(client):
    from tests.factories import AdminUserFactory

    supplier = SupplierFactory()
    admin = AdminUserFactory()
    client.force_login(admin)
    client.get(reverse("suppliers:detail", args=[supplier.pk]))

    listing = client.get(reverse("admin:accounts_auditrecord_changelist"))
    assert listing.status_code == 200
    record = AuditRecord.objects.get()
    change = client.get(reverse("admin:accounts_auditrecord_change", args=[record.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert (
        client.post(reverse("admin:accounts_auditrecord_delete", args=[record.pk])).status_code
        == 403
    )
