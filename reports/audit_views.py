"""The audit trail's page and its CSV export (``/reports/audit/``): ministry staff and
administrators only, like every report."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.spreadsheets import SafeCsvWriter
from suppliers.pagination import page_context

from . import audit
from .views import ministry_required


def _form(request: HttpRequest) -> tuple[audit.AuditFilterForm, audit.Filters]:
    form = audit.AuditFilterForm(request.GET or None)
    return form, form.filters()


@ministry_required
@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse:
    form, filters = _form(request)
    context = page_context(request, audit.audit_trail(filters), audit.PAGE_SIZE)
    context.update(
        form=form,
        rows=audit.rows(context["page"].object_list),
        filtered=request.GET.copy(),
    )
    return render(request, "reports/audit.html", context)


class _Echo:
    """A file whose ``write`` returns the line, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


@ministry_required
@require_GET
def audit_trail_csv(request: HttpRequest) -> StreamingHttpResponse:
    _form_unused, filters = _form(request)
    writer = SafeCsvWriter(_Echo())

    def lines():
        yield "\ufeff"  # a spreadsheet reads the file as UTF-8
        yield writer.writerow(audit.csv_header())
        for row in audit.csv_rows(audit.audit_trail(filters)):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"rantai-audit-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
