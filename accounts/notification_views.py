"""The notification centre and the digest unsubscribe page (which needs no log-in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import outbox
from .models import EmailPreference, Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks one notification read and follows its link (only links within this site)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    outbox.notification_mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url
    if request.POST.get("stay") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications")
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = outbox.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications")


def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the weekly digest. GET only asks (mail scanners follow links); POST acts."""
    user = outbox.user_from_unsubscribe_token(token)
    if user is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=404)
    done = request.method == "POST"
    if done:
        outbox.digest_set(user=user, enabled=request.POST.get("action") == "resubscribe")
    preference = EmailPreference.objects.filter(user=user).first()
    subscribed = preference.weekly_digest if preference else True
    return render(
        request,
        "accounts/unsubscribe.html",
        {"email": user.email, "subscribed": subscribed, "done": done},
    )
