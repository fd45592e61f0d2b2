"""The ministry's verification queue: a paged, filtered list of waiting firms, one firm's review
on its own page, and the decision, which brings the reviewer back to the queue where they were
(same filters, same page) with a message naming the firm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from suppliers.models import VerificationDecision
from suppliers.pagination import page_context
from suppliers.verification import verification_decide

from . import queue, selectors
from .forms import DecisionForm, QueueFilterForm
from .views import ministry_required

# The queue's own parameters: the only ones a review page carries back to it.
QUEUE_PARAMETERS = ("q", "kind", "province", "review", "waiting", "page")


def _queue_query(raw: str) -> str:
    """The queue's query string from ``back`` (a review page's way back), keeping only the
    queue's parameters: whatever else arrives is not echoed into a link."""
    given = QueryDict(raw or "")
    kept = QueryDict(mutable=True)
    for name in QUEUE_PARAMETERS:
        for value in given.getlist(name)[:1]:
            if value:
                kept[name] = value[:100]
    return kept.urlencode()


def _queue_url(query: str) -> str:
    url = reverse("reports:queue")
    return f"{url}?{query}" if query else url


@ministry_required
@require_GET
def queue_list(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    context = page_context(request, queue.waiting_firms(filters), queue.PAGE_SIZE)
    back = request.GET.copy()
    context.update(
        form=form,
        filters=filters,
        filtered=filters != queue.QueueFilters(),
        back=_queue_query(back.urlencode()),
        decisions=selectors.recent_decisions(),
    )
    return render(request, "reports/queue.html", context)


def _decision_form(review: queue.FirmReview, data=None) -> DecisionForm:
    expired = [
        _("%(name)s, expired on %(date)s")
        % {
            "name": check.certificate.cert_type.name,
            "date": date_format(check.certificate.valid_until, "j M Y"),
        }
        for check in review.expired
    ]
    return DecisionForm(data, expired=expired)


def _review_page(
    request: HttpRequest, review: queue.FirmReview, form: DecisionForm, back: str, status=200
) -> HttpResponse:
    context = {
        "entry": review,
        "firm": review.firm,
        "form": form,
        "back": back,
        "queue_url": _queue_url(back),
    }
    return render(request, "reports/review.html", context, status=status)


@ministry_required
@require_GET
def review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    entry = queue.firm_review(kind, pk)
    back = _queue_query(request.GET.get("back", ""))
    return _review_page(request, entry, _decision_form(entry), back)


@ministry_required
@require_POST
def decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    entry = queue.firm_review(kind, pk)
    back = _queue_query(request.POST.get("back", ""))
    form = _decision_form(entry, request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            verification_decide(
                firm=entry.firm,
                by=request.user,
                decision=decision,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("reason", message)
        else:
            name = entry.firm.firm_name
            if decision == VerificationDecision.Decision.APPROVED:
                text = _("%(firm)s is verified; the firm has been notified.")
            else:
                text = _("%(firm)s is rejected; the firm has been notified of the reason.")
            messages.success(request, text % {"firm": name})
            return redirect(_queue_url(back))
    # Only this firm's page comes back, with the errors at its top and beside the fields.
    return _review_page(request, entry, form, back, status=400)
