"""The UMKM team page (members, roles, invitations, leaving) and the invitation link.

Members of the firm see the page; only owners see its controls, and the services in ``team``
refuse the rest whatever the page shows. Another firm's team answers 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.confirm import confirmation_page, is_confirmed

from . import selectors, team
from .forms import InvitationForm, MemberRoleForm
from .models import Supplier, SupplierInvitation, SupplierMember


def _team_supplier(request: HttpRequest, pk: int) -> Supplier:
    """The user's own company (any company for administrators); 404 for everyone else."""
    return get_object_or_404(Supplier.objects.for_user(request.user), pk=pk)


def _attempt(request: HttpRequest, write: Callable[[], object], success: str) -> bool:
    """A service's refusal becomes messages on the next page instead of a 500."""
    try:
        write()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@login_required
def team_page(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = _team_supplier(request, pk)
    is_owner = selectors.is_owner(request.user, supplier)
    return render(
        request,
        "suppliers/team.html",
        {
            "supplier": supplier,
            "members": selectors.team_of(supplier),
            "membership": selectors.membership_in(request.user, supplier),
            "is_owner": is_owner,
            "invitations": selectors.open_invitations_of(supplier) if is_owner else [],
            "invite_form": InvitationForm() if is_owner else None,
            "roles": SupplierMember.Role.choices,
        },
    )


@login_required
@require_POST
def team_invite(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = _team_supplier(request, pk)
    team.supplier_assert_is_owner(supplier=supplier, user=request.user)
    form = InvitationForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        _attempt(
            request,
            lambda: team.supplier_invitation_create(
                supplier=supplier,
                email=email,
                role=form.cleaned_data["role"],
                invited_by=request.user,
                site_url=request.build_absolute_uri("/"),
            ),
            _("Invitation sent to %(email)s.") % {"email": email},
        )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("suppliers:team", pk=supplier.pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    supplier = _team_supplier(request, pk)
    invitation = get_object_or_404(SupplierInvitation, pk=invitation_pk, supplier=supplier)
    team.supplier_assert_is_owner(supplier=supplier, user=request.user)
    _attempt(
        request,
        lambda: team.supplier_invitation_revoke(invitation=invitation, by=request.user),
        _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email},
    )
    return redirect("suppliers:team", pk=supplier.pk)


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    supplier = _team_supplier(request, pk)
    member = get_object_or_404(
        SupplierMember.objects.select_related("user"), pk=member_pk, supplier=supplier
    )
    team.supplier_assert_is_owner(supplier=supplier, user=request.user)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose owner or staff."))
        return redirect("suppliers:team", pk=supplier.pk)
    role = form.cleaned_data["role"]
    _attempt(
        request,
        lambda: team.supplier_member_role_change(member=member, role=role, by=request.user),
        _("%(email)s is now %(role)s.")
        % {"email": member.user.email, "role": SupplierMember.Role(role).label},
    )
    return redirect("suppliers:team", pk=supplier.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    supplier = _team_supplier(request, pk)
    member = get_object_or_404(
        SupplierMember.objects.select_related("user"), pk=member_pk, supplier=supplier
    )
    team.supplier_assert_is_owner(supplier=supplier, user=request.user)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Remove this member?"),
            question=_("%(email)s will no longer have access to %(name)s.")
            % {"email": member.user.email, "name": supplier.legal_name},
            button=_("Remove"),
            cancel_url=reverse("suppliers:team", args=[supplier.pk]),
        )
    _attempt(
        request,
        lambda: team.supplier_member_remove(member=member, by=request.user),
        _("%(email)s was removed from the team.") % {"email": member.user.email},
    )
    return redirect("suppliers:team", pk=supplier.pk)


@login_required
@require_POST
def team_leave(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = _team_supplier(request, pk)
    if selectors.membership_in(request.user, supplier) is None:
        raise Http404  # an administrator is not a member: nothing to leave
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Leave this company?"),
            question=_("You will no longer have access to %(name)s. An owner can invite you again.")
            % {"name": supplier.legal_name},
            button=_("Leave"),
            cancel_url=reverse("suppliers:team", args=[supplier.pk]),
        )
    if _attempt(
        request,
        lambda: team.supplier_member_leave(user=request.user),
        _("You left %(name)s.") % {"name": supplier.legal_name},
    ):
        return redirect("home")
    return redirect("suppliers:team", pk=supplier.pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: anyone may open it; accepting needs the invited address."""
    invitation = get_object_or_404(
        SupplierInvitation.objects.select_related("supplier"), token=token
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if _attempt(
            request,
            lambda: team.supplier_invitation_accept(invitation=invitation, user=request.user),
            _("You joined %(name)s.") % {"name": invitation.supplier.legal_name},
        ):
            return redirect("suppliers:dashboard")
    return render(
        request,
        "suppliers/invitation_accept.html",
        {"invitation": invitation, "next": request.path},
    )
