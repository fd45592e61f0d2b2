import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suppliers.models import (
    ComponentCategory,
    Kbli,
    Material,
    Process,
    Regency,
    Supplier,
    SupplierMember,
    VerificationStatus,
)
from tests.factories import (
    TINY_PDF,
    IntroductionFactory,
    SupplierCertificationFactory,
    SupplierFactory,
    SupplierPhotoFactory,
    tiny_png,
)

pytestmark = pytest.mark.django_db


def company_post(**overrides):
    regency = Regency.objects.filter(province_id="32").first()
    data = {
        "legal_name": "CV Karya Presisi",
        "nib": "8120-0000-00001",
        "size_class": "kecil",
        "province": regency.province_id,
        "regency": regency.code,
        "address": "Jl. Raya Cikarang 10",
        "founded_year": "2010",
        "employees": "30",
        "kbli": [Kbli.objects.first().code],
        "description": "Machined aluminium parts",
        "website": "",
        "contact_name": "Dewi",
        "contact_email": "dewi@example.id",
        "contact_phone": "0813 1111 2222",
    }
    data.update(overrides)
    return data


def test_the_create_step_shows_the_form(client, new_umkm):
    client.force_login(new_umkm)
    response = client.get(reverse("suppliers:create"))
    assert response.status_code == 200
    assert b'name="nib"' in response.content
    assert b'data-testid="steps"' in response.content


def test_creating_a_company_makes_the_user_its_owner(client, new_umkm):
    client.force_login(new_umkm)
    response = client.post(reverse("suppliers:create"), company_post())
    supplier = Supplier.objects.get(nib="8120000000001")
    assert response.status_code == 302
    assert response.url == reverse("suppliers:edit_capabilities", args=[supplier.pk])
    assert SupplierMember.objects.get(user=new_umkm).supplier == supplier
    assert supplier.contact_phone == "+6281311112222"


