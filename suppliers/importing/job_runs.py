"""The work of a browser import, run by the worker (``suppliers.importing.tasks``): the dry run
and the apply in chunks with progress. ``jobs`` explains the design; these only run
``import_suppliers_file``, the command's own function.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import AuditDoor, acting

from ..models import ImportJob
from .access import IMPORT_CREATED
from .csv_common import (
    CREATED,
    OUTCOMES,
    REJECTED,
    UNCHANGED,
    UPDATED,
    ImportFileError,
    read_records,
)
from .csv_import import import_suppliers_file

logger = logging.getLogger(__name__)


def chunk_rows() -> int:
    return max(1, int(getattr(settings, "SUPPLIER_IMPORT_CHUNK_ROWS", 500)))


def _row_dict(result) -> dict:
    return {
        "row": result.row,
        "label": result.label(),
        "problems": [{"column": p.column, "message": p.message} for p in result.problems],
    }


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


def import_job_check(*, job_id: int) -> ImportJob | None:
    """The dry run: every row checked, nothing saved; the problems are stored in the language of
    the person who uploaded the file."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).first()
    if job is None:
        return None  # already checked (a redelivered task)
    with translation.override(job.language):
        try:
            report = import_suppliers_file(job.file.path, dry_run=True)
        except ImportFileError as exc:
            _fail(job, str(exc))
            return ImportJob.objects.get(pk=job.pk)
    problems = [_row_dict(result) for result in report.rows if result.outcome == REJECTED]
    planned = {outcome: report.count(outcome) for outcome in OUTCOMES}
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKING).update(
        status=ImportJob.Status.CHECKED,
        problems=problems,
        planned=planned,
        rows_total=len(report.rows) - len(problems),
        checked_at=timezone.now(),
    )
    return ImportJob.objects.get(pk=job.pk)


def _chunks(numbers: list[int]) -> list[list[int]]:
    size = chunk_rows()
    return [numbers[i : i + size] for i in range(0, len(numbers), size)]


def import_job_apply(*, job_id: int) -> ImportJob | None:
    """Saves the rows the dry run accepted, chunk by chunk, recording the progress."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.APPLYING).first()
    if job is None:
        return None
    rejected = {item["row"] for item in job.problems}
    counts = dict.fromkeys(OUTCOMES, 0)
    counts[REJECTED] = len(rejected)
    problems = list(job.problems)
    with translation.override(job.language), tempfile.TemporaryDirectory() as folder:
        try:
            records = read_records(Path(job.file.path))
        except ImportFileError as exc:
            _fail(job, str(exc))
            return ImportJob.objects.get(pk=job.pk)
        # Row numbers as the importer counts them (the header is row 1); blank rows are skipped.
        numbers = [
            number
            for number, record in enumerate(records[1:], start=2)
            if number not in rejected and any(cell.strip() for cell in record)
        ]
        done = 0
        for chunk in _chunks(numbers):
            path = Path(folder) / "chunk.csv"
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(records[0])
                writer.writerows(records[number - 1] for number in chunk)
            try:
                report = _apply_chunk(job, path)
            except ImportFileError as exc:  # pragma: no cover - the dry run read the same file
                _fail(job, str(exc))
                return ImportJob.objects.get(pk=job.pk)
            for result, number in zip(report.rows, chunk, strict=True):
                counts[result.outcome] += 1
                if result.outcome == REJECTED:
                    # The database changed since the dry run (another import, a form).
                    result.row = number
                    problems.append(_row_dict(result))
            done += len(chunk)
            ImportJob.objects.filter(pk=job.pk).update(rows_done=min(done, job.rows_total))
    problems.sort(key=lambda item: item["row"])
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        problems=problems,
        result=counts,
        rows_done=F("rows_total"),
        finished_at=timezone.now(),
        file="",
    )
    # The list holds people's contact details: once imported, the upload is not kept (the
    # problems and counts stay for the page).
    job.file.storage.delete(job.file.name)
    logger.info(
        "supplier import %s: created %s, updated %s, unchanged %s, rejected %s",
        job.pk,
        counts[CREATED],
        counts[UPDATED],
        counts[UNCHANGED],
        counts[REJECTED],
    )
    return ImportJob.objects.get(pk=job.pk)


@transaction.atomic
def _apply_chunk(job: ImportJob, path: Path):
    """Saves one chunk as the person who uploaded the file, and lets the apps above know which
    firms it created, in the same transaction."""
    with acting(door=AuditDoor.IMPORT, user=job.created_by):
        report = import_suppliers_file(path, dry_run=False, label=f"import {job.file_name}")
        created = [
            result.supplier_id
            for result in report.rows
            if result.outcome == CREATED and result.supplier_id is not None
        ]
        if created:
            for hook in IMPORT_CREATED:
                hook(job.created_by, created)
    return report


def import_job_fail(*, job_id: int, message: str = "") -> None:
    """A job that cannot go on (its task stopped on an unexpected error, or could not be
    enqueued): the page says so instead of waiting."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and job.is_running:
        with translation.override(job.language):
            _fail(
                job,
                message
                or _(
                    "The import stopped on an unexpected error. Rows saved so far stay saved; "
                    "upload the file again to import the rest (saved rows show as unchanged)."
                ),
            )
