"""Where private uploads live: outside MEDIA_ROOT, so no web server or /media/ URL can reach them,
and how they are sent: only through permission-checked views, all with
``private_file_response`` (certificates here, drawings in ``manufacturers`` and
``introductions``).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible

from accounts.audit import audit_record
from accounts.records import AuditRecord


def private_media_root() -> Path:
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "private_media"


@deconstructible(path="suppliers.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    # Read the settings on every access (not once at import) so tests and deployments that
    # change MEDIA_ROOT / PRIVATE_MEDIA_ROOT keep private files where they belong.
    @property
    def base_location(self):  # type: ignore[override]
        return private_media_root()

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):  # type: ignore[override]
        return None

    def url(self, name):
        # Never a /media/ address: the view checks who is asking before it sends the file.
        from django.urls import reverse

        return reverse("suppliers:private_file", args=[name])


private_storage = PrivateStorage()


# --- sending a private file ---------------------------------------------------------------------

OCTET_STREAM = "application/octet-stream"
# The file name extensions each checked type is offered under (the first one when it has none
# of them); the types come from the upload validators' detection.
EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/webp": ("webp",),
    "application/step": ("step", "stp"),
    "image/vnd.dxf": ("dxf",),
}
# What a browser may show in its own window; everything else is only ever downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"})


def safe_filename(name: str, content_type: str, fallback: str = "file") -> str:
    """``name`` without folders or control characters, with an extension that fits the file's
    checked type (``drawing.exe`` holding a PDF is offered as ``drawing.exe.pdf``)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    base = base or fallback
    extensions = EXTENSIONS.get(content_type, ())
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if extensions and extension not in extensions:
        base = f"{base}.{extensions[0]}"
    return base[-200:]


def content_disposition(filename: str, *, inline: bool) -> str:
    """RFC 6266: a quoted ASCII ``filename`` every browser reads and, when the name is not plain
    ASCII, the exact one as RFC 5987 ``filename*``."""
    disposition = "inline" if inline else "attachment"
    # Accents dropped ("é" -> "e"), any other character outside plain ASCII -> "_".
    letters = unicodedata.normalize("NFKD", filename)
    ascii_name = "".join(ch for ch in letters if not unicodedata.combining(ch))
    ascii_name = re.sub(r"[^\w .()+,=@-]", "_", ascii_name, flags=re.ASCII).strip() or "file"
    header = f'{disposition}; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


@dataclass(frozen=True)
class Download:
    """What a private file is, for the audit trail: the object (``certification``,
    ``attachment``) and the firm it belongs to."""

    object_kind: str
    object_id: int
    firm_kind: str
    firm_id: int


def private_file_response(
    stored: FieldFile,
    *,
    filename: str,
    checked_type: Callable[[File], str | None],
    audited_as: Download,
    inline: bool = False,
) -> FileResponse:
    """A private file, for a reader the view has already checked. Its type is what
    ``checked_type`` (the upload validator's own detection) reads from the stored bytes, never
    its name; a file it does not recognise goes out as an ``application/octet-stream``
    download. Never cached, never sniffed by the browser. Http404 if the file is gone. Every
    download is recorded in the audit trail (who, through which door, which file of which
    firm)."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_record(
        action=AuditRecord.Action.FILE_DOWNLOADED,
        object_kind=audited_as.object_kind,
        object_id=audited_as.object_id,
        firm_kind=audited_as.firm_kind,
        firm_id=audited_as.firm_id,
    )
    content_type = checked_type(handle) or OCTET_STREAM
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        safe_filename(filename, content_type), inline=inline and content_type in INLINE_TYPES
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
