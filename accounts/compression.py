"""Gzip for the pages of visitors who are not logged in.

BREACH reads secrets out of compressed HTTPS responses by reflecting guesses into a page and
watching its length. A logged-in person's pages hold secrets (contact details released by an
introduction, their own NIB and NPWP, the session's CSRF token), so they are sent uncompressed;
the public pages hold none but the CSRF token, which Django masks afresh in every response, and
Django's GZipMiddleware also pads every compressed response by a random length. The partner API
counts as logged out here (its key travels in a header a third party's page cannot make a
browser send, so BREACH has nothing to reflect against) and is compressed. Static files are
compressed ahead of time by whitenoise (``CompressedManifestStaticFilesStorage``), not here.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware


class AnonymousGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        return super().process_response(request, response)