def test_a_failed_submit_keeps_what_was_typed_and_shows_the_error_next_to_the_field(
    client, new_umkm
):
    client.force_login(new_umkm)
    response = client.post(reverse("suppliers:create"), company_post(nib="12ab"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="field-nib"' in html
    assert "NIB must be exactly 13 digits" in html
    assert 'value="CV Karya Presisi"' in html
    assert "Jl. Raya Cikarang 10" in html
    assert 'value="dewi@example.id"' in html
    assert not Supplier.objects.exists()


def test_without_javascript_a_regency_from_another_province_is_explained(client, new_umkm):
    client.force_login(new_umkm)
    outside = Regency.objects.filter(province_id="35").first()
    response = client.post(reverse("suppliers:create"), company_post(regency=outside.code))
    assert "not in the chosen province" in response.content.decode()
    assert not Supplier.objects.exists()


def test_the_regency_endpoint_returns_the_options_of_one_province(client):
    response = client.get(reverse("suppliers:regencies"), {"province": "32"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<option") == Regency.objects.filter(province_id="32").count() + 1
    assert 'value="35.' not in html


def test_a_nib_race_gives_a_field_error_not_a_500(client, new_umkm, supplier, monkeypatch):
    # Another request registers the same NIB between our check and our insert: only the
    # database's unique index notices, and the user must still see a field error.
    monkeypatch.setattr(Supplier, "validate_unique", lambda self, exclude=None: None)
    client.force_login(new_umkm)
    response = client.post(reverse("suppliers:create"), company_post(nib=supplier.nib))
    assert response.status_code == 200
    assert "This NIB is already registered by another company." in response.content.decode()


def test_a_user_with_a_company_is_sent_to_the_dashboard_instead_of_creating_another(client, owner):
    client.force_login(owner)
    assert client.get(reverse("suppliers:create")).url == reverse("suppliers:dashboard")


def test_the_owner_edits_the_company_step(client, owner, supplier):
    client.force_login(owner)
    url = reverse("suppliers:edit_company", args=[supplier.pk])
    assert client.get(url).status_code == 200
    data = company_post(nib=supplier.nib, legal_name="PT Karya Baru")
    response = client.post(url, data)
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.legal_name == "PT Karya Baru"


def test_the_capabilities_step_groups_components_by_system_and_saves(client, owner, supplier):
    client.force_login(owner)
    url = reverse("suppliers:edit_capabilities", args=[supplier.pk])
    html = client.get(url).content.decode()
    assert (
        html.count('<details class="component-group"')
        == ComponentCategory.objects.filter(level=1).count()
    )
    parts = list(ComponentCategory.objects.filter(level=3)[:2])
    response = client.post(
        url,
        {
            "components": [p.code for p in parts],
            "processes": [Process.objects.first().code],
            "materials": [Material.objects.first().code],
            "capacity_per_month": "2000",
            "lead_time_days": "21",
            "min_order_qty": "50",
        },
    )
    assert response.status_code == 302
    assert set(supplier.components.all()) == set(parts)
    supplier.refresh_from_db()
    assert supplier.lead_time_days == 21


def test_the_capabilities_step_keeps_ticked_boxes_on_error(client, owner, supplier):
    client.force_login(owner)
    part = ComponentCategory.objects.filter(level=3).first()
    response = client.post(
        reverse("suppliers:edit_capabilities", args=[supplier.pk]),
        {"components": [part.code], "lead_time_days": "-3", "capacity_per_month": "abc"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{part.code}" id="component-{part.code}" checked' in html
    assert "field-error" in html


def test_the_owner_adds_and_deletes_a_certification(client, owner, supplier):
    client.force_login(owner)
    url = reverse("suppliers:edit_certifications", args=[supplier.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "cert_type": "ISO9001",
            "number": "Q-77",
            "issuer": "BSN",
            "valid_until": "2031-05-01",
            "document": SimpleUploadedFile("iso.pdf", TINY_PDF),
        },
    )
    assert response.status_code == 302
    certification = supplier.certifications.get()
    assert certification.number == "Q-77"
    url = reverse("suppliers:delete_certification", args=[supplier.pk, certification.pk])
    asked = client.post(url)
    assert asked.status_code == 200 and 'data-testid="confirm-page"' in asked.content.decode()
    assert supplier.certifications.exists()
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    assert not supplier.certifications.exists()


def test_a_rejected_upload_asks_to_choose_the_file_again_and_keeps_the_rest(
    client, owner, supplier
):
    client.force_login(owner)
    response = client.post(
        reverse("suppliers:edit_certifications", args=[supplier.pk]),
        {
            "cert_type": "ISO9001",
            "number": "Q-88",
            "issuer": "BSN Jakarta",
            "valid_until": "2031-05-01",
            "document": SimpleUploadedFile("iso.pdf", b"not a pdf at all" * 50),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Upload a PDF, JPG or PNG file." in html
    assert 'data-testid="file-not-kept"' in html
    assert 'value="BSN Jakarta"' in html
    assert not supplier.certifications.exists()


def test_expired_certificates_are_shown_as_expired(client, supplier):
    SupplierCertificationFactory(
        supplier=supplier, valid_until=timezone.localdate() - timedelta(days=2)
    )
    html = client.get(reverse("suppliers:detail", args=[supplier.pk])).content.decode()
    assert 'data-testid="expired"' in html


def test_the_owner_adds_and_deletes_a_photo(client, owner, supplier):
    client.force_login(owner)
    url = reverse("suppliers:edit_photos", args=[supplier.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"caption": "CNC line", "image": SimpleUploadedFile("p.png", tiny_png())}
    )
    assert response.status_code == 302
    photo = supplier.photos.get()
    assert "CNC line" in client.get(url).content.decode()
    client.post(reverse("suppliers:delete_photo", args=[supplier.pk, photo.pk]))
    assert supplier.photos.exists()  # not before the confirmation
    client.post(
        reverse("suppliers:delete_photo", args=[supplier.pk, photo.pk]), {"confirmed": "yes"}
    )
    assert not supplier.photos.exists()


def test_a_bad_photo_gets_a_message(client, owner, supplier):
    client.force_login(owner)
    response = client.post(
        reverse("suppliers:edit_photos", args=[supplier.pk]),
        {"caption": "x", "image": SimpleUploadedFile("p.jpg", TINY_PDF)},
    )
    assert response.status_code == 200
    assert 'data-testid="file-not-kept"' in response.content.decode()
    assert not supplier.photos.exists()


def test_the_dashboard_shows_what_is_missing_and_the_status(client, owner, supplier):
    client.force_login(owner)
    html = client.get(reverse("suppliers:dashboard")).content.decode()
    assert "at least one certification" in html
    assert "at least one photo" in html
    assert "badge-unverified" in html
    SupplierCertificationFactory(supplier=supplier)
    SupplierPhotoFactory(supplier=supplier)
    supplier.components.add(ComponentCategory.objects.filter(level=3).first())
    supplier.processes.add(Process.objects.first())
    supplier.verification_status = VerificationStatus.REJECTED
    supplier.verification_reason = "NIB does not match OSS"
    supplier.save()
    html = client.get(reverse("suppliers:dashboard")).content.decode()
    assert 'data-testid="profile-complete"' in html
    assert "Complete your profile" not in html
    assert "NIB does not match OSS" in html


def test_an_umkm_user_without_company_is_sent_from_dashboard_to_create(client, new_umkm):
    client.force_login(new_umkm)
    assert client.get(reverse("suppliers:dashboard")).url == reverse("suppliers:create")


def test_ministry_staff_verify_and_reject_with_a_reason(client, ministry, supplier):
    client.force_login(ministry)
    url = reverse("suppliers:verification", args=[supplier.pk])
    assert (
        'data-testid="verify"'
        in client.get(reverse("suppliers:detail", args=[supplier.pk])).content.decode()
    )
    client.post(url, {"action": "reject", "reason": ""})
    supplier.refresh_from_db()
    assert supplier.verification_status == VerificationStatus.UNVERIFIED
    client.post(url, {"action": "reject", "reason": "Address not found"})
    supplier.refresh_from_db()
    assert supplier.verification_status == VerificationStatus.REJECTED
    assert supplier.verification_reason == "Address not found"
    client.post(url, {"action": "verify"})
    supplier.refresh_from_db()
    assert supplier.verification_status == VerificationStatus.VERIFIED


def test_the_directory_filters_by_province_system_process_and_verification(client):
    process = Process.objects.first()
    part = ComponentCategory.objects.filter(level=3, code__startswith="BAT.").first()
    jabar = Regency.objects.filter(province_id="32").first()
    match = SupplierFactory(
        legal_name="CV Cocok", regency=jabar, verification_status=VerificationStatus.VERIFIED
    )
    match.processes.add(process)
    match.components.add(part)
    SupplierFactory(legal_name="CV Lain Provinsi")
    unverified = SupplierFactory(legal_name="CV Belum", regency=jabar)
    unverified.processes.add(process)
    unverified.components.add(part)
    response = client.get(
        reverse("suppliers:list"),
        {"province": "32", "system": "BAT", "process": process.code, "verified": "on"},
    )
    names = [s.legal_name for s in response.context["page"]]
    assert names == ["CV Cocok"]


def test_the_directory_paginates_by_25(client):
    SupplierFactory.create_batch(30)
    first = client.get(reverse("suppliers:list"))
    second = client.get(reverse("suppliers:list"), {"page": 2})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5


def test_the_directory_uses_a_constant_number_of_queries(client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("suppliers:list")).status_code == 200
        return len(queries)

    for supplier in SupplierFactory.create_batch(3):
        supplier.processes.add(*Process.objects.all()[:3])
    few = count_queries()
    for supplier in SupplierFactory.create_batch(20):
        supplier.processes.add(*Process.objects.all()[:3])
        supplier.components.add(*ComponentCategory.objects.filter(level=3)[:2])
    assert count_queries() == few
    assert few <= 10


def test_the_profile_page_uses_a_constant_number_of_queries(client, supplier):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("suppliers:detail", args=[supplier.pk]))
            assert response.status_code == 200
        return len(queries)

    SupplierCertificationFactory(supplier=supplier)
    SupplierPhotoFactory(supplier=supplier)
    few = count_queries()
    SupplierCertificationFactory.create_batch(4, supplier=supplier)
    SupplierPhotoFactory.create_batch(4, supplier=supplier)
    supplier.components.add(*ComponentCategory.objects.filter(level=3)[:6])
    supplier.processes.add(*Process.objects.all()[:6])
    supplier.materials.add(*Material.objects.all()[:4])
    assert count_queries() == few


def test_the_dashboard_puts_unanswered_buyer_requests_first(client, owner, supplier):
    IntroductionFactory(supplier=supplier)
    IntroductionFactory(supplier=supplier)
    IntroductionFactory(supplier=supplier, status="accepted")
    IntroductionFactory(supplier=supplier, direction="umkm_interest")  # the buyer must answer
    client.force_login(owner)

    html = client.get(reverse("suppliers:dashboard")).content.decode()

    waiting = re.search(r'data-testid="requests-waiting">(.*?)</p>', html, re.S).group(1)
    assert re.search(r"\b2\b", waiting)
    assert reverse("introductions:list") in waiting


def test_the_dashboard_says_nothing_when_no_request_waits(client, owner, supplier):
    IntroductionFactory(supplier=supplier, status="declined")
    client.force_login(owner)

    html = client.get(reverse("suppliers:dashboard")).content.decode()

    assert 'data-testid="requests-waiting"' not in html
