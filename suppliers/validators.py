"""Upload and identifier validation, shared by forms, the CSV import and the API.

The upload helpers (``upload_head``, ``sniff_mime``, ``check_upload_size``, ``verify_image``)
also serve the manufacturers' drawing attachments: a file's type is always read from its
content, never from its name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

NIB_RE = re.compile(r"^\d{13}$")

validate_nib = RegexValidator(
    NIB_RE, _("NIB must be exactly 13 digits (numbers only)."), code="invalid_nib"
)

# Emoji, pictographs, control and private-use characters have no place in a name printed on an
# NIB; letters of any script, digits and punctuation do.
_NAME_REFUSED_CATEGORIES = {"So", "Sk", "Cc", "Co", "Cs", "Cn"}
_NAME_REFUSED_CHARS = {"\u200d", "\ufe0e", "\ufe0f", "\u20e3"}


def validate_name_characters(value: str) -> None:
    refused = [
        char
        for char in dict.fromkeys(value)
        if char in _NAME_REFUSED_CHARS
        or unicodedata.category(char) in _NAME_REFUSED_CATEGORIES
        or 0x1F000 <= ord(char) <= 0x1FAFF
    ]
    if refused:
        raise ValidationError(
            _(
                "Use letters, digits and ordinary punctuation only, as on the NIB; "
                "remove %(chars)s."
            ),
            code="invalid_characters",
            params={"chars": " ".join(c for c in refused if c.isprintable()) or "?"},
        )


DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MIME_TYPES = {"application/pdf", "image/jpeg", "image/png"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MIME_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_PIXELS = 40_000_000
SNIFF_BYTES = 8192
# What the user reads when a file is refused: the same text from the server's check and from
# the browser's (static/js/uploads.js, given it through ``upload_attrs``).
DOCUMENT_TOO_LARGE = _("The file is %(size)s MB; the maximum is 5 MB.")
DOCUMENT_WRONG_TYPE = _("Upload a PDF, JPG or PNG file. This file is not one of them.")
DOCUMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
PHOTO_TOO_LARGE = _("The photo is %(size)s MB; the maximum is 5 MB.")
PHOTO_WRONG_TYPE = _("Upload a JPG, PNG or WebP photo.")
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png", "webp")


def _decimal_separator() -> str:
    return formats.get_format("DECIMAL_SEPARATOR")


def upload_attrs(
    *, max_bytes: int, too_large: str, wrong_type: str, extensions: Iterable[str], accept: str
) -> dict[str, Any]:
    """A file input's attributes for the browser's check before sending: the server's limit,
    the names it accepts, its messages and its decimal mark, so that the browser writes the
    size as ``check_upload_size`` does (all lazy: rendered in the page's language)."""
    return {
        "accept": accept,
        "data-max-bytes": max_bytes,
        "data-extensions": ",".join(extensions),
        "data-too-large": too_large,
        "data-wrong-type": wrong_type,
        "data-decimal-separator": lazy(_decimal_separator, str)(),
    }


def upload_head(upload: UploadedFile, size: int = SNIFF_BYTES) -> bytes:
    """The file's first ``size`` bytes; the read position is left where it was."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(size)
    upload.seek(position)
    return head


def sniff_mime(upload: UploadedFile) -> str | None:
    """The MIME type read from the file's first bytes (never from its name)."""
    kind = filetype.guess(upload_head(upload))
    return kind.mime if kind else None


def check_upload_size(upload: UploadedFile, max_bytes: int, message: str) -> None:
    """``message`` is told the upload's ``size`` in MB."""
    if upload.size > max_bytes:
        raise ValidationError(
            message,
            code="file_too_large",
            # In the reader's number marks: "30,0 MB" in Indonesian, "30.0 MB" in English.
            params={"size": formats.number_format(upload.size / 1024 / 1024, 1)},
        )


def verify_image(upload: UploadedFile, *, max_pixels: int | None = None) -> None:
    """Opens the image to prove it is one (damaged or disguised files fail here)."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if max_pixels is not None and width * height > max_pixels:
                raise ValidationError(
                    _("The image is too large (%(w)s x %(h)s pixels)."),
                    code="image_too_large",
                    params={"w": width, "h": height},
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("The image file is damaged or not an image."), code="invalid_image"
        ) from exc
    finally:
        upload.seek(0)


def validate_certificate_document(upload: UploadedFile) -> None:
    check_upload_size(upload, DOCUMENT_MAX_BYTES, DOCUMENT_TOO_LARGE)
    mime = sniff_mime(upload)
    if mime not in DOCUMENT_MIME_TYPES:
        raise ValidationError(DOCUMENT_WRONG_TYPE, code="invalid_file_type")
    if mime != "application/pdf":
        verify_image(upload, max_pixels=PHOTO_MAX_PIXELS)


def certificate_content_type(file: File) -> str | None:
    """The type of a stored certificate document, read as its upload was checked."""
    mime = sniff_mime(file)
    return mime if mime in DOCUMENT_MIME_TYPES else None


def validate_photo(upload: UploadedFile) -> None:
    check_upload_size(upload, PHOTO_MAX_BYTES, PHOTO_TOO_LARGE)
    if sniff_mime(upload) not in PHOTO_MIME_TYPES:
        raise ValidationError(PHOTO_WRONG_TYPE, code="invalid_file_type")
    verify_image(upload, max_pixels=PHOTO_MAX_PIXELS)
