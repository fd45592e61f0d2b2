"""The OpenAPI schema (``/api/v1/schema/``): public, rate limited and built once.

Generating and rendering the schema costs about 100 ms of CPU; it only changes with a deploy.
So each process keeps the rendered document per language and format, and anonymous callers are
counted against the per-address limit like every other API call (a key or a session counts
against its own limit).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ..renderers import ApiJSONRenderer
from .base import ApiViewMixin, ThrottleFirstMixin

# (language, media type) -> rendered schema
_rendered: dict[tuple[str, str], bytes] = {}
_rendered_lock = threading.Lock()


def forget_schema() -> None:
    with _rendered_lock:
        _rendered.clear()


class _Throttled(ThrottleFirstMixin):
    """The API's authentication, rate limits and error format, for the schema views (which
    keep their own renderers and open permissions)."""

    authentication_classes = ApiViewMixin.authentication_classes
    throttle_classes = ApiViewMixin.throttle_classes

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # Errors in the API's JSON format, not as a YAML document or a Swagger page.
        self.request.accepted_renderer = ApiJSONRenderer()
        self.request.accepted_media_type = ApiJSONRenderer.media_type
        return response


class ApiSchemaView(_Throttled, SpectacularAPIView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # ``?lang=`` only for a language the site has: anything else would grow the memory.
        language = request.GET.get("lang")
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language()
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        key = (language, media_type)
        content = _rendered.get(key)
        if content is None:
            with translation.override(language):
                response = self._get_schema_response(request)
                content = renderer.render(response.data, media_type, self.get_renderer_context())
            # Kept only for the plain media types: parameters (``; indent=3``) are unbounded.
            if media_type == renderer.media_type:
                with _rendered_lock:
                    _rendered[key] = content
        content_type = media_type
        if renderer.charset:
            content_type = f"{media_type}; charset={renderer.charset}"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{self._get_filename(request, None)}"'
        return response

    def _get_version_parameter(self, request):
        return None  # the version is in the path; ``?version=`` must not make new schemas


class ApiDocsView(_Throttled, SpectacularSwaggerSplitView):
    pass
