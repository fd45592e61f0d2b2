"""One error format for every API failure:

    {"error": {"code": "invalid", "message": "...", "fields": {"nib": ["..."]}}}

``fields`` appears for validation errors only. Messages are in the request's language
(``Accept-Language``), since the views activate it before anything else runs.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def _first_code(codes) -> str:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, dict):
        codes = list(codes.values())
    for code in codes or []:
        found = _first_code(code)
        if found:
            return found
    return ""


def _flatten(detail) -> dict[str, list[str]]:
    """Nested serializer errors -> ``{"field": [...], "certifications.0.code": [...]}``."""
    fields: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), inner)
        elif isinstance(value, list):
            fields.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
        elif value:
            fields.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return fields


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body: dict = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(
            error_body("server_error", _("Something went wrong on our side. Try again later.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            "invalid", _("Some fields are not valid; see fields."), _flatten(exc.detail)
        )
        return response
    if isinstance(exc, exceptions.APIException):
        code = _first_code(exc.get_codes()) or exc.default_code
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else str(exc.default_detail)
        response.data = error_body(code, message)
    return response
