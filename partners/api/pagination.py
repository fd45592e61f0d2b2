from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    """Stable pages over changing data; no COUNT(*) over 100,000 rows. The ordering is each
    view's ``ordering`` (or ``?ordering=``), always ending in a unique column."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "id"

    def get_ordering(self, request, queryset, view):
        if any(
            hasattr(backend, "get_ordering") for backend in getattr(view, "filter_backends", [])
        ):
            return super().get_ordering(request, queryset, view)
        ordering = getattr(view, "ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)
