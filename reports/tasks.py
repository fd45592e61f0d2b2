from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from .dashboard import CACHE_SECONDS, Filters, cache_key, dashboard, default_period


@shared_task(ignore_result=True)
def warm_dashboard() -> None:
    """Recomputes the default dashboard (last twelve months, no filter) in every language."""
    start, end = default_period()
    f = Filters(date_from=start, date_to=end)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            cache.set(cache_key(f), dashboard(f), CACHE_SECONDS)
