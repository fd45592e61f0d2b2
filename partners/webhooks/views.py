"""A partner's webhook pages: its endpoints, registering one (the secret is shown once), the
endpoint's delivery log with "send test event", rotating the secret, removing it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.confirm import confirmation_page, is_confirmed

from ..models import WebhookEndpoint
from .forms import EVENT_LABELS, EndpointForm
from .selectors import endpoints_for, is_admin, may_manage_webhooks, partner_of
from .services import (
    endpoint_create,
    endpoint_remove,
    endpoint_secret_rotate,
    endpoint_update,
    webhook_test_send,
)

SECRET_SESSION_KEY = "webhook_secret_once"  # noqa: S105 (a session key name)
LOG_PAGE_SIZE = 25


def _require_access(request: HttpRequest) -> None:
    if not may_manage_webhooks(request.user):
        raise PermissionDenied(_("This page is for partner organisations."))


def _endpoint(request: HttpRequest, pk: int) -> WebhookEndpoint:
    _require_access(request)
    return get_object_or_404(endpoints_for(request.user), pk=pk, is_active=True)


def _show_secret_once(request: HttpRequest, endpoint: WebhookEndpoint) -> None:
    request.session[SECRET_SESSION_KEY] = {"endpoint": endpoint.pk, "secret": endpoint.secret}


def _apply_errors(form: EndpointForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def endpoint_list(request: HttpRequest) -> HttpResponse:
    _require_access(request)
    endpoints = endpoints_for(request.user).filter(is_active=True).order_by("partner__name", "pk")
    return render(
        request,
        "partners/webhooks/list.html",
        {
            "endpoints": endpoints,
            "partner": partner_of(request.user),
            "event_labels": EVENT_LABELS,
            "timeout": f"{settings.WEBHOOK_TIMEOUT_SECONDS:g}",
            "attempts": settings.WEBHOOK_MAX_ATTEMPTS,
        },
    )


@login_required
def endpoint_add(request: HttpRequest) -> HttpResponse:
    _require_access(request)
    admin = is_admin(request.user)
    form = EndpointForm(request.POST or None, admin=admin)
    if request.method == "POST" and form.is_valid():
        partner = form.cleaned_data["partner"] if admin else partner_of(request.user)
        if partner is None:
            raise PermissionDenied(_("This page is for partner organisations."))
        try:
            endpoint = endpoint_create(
                partner=partner,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            _show_secret_once(request, endpoint)
            messages.success(request, _("The endpoint is registered."))
            return redirect("webhooks:detail", endpoint.pk)
    status = 400 if form.errors else 200
    return render(request, "partners/webhooks/form.html", {"form": form}, status=status)


@login_required
def endpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint_update(
                endpoint=endpoint,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The endpoint is saved."))
            return redirect("webhooks:detail", endpoint.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "partners/webhooks/form.html",
        {"form": form, "endpoint": endpoint},
        status=status,
    )


@login_required
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    shown = request.session.get(SECRET_SESSION_KEY)
    secret = None
    if shown and shown.get("endpoint") == endpoint.pk:
        secret = request.session.pop(SECRET_SESSION_KEY)["secret"]
    deliveries = endpoint.deliveries.select_related("event").order_by("-created_at", "-pk")
    page = Paginator(deliveries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/webhooks/detail.html",
        {
            "endpoint": endpoint,
            "secret": secret,
            "page": page,
            "event_labels": EVENT_LABELS,
            "grace_hours": _grace_hours(),
        },
    )


def _grace_hours() -> int:
    return int(settings.WEBHOOK_SECRET_GRACE_HOURS)


@login_required
@require_POST
def endpoint_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    webhook_test_send(endpoint=endpoint)
    messages.success(request, _("A test event is on its way. Its delivery is in the log below."))
    return redirect("webhooks:detail", endpoint.pk)


@login_required
@require_POST
def endpoint_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("New signing secret"),
            question=_("Create a new signing secret for this endpoint?"),
            details=_(
                "The old secret keeps signing deliveries, next to the new one, for %(hours)s "
                "hours; then only the new one does."
            )
            % {"hours": _grace_hours()},
            button=_("Create new secret"),
            cancel_url=reverse("webhooks:detail", args=[endpoint.pk]),
        )
    endpoint = endpoint_secret_rotate(endpoint=endpoint)
    _show_secret_once(request, endpoint)
    messages.success(request, _("The endpoint has a new signing secret."))
    return redirect("webhooks:detail", endpoint.pk)


@login_required
@require_POST
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Remove endpoint"),
            question=_("Remove %(url)s? It will receive no more events.") % {"url": endpoint.url},
            button=_("Remove"),
            cancel_url=reverse("webhooks:detail", args=[endpoint.pk]),
        )
    endpoint_remove(endpoint=endpoint)
    messages.success(request, _("The endpoint is removed."))
    return redirect("webhooks:list")
