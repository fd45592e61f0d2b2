"""Where private uploads live: outside MEDIA_ROOT, so no web server or /media/ URL can reach them.

Certificate documents are served only through a permission-checked view.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


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
