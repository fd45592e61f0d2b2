"""One page of a long list, for the pages that render ``includes/pagination.html``."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest


def page_context(request: HttpRequest, items: Any, per_page: int) -> dict[str, Any]:
    """``page`` (from ``?page=``, a bad number gives the nearest page) and ``query``, the
    current filters without ``page``, so the page links keep them."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
