"""Reads that matter are recorded: private file downloads (certificates, drawings), views of an
accepted introduction's contact cards, and partner API reads of consented private data (key,
firm, fields). Records cannot be changed or deleted: the database refuses."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import InternalError, connection, transaction
from django.urls import reverse

from accounts.models import AuditRecord
from manufacturers.models import RequirementAttachment
from tests.api.conftest import key_client, key_for, world  # noqa: F401 (fixture)
from tests.factories import (
    TINY_PDF,
    IntroductionFactory,
    ManufacturerMemberFactory,
    RequirementFactory,
    SupplierCertificationFactory,
    SupplierMemberFactory,
)

pytestmark = pytest.mark.django_db


def _records(action: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action).order_by("pk"))


def test_a_certificate_download_is_recorded_with_the_file_and_firm(client):
    membership = SupplierMemberFactory()
    certification = SupplierCertificationFactory(supplier=membership.supplier)
    client.force_login(membership.user)

    response = client.get(
        reverse("suppliers:certificate_document", args=[membership.supplier_id, certification.pk])
    )

    assert response.status_code == 200
    [record] = _records("file_downloaded")
    assert (record.actor, record.door) == (membership.user, "web")
    assert (record.object_kind, record.object_id) == ("certification", certification.pk)
    assert (record.firm_kind, record.firm_id) == ("supplier", membership.supplier_id)


def test_a_refused_or_missing_download_is_not_recorded(client):
    certification = SupplierCertificationFactory()
    client.force_login(SupplierMemberFactory().user)  # another company

    response = client.get(
        reverse(
            "suppliers:certificate_document", args=[certification.supplier_id, certification.pk]
        )
    )

    assert response.status_code == 404
    assert not AuditRecord.objects.exists()


def _attachment(requirement) -> RequirementAttachment:
    return RequirementAttachment.objects.create(
        requirement=requirement,
        file=ContentFile(TINY_PDF, name="gambar.pdf"),
        original_name="Gambar Housing.pdf",
        size=len(TINY_PDF),
    )


def test_drawing_downloads_by_the_buyer_and_the_introduced_umkm_are_recorded(client):
    buyer = ManufacturerMemberFactory()
    requirement = RequirementFactory(manufacturer=buyer.manufacturer, status="open")
    attachment = _attachment(requirement)
    client.force_login(buyer.user)
    client.get(reverse("manufacturers:attachment_download", args=[requirement.pk, attachment.pk]))
    introduction = IntroductionFactory(requirement=requirement, status="accepted")
    umkm = SupplierMemberFactory(supplier=introduction.supplier).user
    client.force_login(umkm)
    response = client.get(
        reverse("introductions:attachment", args=[introduction.pk, attachment.pk])
    )

    assert response.status_code == 200
    records = _records("file_downloaded")
    assert [(r.actor, r.object_kind, r.object_id) for r in records] == [
        (buyer.user, "attachment", attachment.pk),
        (umkm, "attachment", attachment.pk),
    ]
    assert {(r.firm_kind, r.firm_id) for r in records} == {("manufacturer", buyer.manufacturer_id)}


def test_each_side_viewing_an_accepted_introduction_records_whose_contacts_it_saw(client, world):  # noqa: F811
    introduction = world.introduction
    url = reverse("introductions:detail", args=[introduction.pk])

    client.force_login(world.buyer)
    assert b'data-testid="supplier-contact"' in client.get(url).content
    client.force_login(world.umkm)
    client.get(url)

    records = _records("contact_read")
    assert [(r.actor, r.firm_kind, r.firm_id) for r in records] == [
        (world.buyer, "supplier", world.consenting.pk),
        (world.umkm, "manufacturer", world.requirement.manufacturer_id),
    ]
    assert records[0].fields == [f"introduction:{introduction.pk}"]


def test_a_requested_introduction_shows_no_contacts_and_records_nothing(client, world):  # noqa: F811
    client.force_login(world.other_buyer)

    client.get(reverse("introductions:detail", args=[world.other_introduction.pk]))

    assert not _records("contact_read")


def test_a_partner_reading_consented_contacts_is_recorded_per_firm_with_the_fields(world):  # noqa: F811
    raw = key_for(world.bank, "suppliers:read")
    key = world.bank.api_keys.get()

    response = key_client(raw).get("/api/v1/suppliers/")
    key_client(raw).get(f"/api/v1/suppliers/{world.private.pk}/")

    assert response.status_code == 200
    [record] = _records("api_private_read")
    assert (record.actor, record.door, record.api_key_id) == (None, "api", key.pk)
    assert record.actor_label == f"Bank Rakyat Contoh · {key.prefix}"
    assert (record.object_kind, record.object_id) == ("supplier", world.consenting.pk)
    assert {"contact_email", "contact_name", "nib"} <= set(record.fields)
    # The UMKM that consented to nothing was read without its private fields: no record.
    assert not AuditRecord.objects.filter(firm_id=world.private.pk).exists()


def test_a_partner_reading_consented_partnerships_is_recorded(world):  # noqa: F811
    raw = key_for(world.bank, "partnerships:read")

    key_client(raw).get("/api/v1/introductions/")
    key_client(raw).get(f"/api/v1/partnerships/{world.partnership.pk}/")

    records = _records("api_private_read")
    assert [(r.object_kind, r.object_id, r.firm_id) for r in records] == [
        ("introduction", world.introduction.pk, world.consenting.pk),
        ("partnership", world.partnership.pk, world.consenting.pk),
    ]
    assert "contract_value_idr" in records[1].fields
    assert "notes" not in records[1].fields


def test_records_cannot_be_updated_or_deleted(client):
    membership = SupplierMemberFactory()
    certification = SupplierCertificationFactory(supplier=membership.supplier)
    client.force_login(membership.user)
    client.get(
        reverse("suppliers:certificate_document", args=[membership.supplier_id, certification.pk])
    )
    record = AuditRecord.objects.get()

    for statement in (
        "UPDATE accounts_auditrecord SET firm_id = 1, changes = '{}' WHERE id = %s",
        "DELETE FROM accounts_auditrecord WHERE id = %s",
    ):
        with pytest.raises(InternalError), connection.cursor() as cursor:
            cursor.execute("SAVEPOINT audit_probe")
            try:
                cursor.execute(statement, [record.pk])
            finally:
                cursor.execute("ROLLBACK TO SAVEPOINT audit_probe")
    for attempt in (
        lambda: AuditRecord.objects.filter(pk=record.pk).update(door="admin"),
        lambda: AuditRecord.objects.filter(pk=record.pk).delete(),
    ):
        with pytest.raises(InternalError), transaction.atomic():
            attempt()
    assert AuditRecord.objects.get().firm_id == membership.supplier_id
