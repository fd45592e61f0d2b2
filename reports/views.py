from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from . import dashboard, exports, provincemap, selectors
from .forms import FilterForm


def ministry_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not selectors.can_use_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- dashboard --------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[FilterForm, dashboard.Filters]:
    form = FilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    return form, form.filters()


def _meta(form: FilterForm, f: dashboard.Filters) -> list[tuple[str, str]]:
    """The period and filters in words, for the print view and the exports."""
    return [(label, value) for _name, label, value in form.describe(f)]


def _chips(request: HttpRequest, form: FilterForm, f: dashboard.Filters) -> list[dict]:
    """The active filters, each with the address of the same report without it."""
    fields = {"period": ("date_from", "date_to")}
    chips = []
    for name, label, value in form.active(f):
        query = request.GET.copy()
        for key in fields.get(name, (name,)):
            query.pop(key, None)
        chips.append({"name": name, "label": label, "value": value, "query": query.urlencode()})
    return chips


def _dashboard_context(request: HttpRequest) -> dict:
    form, f = _filters(request)
    data = dashboard.cached_dashboard(f)
    chips = _chips(request, form, f)
    # "Clear all" keeps only the map's measure: a view choice, not a filter.
    measure = request.GET.get("measure")
    return {
        "form": form,
        "filters": f,
        "meta": _meta(form, f),
        "chips": chips,
        "clear_query": f"measure={measure}" if measure in dashboard.BREAKDOWN_COLUMNS else "",
        "data": data,
        "tables": _with_scale(dashboard.tables(data)),
        "columns": dashboard.BREAKDOWN_COLUMNS,
        "labels": dashboard.KEY_FIGURE_LABELS,
        "query": request.GET.urlencode(),
        "province_map": _province_map(request, data),
        "as_of": _as_of(data["computed_at"]),
    }


def _as_of(moment) -> str:
    """When the figures were computed: the time, and the date too if it was not today (a
    worker that stopped shows as such)."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return date_format(local, "H:i")
    return date_format(local, "SHORT_DATETIME_FORMAT")


def _province_map(request: HttpRequest, data: dict) -> dict:
    """The map of the province table, shaded by the measure the ``measure`` parameter names
    (an unknown one falls back to registrations)."""
    measure = request.GET.get("measure", "")
    if measure not in dashboard.BREAKDOWN_COLUMNS:
        measure = "registered"
    rows = dict(data["breakdowns"])["province"]
    regions = provincemap.regions({row["key"]: row[measure] for row in rows})
    largest = max((r.value for r in regions if isinstance(r.value, int | float)), default=0)
    links = []
    for key, label in dashboard.BREAKDOWN_COLUMNS.items():
        query = request.GET.copy()
        query["measure"] = key
        links.append({"key": key, "label": label, "query": query.urlencode()})
    return {
        "measure": measure,
        "label": dashboard.BREAKDOWN_COLUMNS[measure],
        "regions": regions,
        "legend": provincemap.legend(largest),
        "links": links,
        "width": provincemap.WIDTH,
        "height": provincemap.height(),
    }


def _with_scale(tables) -> list[dict]:
    """Each table with the largest value of its first number column (the bar chart's scale)."""
    result = []
    for slug, title, headers, rows in tables:
        numbers = [row[1] for row in rows if isinstance(row[1], int | float)]
        result.append(
            {
                "slug": slug,
                "title": title,
                "headers": headers,
                "rows": rows,
                "max": max(numbers, default=0) or 1,
                "chart": slug != "figures",
            }
        )
    return result


@ministry_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/dashboard.html", _dashboard_context(request))


@ministry_required
@require_GET
def print_view(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/print.html", _dashboard_context(request))


@ministry_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    _form, f = _filters(request)
    tables = {t[0]: t for t in dashboard.tables(dashboard.cached_dashboard(f))}
    slug = request.GET.get("table", "figures")
    if slug not in tables:
        raise Http404
    _slug, _title, headers, rows = tables[slug]
    response = HttpResponse(exports.to_csv(headers, rows), content_type="text/csv; charset=utf-8")
    name = f"rantai-{slug}-{f.date_from:%Y%m%d}-{f.date_to:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@ministry_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    form, f = _filters(request)
    content = exports.to_xlsx(dashboard.tables(dashboard.cached_dashboard(f)), _meta(form, f))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"rantai-report-{f.date_from:%Y%m%d}-{f.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
