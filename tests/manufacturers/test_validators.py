import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from manufacturers.validators import (
    ATTACHMENT_MAX_BYTES,
    detect_attachment_kind,
    normalize_npwp,
    validate_requirement_attachment,
)
from tests.factories import TINY_PDF, tiny_png

STEP = b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('bracket'),'2;1');\nENDSEC;\nDATA;\nENDSEC;\n"
DXF = b"  0\nSECTION\n  2\nHEADER\n  9\n$ACADVER\n  1\nAC1015\n  0\nENDSEC\n  0\nEOF\n"
DXF_ENTITIES = b"999\nmade by hand\n0\nSECTION\n2\nENTITIES\n0\nLINE\n0\nENDSEC\n0\nEOF\n"


def _jpeg() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0123456789012345", "0123456789012345"),
        ("01.234.567.8-901.000", "0012345678901000"),
        ("012345678901000", "0012345678901000"),
        ("0123 4567 8901 2345", "0123456789012345"),
        ("", None),
        (None, None),
    ],
)
def test_it_normalises_npwp_to_16_digits(raw, expected):
    assert normalize_npwp(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "01234567890123456", "01.234.567.8-901.00X", "abc"])
def test_it_rejects_a_malformed_npwp(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_npwp(raw)
    assert excinfo.value.code == "invalid_npwp"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("drawing.pdf", TINY_PDF, "pdf"),
        ("photo.png", tiny_png(), "png"),
        ("photo.jpg", _jpeg(), "jpeg"),
        ("part.step", STEP, "step"),
        ("part.dxf", DXF, "dxf"),
        ("part.dxf", DXF_ENTITIES, "dxf"),
    ],
)
def test_it_accepts_drawings_by_their_content(name, content, kind):
    upload = SimpleUploadedFile(name, content)
    assert detect_attachment_kind(upload) == kind
    validate_requirement_attachment(upload)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("drawing.pdf", b"MZ\x90\x00 this is a Windows program"),
        ("part.step", b"just some text that claims to be STEP"),
        ("part.dxf", b"0\nLINE\n8\nlayer\n"),
        ("drawing.pdf", b"PK\x03\x04" + b"\x00" * 40),
        ("photo.png", tiny_png()[:40]),
    ],
)
def test_it_rejects_files_whose_content_is_not_a_drawing(name, content):
    with pytest.raises(ValidationError):
        validate_requirement_attachment(SimpleUploadedFile(name, content))


def test_it_rejects_an_attachment_over_20_mb():
    upload = SimpleUploadedFile("big.pdf", TINY_PDF + b"0" * (ATTACHMENT_MAX_BYTES + 1))
    with pytest.raises(ValidationError) as excinfo:
        validate_requirement_attachment(upload)
    assert excinfo.value.code == "file_too_large"


def test_an_attachment_of_exactly_20_mb_is_accepted():
    upload = SimpleUploadedFile("big.pdf", TINY_PDF.ljust(ATTACHMENT_MAX_BYTES, b" "))
    validate_requirement_attachment(upload)
