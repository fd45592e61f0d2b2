"""A confirmation step for destructive actions (deleting a certificate, a photo, a drawing, a
draft; withdrawing a request), the same for every view.

The action's form carries ``data-confirm`` (static/js/confirm.js asks in a dialog and then sends
``confirmed=yes``). Without the script the first POST comes here instead: the view answers with a
confirmation page that repeats the form's fields with ``confirmed=yes``, and a way back that
changes nothing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirmed"
_NOT_REPEATED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "yes"


def confirmation_page(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    button: str,
    cancel_url: str,
    details: str = "",
) -> HttpResponse:
    """The page that asks before the destructive POST is repeated (to the same address)."""
    fields = [
        (name, value)
        for name in request.POST
        if name not in _NOT_REPEATED
        for value in request.POST.getlist(name)
    ]
    context = {
        "title": title,
        "question": question,
        "details": details,
        "button": button,
        "cancel_url": cancel_url,
        "fields": fields,
        "action": request.get_full_path(),
    }
    return render(request, "includes/confirm.html", context)
