from __future__ import annotations

import math
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination

from .filters import offset_in_range

INVALID_CURSOR = _("This cursor is not valid. Start again from the first page.")


def _invalid_cursor() -> exceptions.ValidationError:
    return exceptions.ValidationError({"cursor": [INVALID_CURSOR]}, code="invalid_cursor")


class ApiCursorPagination(CursorPagination):
    """Stable pages over changing data; no COUNT(*) over 100,000 rows. The ordering is each
    view's ``ordering`` (or ``?ordering=``), always ending in a unique column.

    A cursor is opaque to clients but only base64: one that was not made here (or was altered)
    is refused with a 400 before it can reach the database."""

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

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound as exc:  # DRF: not base64, no valid offset or direction
            raise _invalid_cursor() from exc
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        """The position must be a value of the first ordering column, one the database takes."""
        name = self.ordering[0].lstrip("-")
        meta = self._model._meta
        try:
            field = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist:
            return  # ordered by an annotation: the ORM's business
        if "\x00" in position:
            raise _invalid_cursor()
        try:
            value = field.to_python(position)
            field.run_validators(value)  # includes the column's integer range
        except (ValidationError, TypeError, ValueError, OverflowError) as exc:
            raise _invalid_cursor() from exc
        if isinstance(value, float) and not math.isfinite(value):
            raise _invalid_cursor()
        if isinstance(value, datetime) and not offset_in_range(value):
            raise _invalid_cursor()
