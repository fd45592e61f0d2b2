from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def refresh_dashboard() -> None:
    """Rebuilds the dashboard's pre-aggregated facts (beat: every five minutes)."""
    services.dashboard_facts_refresh()


@shared_task(ignore_result=True)
def warm_dashboard() -> None:
    """The former name of ``refresh_dashboard``, for messages queued before the upgrade."""
    services.dashboard_facts_refresh()
