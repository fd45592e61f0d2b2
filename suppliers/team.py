"""An UMKM's team: owners invite colleagues by e-mail (as owner or staff), change their roles,
remove them; anyone may leave. Views and the admin call these, so the rules hold at every door:

- only an owner (or an administrator) manages members and invitations;
- a firm always keeps at least one owner: the last owner cannot leave, be removed or become
  staff (the firm's row is locked while owners are counted, so two owners demoting each other
  at the same moment cannot both succeed);
- one firm per person, buyer or UMKM (``SupplierMember.user`` is one-to-one).

The invitation mechanics (token, expiry, e-mail in the recipient's language, the link's checks)
are shared with buyers' in ``accounts.invitations``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import invitations
from accounts.models import User

from .models import Supplier, SupplierInvitation, SupplierMember
from .selectors import is_owner

Role = SupplierMember.Role


def supplier_assert_is_owner(*, supplier: Supplier, user: User) -> None:
    if not is_owner(user, supplier):
        raise PermissionDenied(_("Only an owner of the company can manage its team."))


def _role(value: str) -> str:
    if value not in Role.values:
        raise ValidationError({"role": _("Choose owner or staff.")}, code="invalid_role")
    return value


def _lock(supplier_id: int) -> Supplier:
    return Supplier.objects.select_for_update().get(pk=supplier_id)


LAST_OWNER_DEMOTED = gettext_lazy(
    "The company needs at least one owner: make someone else owner first."
)


def is_last_owner(member: SupplierMember) -> bool:
    if not member.is_owner:
        return False
    owners = SupplierMember.objects.filter(supplier_id=member.supplier_id, role=Role.OWNER)
    return not owners.exclude(pk=member.pk).exists()


def _assert_not_last_owner(member: SupplierMember, message: str) -> None:
    if is_last_owner(member):
        raise ValidationError(message, code="last_owner")


# --- invitations ------------------------------------------------------------------------------


def _assert_can_join(user: User) -> None:
    """One firm per person: a clear refusal for anyone already in a firm or in another role."""
    membership = SupplierMember.objects.filter(user=user).select_related("supplier").first()
    if membership is not None:
        raise ValidationError(
            _(
                "You already belong to %(name)s. A person belongs to one company on Rantai: "
                "leave it first, or accept with another e-mail address."
            ),
            code="already_member",
            params={"name": membership.supplier.legal_name},
        )
    if hasattr(user, "manufacturer_membership"):
        raise ValidationError(
            _("This account belongs to a buyer company; use another e-mail address."),
            code="buyer_member",
        )
    if user.role in (User.Role.MINISTRY, User.Role.ADMIN, User.Role.PARTNER):
        raise ValidationError(
            _("Ministry, partner and administrator accounts cannot join an UMKM company."),
            code="wrong_role",
        )


def _send(invitation: SupplierInvitation, site_url: str) -> None:
    invitations.invitation_send(
        invitation=invitation,
        templates="suppliers/email/invitation",
        accept_path=reverse("suppliers:invitation_accept", args=[invitation.token]),
        site_url=site_url,
        context={"supplier": invitation.supplier},
    )


@transaction.atomic
def supplier_invitation_create(
    *,
    supplier: Supplier,
    email: str,
    role: str = Role.STAFF,
    invited_by: User,
    site_url: str | None = None,
) -> SupplierInvitation:
    """An owner invites a colleague; the e-mail carries a one-time link valid for
    ``accounts.invitations.INVITATION_DAYS`` days."""
    supplier_assert_is_owner(supplier=supplier, user=invited_by)
    role = _role(role)
    email = (email or "").strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if SupplierMember.objects.filter(user=existing, supplier=supplier).exists():
            raise ValidationError(
                {"email": _("This person is already in your team.")}, code="already_in_team"
            )
        if hasattr(existing, "supplier_membership") or hasattr(existing, "manufacturer_membership"):
            raise ValidationError(
                {"email": _("This person already belongs to a company on Rantai.")},
                code="already_member",
            )
        if existing.role in (User.Role.MINISTRY, User.Role.ADMIN, User.Role.PARTNER):
            raise ValidationError(
                {"email": _("This address belongs to a ministry, partner or administrator.")},
                code="wrong_role",
            )
    pending = SupplierInvitation.objects.filter(supplier=supplier, email__iexact=email)
    if any(invitation.is_pending for invitation in pending):
        raise ValidationError(
            {"email": _("An invitation to this address is already waiting to be accepted.")},
            code="already_invited",
        )
    invitation = SupplierInvitation(
        supplier=supplier,
        email=email,
        role=role,
        token=invitations.invitation_token(),
        invited_by=invited_by,
        expires=invitations.invitation_expiry(),
    )
    invitation.full_clean()
    invitation.save()
    _send(invitation, site_url or settings.SITE_URL)
    return invitation


@transaction.atomic
def supplier_invitation_revoke(*, invitation: SupplierInvitation, by: User) -> None:
    """The link stops working at once (the row goes: nothing is left to accept)."""
    supplier_assert_is_owner(supplier=invitation.supplier, user=by)
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation was already accepted; remove the member instead."), code="used"
        )
    invitation.delete()


@transaction.atomic
def supplier_invitation_accept(*, invitation: SupplierInvitation, user: User) -> SupplierMember:
    invitation = SupplierInvitation.objects.select_for_update().get(pk=invitation.pk)
    invitations.invitation_check_usable(invitation=invitation, user=user)
    _assert_can_join(user)
    _lock(invitation.supplier_id)
    member = SupplierMember.objects.create(
        user=user, supplier_id=invitation.supplier_id, role=invitation.role
    )
    if user.role != User.Role.UMKM:
        # A fresh sign-up that picked "buyer" but never registered a buyer firm.
        user.role = User.Role.UMKM
        user.save(update_fields=["role"])
    invitations.invitation_mark_accepted(invitation)
    return member


# --- members ----------------------------------------------------------------------------------


@transaction.atomic
def supplier_member_role_change(*, member: SupplierMember, role: str, by: User) -> SupplierMember:
    supplier = _lock(member.supplier_id)
    supplier_assert_is_owner(supplier=supplier, user=by)
    role = _role(role)
    member = SupplierMember.objects.get(pk=member.pk)
    if role == member.role:
        return member
    if role == Role.STAFF:
        _assert_not_last_owner(member, str(LAST_OWNER_DEMOTED))
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def supplier_member_remove(*, member: SupplierMember, by: User) -> None:
    supplier = _lock(member.supplier_id)
    if member.user_id == by.pk:
        supplier_member_leave(user=by)
        return
    supplier_assert_is_owner(supplier=supplier, user=by)
    member = SupplierMember.objects.get(pk=member.pk)
    _assert_not_last_owner(
        member, _("The last owner cannot be removed: make someone else owner first.")
    )
    member.delete()


@transaction.atomic
def supplier_member_leave(*, user: User) -> Supplier:
    """The person leaves their company; it keeps everything it has (its own data)."""
    membership = SupplierMember.objects.filter(user=user).first()
    if membership is None:
        raise ValidationError(_("You do not belong to a company."), code="not_member")
    supplier = _lock(membership.supplier_id)
    _assert_not_last_owner(
        membership,
        _("You are the last owner: make a colleague owner before you leave."),
    )
    membership.delete()
    return supplier
