"""The two downloads of a requirement's drawings, the buyer's own and the UMKM's after an accepted
introduction: both send the type read from the stored bytes (``private_file_response``)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from manufacturers.models import RequirementAttachment
from tests.factories import (
    TINY_PDF,
    IntroductionFactory,
    ManufacturerMemberFactory,
    RequirementFactory,
    SupplierMemberFactory,
    tiny_png,
)

pytestmark = pytest.mark.django_db

STEP = b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('housing'),'2;1');\nENDSEC;\n"


@pytest.fixture
def buyer():
    return ManufacturerMemberFactory()


@pytest.fixture
def requirement(buyer):
    return RequirementFactory(manufacturer=buyer.manufacturer, status="open")


def _attach(requirement, content: bytes, stored_as: str, original_name: str):
    return RequirementAttachment.objects.create(
        requirement=requirement,
        file=ContentFile(content, name=stored_as),
        original_name=original_name,
        size=len(content),
    )


def _as_buyer(client, buyer, requirement, attachment):
    client.force_login(buyer.user)
    url = reverse("manufacturers:attachment_download", args=[requirement.pk, attachment.pk])
    return client.get(url)


def _as_umkm(client, requirement, attachment):
    introduction = IntroductionFactory(requirement=requirement, status="accepted")
    member = SupplierMemberFactory(supplier=introduction.supplier)
    client.force_login(member.user)
    url = reverse("introductions:attachment", args=[introduction.pk, attachment.pk])
    return client.get(url)


def _download(client, who, buyer, requirement, attachment):
    if who == "buyer":
        return _as_buyer(client, buyer, requirement, attachment)
    return _as_umkm(client, requirement, attachment)


WHO = ["buyer", "umkm"]


@pytest.mark.parametrize("who", WHO)
def test_a_drawing_is_sent_with_its_type_name_and_nosniff(client, buyer, requirement, who):
    attachment = _attach(requirement, TINY_PDF, "drawing.pdf", "Gambar Housing.pdf")
    response = _download(client, who, buyer, requirement, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Gambar Housing.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", WHO)
def test_a_spoofed_extension_gets_the_checked_type(client, buyer, requirement, who):
    attachment = _attach(requirement, tiny_png(), "drawing.pdf", "drawing.pdf")
    response = _download(client, who, buyer, requirement, attachment)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="drawing.pdf.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", WHO)
def test_a_step_model_and_a_non_ascii_name(client, buyer, requirement, who):
    attachment = _attach(requirement, STEP, "model.step", "Rumah Baterai – rev B.step")
    response = _download(client, who, buyer, requirement, attachment)
    assert response["Content-Type"] == "application/step"
    assert response["Content-Disposition"] == (
        'attachment; filename="Rumah Baterai _ rev B.step"; '
        "filename*=UTF-8''Rumah%20Baterai%20%E2%80%93%20rev%20B.step"
    )


@pytest.mark.parametrize("who", WHO)
def test_a_missing_file_is_not_found(client, buyer, requirement, who):
    attachment = _attach(requirement, TINY_PDF, "drawing.pdf", "drawing.pdf")
    attachment.file.storage.delete(attachment.file.name)
    assert _download(client, who, buyer, requirement, attachment).status_code == 404
