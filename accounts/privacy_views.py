"""The privacy notice, its acceptance, "download my data" and account deletion (UU PDP)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import AccountDeleteForm, PrivacyAcceptForm
from .models import User
from .privacy import consent_record, notice_version, personal_data_download, user_erase


def _notice_context() -> dict:
    return {
        "notice_version": notice_version(),
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        "unverified_days": settings.RETENTION_UNVERIFIED_SIGNUP_DAYS,
        "notification_days": settings.RETENTION_READ_NOTIFICATION_DAYS,
        "email_days": settings.RETENTION_SENT_EMAIL_DAYS,
    }


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy_notice.html", _notice_context())


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def privacy_accept(request: HttpRequest) -> HttpResponse:
    """Shown instead of the page asked for while the user has not accepted the notice in force."""
    form = PrivacyAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consent_record(user=request.user, request=request)
        messages.success(request, _("Thank you: you accepted the privacy notice."))
        return redirect(_safe_next(request))
    return render(
        request,
        "accounts/privacy_accept.html",
        {"form": form, "next": _safe_next(request), **_notice_context()},
    )


@login_required
@require_POST
def data_export(request: HttpRequest) -> FileResponse:
    archive = personal_data_download(user=request.user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"rantai-data-{request.user.pk}-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _firm(user: User) -> tuple[str, int] | None:
    """The person's firm and how many other members it has, for the deletion page."""
    for name, field in (
        ("supplier_membership", "supplier"),
        ("manufacturer_membership", "manufacturer"),
    ):
        membership = getattr(user, name, None)
        if membership is not None:
            firm = getattr(membership, field)
            return str(firm), firm.members.exclude(user=user).count()
    return None


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_erase(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.message_dict.get("password", error.messages))
        else:
            logout(request)
            messages.success(request, _("Your account was deleted. Thank you for using Rantai."))
            return redirect("home")
    firm = _firm(request.user)
    return render(
        request,
        "accounts/delete.html",
        {
            "form": form,
            "firm_name": firm[0] if firm else "",
            "other_members": firm[1] if firm else 0,
            "has_firm": firm is not None,
        },
    )
