"""Every write of a firm's identity, profile and certifications leaves one audit record, whatever
the door (web form, CSV import, partner API, admin): who, which door, and the identity fields'
old and new values."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.audit import AuditDoor, acting
from accounts.models import AuditRecord
from manufacturers.models import Manufacturer
from partners.models import PartnerManagedSupplier, PartnerOrganisation
from suppliers import services
from suppliers.importing import COLUMNS
from suppliers.models import CertificationType, Province, Regency, Supplier
from tests.api.conftest import key_client, key_for
from tests.factories import (
    AdminUserFactory,
    ManufacturerMemberFactory,
    SupplierCertificationFactory,
    SupplierMemberFactory,
)
from tests.verification.helpers import admin_change_data
from tests.verification.test_identity import _company_form

pytestmark = pytest.mark.django_db

NEW_NIB = "8120000000777"


@pytest.fixture
def member():
    return SupplierMemberFactory(
        supplier__verification_status="verified", supplier__legal_name="CV Lama Jaya"
    )


def _only_record() -> AuditRecord:
    # The API door makes its key first (itself recorded): not part of the change under test.
    records = list(AuditRecord.objects.exclude(object_kind="api_key"))
    assert len(records) == 1, [(r.action, r.object_kind, r.fields) for r in records]
    return records[0]


def _admin_data(model, obj, admin) -> dict:
    # The helper posts each stored document back as a new upload; a browser sends none.
    data = admin_change_data(model, obj, admin)
    return {name: value for name, value in data.items() if not name.endswith("-document")}


def _regency(province: str) -> str:
    from suppliers.models import Regency

    return Regency.objects.filter(province_id=province).order_by("code").first().code


def _csv(tmp_path, **cells) -> str:
    row = {column: "" for column in COLUMNS}
    row.update(cells)
    path = tmp_path / "anggota.csv"
    path.write_text(",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n")
    return str(path)


def test_a_new_nib_in_the_profile_form_is_one_record_with_old_and_new(client, member):
    supplier = member.supplier
    old_nib = supplier.nib
    client.force_login(member.user)

    response = client.post(
        reverse("suppliers:edit_company", args=[supplier.pk]),
        _company_form(supplier, nib=NEW_NIB, employees=supplier.employees),
    )

    assert response.status_code == 302
    record = _only_record()
    assert (record.action, record.door, record.actor, record.api_key_id) == (
        "identity_changed",
        "web",
        member.user,
        None,
    )
    assert (record.object_kind, record.object_id) == ("supplier", supplier.pk)
    assert (record.firm_kind, record.firm_id) == ("supplier", supplier.pk)
    assert record.changes == {"nib": [old_nib, NEW_NIB]}
    assert "nib" in record.fields


def test_a_csv_import_of_a_new_name_and_province_is_one_record_by_the_command(tmp_path, member):
    supplier = member.supplier
    old_province = supplier.province
    other = Province.objects.exclude(pk=old_province.pk).order_by("code").first()
    regency = Regency.objects.filter(province=other).order_by("code").first()
    path = _csv(
        tmp_path, nib=supplier.nib, name="CV Baru Jaya", province=other.code, regency=regency.code
    )

    call_command("import_suppliers", path, stdout=io.StringIO())

    record = _only_record()
    assert (record.action, record.door, record.actor) == ("identity_changed", "import", None)
    assert record.actor_label == "import_suppliers anggota.csv"
    assert record.changes == {
        "legal_name": ["CV Lama Jaya", "CV Baru Jaya"],
        "province": [f"{old_province.code} {old_province.name}", f"{other.code} {other.name}"],
    }
    assert {"legal_name", "province", "regency"} <= set(record.fields)


def test_a_csv_import_that_changes_nothing_records_nothing(tmp_path, member):
    supplier = member.supplier
    path = _csv(tmp_path, nib=supplier.nib, name=supplier.legal_name)

    call_command("import_suppliers", path, stdout=io.StringIO())

    assert not AuditRecord.objects.exists()


def test_a_csv_import_creates_one_record_per_new_company_with_its_identity(tmp_path):
    province = Province.objects.get(code="32")
    path = _csv(
        tmp_path, nib="8120000000999", name="CV Impor Baru", province="32", regency=_regency("32")
    )

    call_command("import_suppliers", path, stdout=io.StringIO())

    supplier = Supplier.objects.get(nib="8120000000999")
    record = _only_record()
    assert (record.action, record.door, record.object_id) == ("firm_created", "import", supplier.pk)
    assert record.changes == {
        "nib": ["", "8120000000999"],
        "legal_name": ["", "CV Impor Baru"],
        "province": ["", f"32 {province.name}"],
    }


def test_a_new_name_through_the_partner_api_is_one_record_by_the_key(member):
    supplier = member.supplier
    association = PartnerOrganisation.objects.create(name="Asosiasi Komponen", kind="association")
    PartnerManagedSupplier.objects.create(partner=association, supplier=supplier)
    raw = key_for(association, "suppliers:write", "suppliers:read")

    response = key_client(raw).patch(
        f"/api/v1/suppliers/{supplier.pk}/",
        data=json.dumps({"legal_name": "CV Anggota Baru"}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    record = _only_record()
    key = association.api_keys.get()
    assert (record.action, record.door, record.actor, record.api_key_id) == (
        "identity_changed",
        "api",
        None,
        key.pk,
    )
    assert record.actor_label == f"Asosiasi Komponen · {key.prefix}"
    assert record.changes == {"legal_name": ["CV Lama Jaya", "CV Anggota Baru"]}


def test_a_company_registered_through_the_partner_api_is_recorded_by_the_key():
    association = PartnerOrganisation.objects.create(name="Asosiasi Komponen", kind="association")
    raw = key_for(association, "suppliers:write", "suppliers:read")

    response = key_client(raw).post(
        "/api/v1/suppliers/",
        data=json.dumps(
            {
                "nib": "8120000000555",
                "legal_name": "CV Anggota",
                "province": "32",
                "regency": _regency("32"),
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    record = _only_record()
    assert (record.action, record.door, record.object_id) == (
        "firm_created",
        "api",
        response.json()["id"],
    )
    assert record.changes["nib"] == ["", "8120000000555"]


def test_a_new_name_in_the_admin_is_one_record_by_the_administrator(client, member):
    admin = AdminUserFactory()
    client.force_login(admin)
    supplier = member.supplier
    SupplierCertificationFactory(supplier=supplier)
    data = _admin_data(Supplier, supplier, admin)
    data["legal_name"] = "CV Diubah Admin"

    response = client.post(reverse("admin:suppliers_supplier_change", args=[supplier.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    record = _only_record()
    assert (record.action, record.door, record.actor) == ("identity_changed", "admin", admin)
    assert record.changes == {"legal_name": ["CV Lama Jaya", "CV Diubah Admin"]}
    assert record.fields == ["legal_name"]


def test_a_certification_changed_in_the_admin_inline_is_recorded(client, member):
    admin = AdminUserFactory()
    client.force_login(admin)
    supplier = member.supplier
    certification = SupplierCertificationFactory(supplier=supplier, valid_until=date(2027, 1, 31))
    data = _admin_data(Supplier, supplier, admin)
    prefix = "certifications"
    assert data[f"{prefix}-0-id"] == certification.pk
    data[f"{prefix}-0-valid_until"] = "2028-06-30"

    response = client.post(reverse("admin:suppliers_supplier_change", args=[supplier.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    record = _only_record()
    assert (record.action, record.door, record.object_kind, record.object_id) == (
        "certification_changed",
        "admin",
        "certification",
        certification.pk,
    )
    assert record.changes["valid_until"] == ["2027-01-31", "2028-06-30"]
    assert (record.firm_kind, record.firm_id) == ("supplier", supplier.pk)


def test_other_profile_fields_are_recorded_by_name_without_values(client, member):
    supplier = member.supplier
    client.force_login(member.user)

    client.post(
        reverse("suppliers:edit_company", args=[supplier.pk]),
        _company_form(supplier, address="Jl. Baru 9", employees=supplier.employees + 5),
    )

    record = _only_record()
    assert record.action == "profile_changed"
    assert record.changes == {}
    assert {"address", "employees"} <= set(record.fields)
    assert "nib" not in record.fields


def test_a_buyer_renamed_in_its_form_is_recorded(client):
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

    record = _only_record()
    assert (record.action, record.door, record.actor) == ("identity_changed", "web", member.user)
    assert (record.firm_kind, record.firm_id) == ("manufacturer", manufacturer.pk)
    assert record.changes == {"name": ["PT Lama Motor", "PT Baru Motor"]}


def test_a_new_npwp_in_the_buyer_admin_is_recorded(client):
    admin = AdminUserFactory()
    client.force_login(admin)
    manufacturer = ManufacturerMemberFactory().manufacturer
    old = manufacturer.npwp
    data = _admin_data(Manufacturer, manufacturer, admin)
    data["npwp"] = "0999999999999999"

    client.post(reverse("admin:manufacturers_manufacturer_change", args=[manufacturer.pk]), data)

    record = _only_record()
    assert (record.action, record.door, record.actor) == ("identity_changed", "admin", admin)
    assert record.changes == {"npwp": [old, "0999999999999999"]}


def test_certifications_added_changed_and_removed_by_the_services_are_recorded(member):
    supplier = member.supplier
    cert_type = CertificationType.objects.get(pk="ISO9001")

    with acting(door=AuditDoor.WEB, user=member.user):
        services.certification_set(
            supplier=supplier, cert_type=cert_type, valid_until=date(2027, 3, 1)
        )
        services.certification_set(
            supplier=supplier, cert_type=cert_type, valid_until=date(2028, 3, 1)
        )
        services.certification_set(
            supplier=supplier, cert_type=cert_type, valid_until=date(2028, 3, 1)
        )
        services.certification_delete(certification=supplier.certifications.get())

    records = list(AuditRecord.objects.order_by("pk"))
    assert [r.action for r in records] == [
        "certification_added",
        "certification_changed",
        "certification_removed",
    ]
    assert [r.changes["valid_until"] for r in records] == [
        ["", "2027-03-01"],
        ["2027-03-01", "2028-03-01"],
        ["2028-03-01", ""],
    ]
    assert {(r.door, r.actor_id, r.firm_id) for r in records} == {
        ("web", member.user.pk, supplier.pk)
    }


def test_a_command_or_task_without_a_door_is_recorded_as_the_system(member):
    services.supplier_update(supplier=member.supplier, data={"employees": 77})

    record = _only_record()
    assert (record.door, record.actor, record.actor_label) == ("system", None, "")
    assert record.fields == ["employees"]


def test_a_large_import_records_every_new_company_alike(tmp_path):
    # 250 records: past COPY_FROM, so they take the COPY path, and must read back the same.
    province = Province.objects.get(code="32")
    regency = _regency("32")
    lines = [",".join(COLUMNS)]
    for n in range(250):
        row = {column: "" for column in COLUMNS}
        row.update(nib=f"81200000{n:05d}", name=f"CV Massal {n}", province="32", regency=regency)
        lines.append(",".join(row[c] for c in COLUMNS))
    path = tmp_path / "massal.csv"
    path.write_text("\n".join(lines) + "\n")

    call_command("import_suppliers", str(path), stdout=io.StringIO())

    records = AuditRecord.objects.order_by("object_id")
    assert records.count() == 250
    first = records.first()
    supplier = Supplier.objects.get(nib="8120000000000")
    assert (first.action, first.door, first.actor, first.api_key_id) == (
        "firm_created",
        "import",
        None,
        None,
    )
    assert first.actor_label == "import_suppliers massal.csv"
    assert (first.object_id, first.firm_kind, first.firm_id) == (
        supplier.pk,
        "supplier",
        supplier.pk,
    )
    assert first.changes == {
        "nib": ["", "8120000000000"],
        "legal_name": ["", "CV Massal 0"],
        "province": ["", f"32 {province.name}"],
    }
    assert "legal_name" in first.fields
    assert set(records.values_list("at", flat=True).distinct()) == {first.at}


def test_a_photo_added_and_removed_on_the_web_is_recorded(client, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.confirm import CONFIRM_FIELD
    from tests.factories import tiny_png

    supplier = member.supplier
    client.force_login(member.user)
    client.post(
        reverse("suppliers:edit_photos", args=[supplier.pk]),
        {"image": SimpleUploadedFile("bengkel.png", tiny_png(), "image/png"), "caption": "Mesin"},
    )
    photo = supplier.photos.get()
    client.post(
        reverse("suppliers:delete_photo", args=[supplier.pk, photo.pk]), {CONFIRM_FIELD: "yes"}
    )

    records = list(AuditRecord.objects.order_by("pk"))
    assert [(r.action, r.object_kind, r.door, r.actor) for r in records] == [
        ("profile_changed", "photo", "web", member.user),
        ("profile_changed", "photo", "web", member.user),
    ]
    assert [r.changes for r in records] == [
        {"photo": ["", str(photo.pk)]},
        {"photo": [str(photo.pk), ""]},
    ]


def test_a_buyer_created_by_the_requirement_import_is_recorded_by_the_command(tmp_path):
    from tests.manufacturers.test_import import _good_rows, _run, _write

    output, error = _run(_write(tmp_path, _good_rows()[2:]))

    assert error is None, output
    manufacturer = Manufacturer.objects.get(name="PT Pendatang Baru")
    record = _only_record()
    assert (record.action, record.door, record.actor) == ("firm_created", "import", None)
    assert record.actor_label == "import_requirements requirements.csv"
    assert (record.firm_kind, record.firm_id) == ("manufacturer", manufacturer.pk)
    assert record.changes == {"name": ["", "PT Pendatang Baru"]}
