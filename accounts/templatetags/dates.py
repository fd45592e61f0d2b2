"""``{{ value|day }}``: a date (or an ISO date string kept in a notification's parameters) in the
site's one format per language, "3 Des 2026" / "3 Dec 2026" (config/formats)."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def day(value: date | datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "DATE_FORMAT")
