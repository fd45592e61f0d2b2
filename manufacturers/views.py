"""Buyer workspace, ministry verification of buyers, and the UMKM view of open requirements.

Thin: permission checks and forms here, every write in ``services``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.bodylimit import FORM_OVERHEAD, body_limit
from accounts.confirm import confirmation_page, is_confirmed
from accounts.models import User
from suppliers.models import VerificationStatus
from suppliers.pagination import page_context
from suppliers.selectors import invitations_waiting_for
from suppliers.storage import Download, private_file_response
from suppliers.verification import (
    review_context,
    verification_decide,
    verification_review_request,
)

from . import selectors, services
from .forms import (
    AttachmentForm,
    BrowseFilterForm,
    CloseForm,
    InvitationForm,
    ManufacturerForm,
    RejectForm,
    RequirementForm,
)
from .models import Manufacturer, ManufacturerInvitation, Requirement, RequirementAttachment
from .validators import ATTACHMENT_MAX_BYTES, attachment_content_type

BROWSE_PAGE_SIZE = 20


def _is_admin(user: User) -> bool:
    return user.is_superuser or user.role == User.Role.ADMIN


def _role_required(allowed: Callable[[User], bool], refusal: str) -> Callable:
    """A view decorator: logged in, and ``allowed(user)``; everyone else gets 403 ``refusal``."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Buyers (or administrators).
buyer_required = _role_required(
    lambda user: user.is_buyer or _is_admin(user), gettext_lazy("This page is for buyer companies.")
)
ministry_required = _role_required(
    lambda user: user.is_ministry, gettext_lazy("Only ministry staff can do this.")
)
# UMKM members browse open requirements; ministry staff and administrators may too.
supplier_side_required = _role_required(
    lambda user: user.is_umkm or user.is_ministry,
    gettext_lazy("Open requirements are listed for UMKM suppliers."),
)


