"""NPWP and drawing-attachment validation, shared by forms, services and the CSV import."""

from __future__ import annotations

import re

import filetype
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from suppliers.validators import check_upload_size, upload_head, verify_image

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = {"pdf", "png", "jpg", "jpeg", "step", "stp", "dxf"}
ATTACHMENT_TOO_LARGE = _("The file is %(size)s MB; the maximum is 20 MB.")
ATTACHMENT_WRONG_TYPE = _(
    "Upload a PDF, PNG, JPG, STEP or DXF drawing. This file is not one of them."
)
# The extension each detected kind is stored under (the upload's own name is never trusted).
KIND_EXTENSION = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "step": "step", "dxf": "dxf"}
KIND_CONTENT_TYPE = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "step": "application/step",
    "dxf": "image/vnd.dxf",
}
_SNIFF_BYTES = 64 * 1024
_NPWP_SEPARATORS = re.compile(r"[\s.\-/]")
_DXF_SECTIONS = {"HEADER", "ENTITIES", "CLASSES", "TABLES", "BLOCKS", "OBJECTS"}


def normalize_npwp(value: str | None) -> str | None:
    """Digits only, 16 long; the pre-2024 15-digit NPWP gets the official leading 0.

    Returns None for an empty value; raises ValidationError for anything else.
    """
    if value is None:
        return None
    digits = _NPWP_SEPARATORS.sub("", str(value))
    if not digits:
        return None
    if not digits.isdigit() or len(digits) not in (15, 16):
        raise ValidationError(
            _("NPWP must have 16 digits (or the older 15), for example 01.234.567.8-901.000."),
            code="invalid_npwp",
        )
    return digits if len(digits) == 16 else "0" + digits


def validate_npwp(value: str) -> None:
    if value and not (len(value) == 16 and value.isdigit()):
        raise ValidationError(_("NPWP must be stored as 16 digits."), code="invalid_npwp")


def _looks_like_step(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return text.startswith(b"ISO-10303-21;")


def _looks_like_dxf(head: bytes) -> bool:
    # ASCII DXF is pairs of lines: a group code, then a value. A drawing starts with
    # "0 / SECTION / 2 / <section name>", optionally after "999 / comment" pairs.
    if b"\x00" in head:
        return False
    lines = [line.strip() for line in head.decode("latin-1").splitlines()]
    while len(lines) >= 2 and lines[0] == "999":
        lines = lines[2:]
    while lines and lines[0] == "":
        lines = lines[1:]
    return (
        len(lines) >= 4
        and lines[0] == "0"
        and lines[1] == "SECTION"
        and lines[2] == "2"
        and lines[3] in _DXF_SECTIONS
    )


def detect_attachment_kind(upload: UploadedFile) -> str | None:
    """pdf, png, jpeg, step or dxf, read from the content; None if it is none of them."""
    head = upload_head(upload, _SNIFF_BYTES)
    kind = filetype.guess(head)
    if kind is not None:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpeg"}.get(kind.mime)
    if _looks_like_step(head):
        return "step"
    if _looks_like_dxf(head):
        return "dxf"
    return None


def attachment_content_type(file: File) -> str | None:
    """The type of a stored drawing, read as its upload was checked (never from its name)."""
    kind = detect_attachment_kind(file)
    return KIND_CONTENT_TYPE[kind] if kind else None


def validate_requirement_attachment(upload: UploadedFile) -> None:
    check_upload_size(upload, ATTACHMENT_MAX_BYTES, ATTACHMENT_TOO_LARGE)
    kind = detect_attachment_kind(upload)
    if kind is None:
        raise ValidationError(ATTACHMENT_WRONG_TYPE, code="invalid_file_type")
    if kind in ("png", "jpeg"):
        verify_image(upload)
