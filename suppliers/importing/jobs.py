"""Supplier CSV imports started in the browser: upload, dry run, apply with progress.

The rows are checked and saved only by ``import_suppliers_file``, the function behind
``manage.py import_suppliers``: the browser applies exactly the command's rules. The dry run
checks the whole file at once (rows repeating a NIB are found across the file). The apply then
saves the rows the dry run accepted in chunks (``SUPPLIER_IMPORT_CHUNK_ROWS``), each chunk one
call of the same function (so each row is checked again against the database as it is then),
and records the progress after each chunk for the page to poll. Rows the dry run rejected are
not saved, as the command would not save them.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.outage import enqueue

from ..models import ImportJob
from . import job_runs, tasks

MB = 1024 * 1024
# What browsers and spreadsheets send for a .csv file (Windows sends Excel's type).
CSV_CONTENT_TYPES = frozenset(
    {
        "text/csv",
        "text/plain",
        "application/csv",
        "application/vnd.ms-excel",
        "text/comma-separated-values",
        "application/octet-stream",
    }
)


def import_max_bytes() -> int:
    return int(getattr(settings, "SUPPLIER_IMPORT_MAX_BYTES", 10 * MB))


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


def import_upload_validate(file: UploadedFile) -> None:
    """The upload as a whole: a .csv name, a CSV type, not empty, within the size limit, UTF-8
    text. The rows are the importer's business (the dry run)."""
    name = file.name or ""
    if not name.lower().endswith(".csv"):
        raise ValidationError(
            _('Choose a CSV file (a name ending in .csv; in a spreadsheet, "Save as CSV UTF-8").'),
            code="not_csv",
        )
    content_type = (getattr(file, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type and content_type not in CSV_CONTENT_TYPES:
        raise ValidationError(_("This file is not a CSV file."), code="not_csv")
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if file.size > import_max_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB can be imported at once.")
            % {"size": _megabytes(file.size), "max": _megabytes(import_max_bytes())},
            code="too_large",
        )
    file.seek(0)
    raw = file.read()
    file.seek(0)
    if b"\x00" in raw:
        raise ValidationError(_("This file is not a CSV file."), code="binary")
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _('The file is not UTF-8 text. In a spreadsheet, save it as "CSV UTF-8".'),
            code="encoding",
        ) from exc


def _enqueue(task, job_id: int) -> None:
    if not enqueue(task, (job_id,)):
        job_runs.import_job_fail(
            job_id=job_id,
            message=_("The import could not be started; try again in a few minutes."),
        )


@transaction.atomic
def import_job_create(*, user: User, file: UploadedFile, language: str) -> ImportJob:
    """Keeps the upload and starts its dry run (after the commit, on a worker)."""
    import_upload_validate(file)
    job = ImportJob(
        created_by=user,
        language=language,
        file_name=Path(file.name).name[:200],
        file_size=file.size,
    )
    job.file.save("upload.csv", file, save=False)
    job.save()
    transaction.on_commit(lambda: _enqueue(tasks.check_import_job, job.pk))
    return job


@transaction.atomic
def import_job_start(*, job: ImportJob) -> bool:
    """Starts saving a checked file (once: a second click or tab changes nothing)."""
    started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.APPLYING, rows_done=0
    )
    if started:
        transaction.on_commit(lambda: _enqueue(tasks.apply_import_job, job.pk))
    return bool(started)


def import_jobs_for(user: User, limit: int = 10) -> list[ImportJob]:
    return list(ImportJob.objects.filter(created_by=user)[:limit])
