"""Celery tasks of the supplier app (found by autodiscovery here; they live beside their
services)."""

from .importing.tasks import apply_import_job, check_import_job

__all__ = ["apply_import_job", "check_import_job"]
