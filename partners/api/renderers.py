"""The API's JSON: DRF's output (compact, UTF-8, ``\\u2028``/``\\u2029`` escaped, datetimes in ISO
8601 with ``Z`` for UTC) written by orjson, several times faster than ``json.dumps`` on a page of
50 suppliers. Floats may be spelled differently (``1e16`` for ``1e+16``): the same JSON number."""

from __future__ import annotations

import orjson
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer

_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
# Valid JSON but not valid JavaScript: DRF escapes them, so does this renderer.
_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class ApiJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        options = _OPTIONS
        if self.get_indent(accepted_media_type, renderer_context or {}):
            options |= orjson.OPT_INDENT_2  # the browsable API, or "; indent=" in Accept
        try:
            # What orjson does not know (lazy translations, decimals): as DRF's encoder does.
            content = orjson.dumps(data, default=self.encoder_class().default, option=options)
        except orjson.JSONEncodeError:
            # What only Python writes (a lone surrogate echoed from the input): DRF decides.
            return super().render(data, accepted_media_type, renderer_context)
        for separator, escaped in _SEPARATORS:
            if separator in content:
                content = content.replace(separator, escaped)
        return content


class ApiContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, answered at once for what API clients send (no ``Accept``, ``*/*`` or
    ``application/json``): the JSON renderer, as DRF would pick it."""

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "*/*")
        first = renderers[0]
        if (
            accept in ("*/*", "application/json")
            and not format_suffix
            and first.media_type == "application/json"
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)
