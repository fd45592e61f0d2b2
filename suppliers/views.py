"""Supplier pages: the public directory and profile, the owner's guided profile steps, and the
ministry's verify / reject actions. Writes go through services.py; reads through selectors.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.bodylimit import FORM_OVERHEAD, body_limit
from accounts.confirm import confirmation_page, is_confirmed

from . import selectors, services
from .forms import (
    CAPABILITY_FIELDS,
    COMPANY_FIELDS,
    CapabilitiesForm,
    CertificationForm,
    CompanyForm,
    DirectoryFilterForm,
    PhotoForm,
    RejectForm,
    regency_choices,
)
from .models import Supplier, SupplierCertification, SupplierPhoto
from .pagination import page_context
from .privacy import private_contacts_read
from .storage import Download, private_file_response
from .validators import DOCUMENT_MAX_BYTES, PHOTO_MAX_BYTES, certificate_content_type
from .verification import review_context, verification_decide, verification_review_request

T = TypeVar("T")
PAGE_SIZE = 25
FILE_KEPT_NOTE_FIELDS = ("document", "image")


# --- helpers -------------------------------------------------------------------------------


def _editable(request: HttpRequest, pk: int) -> Supplier:
    """A supplier the user may edit; 404 for everyone else, so existence is not revealed."""
    return get_object_or_404(Supplier.objects.for_user(request.user), pk=pk)


def _data(form: BaseForm, names: list[str]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def _write(form: BaseForm, write: Callable[[], T]) -> T | None:
    """Runs a service; turns its validation errors into form errors instead of a 500."""
    try:
        return write()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
    except IntegrityError:
        # Two people registering the same NIB at the same moment: the unique index decides.
        if "nib" in form.fields:
            form.add_error("nib", _("This NIB is already registered by another company."))
        else:
            form.add_error(None, _("This could not be saved. Please try again."))
    return None


def _step_context(
    request: HttpRequest, supplier: Supplier | None, step: str, **extra: Any
) -> dict[str, Any]:
    return {
        "supplier": supplier,
        "step": step,
        "steps": selectors.STEPS,
        # Staff do not see the company step (identity and contacts are the owners').
        "can_edit_identity": supplier is None or selectors.is_owner(request.user, supplier),
        **extra,
    }


# --- public --------------------------------------------------------------------------------


@require_GET
def supplier_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    suppliers = selectors.supplier_directory(
        q=filters.get("q", ""),
        province=filters.get("province"),
        system=filters.get("system"),
        process=filters.get("process"),
        material=filters.get("material"),
        certification=filters.get("certification"),
        verified_only=filters.get("verified", False),
        include_rejected=request.user.is_authenticated and request.user.is_ministry,
    )
    return render(
        request,
        "suppliers/list.html",
        {"form": form, **page_context(request, suppliers, PAGE_SIZE)},
    )


@require_GET
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        supplier = selectors.supplier_profile(pk)
    except Supplier.DoesNotExist as exc:
        raise Http404 from exc
    user = request.user
    show_private = selectors.can_see_private(user, supplier)
    if show_private:
        # UU PDP: ministry staff reading an UMKM's contacts leaves a trace.
        private_contacts_read(user=user, supplier_ids=[supplier.pk])
    return render(
        request,
        "suppliers/detail.html",
        {
            "supplier": supplier,
            "systems": selectors.systems_of(supplier),
            "show_private": show_private,
            "can_edit": selectors.can_edit(user, supplier),
            "can_edit_identity": selectors.is_owner(user, supplier),
            "can_verify": user.is_authenticated and user.is_ministry,
            "reject_form": RejectForm(),
            **review_context(supplier),
        },
    )


@require_GET
def regency_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of the regency select for a province (htmx)."""
    return render(
        request,
        "suppliers/_regency_options.html",
        {"choices": regency_choices(request.GET.get("province") or None)},
    )


