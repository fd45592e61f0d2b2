"""The thread page of an introduction, its files, and the ministry's overview of counts.

Only members of the two firms see a thread; everyone else gets a 404 (administrators too:
they see counts on the introduction and in the admin, never content).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.bodylimit import FORM_OVERHEAD, body_limit
from manufacturers.validators import ATTACHMENT_MAX_BYTES, attachment_content_type
from suppliers.storage import Download, private_file_response

from ..models import Introduction, Message, MessageAttachment
from . import selectors, services
from .forms import MessageForm

OVERVIEW_PAGE_SIZE = 50


def _party_introduction(request: HttpRequest, pk: int) -> tuple[Introduction, str]:
    introduction = get_object_or_404(
        Introduction.objects.select_related("requirement", "requirement__manufacturer", "supplier"),
        pk=pk,
    )
    side = selectors.thread_side(request.user, introduction)
    if side is None:
        raise Http404
    return introduction, side


def _add_errors(form: MessageForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = {"files": "file", "__all__": None}.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@body_limit(ATTACHMENT_MAX_BYTES + FORM_OVERHEAD)
@login_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    introduction, side = _party_introduction(request, pk)
    context = {"introduction": introduction, "requirement": introduction.requirement}
    if not selectors.thread_is_open(introduction):
        context["closed_message"] = services.thread_closed_message(introduction)
        return render(request, "introductions/thread.html", context)
    form = MessageForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                services.message_send(
                    introduction=introduction,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    files=[upload] if upload else [],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return redirect(reverse("introductions:thread", args=[pk]) + "#reply")
        status = 400
    messages_ = list(selectors.thread_messages(introduction))
    read_up_to = selectors.read_up_to(request.user, introduction)
    first_unread = next((m.pk for m in messages_ if m.pk > read_up_to and m.side != side), None)
    if messages_:
        services.thread_mark_read(
            introduction=introduction, user=request.user, up_to=messages_[-1].pk
        )
    context.update(
        {
            "form": form,
            "thread_messages": messages_,
            "first_unread": first_unread,
            "my_side": side,
            "whatsapp": selectors.whatsapp_link(request.user, introduction),
        }
    )
    return render(request, "introductions/thread.html", context, status=status)


@login_required
def message_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    introduction, _side = _party_introduction(request, pk)
    if not selectors.thread_is_open(introduction):
        raise Http404
    attachment = get_object_or_404(
        MessageAttachment.objects.select_related("message"),
        pk=file_pk,
        message__introduction=introduction,
    )
    if attachment.message.side == Message.Side.BUYER:
        firm = ("manufacturer", introduction.requirement.manufacturer_id)
    else:
        firm = ("supplier", introduction.supplier_id)
    return private_file_response(
        attachment.file,
        filename=attachment.original_name,
        checked_type=attachment_content_type,
        audited_as=Download("message_file", attachment.pk, *firm),
    )


@login_required
def conversation_overview(request: HttpRequest) -> HttpResponse:
    """Ministry staff (and administrators): how much the firms talk, never what they say."""
    user = request.user
    if not (user.is_ministry or user.is_superuser or user.role == user.Role.ADMIN):
        raise Http404
    page = Paginator(selectors.conversation_overview(), OVERVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "introductions/conversation_overview.html", {"page": page})