def _attempt(request: HttpRequest, write: Callable[[], object], success: str) -> bool:
    """Runs a service for a button that redirects: its refusal (ValidationError) becomes error
    messages on the next page instead of a 500; otherwise ``success`` is shown."""
    try:
        write()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _add_errors(form, exc: ValidationError) -> None:
    """Puts a service's errors next to the matching fields, the rest at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _own_requirement(request: HttpRequest, pk: int) -> Requirement:
    return get_object_or_404(selectors.requirements_of(request.user), pk=pk)


# --- Manufacturer -----------------------------------------------------------------------------


@buyer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = selectors.membership_of(request.user)
    if membership is None and not _is_admin(request.user):
        return redirect("manufacturers:create")
    status = request.GET.get("status", "")
    grouped = selectors.requirements_by_status(request.user)
    sections = [
        (value, label, grouped[value])
        for value, label in Requirement.Status.choices
        if not status or status == value
    ]
    return render(
        request,
        "manufacturers/dashboard.html",
        {
            **(review_context(membership.manufacturer) if membership else {}),
            "membership": membership,
            "manufacturer": membership.manufacturer if membership else None,
            "sections": sections,
            "status": status,
            "statuses": [
                (value, label, len(grouped[value])) for value, label in Requirement.Status.choices
            ],
        },
    )


@login_required
def manufacturer_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_buyer:
        raise PermissionDenied(_("Only buyer accounts register a manufacturer."))
    if selectors.membership_of(request.user) is not None:
        return redirect("manufacturers:dashboard")
    form = ManufacturerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.manufacturer_create(owner=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your company is registered. Ministry staff will verify it; meanwhile you "
                    "can prepare requirements as drafts."
                ),
            )
            return redirect("manufacturers:dashboard")
    return render(
        request,
        "manufacturers/manufacturer_form.html",
        {
            "form": form,
            "invitations": selectors.pending_invitations_for(request.user),
            # Someone who signed up as a buyer from an UMKM's invitation finds it here too.
            "supplier_invitations": invitations_waiting_for(request.user),
        },
    )


@login_required
def manufacturer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    manufacturer = get_object_or_404(selectors.manufacturers_visible_to(request.user), pk=pk)
    membership = selectors.membership_of(request.user)
    is_owner = bool(
        membership and membership.manufacturer_id == manufacturer.pk and membership.is_owner
    )
    return render(
        request,
        "manufacturers/manufacturer_detail.html",
        {
            "manufacturer": manufacturer,
            "members": manufacturer.members.select_related("user").order_by("role", "user__email"),
            "is_owner": is_owner,
            "invitations": manufacturer.invitations.filter(accepted_at__isnull=True)
            if is_owner
            else [],
            "invite_form": InvitationForm() if is_owner else None,
            "reject_form": RejectForm() if request.user.is_ministry else None,
            "requirement_counts": {
                label: manufacturer.requirements.filter(status=value).count()
                for value, label in Requirement.Status.choices
            },
            "is_member": bool(membership and membership.manufacturer_id == manufacturer.pk),
            **review_context(manufacturer),
        },
    )


def _owned_manufacturer(request: HttpRequest, pk: int) -> Manufacturer:
    manufacturer = get_object_or_404(selectors.manufacturers_visible_to(request.user), pk=pk)
    if not _is_admin(request.user):
        services.manufacturer_assert_is_owner(manufacturer=manufacturer, user=request.user)
    return manufacturer


@login_required
def manufacturer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    manufacturer = _owned_manufacturer(request, pk)
    form = ManufacturerForm(request.POST or None, instance=manufacturer)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MANUFACTURER_FIELDS}
        try:
            services.manufacturer_update(manufacturer=Manufacturer.objects.get(pk=pk), data=data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Company details saved."))
            return redirect("manufacturers:manufacturer_detail", pk=pk)
    return render(
        request,
        "manufacturers/manufacturer_form.html",
        {"form": form, "manufacturer": manufacturer},
    )


@login_required
@require_POST
def manufacturer_invite(request: HttpRequest, pk: int) -> HttpResponse:
    manufacturer = get_object_or_404(selectors.manufacturers_visible_to(request.user), pk=pk)
    services.manufacturer_assert_is_owner(manufacturer=manufacturer, user=request.user)
    form = InvitationForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        _attempt(
            request,
            lambda: services.invitation_create(
                manufacturer=manufacturer,
                email=email,
                invited_by=request.user,
                site_url=request.build_absolute_uri("/"),
            ),
            _("Invitation sent to %(email)s.") % {"email": email},
        )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("manufacturers:manufacturer_detail", pk=pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        ManufacturerInvitation.objects.select_related("manufacturer"), token=token
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if _attempt(
            request,
            lambda: services.invitation_accept(invitation=invitation, user=request.user),
            _("You joined %(name)s.") % {"name": invitation.manufacturer.name},
        ):
            return redirect("manufacturers:dashboard")
    return render(
        request,
        "manufacturers/invitation_accept.html",
        {"invitation": invitation, "next": request.path},
    )


@ministry_required
def manufacturer_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in VerificationStatus.values:
        status = ""
    return render(
        request,
        "manufacturers/manufacturer_list.html",
        {
            "manufacturers": selectors.manufacturer_list_for_ministry(status=status),
            "status": status,
            "statuses": VerificationStatus.choices,
        },
    )


# The ministry's buttons on the company page: the same decision service as the queue (recorded,
# announced to the firm).


@ministry_required
@require_POST
def manufacturer_verify(request: HttpRequest, pk: int) -> HttpResponse:
    manufacturer = get_object_or_404(Manufacturer, pk=pk)
    _attempt(
        request,
        lambda: verification_decide(firm=manufacturer, by=request.user, decision="approved"),
        _("%(name)s is verified.") % {"name": manufacturer.name},
    )
    return redirect("manufacturers:manufacturer_detail", pk=pk)


@ministry_required
@require_POST
def manufacturer_reject(request: HttpRequest, pk: int) -> HttpResponse:
    manufacturer = get_object_or_404(Manufacturer, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: verification_decide(
                firm=manufacturer,
                by=request.user,
                decision="rejected",
                reason=form.cleaned_data["verification_reason"],
            ),
            _("%(name)s is rejected.") % {"name": manufacturer.name},
        )
    else:
        messages.error(request, _("Give the reason for the rejection."))
    return redirect("manufacturers:manufacturer_detail", pk=pk)


@login_required
@require_POST
def manufacturer_review_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A member of a rejected buyer company asks the ministry for a new review."""
    manufacturer = get_object_or_404(selectors.manufacturers_visible_to(request.user), pk=pk)
    _attempt(
        request,
        lambda: verification_review_request(
            firm=manufacturer, by=request.user, message=request.POST.get("message", "")
        ),
        _("Your request was sent: the ministry will review your company again."),
    )
    return redirect("manufacturers:manufacturer_detail", pk=pk)


# --- Requirements (buyer) ---------------------------------------------------------------------


def _suggest_reference(manufacturer: Manufacturer) -> str:
    year = timezone.localdate().year
    taken = set(manufacturer.requirements.values_list("reference", flat=True))
    number = len(taken) + 1
    while f"RFQ-{year}-{number:03d}" in taken:
        number += 1
    return f"RFQ-{year}-{number:03d}"


