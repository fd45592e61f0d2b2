"""The API's JSON parser: bounded nesting, strict JSON, a 400 for anything else.

Python's ``json`` parses by recursion, so a body of ten thousand ``[`` raised ``RecursionError``
(a 500). orjson stops at 1024 levels on its own; this parser then allows ``MAX_DEPTH``, far more
than any Rantai resource needs, so no later step (validation, error messages, rendering) ever
meets a deep structure either. orjson also refuses what is not strict JSON (``NaN``,
``Infinity``, numbers that overflow, lone surrogates, which PostgreSQL could not store).
"""

from __future__ import annotations

import orjson
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def too_deep(data, limit: int = MAX_DEPTH) -> bool:
    """True if ``data`` nests lists and objects more than ``limit`` levels (iteratively)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class ApiJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding") or "utf-8"
        raw = stream.read() if stream is not None else b""
        try:
            if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
                raw = raw.decode(encoding).encode()
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ParseError(
                _("The body is not valid JSON (line %(line)d, column %(column)d).")
                % {"line": exc.lineno, "column": exc.colno}
            ) from exc
        except (UnicodeError, LookupError) as exc:  # not in its declared character set
            raise ParseError(_("The body is not valid JSON.")) from exc
        if too_deep(data):
            raise ParseError(
                _("The JSON body nests more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}
            )
        return data
