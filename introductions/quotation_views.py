"""Quotation pages: the UMKM submits and revises from its introduction; the buyer compares,
shortlists and awards per requirement. Anyone who is not a member of the quoting UMKM or of the
buyer gets a 404, so a quotation's existence is not revealed (administrators and the ministry
included: quotations are the two firms' business)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.bodylimit import FORM_OVERHEAD, body_limit
from accounts.confirm import confirmation_page, is_confirmed
from manufacturers.models import Requirement
from manufacturers.validators import ATTACHMENT_MAX_BYTES, attachment_content_type
from suppliers.storage import Download, private_file_response

from . import selectors
from .models import Introduction, Partnership, Quotation, QuotationFile
from .quotation_forms import AwardForm, QuotationForm
from .quotations import access, award, compare, services


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _visible_quotation(request: HttpRequest, pk: int) -> Quotation:
    quotation = get_object_or_404(
        Quotation.objects.select_related(
            "introduction",
            "requirement",
            "requirement__manufacturer",
            "supplier",
        ),
        pk=pk,
    )
    if not access.can_see(request.user, quotation):
        raise Http404
    return quotation


def _buyer_requirement(request: HttpRequest, pk: int) -> Requirement:
    requirement = get_object_or_404(Requirement.objects.select_related("manufacturer"), pk=pk)
    if not access.is_buyer_member(request.user, requirement):
        raise Http404
    return requirement


# --- the UMKM's side --------------------------------------------------------------------------


@body_limit(ATTACHMENT_MAX_BYTES + FORM_OVERHEAD)
@login_required
def quotation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    introduction = get_object_or_404(
        Introduction.objects.select_related("requirement", "requirement__manufacturer", "supplier"),
        pk=pk,
    )
    user = request.user
    if not (user.is_umkm and selectors.is_supplier_side(user, introduction)):
        raise Http404
    quotation = access.quotation_of(introduction)
    if not access.can_submit(user, introduction) or (
        quotation is not None and quotation.status in (Quotation.Status.AWARDED, "not_awarded")
    ):
        messages.error(request, _("This introduction does not take a quotation at the moment."))
        return redirect("introductions:detail", pk=introduction.pk)
    previous = quotation.revisions.order_by("-number").first() if quotation else None
    form = QuotationForm(
        request.POST or None,
        request.FILES or None,
        supplier=introduction.supplier,
        previous=previous,
        today=timezone.localdate(),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            quotation = services.quotation_submit(
                introduction=introduction,
                by=user,
                offer=form.cleaned_data["offer"],
                uploads=[upload] if upload else [],
                drop_file_ids=form.cleaned_data.get("drop_files") or [],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Quotation sent. The buyer is told.")
                if previous is None
                else _("Revision sent. The buyer is told; earlier revisions stay visible."),
            )
            return redirect("introductions:quotation", pk=quotation.pk)
    return render(
        request,
        "introductions/quotation_form.html",
        {
            "form": form,
            "introduction": introduction,
            "requirement": introduction.requirement,
            "quotation": quotation,
            "previous": previous,
            "sealed_until": introduction.requirement.quote_deadline,
        },
        status=400 if form.errors else 200,
    )


@login_required
def quotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quotation = _visible_quotation(request, pk)
    user = request.user
    supplier_side = selectors.is_supplier_side(user, quotation.introduction)
    revisions = list(
        quotation.revisions.prefetch_related("tiers", "files").select_related(
            "local_content_certificate"
        )
    )
    return render(
        request,
        "introductions/quotation_detail.html",
        {
            "quotation": quotation,
            "introduction": quotation.introduction,
            "requirement": quotation.requirement,
            "revisions": revisions,
            "prices_visible": access.prices_visible(user, quotation),
            "is_supplier_side": supplier_side,
            "can_revise": supplier_side
            and access.can_submit(user, quotation.introduction)
            and quotation.status in (*access.LIVE, Quotation.Status.WITHDRAWN),
            "can_withdraw": supplier_side and quotation.status in access.LIVE,
            "partnership": Partnership.objects.filter(introduction=quotation.introduction).first(),
        },
    )


@login_required
@require_POST
def quotation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    quotation = _visible_quotation(request, pk)
    if not selectors.is_supplier_side(request.user, quotation.introduction):
        raise Http404
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Withdraw this quotation?"),
            question=_("The buyer is told that you withdrew it. You can quote again later."),
            button=_("Withdraw the quotation"),
            cancel_url=reverse("introductions:quotation", args=[pk]),
        )
    try:
        services.quotation_withdraw(quotation=quotation, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Quotation withdrawn."))
    return redirect("introductions:quotation", pk=pk)


@login_required
def quotation_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    quotation = _visible_quotation(request, pk)
    if not access.prices_visible(request.user, quotation):
        raise Http404  # sealed: the buyer sees who quoted, not what
    stored = get_object_or_404(QuotationFile, pk=file_pk, revision__quotation=quotation)
    return private_file_response(
        stored.file,
        filename=stored.original_name,
        checked_type=attachment_content_type,
        audited_as=Download("quotation_file", stored.pk, "supplier", quotation.supplier_id),
    )


# --- the buyer's side -------------------------------------------------------------------------


def _compare_page(request: HttpRequest, requirement: Requirement, award_form=None, status=200):
    sort = request.GET.get("sort", "total")
    rows = compare.comparison(requirement, sort=sort)
    live_ids = [row.quotation.pk for row in rows if row.live]
    award_form = award_form or AwardForm(quotation_ids=live_ids)
    return render(
        request,
        "introductions/quotation_compare.html",
        {
            "requirement": requirement,
            "rows": rows,
            "sort": sort if sort in compare.SORTS else "total",
            "sorts": [
                ("total", _("Total for the annual volume")),
                ("lead_time", _("Lead time")),
                ("tkdn", _("Local content (TKDN)")),
                ("score", _("Match score")),
            ],
            "sealed": access.is_sealed(requirement),
            "award_form": award_form,
            "award_rows": [
                (row, award_form.quantity_field(row.quotation.pk)) for row in rows if row.live
            ],
        },
        status=status,
    )


@login_required
def quotation_compare(request: HttpRequest, requirement_pk: int) -> HttpResponse:
    requirement = _buyer_requirement(request, requirement_pk)
    return _compare_page(request, requirement)


@login_required
@require_POST
def quotation_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    quotation = _visible_quotation(request, pk)
    if not access.is_buyer_member(request.user, quotation.requirement):
        raise Http404
    try:
        services.quotation_shortlist(
            quotation=quotation,
            by=request.user,
            shortlisted=request.POST.get("shortlisted") != "no",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    sort = request.POST.get("sort")
    url = reverse("introductions:quotation_compare", args=[quotation.requirement_id])
    return redirect(f"{url}?sort={sort if sort in compare.SORTS else 'total'}")


@login_required
@require_POST
def quotation_award(request: HttpRequest, requirement_pk: int) -> HttpResponse:
    requirement = _buyer_requirement(request, requirement_pk)
    live_ids = list(
        Quotation.objects.filter(
            requirement=requirement,
            status__in=access.LIVE,
            introduction__status__in=Introduction.OPEN_STATUSES,
        ).values_list("pk", flat=True)
    )
    form = AwardForm(request.POST, quotation_ids=live_ids)
    if form.is_valid():
        try:
            partnerships = award.quotation_award(
                requirement=requirement,
                by=request.user,
                awards=form.awards(),
                pattern=form.cleaned_data.get("pattern"),
                start_date=form.cleaned_data.get("start_date"),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Awarded. The winners are told and the partnership is recorded at the "
                    "contract stage. Close the round to thank the others."
                ),
            )
            if len(partnerships) == 1:
                return redirect("introductions:partnership", pk=partnerships[0].pk)
            return redirect("introductions:quotation_compare", requirement_pk=requirement.pk)
    return _compare_page(request, requirement, award_form=form, status=400)


@login_required
@require_POST
def quotation_round_close(request: HttpRequest, requirement_pk: int) -> HttpResponse:
    requirement = _buyer_requirement(request, requirement_pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Close the quotation round?"),
            question=_(
                "Every UMKM whose quotation was not awarded is thanked and told it was not "
                "chosen this time, and the requirement closes. This cannot be undone."
            ),
            button=_("Close the round"),
            cancel_url=reverse("introductions:quotation_compare", args=[requirement_pk]),
        )
    try:
        told = award.quotation_round_close(requirement=requirement, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Round closed: %(count)d UMKM thanked and told.") % {"count": told},
        )
    return redirect("introductions:quotation_compare", requirement_pk=requirement_pk)