# --- the owner's workspace -----------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    supplier = selectors.user_supplier(request.user)
    if supplier is None:
        if request.user.is_umkm:
            return redirect("suppliers:create")
        raise Http404
    return render(
        request,
        "suppliers/dashboard.html",
        {
            "supplier": supplier,
            "completeness": selectors.supplier_completeness(supplier),
            "steps": selectors.STEPS,
            "can_edit_identity": selectors.is_owner(request.user, supplier),
            **review_context(supplier),
        },
    )


@login_required
def supplier_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if selectors.user_supplier(user) is not None:
        return redirect("suppliers:dashboard")
    if not user.is_umkm:
        raise PermissionDenied(_("Only UMKM accounts can register a company."))
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        supplier = _write(
            form,
            lambda: services.supplier_create(owner=user, data=_data(form, COMPANY_FIELDS)),
        )
        if supplier is not None:
            messages.success(request, _("Your company was registered. Now describe what you make."))
            return redirect("suppliers:edit_capabilities", pk=supplier.pk)
    return render(
        request,
        "suppliers/step_company.html",
        _step_context(
            request, None, "company", form=form, invitations=selectors.invitations_waiting_for(user)
        ),
    )


@login_required
def edit_company(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = _editable(request, pk)
    # Staff see the page's link hidden; the service refuses them too.
    services.supplier_assert_can_edit(
        supplier=supplier, user=request.user, fields=services.OWNER_ONLY_FIELDS
    )
    form = CompanyForm(request.POST or None, instance=supplier)
    if request.method == "POST" and form.is_valid():
        saved = _write(
            form,
            lambda: services.supplier_update(
                supplier=supplier, data=_data(form, COMPANY_FIELDS), by=request.user
            ),
        )
        if saved is not None:
            messages.success(request, _("Company details saved."))
            return redirect("suppliers:edit_capabilities", pk=supplier.pk)
    return render(
        request,
        "suppliers/step_company.html",
        _step_context(request, supplier, "company", form=form),
    )


@login_required
def edit_capabilities(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = _editable(request, pk)
    form = CapabilitiesForm(request.POST or None, instance=supplier)
    if request.method == "POST" and form.is_valid():
        saved = _write(
            form,
            lambda: services.supplier_update(
                supplier=supplier, data=_data(form, CAPABILITY_FIELDS), by=request.user
            ),
        )
        if saved is not None:
            messages.success(request, _("Capabilities saved."))
            return redirect("suppliers:edit_certifications", pk=supplier.pk)
    return render(
        request,
        "suppliers/step_capabilities.html",
        _step_context(
            request,
            supplier,
            "capabilities",
            form=form,
            groups=selectors.component_groups(form.selected_components()),
        ),
    )


@body_limit(DOCUMENT_MAX_BYTES + FORM_OVERHEAD)
@login_required
def edit_certifications(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = _editable(request, pk)
    form = CertificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        added = _write(
            form,
            lambda: services.certification_add(
                supplier=supplier,
                cert_type=form.cleaned_data["cert_type"],
                number=form.cleaned_data["number"],
                issuer=form.cleaned_data["issuer"],
                valid_until=form.cleaned_data["valid_until"],
                local_content_pct=form.cleaned_data.get("local_content_pct"),
                document=form.cleaned_data.get("document") or None,
            ),
        )
        if added is not None:
            messages.success(request, _("Certification added."))
            return redirect("suppliers:edit_certifications", pk=supplier.pk)
    certifications = supplier.certifications.select_related("cert_type")
    return render(
        request,
        "suppliers/step_certifications.html",
        _step_context(
            request, supplier, "certifications", form=form, certifications=certifications
        ),
    )


@login_required
@require_POST
def delete_certification(request: HttpRequest, pk: int, cert_pk: int) -> HttpResponse:
    supplier = _editable(request, pk)
    certification = get_object_or_404(SupplierCertification, pk=cert_pk, supplier=supplier)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Delete this certification?"),
            question=_("%(name)s and its document will be deleted. This cannot be undone.")
            % {"name": certification.cert_type.name},
            button=_("Delete"),
            cancel_url=reverse("suppliers:edit_certifications", args=[supplier.pk]),
        )
    services.certification_delete(certification=certification)
    messages.success(request, _("Certification deleted."))
    return redirect("suppliers:edit_certifications", pk=supplier.pk)


@body_limit(PHOTO_MAX_BYTES + FORM_OVERHEAD)
@login_required
def edit_photos(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = _editable(request, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        added = _write(
            form,
            lambda: services.photo_add(
                supplier=supplier,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            ),
        )
        if added is not None:
            messages.success(request, _("Photo added."))
            return redirect("suppliers:edit_photos", pk=supplier.pk)
    return render(
        request,
        "suppliers/step_photos.html",
        _step_context(request, supplier, "photos", form=form, photos=supplier.photos.all()),
    )


@login_required
@require_POST
def delete_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    supplier = _editable(request, pk)
    photo = get_object_or_404(SupplierPhoto, pk=photo_pk, supplier=supplier)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Delete this photo?"),
            question=_("The photo will be deleted. This cannot be undone."),
            details=photo.caption,
            button=_("Delete"),
            cancel_url=reverse("suppliers:edit_photos", args=[supplier.pk]),
        )
    services.photo_delete(photo=photo)
    messages.success(request, _("Photo deleted."))
    return redirect("suppliers:edit_photos", pk=supplier.pk)


@login_required
@require_GET
def certificate_document(request: HttpRequest, pk: int, cert_pk: int) -> FileResponse:
    """Certificate files are private: members, administrators and ministry staff only."""
    certification = get_object_or_404(
        SupplierCertification.objects.select_related("supplier", "cert_type"),
        pk=cert_pk,
        supplier_id=pk,
    )
    return _serve_certificate(request, certification)


@login_required
@require_GET
def private_file(request: HttpRequest, name: str) -> FileResponse:
    """The address PrivateStorage.url() gives (used by the Django admin's file widgets)."""
    certification = get_object_or_404(
        SupplierCertification.objects.select_related("supplier", "cert_type"), document=name
    )
    return _serve_certificate(request, certification)


def _serve_certificate(request: HttpRequest, certification: SupplierCertification) -> FileResponse:
    if not selectors.can_download_documents(request.user, certification.supplier):
        raise Http404
    if not certification.document:
        raise Http404
    return private_file_response(
        certification.document,
        filename=f"{certification.cert_type.code}-{certification.pk}",
        checked_type=certificate_content_type,
        audited_as=Download(
            "certification", certification.pk, "supplier", certification.supplier_id
        ),
    )


# --- ministry ------------------------------------------------------------------------------


@login_required
@require_POST
def verification(request: HttpRequest, pk: int) -> HttpResponse:
    """The ministry's verify / reject buttons on the profile: the same decision service as the
    queue (recorded, announced to the firm)."""
    if not request.user.is_ministry:
        raise PermissionDenied(_("Only ministry staff can verify companies."))
    supplier = get_object_or_404(Supplier, pk=pk)
    action = request.POST.get("action")
    if action not in ("verify", "reject"):
        messages.error(request, _("Unknown action."))
        return redirect("suppliers:detail", pk=supplier.pk)
    form = RejectForm(request.POST)
    if action == "reject" and not form.is_valid():
        messages.error(request, _("Give the reason for the rejection."))
        return redirect("suppliers:detail", pk=supplier.pk)
    try:
        verification_decide(
            firm=supplier,
            by=request.user,
            decision="approved" if action == "verify" else "rejected",
            reason=form.cleaned_data.get("reason", "") if action == "reject" else "",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The company is now verified.")
            if action == "verify"
            else _("The company was rejected."),
        )
    return redirect("suppliers:detail", pk=supplier.pk)


# --- a new review after a rejection --------------------------------------------------------


@login_required
@require_POST
def review_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A member of a rejected company asks the ministry for a new review."""
    supplier = _editable(request, pk)
    try:
        verification_review_request(
            firm=supplier, by=request.user, message=request.POST.get("message", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Your request was sent: the ministry will review your company again.")
        )
    return redirect("suppliers:dashboard")