@buyer_required
def requirement_create(request: HttpRequest) -> HttpResponse:
    membership = selectors.membership_of(request.user)
    if membership is None:
        if request.user.is_buyer:
            return redirect("manufacturers:create")
        raise PermissionDenied(_("Join a buyer company to post requirements."))
    manufacturer = membership.manufacturer
    form = RequirementForm(
        request.POST or None,
        initial={
            "reference": _suggest_reference(manufacturer),
            "delivery_province": manufacturer.province_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            requirement = services.requirement_create(
                manufacturer=manufacturer, created_by=request.user, data=form.service_data()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Publish it when it is ready."))
            return redirect("manufacturers:requirement_detail", pk=requirement.pk)
    return render(
        request,
        "manufacturers/requirement_form.html",
        {"form": form, "manufacturer": manufacturer},
    )


@buyer_required
def requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = _own_requirement(request, pk)
    if requirement.is_closed:
        messages.error(request, _("This requirement is closed and can no longer be changed."))
        return redirect("manufacturers:requirement_detail", pk=pk)
    form = RequirementForm(request.POST or None, requirement=requirement)
    if request.method == "POST" and form.is_valid():
        try:
            services.requirement_update(
                requirement=requirement, changed_by=request.user, data=form.service_data()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Requirement saved."))
            return redirect("manufacturers:requirement_detail", pk=pk)
    return render(
        request,
        "manufacturers/requirement_form.html",
        {"form": form, "requirement": requirement, "manufacturer": requirement.manufacturer},
    )


def _revision_rows(requirement: Requirement) -> list[dict]:
    labels = {
        field.name: field.verbose_name
        for field in Requirement._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    labels["attachments"] = _("Attachments")
    rows = []
    for revision in requirement.revisions.select_related("changed_by"):
        rows.append(
            {
                "revision": revision,
                "changes": [
                    {
                        "label": labels.get(name, name),
                        "old": _display(old),
                        "new": _display(new),
                    }
                    for name, (old, new) in sorted(revision.changes.items())
                ],
            }
        )
    return rows


def _display(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@buyer_required
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_requirement_detail(request, _own_requirement(request, pk), AttachmentForm())


def _render_requirement_detail(
    request: HttpRequest,
    requirement: Requirement,
    attachment_form: AttachmentForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "manufacturers/requirement_detail.html",
        {
            "requirement": requirement,
            "attachments": requirement.attachments.all(),
            "attachment_form": attachment_form,
            "close_form": CloseForm(),
            "revisions": _revision_rows(requirement),
            "can_publish": requirement.manufacturer.is_verified,
        },
        status=status,
    )


@buyer_required
@require_POST
def requirement_publish(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = _own_requirement(request, pk)
    _attempt(
        request,
        lambda: services.requirement_publish(requirement=requirement, by=request.user),
        _("The requirement is open; suppliers can see it now."),
    )
    return redirect("manufacturers:requirement_detail", pk=pk)


@buyer_required
@require_POST
def requirement_close(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = _own_requirement(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the requirement is closed."))
        return redirect("manufacturers:requirement_detail", pk=pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Close this requirement?"),
            question=_("%(name)s will no longer be shown to UMKM and cannot be opened again.")
            % {"name": requirement.title},
            button=_("Close requirement"),
            cancel_url=reverse("manufacturers:requirement_detail", args=[pk]),
        )
    _attempt(
        request,
        lambda: services.requirement_close(
            requirement=requirement, by=request.user, reason=form.cleaned_data["close_reason"]
        ),
        _("The requirement is closed."),
    )
    return redirect("manufacturers:requirement_detail", pk=pk)


@buyer_required
@require_POST
def requirement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = _own_requirement(request, pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Delete this draft?"),
            question=_("The draft %(name)s and its files will be deleted. This cannot be undone.")
            % {"name": requirement.title},
            button=_("Delete draft"),
            cancel_url=reverse("manufacturers:requirement_detail", args=[pk]),
        )
    if not _attempt(
        request,
        lambda: services.requirement_delete_draft(requirement=requirement),
        _("Draft deleted."),
    ):
        return redirect("manufacturers:requirement_detail", pk=pk)
    return redirect("manufacturers:dashboard")


@body_limit(ATTACHMENT_MAX_BYTES + FORM_OVERHEAD)
@buyer_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = _own_requirement(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                requirement=requirement,
                upload=form.cleaned_data["file"],
                uploaded_by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("File attached."))
            return redirect("manufacturers:requirement_detail", pk=pk)
    return _render_requirement_detail(request, requirement, form, status=400)


@buyer_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    requirement = _own_requirement(request, pk)
    attachment = get_object_or_404(RequirementAttachment, pk=attachment_pk, requirement=requirement)
    return private_file_response(
        attachment.file,
        filename=attachment.original_name,
        checked_type=attachment_content_type,
        audited_as=Download(
            "attachment", attachment.pk, "manufacturer", requirement.manufacturer_id
        ),
    )


@buyer_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    requirement = _own_requirement(request, pk)
    attachment = get_object_or_404(RequirementAttachment, pk=attachment_pk, requirement=requirement)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Remove this file?"),
            question=_("%(name)s will be removed. This cannot be undone.")
            % {"name": attachment.original_name},
            button=_("Remove"),
            cancel_url=reverse("manufacturers:requirement_detail", args=[pk]),
        )
    _attempt(
        request,
        lambda: services.attachment_delete(attachment=attachment, by=request.user),
        _("File removed."),
    )
    return redirect("manufacturers:requirement_detail", pk=pk)


# --- Open requirements (UMKM) -----------------------------------------------------------------


@supplier_side_required
def browse(request: HttpRequest) -> HttpResponse:
    form = BrowseFilterForm(request.GET or None)
    filters = selectors.BrowseFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.BrowseFilters(**form.cleaned_data)
    return render(
        request,
        "manufacturers/browse.html",
        {
            "form": form,
            **page_context(request, selectors.open_requirements(filters), BROWSE_PAGE_SIZE),
        },
    )


@supplier_side_required
def browse_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        requirement = selectors.listed_requirement(pk)
    except Requirement.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "manufacturers/browse_detail.html", {"requirement": requirement})
