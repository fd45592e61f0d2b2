from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Ministry reports")

    def ready(self) -> None:
        from django.conf import settings

        # Registered here rather than in config/settings.py so the app can be left out whole;
        # Celery beat reads the schedule after Django is set up.
        schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
        if isinstance(schedule, dict):
            # Rebuilds the dashboard's pre-aggregated facts; a refresh left waiting in the queue
            # past the next one is dropped rather than run twice.
            schedule.setdefault(
                "reports-refresh-dashboard",
                {
                    "task": "reports.tasks.refresh_dashboard",
                    "schedule": 300.0,
                    "options": {"expires": 290},
                },
            )
