""" "Download my data" (UU PDP: the right of access and to a copy)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from accounts.outbox import email_queue, notify
from partners.models import PartnerConsent, PartnerOrganisation
from tests.factories import (
    TINY_PDF,
    IntroductionFactory,
    SupplierCertificationFactory,
    SupplierMemberFactory,
    SupplierPhotoFactory,
    UmkmUserFactory,
)
from tests.introductions.factories import make_pair

pytestmark = pytest.mark.django_db


def _download(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.post(reverse("account_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _json(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(f"{name}.json"))


def _everything(archive: zipfile.ZipFile) -> str:
    return "\n".join(
        archive.read(name).decode("utf-8", "replace")
        for name in archive.namelist()
        if not name.startswith("files/")
    )


def test_the_archive_holds_the_person_and_their_firm(client):
    pair = make_pair()
    umkm = pair.umkm
    SupplierCertificationFactory(supplier=pair.supplier)
    SupplierPhotoFactory(supplier=pair.supplier, caption="Mesin crimping")
    notify(user=umkm, kind="intro_requested", params={"buyer": "PT X", "requirement": "R"}, key="n")
    email_queue(user=umkm, template="intro_requested", context={"requirement": "R"}, key="e")
    IntroductionFactory(
        requirement=pair.requirement,
        supplier=pair.supplier,
        requested_by=pair.buyer,
        message="Kami butuh 50.000 unit per tahun",
    )
    partner = PartnerOrganisation.objects.create(name="Bank Contoh")
    PartnerConsent.objects.create(
        supplier=pair.supplier, partner=partner, scope="contact", granted_by=umkm
    )

    archive = _download(client, umkm)

    names = set(archive.namelist())
    for part in (
        "account",
        "email_addresses",
        "privacy_consents",
        "notifications",
        "emails",
        "supplier_membership",
        "supplier",
        "supplier_certifications",
        "supplier_photos",
        "introductions",
        "partnerships",
        "partner_consents",
    ):
        assert {f"{part}.json", f"{part}.csv"} <= names, part
    assert "README.txt" in names
    assert _json(archive, "account")[0]["email"] == umkm.email
    assert _json(archive, "supplier")[0]["nib"] == pair.supplier.nib
    assert _json(archive, "supplier")[0]["contact_phone"] == "+6281234567890"
    assert len(_json(archive, "notifications")) == 1
    assert _json(archive, "emails")[0]["context"] == {"requirement": "R"}
    assert _json(archive, "introductions")[0]["message"] == "Kami butuh 50.000 unit per tahun"
    assert _json(archive, "partner_consents")[0]["partner"] == "Bank Contoh"
    # The firm's files, small enough to travel with it.
    certificate = _json(archive, "supplier_certifications")[0]["document"]
    assert archive.read(f"files/supplier_certifications/{certificate}") == TINY_PDF
    photo = _json(archive, "supplier_photos")[0]["file"]
    assert archive.read(f"files/supplier_photos/{photo}").startswith(b"\x89PNG")
    # CSV has the same rows, readable by a spreadsheet.
    rows = list(csv.DictReader(io.StringIO(archive.read("supplier.csv").decode("utf-8-sig"))))
    assert rows[0]["legal_name"] == pair.supplier.legal_name
    # And the download is recorded.
    assert AuditRecord.objects.filter(
        actor=umkm, action=AuditRecord.Action.DATA_EXPORT, object_id=umkm.pk
    ).exists()


def test_the_archive_holds_nobody_elses_personal_data(client):
    pair = make_pair()
    colleague = SupplierMemberFactory(
        supplier=pair.supplier,
        role="staff",
        user__email="colleague@umkm.example.id",
        user__full_name="Teman Sekantor",
    ).user
    stranger = UmkmUserFactory(email="stranger@example.id", full_name="Orang Lain")
    for person in (colleague, stranger, pair.buyer):
        notify(
            user=person,
            kind="intro_interest",
            params={"supplier": "S", "requirement": "R"},
            key=f"n{person.pk}",
        )
        email_queue(
            user=person, template="intro_interest", context={"x": person.email}, key=f"e{person.pk}"
        )

    text = _everything(_download(client, pair.umkm))

    assert pair.umkm.email in text
    for person in (colleague, stranger, pair.buyer):
        assert person.email not in text
        assert person.full_name not in text


def test_a_buyer_gets_their_requirements(client):
    pair = make_pair()

    archive = _download(client, pair.buyer)

    requirements = _json(archive, "requirements")
    assert [r["reference"] for r in requirements] == [pair.requirement.reference]
    assert _json(archive, "buyer")[0]["name"] == pair.requirement.manufacturer.name
    assert "supplier.json" not in archive.namelist()


def test_spreadsheet_formulas_in_the_data_are_not_live(client):
    pair = make_pair()
    IntroductionFactory(
        requirement=pair.requirement, supplier=pair.supplier, message='=HYPERLINK("x","y")'
    )

    archive = _download(client, pair.umkm)

    rows = list(csv.DictReader(io.StringIO(archive.read("introductions.csv").decode("utf-8-sig"))))
    assert rows[0]["message"] == '\'=HYPERLINK("x","y")'


def test_download_needs_a_log_in_and_a_post(client):
    assert client.post(reverse("account_data_export")).status_code == 302
    client.force_login(UmkmUserFactory())
    assert client.get(reverse("account_data_export")).status_code == 405


def test_the_archive_holds_the_persons_own_trail_with_doors_and_changes(client):
    from accounts.audit import AuditDoor, acting
    from suppliers.services import supplier_update

    pair = make_pair()
    with acting(door=AuditDoor.WEB, user=pair.umkm):
        supplier_update(supplier=pair.supplier, data={"employees": 42}, by=pair.umkm)

    trail = _json(_download(client, pair.umkm), "audit_records")
    change = next(row for row in trail if row["action"] == "profile_changed")
    assert change["door"] == "web"
    assert (change["firm_kind"], change["firm_id"]) == ("supplier", pair.supplier.pk)
    assert "employees" in change["fields"]
