"""``ETag`` / ``If-None-Match`` for detail resources.

The tag is a hash of the representation this caller gets (its language, its view of private
fields), so a change anywhere that shows in the body (a many-to-many list, a revoked consent)
changes the tag; a client that polls gets ``304`` with no body while nothing changed.
"""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from rest_framework import status
from rest_framework.response import Response


def etag_of(data) -> str:
    payload = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:40] + '"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags


def etag_response(request, data) -> Response:
    etag = etag_of(data)
    if request.method in ("GET", "HEAD") and _matches(request.headers.get("If-None-Match"), etag):
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(data)
    response["ETag"] = etag
    return response
