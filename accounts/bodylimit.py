"""Request bodies are capped per view, before anything reads them.

Django reads a body when something first touches ``request.POST``, ``request.FILES`` or
``request.body`` (the CSRF check does, for every POST), and the multipart parser streams an
upload of any size to a temporary file before a form can say it is too large. So this
middleware compares ``Content-Length`` with the limit of the view the URL resolved to, before
the CSRF middleware's ``process_view``, and answers 413 without reading a byte:

- views that take uploads declare their limit with ``@body_limit(...)`` (the file's own limit
  from the validators plus ``FORM_OVERHEAD`` for the other fields and the multipart framing);
- class-based and API views declare ``max_body_bytes`` (the partner API: 1 MB);
- the admin (several uploads in one form) gets ``ADMIN_MAX_BODY_BYTES``;
- everything else ``settings.REQUEST_BODY_MAX_BYTES``.

A body without ``Content-Length`` (``Transfer-Encoding: chunked``) is read here, through the
limit, when the server has de-chunked it (``wsgi.input_terminated``, as gunicorn does): past the
limit the request is refused while streaming; within it the request goes on with a normal
``Content-Length``. Without that flag Django reads no chunked body at all, so there is nothing
to cap. The reverse proxy should refuse oversized bodies first (README, production).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

MB = 1024 * 1024
FORM_OVERHEAD = 256 * 1024
ADMIN_MAX_BODY_BYTES = 50 * MB
_CHUNK = 64 * 1024


def body_limit(max_bytes: int) -> Callable:
    """Lets a view accept request bodies up to ``max_bytes`` (apply it outermost)."""

    def decorate(view: Callable) -> Callable:
        view.max_body_bytes = max_bytes
        return view

    return decorate


def limit_for(request: HttpRequest, view_func: Callable) -> int:
    for holder in (
        view_func,
        getattr(view_func, "cls", None),  # DRF views
        getattr(view_func, "view_class", None),  # Django class-based views
    ):
        limit = getattr(holder, "max_body_bytes", None)
        if limit is not None:
            return limit
    match = request.resolver_match
    if match is not None and "admin" in match.namespaces:
        return ADMIN_MAX_BODY_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


def _is_api(view_func: Callable) -> bool:
    from rest_framework.views import APIView

    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def too_large(request: HttpRequest, view_func: Callable, limit: int) -> HttpResponse:
    size = f"{limit / MB:.1f}".removesuffix(".0")
    message = _("The request is too large: at most %(size)s MB can be sent here.") % {"size": size}
    if _is_api(view_func):
        # The API's one error format (partners.api.exceptions.error_body).
        return JsonResponse(
            {"error": {"code": "request_too_large", "message": message}}, status=413
        )
    return render(request, "413.html", {"message": message}, status=413)


def _read_chunked(request: HttpRequest, limit: int) -> bool:
    """Reads a de-chunked body of unknown length through ``limit`` (False: it is larger) and
    puts it back as a body of known length."""
    source = request.META["wsgi.input"]
    # Not a context manager: on success the spool becomes the request's body.
    spool = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    size = 0
    while True:
        chunk = source.read(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            spool.close()
            return False
        spool.write(chunk)
    spool.seek(0)
    request.META["CONTENT_LENGTH"] = str(size)
    request._stream = LimitedStream(spool, size)
    request._body_spool = spool  # lives as long as the request
    return True


class RequestBodyLimitMiddleware:
    """Must come before ``CsrfViewMiddleware`` (which reads POST bodies in ``process_view``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        limit = limit_for(request, view_func)
        length = request.META.get("CONTENT_LENGTH")
        if length:
            try:
                declared = int(length)
            except ValueError:
                declared = 0  # Django reads nothing then
            if declared > limit:
                return too_large(request, view_func, limit)
            return None
        meta = request.META
        chunked = meta.get("HTTP_TRANSFER_ENCODING") and meta.get("wsgi.input_terminated")
        if chunked and not _read_chunked(request, limit):
            return too_large(request, view_func, limit)
        return None
