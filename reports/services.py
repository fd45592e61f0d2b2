"""The refresh of the dashboard's pre-aggregated facts. (The ministry's verification decisions
are ``suppliers.verification.verification_decide``, the one service every door calls.)"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils import timezone

from . import facts
from .models import DashboardRefresh

# Any constant, the same for every process: two refreshes never interleave their rebuilds.
_REFRESH_LOCK = 0x7265706F


@transaction.atomic
def dashboard_facts_refresh(*, tz: str | None = None) -> DashboardRefresh:
    """Rebuilds the dashboard's fact tables from the live data, in one transaction.

    Called by the worker (``reports.tasks.refresh_dashboard``) every few minutes, and once by
    the first page view when the facts were never built. ``tz``: the time zone whose days the
    facts count (the current one by default, as ``Filters`` uses).
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFRESH_LOCK])
    # The facts hold the data as of this moment (the transaction's snapshot starts here).
    as_of = timezone.now()
    facts.rebuild(tz or timezone.get_current_timezone_name())
    refresh, _created = DashboardRefresh.objects.update_or_create(
        pk=1, defaults={"refreshed_at": as_of, "seconds": time.perf_counter() - started}
    )
    return refresh
