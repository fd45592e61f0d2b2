from celery import shared_task

from . import services


@shared_task(name="manufacturers.tasks.expire_requirements")
def expire_requirements() -> int:
    """Daily: closes open requirements whose needed-by date has passed (reason: expired)."""
    return services.requirements_expire_overdue()
