"""How private files are sent (``suppliers.storage.private_file_response``), and the certificate
downloads that use it: the type read from the stored bytes, a safe name, no sniffing."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from suppliers.storage import content_disposition, safe_filename
from tests.factories import TINY_PDF, SupplierCertificationFactory, tiny_png


def test_a_filename_loses_folders_and_control_characters():
    assert safe_filename("../../etc/passwd.pdf", "application/pdf") == "passwd.pdf"
    assert safe_filename("C:\\Users\\x\\Gambar.pdf", "application/pdf") == "Gambar.pdf"
    assert safe_filename("a\r\nSet-Cookie: x.pdf", "application/pdf") == "aSet-Cookie: x.pdf"
    assert safe_filename("...", "application/pdf") == "file.pdf"


def test_a_filename_gets_the_extension_of_its_checked_type():
    assert safe_filename("drawing.pdf", "image/png") == "drawing.pdf.png"
    assert safe_filename("photo.JPEG", "image/jpeg") == "photo.JPEG"
    assert safe_filename("ISO9001-7", "application/pdf") == "ISO9001-7.pdf"
    assert safe_filename("part.stp", "application/step") == "part.stp"
    assert safe_filename("unknown.bin", "application/octet-stream") == "unknown.bin"


def test_the_disposition_quotes_ascii_and_adds_rfc_5987_for_other_names():
    assert content_disposition("Gambar Housing.pdf", inline=False) == (
        'attachment; filename="Gambar Housing.pdf"'
    )
    assert content_disposition("Gambar – Tutup Baterai.pdf", inline=True) == (
        'inline; filename="Gambar _ Tutup Baterai.pdf"; '
        "filename*=UTF-8''Gambar%20%E2%80%93%20Tutup%20Baterai.pdf"
    )
    assert content_disposition("Sertifikat Mutu Café.pdf", inline=False).startswith(
        "attachment; filename=\"Sertifikat Mutu Cafe.pdf\"; filename*=UTF-8''Sertifikat"
    )
    assert content_disposition('say "hi".pdf', inline=False) == (
        "attachment; filename=\"say _hi_.pdf\"; filename*=UTF-8''say%20%22hi%22.pdf"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url_of", ["view", "storage"])
def test_a_certificate_is_sent_with_its_checked_type(client, supplier, owner, url_of):
    certification = SupplierCertificationFactory(supplier=supplier)
    url = (
        reverse("suppliers:certificate_document", args=[supplier.pk, certification.pk])
        if url_of == "view"
        else certification.document.url
    )
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ISO9001-{certification.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_certificate_stored_under_a_wrong_extension_gets_its_real_type(client, supplier, owner):
    certification = SupplierCertificationFactory(
        supplier=supplier, document=ContentFile(tiny_png(), name="scan.pdf")
    )
    assert certification.document.name.endswith(".pdf")
    client.force_login(owner)
    response = client.get(
        reverse("suppliers:certificate_document", args=[supplier.pk, certification.pk])
    )
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith(f'filename="ISO9001-{certification.pk}.png"')
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_file_that_is_none_of_the_accepted_types_is_only_downloaded(client, supplier, owner):
    certification = SupplierCertificationFactory(
        supplier=supplier, document=ContentFile(b"<html><script>alert(1)</script>", "x.pdf")
    )
    client.force_login(owner)
    response = client.get(
        reverse("suppliers:certificate_document", args=[supplier.pk, certification.pk])
    )
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_missing_certificate_file_is_not_found(client, supplier, owner):
    certification = SupplierCertificationFactory(supplier=supplier)
    certification.document.storage.delete(certification.document.name)
    client.force_login(owner)
    response = client.get(
        reverse("suppliers:certificate_document", args=[supplier.pk, certification.pk])
    )
    assert response.status_code == 404
