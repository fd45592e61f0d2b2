"""Introduction and partnership pages. The services enforce the rules; the views decide who may
see a page at all: anyone who is not one of the two firms (or an administrator) gets a 404, so an
introduction's existence is not revealed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.confirm import confirmation_page, is_confirmed
from manufacturers.models import Requirement, RequirementAttachment
from manufacturers.validators import attachment_content_type
from matchmaking.models import Match
from suppliers import selectors as supplier_selectors
from suppliers.models import PartnershipPattern
from suppliers.storage import Download, private_file_response

from . import partnerships, selectors, services
from .conversation import selectors as conversation_selectors
from .forms import DeclineForm, IntroductionMessageForm, PartnershipForm
from .models import Introduction, Partnership
from .privacy import accepted_contacts_read


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == user.Role.ADMIN


def _visible_introduction(request: HttpRequest, pk: int) -> Introduction:
    introduction = get_object_or_404(
        Introduction.objects.select_related(
            "requirement", "requirement__manufacturer", "supplier", "requested_by", "decided_by"
        ),
        pk=pk,
    )
    if selectors.is_party(request.user, introduction) or _is_admin(request.user):
        return introduction
    raise Http404


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def introduction_list(request: HttpRequest) -> HttpResponse:
    items = list(selectors.introductions_for_user(request.user).select_related("partnership"))
    unread = conversation_selectors.unread_by_introduction(request.user)
    for item in items:
        item.unread_messages = unread.get(item.pk, 0)
    waiting = [i for i in items if i.is_requested and selectors.can_answer(request.user, i)]
    others = [i for i in items if i not in waiting]
    return render(request, "introductions/list.html", {"waiting": waiting, "others": others})


@login_required
def introduction_request(request: HttpRequest, requirement_pk: int, supplier_pk: int):
    """A buyer asks for an introduction to one of the requirement's matched suppliers."""
    user = request.user
    if not user.is_buyer:
        raise Http404
    requirement = get_object_or_404(
        Requirement.objects.for_user(user).select_related("manufacturer"), pk=requirement_pk
    )
    match = get_object_or_404(
        Match.objects.select_related("supplier"), requirement=requirement, supplier_id=supplier_pk
    )
    existing = selectors.open_introduction(requirement, match.supplier)
    if existing:
        messages.info(request, _("There is already an introduction for this supplier."))
        return redirect("introductions:detail", pk=existing.pk)
    form = IntroductionMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.introduction_request(
                requirement=requirement,
                supplier=match.supplier,
                by=user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Request sent. The supplier has 14 days to answer."))
            return redirect("introductions:detail", pk=created.pk)
    return render(
        request,
        "introductions/request.html",
        {"form": form, "requirement": requirement, "supplier": match.supplier, "match": match},
    )


@login_required
def introduction_interest(request: HttpRequest, requirement_pk: int):
    """An UMKM member tells the buyer of an open requirement that their company is interested."""
    user = request.user
    supplier = supplier_selectors.user_supplier(user) if user.is_umkm else None
    if supplier is None:
        raise Http404
    requirement = get_object_or_404(
        Requirement.objects.listed().select_related("manufacturer"), pk=requirement_pk
    )
    existing = selectors.open_introduction(requirement, supplier)
    if existing:
        messages.info(request, _("There is already an introduction for this requirement."))
        return redirect("introductions:detail", pk=existing.pk)
    form = IntroductionMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.introduction_express_interest(
                requirement=requirement,
                supplier=supplier,
                by=user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Interest sent. The buyer has 14 days to answer."))
            return redirect("introductions:detail", pk=created.pk)
    return render(
        request,
        "introductions/interest.html",
        {"form": form, "requirement": requirement, "supplier": supplier},
    )


def _history(introduction: Introduction) -> list[tuple]:
    """Events with the acting company's name: people's names are contacts, shared only later."""
    rows = []
    events = introduction.events.select_related(
        "actor__manufacturer_membership", "actor__supplier_membership"
    )
    for event in events:
        if event.actor is None:
            who = ""
        elif selectors.is_buyer_side(event.actor, introduction):
            who = introduction.requirement.manufacturer.name
        elif selectors.is_supplier_side(event.actor, introduction):
            who = introduction.supplier.legal_name
        else:
            who = "Rantai"
        rows.append((event, who))
    return rows


@login_required
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = _visible_introduction(request, pk)
    user = request.user
    accepted = introduction.is_accepted
    requirement = introduction.requirement
    context = {
        "introduction": introduction,
        "requirement": requirement,
        "supplier": introduction.supplier,
        "events": _history(introduction),
        "can_answer": introduction.is_requested and selectors.can_answer(user, introduction),
        "can_withdraw": introduction.is_requested and selectors.can_withdraw(user, introduction),
        "is_buyer_side": selectors.is_buyer_side(user, introduction),
        "is_supplier_side": selectors.is_supplier_side(user, introduction),
        "accepted": accepted,
        "decline_form": DeclineForm(),
        "buyer_contacts": list(selectors.buyer_users(requirement).order_by("pk"))
        if accepted
        else [],
        "attachments": list(requirement.attachments.all()) if accepted else [],
        "partnership": Partnership.objects.filter(introduction=introduction).first(),
        "thread_side": conversation_selectors.thread_side(user, introduction),
    }
    if accepted:
        context["unread_messages"] = conversation_selectors.unread_count(user, introduction)
        # Administrators see how much the firms talk, never what they say.
        context["message_count"] = introduction.messages.count()
    if accepted:
        # Contact cards shown: the audit trail records whose contacts this person saw.
        accepted_contacts_read(
            introduction=introduction,
            buyer_side=context["is_buyer_side"],
            supplier_side=context["is_supplier_side"],
        )
    return render(request, "introductions/detail.html", context)


def _answer(request: HttpRequest, pk: int, action) -> HttpResponse:
    introduction = _visible_introduction(request, pk)
    try:
        action(introduction)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    return redirect("introductions:detail", pk=introduction.pk)


@login_required
@require_POST
def introduction_accept(request: HttpRequest, pk: int) -> HttpResponse:
    def accept(introduction):
        services.introduction_accept(introduction=introduction, by=request.user)
        messages.success(request, _("Accepted: you can now see each other's contact details."))

    return _answer(request, pk, accept)


@login_required
@require_POST
def introduction_decline(request: HttpRequest, pk: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    if not form.is_valid():
        introduction = _visible_introduction(request, pk)
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect("introductions:detail", pk=introduction.pk)

    def decline(introduction):
        services.introduction_decline(
            introduction=introduction, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Declined."))

    return _answer(request, pk, decline)


@login_required
@require_POST
def introduction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_confirmed(request):
        _visible_introduction(request, pk)
        return confirmation_page(
            request,
            title=_("Withdraw this request?"),
            question=_("The UMKM is told that you withdrew the request. This cannot be undone."),
            button=_("Withdraw the request"),
            cancel_url=reverse("introductions:detail", args=[pk]),
        )

    def withdraw(introduction):
        services.introduction_withdraw(introduction=introduction, by=request.user)
        messages.success(request, _("Request withdrawn."))

    return _answer(request, pk, withdraw)


@login_required
def introduction_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The requirement's confidential drawings, once the introduction is accepted."""
    introduction = _visible_introduction(request, pk)
    if not introduction.is_accepted:
        raise Http404
    attachment = get_object_or_404(
        RequirementAttachment, pk=attachment_pk, requirement_id=introduction.requirement_id
    )
    return private_file_response(
        attachment.file,
        filename=attachment.original_name,
        checked_type=attachment_content_type,
        audited_as=Download(
            "attachment", attachment.pk, "manufacturer", introduction.requirement.manufacturer_id
        ),
    )


# --- partnerships -----------------------------------------------------------------------------


@login_required
def partnership_start(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = _visible_introduction(request, pk)
    existing = Partnership.objects.filter(introduction=introduction).first()
    if existing:
        return redirect("introductions:partnership", pk=existing.pk)
    if not introduction.is_accepted or not selectors.is_party(request.user, introduction):
        raise Http404
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = partnerships.partnership_create(
                introduction=introduction, by=request.user, **form.changed_values()
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Partnership recorded."))
            return redirect("introductions:partnership", pk=partnership.pk)
    return render(
        request,
        "introductions/partnership_form.html",
        {"form": form, "introduction": introduction, "partnership": None},
    )


def _display(name: str, value, patterns: dict[str, str]) -> str:
    if value is None or value == "":
        return "–"
    if name == "stage":
        return str(Partnership.Stage(value).label)
    if name == "pattern":
        return patterns.get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return intcomma(value)
    return str(value)


def _partnership_history(partnership: Partnership) -> list[tuple]:
    """Each change with the field's label and readable values (stage names, pattern names)."""
    patterns = {p.code: p.name for p in PartnershipPattern.objects.all()}
    rows = []
    for event in partnership.events.select_related("actor"):
        changes = [
            (
                Partnership._meta.get_field(name).verbose_name,
                _display(name, old, patterns),
                _display(name, new, patterns),
            )
            for name, (old, new) in event.changes.items()
        ]
        rows.append((event, changes))
    return rows


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(
        Partnership.objects.select_related(
            "introduction",
            "introduction__requirement",
            "introduction__requirement__manufacturer",
            "introduction__supplier",
            "pattern",
        ),
        pk=pk,
    )
    user = request.user
    can_edit = selectors.can_edit_partnership(user, partnership)
    if not (can_edit or _is_admin(user)):
        raise Http404
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                partnerships.partnership_update(
                    partnership=partnership, by=user, **form.changed_values()
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Partnership updated."))
                return redirect("introductions:partnership", pk=partnership.pk)
    return render(
        request,
        "introductions/partnership_form.html",
        {
            "form": form,
            "introduction": partnership.introduction,
            "partnership": partnership,
            "can_edit": can_edit,
            "events": _partnership_history(partnership),
        },
    )
