"""The error pages (400, 403, 404, 500) in the site's layout and the visitor's language, each
with a way back; the partner API gets the same errors as JSON."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def landing_url(user) -> str:
    """Where a person starts: their own workspace, not the public home page."""
    if not user.is_authenticated:
        return reverse("home")
    if user.is_ministry:  # ministry staff and administrators: the programme's dashboard
        return reverse("reports:dashboard")
    if user.is_staff:
        return reverse("admin:index")
    if user.is_umkm:
        return reverse("suppliers:dashboard")
    if user.is_buyer:
        return reverse("manufacturers:dashboard")
    return reverse("home")


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}
        return JsonResponse({"error": {"code": codes[status], "message": message}}, status=status)
    context = {"status": status, "title": title, "message": message}
    if status != 500:
        back = landing_url(request.user)
        return render(request, "error.html", {**context, "back_url": back}, status=status)
    # After a server error anything may be broken (the database, a context processor): the
    # page is rendered without the request's context, and as bare text if even that fails.
    try:
        body = loader.get_template("500.html").render({**context, "back_url": reverse("home")})
    except Exception:
        logger.exception("The 500 page could not be rendered")
        body = f"<!doctype html><title>500</title><h1>{title}</h1><p>{message}</p>"
    return HttpResponse(body, status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        400,
        _("The request could not be understood"),
        _("Something in the address or the form was not as expected. Go back and try again."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        _("You cannot open this page"),
        _(
            "This page belongs to another role or another company. If you think you should see "
            "it, log in with the right account or ask your organisation's administrator."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page not found"),
        _(
            "The page may have moved, or the link may be incomplete. Search for a supplier "
            "below or go back to the start."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        500,
        _("Something went wrong on our side"),
        _(
            "The error has been recorded and will be looked at. Please try again in a few "
            "minutes; if you were filling in a form, go back: your browser usually keeps what "
            "you typed."
        ),
    )
