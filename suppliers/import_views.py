"""The UMKM list import in the browser, for ministry staff and association members: upload a
CSV, read the dry run's problems row by row, then import, following the progress. The work is in
``importing.jobs`` (and the command's own importer); these views only check who may, and show."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.bodylimit import FORM_OVERHEAD, body_limit

from .importing import COLUMNS, jobs
from .importing.access import can_import
from .models import ImportJob

# The problems table shows this many rows; the rest are counted (a file of 10,000 bad rows
# must not become a page of 10,000 rows on a phone).
PROBLEM_ROWS_SHOWN = 200


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8 CSV, the same format as the import_suppliers command."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        jobs.import_upload_validate(file)
        return file


def _importer(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise PermissionDenied(
            _("Only ministry staff and industry associations import UMKM lists.")
        )


def _job(request: HttpRequest, public_id: uuid.UUID) -> ImportJob:
    """The user's own job; 404 for any other, so that other imports are not revealed."""
    job = ImportJob.objects.filter(public_id=public_id, created_by=request.user).first()
    if job is None:
        raise Http404
    return job


@body_limit(jobs.import_max_bytes() + FORM_OVERHEAD)
@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    _importer(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        try:
            job = jobs.import_job_create(
                user=request.user, file=form.cleaned_data["file"], language=get_language()
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("suppliers:import_job", public_id=job.public_id)
    return render(
        request,
        "suppliers/import.html",
        {
            "form": form,
            "columns": COLUMNS,
            "max_mb": jobs.import_max_bytes() // jobs.MB,
            "recent": jobs.import_jobs_for(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
def import_job(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _importer(request)
    job = _job(request, public_id)
    context = {
        "job": job,
        "problems": job.problems[:PROBLEM_ROWS_SHOWN],
        "problems_hidden": max(0, len(job.problems) - PROBLEM_ROWS_SHOWN),
    }
    if request.headers.get("HX-Request"):
        # The page polls this panel while the job runs.
        return render(request, "suppliers/_import_panel.html", context)
    return render(request, "suppliers/import_job.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _importer(request)
    job = _job(request, public_id)
    jobs.import_job_start(job=job)
    return redirect("suppliers:import_job", public_id=job.public_id)
