import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override

from suppliers.forms import CertificationForm, CompanyForm, PhotoForm, normalise_phone
from suppliers.models import CertificationType, Kbli, Regency
from tests.factories import TINY_PDF, tiny_png

pytestmark = pytest.mark.django_db


def company_post(**overrides):
    regency = Regency.objects.filter(province_id="33").first()
    data = {
        "legal_name": "CV Sinar Logam",
        "nib": "9120 0001-23456",
        "size_class": "mikro",
        "province": regency.province_id,
        "regency": regency.code,
        "address": "Jl. Kawasan Industri 3",
        "founded_year": "2015",
        "employees": "12",
        "kbli": [Kbli.objects.first().code],
        "description": "Bubut CNC",
        "website": "sinarlogam.co.id",
        "contact_name": "Sri",
        "contact_email": "sri@example.id",
        "contact_phone": "0812-3456-7890",
    }
    data.update(overrides)
    return data


def test_a_valid_company_form_cleans_nib_phone_and_website():
    form = CompanyForm(company_post())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nib"] == "9120000123456"
    assert form.cleaned_data["contact_phone"] == "+6281234567890"
    assert form.cleaned_data["website"] == "https://sinarlogam.co.id"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("081234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("62812 3456 7890", "+6281234567890"),
        ("(021) 555-1234", "+62215551234"),
    ],
)
def test_it_normalises_indonesian_phone_numbers(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("phone", ["12345", "+1 415 555 1234", "0812abc", "00812345678"])
def test_it_rejects_phone_numbers_that_are_not_indonesian(phone):
    form = CompanyForm(company_post(contact_phone=phone))
    assert not form.is_valid()
    assert "Indonesian phone number" in form.errors["contact_phone"][0]


@pytest.mark.parametrize("nib", ["12345", "12345678901234", "1234567890abc"])
def test_it_explains_a_malformed_nib(nib):
    form = CompanyForm(company_post(nib=nib))
    assert not form.is_valid()
    assert form.errors["nib"] == ["NIB must be exactly 13 digits (numbers only)."]


def test_it_explains_a_nib_that_is_taken(supplier):
    form = CompanyForm(company_post(nib=supplier.nib))
    assert not form.is_valid()
    assert form.errors["nib"] == ["This NIB is already registered by another company."]


def test_editing_a_company_keeps_its_own_nib_valid(supplier):
    form = CompanyForm(company_post(nib=supplier.nib), instance=supplier)
    assert form.is_valid(), form.errors


def test_it_rejects_a_regency_outside_the_province():
    outside = Regency.objects.filter(province_id="35").first()
    form = CompanyForm(company_post(regency=outside.code))
    assert not form.is_valid()
    assert form.errors["regency"] == ["This regency or city is not in the chosen province."]


def test_it_offers_only_the_regencies_of_the_chosen_province():
    form = CompanyForm(company_post())
    codes = [value for value, _label in form.fields["regency"].widget.choices if value]
    assert codes
    assert all(code.startswith("33.") for code in codes)


def test_it_rejects_a_founding_year_in_the_future():
    form = CompanyForm(company_post(founded_year=str(timezone.localdate().year + 1)))
    assert not form.is_valid()
    assert "future" in form.errors["founded_year"][0]


def test_required_fields_are_reported_in_indonesian():
    with override("id"):
        form = CompanyForm(company_post(legal_name="", province=""))
        assert not form.is_valid()
        assert form.errors["legal_name"] == ["Bidang ini harus diisi."]


def certification_post(**overrides):
    data = {"cert_type": "ISO9001", "number": "A-1", "issuer": "BSN", "valid_until": "2030-01-31"}
    data.update(overrides)
    return data


def test_certification_form_accepts_a_real_pdf():
    form = CertificationForm(
        certification_post(), {"document": SimpleUploadedFile("c.pdf", TINY_PDF)}
    )
    assert form.is_valid(), form.errors


def test_certification_form_rejects_a_renamed_file():
    form = CertificationForm(
        certification_post(), {"document": SimpleUploadedFile("c.pdf", b"just text" * 100)}
    )
    assert not form.is_valid()
    assert form.errors["document"] == [
        "Upload a PDF, JPG or PNG file. This file is not one of them."
    ]


def test_certification_form_rejects_a_file_over_5_mb():
    big = SimpleUploadedFile("c.pdf", TINY_PDF + b"0" * (5 * 1024 * 1024 + 1))
    form = CertificationForm(certification_post(), {"document": big})
    assert not form.is_valid()
    assert "maximum is 5 MB" in form.errors["document"][0]


def test_certification_form_needs_a_known_type_and_a_real_date():
    form = CertificationForm(certification_post(cert_type="NOPE", valid_until="31-31-2030"))
    assert not form.is_valid()
    assert set(form.errors) == {"cert_type", "valid_until"}
    assert CertificationType.objects.filter(code="ISO9001").exists()


def test_photo_form_rejects_a_pdf_and_accepts_a_png():
    assert not PhotoForm(
        {"caption": "x"}, {"image": SimpleUploadedFile("p.png", TINY_PDF)}
    ).is_valid()
    assert PhotoForm(
        {"caption": "x"}, {"image": SimpleUploadedFile("p.png", tiny_png())}
    ).is_valid()
