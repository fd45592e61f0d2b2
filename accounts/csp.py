"""The Content-Security-Policy header (django-csp, policy in settings.CONTENT_SECURITY_POLICY).

Rantai's own pages, the admin and the API docs keep to the strict policy. The one exception is
Django REST framework's browsable API (the partner API opened in a browser by a logged-in
user): its stock templates put ``style="..."`` on buttons, filters and nested form fields, so
its HTML pages may use inline style. Scripts stay ``'self'`` there too.
"""

from __future__ import annotations

from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase


def is_browsable_api(response: HttpResponseBase) -> bool:
    renderer: Any = getattr(response, "accepted_renderer", None)
    return getattr(renderer, "format", None) == "api"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_browsable_api(response):
            # ``update`` adds to the configured directive: style-src 'self' 'unsafe-inline'.
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
