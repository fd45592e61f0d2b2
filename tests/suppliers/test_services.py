from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suppliers import services
from suppliers.models import (
    CertificationType,
    ComponentCategory,
    Process,
    Regency,
    SupplierMember,
    VerificationStatus,
)
from suppliers.verification import verification_decide
from tests.factories import TINY_PDF, SupplierCertificationFactory, SupplierFactory, tiny_png

pytestmark = pytest.mark.django_db


def company_data(**overrides):
    regency = Regency.objects.filter(province_id="32").first()
    data = {
        "legal_name": "CV Maju Jaya",
        "nib": "1234567890123",
        "province": regency.province,
        "regency": regency,
        "contact_phone": "+6281234567890",
    }
    data.update(overrides)
    return data


def test_it_creates_a_company_owned_by_the_user(new_umkm):
    supplier = services.supplier_create(owner=new_umkm, data=company_data())
    membership = SupplierMember.objects.get(user=new_umkm)
    assert membership.supplier == supplier
    assert membership.role == SupplierMember.Role.OWNER


def test_a_user_cannot_own_two_companies(owner):
    with pytest.raises(ValidationError):
        services.supplier_create(owner=owner, data=company_data())


def test_it_updates_fields_and_capabilities(supplier):
    part = ComponentCategory.objects.filter(level=3).first()
    process = Process.objects.first()
    services.supplier_update(
        supplier=supplier,
        data={"legal_name": "PT Baru", "components": [part], "processes": [process]},
    )
    supplier.refresh_from_db()
    assert supplier.legal_name == "PT Baru"
    assert list(supplier.components.all()) == [part]
    assert list(supplier.processes.all()) == [process]


def test_it_rejects_a_regency_outside_the_province(new_umkm):
    regency = Regency.objects.exclude(province_id="31").first()
    other_province = Regency.objects.filter(province_id="31").first().province
    with pytest.raises(ValidationError) as error:
        services.supplier_create(
            owner=new_umkm, data=company_data(province=other_province, regency=regency)
        )
    assert "regency" in error.value.message_dict
    assert not SupplierMember.objects.filter(user=new_umkm).exists()


@pytest.mark.parametrize("nib", ["123", "12345678901234", "12345abc90123", ""])
def test_it_rejects_a_malformed_nib(new_umkm, nib):
    with pytest.raises(ValidationError) as error:
        services.supplier_create(owner=new_umkm, data=company_data(nib=nib))
    assert "nib" in error.value.message_dict


def test_it_rejects_a_nib_that_is_taken(supplier, new_umkm):
    with pytest.raises(ValidationError) as error:
        services.supplier_create(owner=new_umkm, data=company_data(nib=supplier.nib))
    assert "nib" in error.value.message_dict


def _iso9001():
    return CertificationType.objects.get(code="ISO9001")


@pytest.mark.parametrize(
    ("name", "content"),
    [("cert.pdf", TINY_PDF), ("cert.png", tiny_png())],
)
def test_it_adds_a_certification_with_a_real_document(supplier, name, content):
    certification = services.certification_add(
        supplier=supplier,
        cert_type=_iso9001(),
        number="QMS-1",
        valid_until=timezone.localdate() + timedelta(days=365),
        document=SimpleUploadedFile(name, content),
    )
    stored = Path(certification.document.path)
    assert stored.read_bytes() == content
    # Private: kept outside MEDIA_ROOT so /media/ can never serve it.
    assert Path(settings.MEDIA_ROOT).resolve() not in stored.resolve().parents
    assert not certification.document.url.startswith(settings.MEDIA_URL)


def test_it_rejects_a_fake_pdf(supplier):
    fake = SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 this is really an executable" * 20)
    with pytest.raises(ValidationError) as error:
        services.certification_add(supplier=supplier, cert_type=_iso9001(), document=fake)
    assert "document" in error.value.message_dict
    assert supplier.certifications.count() == 0


def test_it_rejects_a_document_over_5_mb(supplier):
    big = SimpleUploadedFile("cert.pdf", TINY_PDF + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.certification_add(supplier=supplier, cert_type=_iso9001(), document=big)
    assert "5 MB" in error.value.message_dict["document"][0]


def test_an_expired_certificate_is_expired_and_a_current_one_is_not(supplier):
    today = timezone.localdate()
    expired = SupplierCertificationFactory(supplier=supplier, valid_until=today - timedelta(1))
    current = SupplierCertificationFactory(supplier=supplier, valid_until=today)
    assert expired.is_expired
    assert not current.is_expired


def test_deleting_a_certification_removes_its_file(supplier):
    certification = SupplierCertificationFactory(supplier=supplier)
    path = Path(certification.document.path)
    assert path.exists()
    services.certification_delete(certification=certification)
    assert not path.exists()


def test_photo_add_accepts_an_image_and_rejects_a_pdf(supplier):
    photo = services.photo_add(
        supplier=supplier, image=SimpleUploadedFile("a.png", tiny_png()), caption="Press"
    )
    assert photo.image.url.startswith(settings.MEDIA_URL)
    with pytest.raises(ValidationError):
        services.photo_add(supplier=supplier, image=SimpleUploadedFile("b.png", TINY_PDF))


def test_only_ministry_staff_verify_and_rejection_needs_a_reason(supplier, ministry, owner):
    with pytest.raises(PermissionDenied):
        verification_decide(firm=supplier, by=owner, decision="approved")
    with pytest.raises(ValidationError):
        verification_decide(firm=supplier, by=ministry, decision="rejected", reason="  ")
    verification_decide(
        firm=supplier, by=ministry, decision="rejected", reason="NIB not found in OSS"
    )
    assert supplier.verification_status == VerificationStatus.REJECTED
    verification_decide(firm=supplier, by=ministry, decision="approved")
    supplier.refresh_from_db()
    assert supplier.verification_status == VerificationStatus.VERIFIED
    assert supplier.verification_reason == ""
    assert supplier.verified_by == ministry


def test_factory_companies_are_valid():
    SupplierFactory().full_clean()
