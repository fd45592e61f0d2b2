"""What every API view shares: authentication, scopes, rate limits, language, cursor pages."""

from __future__ import annotations

import math

from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import ngettext
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ErrorDetail
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer

from accounts.audit import AuditDoor, acting

from ..authentication import ApiKeyAuthentication
from ..pagination import ApiCursorPagination
from ..parsers import ApiJSONParser
from ..permissions import ScopeOrSessionPermission
from ..renderers import ApiContentNegotiation, ApiJSONRenderer
from ..throttling import PerKeyRateThrottle


def _language_from_header(header: str) -> str | None:
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class ThrottleFirstMixin:
    """Every caller is counted, before anything can refuse it."""

    def perform_authentication(self, request):
        try:
            super().perform_authentication(request)
        except exceptions.AuthenticationFailed:
            # A refused key makes the caller anonymous, and anonymous callers are counted per
            # address: guessing keys is rate limited like any anonymous use (429, not 401).
            self.check_throttles(request)
            raise

    def check_permissions(self, request):
        # DRF checks permissions before throttles, so callers refused for want of credentials
        # (401) were never counted: count every caller first.
        self.check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request):
        if getattr(request, "_rantai_throttled", False):
            return  # one count per request
        request._rantai_throttled = True
        super().check_throttles(request)

    def throttled(self, request, wait):
        seconds = max(1, math.ceil(wait or 0))
        exc = exceptions.Throttled(wait)
        # DRF's message has an untranslated half ("Expected available in ..."): one sentence.
        exc.detail = ErrorDetail(
            ngettext(
                "Too many requests. Try again in %(seconds)d second.",
                "Too many requests. Try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
            code="throttled",
        )
        raise exc


class ApiViewMixin(ThrottleFirstMixin):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [ScopeOrSessionPermission]
    throttle_classes = [PerKeyRateThrottle]
    pagination_class = ApiCursorPagination
    renderer_classes = [ApiJSONRenderer, BrowsableAPIRenderer]
    parser_classes = [ApiJSONParser, FormParser, MultiPartParser]
    content_negotiation_class = ApiContentNegotiation
    # Request bodies beyond this are refused before they are read (accounts.bodylimit).
    max_body_bytes = 1024 * 1024

    def dispatch(self, request, *args, **kwargs):
        # Whatever the key authentication says about who acts ends with this request.
        with acting(door=AuditDoor.API):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        # API clients say their language with Accept-Language, even when logged in (the site
        # would otherwise use the account's preferred language). Set before anything can fail,
        # so that error messages are in that language too.
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        language = _language_from_header(header) if header else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
        response["Content-Language"] = translation.get_language()
        rate = getattr(request, "rate_limit", None)
        if rate is not None:
            response["X-RateLimit-Limit"] = str(rate[0])
            response["X-RateLimit-Remaining"] = str(rate[1])
        return response


def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/v1/ answer in the API's error format, not as an HTML page."""
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    from ..exceptions import error_body

    return JsonResponse(error_body("not_found", _("There is no such API resource.")), status=404)
