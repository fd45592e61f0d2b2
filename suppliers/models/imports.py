"""CSV imports started in the browser (issue 14, item 9): the uploaded file, the dry run's
problems and the progress of the apply, polled by the page.

The rows are checked and saved by the same public function as ``manage.py import_suppliers``
(``suppliers.importing.import_suppliers_file``); ``suppliers.importing.jobs`` runs it for a job.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage


def import_upload_path(instance: ImportJob, filename: str) -> str:
    # Never the uploaded name: it is kept apart (file_name) for display only.
    return f"imports/{uuid.uuid4().hex}.csv"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        APPLYING = "applying", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("started by"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to=import_upload_path, storage=private_storage)
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.PositiveIntegerField(_("file size (bytes)"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.CHECKING
    )
    # The dry run: every row with a problem ({row, label, problems: [{column, message}]}) and
    # what the other rows would do ({created, updated, unchanged, rejected}).
    problems = models.JSONField(_("problems"), default=list, blank=True)
    planned = models.JSONField(_("dry run counts"), default=dict, blank=True)
    # The apply: rows saved so far out of the rows to save, then the counts.
    rows_total = models.PositiveIntegerField(_("rows to import"), default=0)
    rows_done = models.PositiveIntegerField(_("rows imported"), default=0)
    result = models.JSONField(_("import counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("supplier import")
        verbose_name_plural = _("supplier imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="import_job_progress_within_total",
            ),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_job_user")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.APPLYING)

    @property
    def percent(self) -> int:
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def rejected_rows(self) -> int:
        return len(self.problems)
