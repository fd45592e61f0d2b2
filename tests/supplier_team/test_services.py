"""The UMKM team's rules, at the service: who invites, who joins, the last owner, and what staff
may change."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from introductions import services as introduction_services
from suppliers import services, team
from suppliers.models import SupplierInvitation, SupplierMember
from tests.factories import (
    IntroductionFactory,
    ManufacturerMemberFactory,
    SupplierMemberFactory,
    UmkmUserFactory,
)

pytestmark = pytest.mark.django_db


def _invite(supplier, owner, email="rekan@bengkel.example.id", role="staff"):
    return team.supplier_invitation_create(
        supplier=supplier, email=email, role=role, invited_by=owner
    )


# --- invitations ------------------------------------------------------------------------------


def test_the_invitation_goes_out_in_the_recipients_language_with_the_link_and_role(
    supplier, owner, newcomer, mailoutbox
):
    owner.preferred_language = "en"
    owner.save()
    invitation = _invite(supplier, owner, email="Rekan@Bengkel.example.id")
    assert invitation.email == newcomer.email
    (message,) = mailoutbox
    assert message.to == [newcomer.email]
    assert f"/suppliers/invitations/{invitation.token}/" in message.body
    # The recipient reads Indonesian, whatever language the owner uses.
    assert "mengundang Anda untuk bergabung dengan tim" in message.body
    assert "Peran Anda: Staf." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="id">' in html
    assert invitation.token in html


def test_an_invitation_to_an_unknown_address_uses_the_inviters_language(
    supplier, owner, mailoutbox
):
    owner.preferred_language = "en"
    owner.save()
    _invite(supplier, owner, email="baru@example.id", role="owner")
    (message,) = mailoutbox
    assert "invites you to join the team of" in message.body
    assert "Your role: Owner." in message.body


def test_staff_cannot_invite(supplier, staff):
    with pytest.raises(PermissionDenied):
        _invite(supplier, staff)
    assert not SupplierInvitation.objects.exists()


def test_an_owner_of_another_company_cannot_invite(supplier, other_umkm):
    with pytest.raises(PermissionDenied):
        _invite(supplier, other_umkm)


def test_it_refuses_a_role_that_does_not_exist(supplier, owner):
    with pytest.raises(ValidationError) as excinfo:
        _invite(supplier, owner, role="boss")
    assert "role" in excinfo.value.message_dict


def test_it_refuses_to_invite_someone_already_in_a_company(supplier, owner, staff, other_umkm):
    with pytest.raises(ValidationError) as excinfo:
        _invite(supplier, owner, email=staff.email)
    assert excinfo.value.message_dict["email"] == ["This person is already in your team."]
    with pytest.raises(ValidationError) as excinfo:
        _invite(supplier, owner, email=other_umkm.email.upper())
    assert excinfo.value.message_dict["email"] == [
        "This person already belongs to a company on Rantai."
    ]
    buyer = ManufacturerMemberFactory().user
    with pytest.raises(ValidationError):
        _invite(supplier, owner, email=buyer.email)


def test_it_refuses_a_second_pending_invitation_to_the_same_address(supplier, owner):
    first = _invite(supplier, owner)
    with pytest.raises(ValidationError) as excinfo:
        _invite(supplier, owner)
    assert excinfo.value.message_dict["email"] == [
        "An invitation to this address is already waiting to be accepted."
    ]
    first.expires = timezone.now() - timedelta(minutes=1)
    first.save()
    assert _invite(supplier, owner).pk != first.pk  # an expired one may be sent again


def test_accepting_joins_with_the_invited_role_once(supplier, owner, newcomer):
    invitation = _invite(supplier, owner, role="owner")
    member = team.supplier_invitation_accept(invitation=invitation, user=newcomer)
    assert (member.supplier, member.role) == (supplier, "owner")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    with pytest.raises(ValidationError) as excinfo:
        team.supplier_invitation_accept(invitation=invitation, user=newcomer)
    assert excinfo.value.code == "used"


def test_an_invitation_is_only_for_its_address_and_expires(supplier, owner, newcomer):
    invitation = _invite(supplier, owner, email="someone.else@example.id")
    with pytest.raises(ValidationError) as excinfo:
        team.supplier_invitation_accept(invitation=invitation, user=newcomer)
    assert excinfo.value.code == "wrong_email"
    invitation.email = newcomer.email
    invitation.expires = timezone.now() - timedelta(minutes=1)
    invitation.save()
    with pytest.raises(ValidationError) as excinfo:
        team.supplier_invitation_accept(invitation=invitation, user=newcomer)
    assert excinfo.value.code == "expired"
    assert not SupplierMember.objects.filter(user=newcomer).exists()


def test_someone_already_in_another_company_is_told_which_one(supplier, owner):
    elsewhere = SupplierMemberFactory(supplier__legal_name="CV Lain Sekali")
    invitation = SupplierInvitation.objects.create(
        supplier=supplier,
        email=elsewhere.user.email,
        token="t-elsewhere",
        invited_by=owner,
        expires=timezone.now() + timedelta(days=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        team.supplier_invitation_accept(invitation=invitation, user=elsewhere.user)
    assert excinfo.value.code == "already_member"
    assert "CV Lain Sekali" in excinfo.value.messages[0]
    with translation.override("id"), pytest.raises(ValidationError) as excinfo:
        team.supplier_invitation_accept(invitation=invitation, user=elsewhere.user)
    assert excinfo.value.messages[0].startswith("Anda sudah tergabung di CV Lain Sekali.")


def test_a_buyer_account_without_a_company_becomes_umkm_when_it_accepts(supplier, owner):
    person = UmkmUserFactory(email="pindah@example.id", role="buyer")
    invitation = _invite(supplier, owner, email=person.email)
    team.supplier_invitation_accept(invitation=invitation, user=person)
    person.refresh_from_db()
    assert person.role == "umkm"


def test_revoking_stops_the_link_and_only_owners_revoke(supplier, owner, staff, newcomer):
    invitation = _invite(supplier, owner)
    with pytest.raises(PermissionDenied):
        team.supplier_invitation_revoke(invitation=invitation, by=staff)
    team.supplier_invitation_revoke(invitation=invitation, by=owner)
    assert not SupplierInvitation.objects.filter(pk=invitation.pk).exists()


# --- members and the last owner ---------------------------------------------------------------


def test_the_last_owner_cannot_leave_or_become_staff_or_be_removed(
    supplier, owner, staff, admin_user
):
    with pytest.raises(ValidationError) as excinfo:
        team.supplier_member_leave(user=owner)
    assert excinfo.value.code == "last_owner"
    membership = owner.supplier_membership
    with pytest.raises(ValidationError):
        team.supplier_member_role_change(member=membership, role="staff", by=owner)
    with pytest.raises(ValidationError):
        team.supplier_member_remove(member=membership, by=admin_user)
    membership.refresh_from_db()
    assert membership.role == "owner"
    with translation.override("id"), pytest.raises(ValidationError) as excinfo:
        team.supplier_member_leave(user=owner)
    assert "pemilik terakhir" in excinfo.value.messages[0]


def test_an_owner_can_leave_once_someone_else_is_owner(supplier, owner, staff_member):
    team.supplier_member_role_change(member=staff_member, role="owner", by=owner)
    team.supplier_member_leave(user=owner)
    assert list(supplier.members.values_list("user__email", "role")) == [
        (staff_member.user.email, "owner")
    ]


def test_staff_can_leave(supplier, owner, staff):
    team.supplier_member_leave(user=staff)
    assert not SupplierMember.objects.filter(user=staff).exists()


def test_staff_cannot_change_roles_or_remove(supplier, owner, staff, staff_member):
    colleague = SupplierMemberFactory(supplier=supplier, role="staff")
    with pytest.raises(PermissionDenied):
        team.supplier_member_role_change(member=staff_member, role="owner", by=staff)
    with pytest.raises(PermissionDenied):
        team.supplier_member_remove(member=colleague, by=staff)
    staff_member.refresh_from_db()
    assert staff_member.role == "staff"


def test_an_owner_of_another_company_cannot_touch_this_team(supplier, owner, staff_member):
    stranger = SupplierMemberFactory().user
    with pytest.raises(PermissionDenied):
        team.supplier_member_remove(member=staff_member, by=stranger)


def test_an_owner_removes_a_member_and_demotes_a_co_owner(supplier, owner, staff_member):
    co_owner = SupplierMemberFactory(supplier=supplier, role="owner")
    team.supplier_member_role_change(member=co_owner, role="staff", by=owner)
    co_owner.refresh_from_db()
    assert co_owner.role == "staff"
    team.supplier_member_remove(member=staff_member, by=owner)
    assert not SupplierMember.objects.filter(pk=staff_member.pk).exists()


# --- what staff may change --------------------------------------------------------------------


def test_staff_cannot_change_the_companys_identity_at_the_service(supplier, staff):
    with pytest.raises(PermissionDenied):
        services.supplier_update(supplier=supplier, data={"legal_name": "CV Baru"}, by=staff)
    with pytest.raises(PermissionDenied):
        services.supplier_update(supplier=supplier, data={"contact_phone": "0811"}, by=staff)
    supplier.refresh_from_db()
    assert supplier.legal_name != "CV Baru"


def test_staff_may_update_the_capabilities(supplier, staff):
    services.supplier_update(supplier=supplier, data={"lead_time_days": 9}, by=staff)
    supplier.refresh_from_db()
    assert supplier.lead_time_days == 9


def test_owners_and_administrators_change_the_identity(supplier, owner, admin_user):
    services.supplier_update(supplier=supplier, data={"legal_name": "CV Pemilik"}, by=owner)
    services.supplier_update(supplier=supplier, data={"legal_name": "CV Admin"}, by=admin_user)
    supplier.refresh_from_db()
    assert supplier.legal_name == "CV Admin"


def test_staff_answer_introductions(supplier, owner, staff):
    introduction = IntroductionFactory(supplier=supplier)
    ManufacturerMemberFactory(manufacturer=introduction.requirement.manufacturer)
    introduction.requirement.manufacturer.verification_status = "verified"
    introduction.requirement.manufacturer.save()
    supplier.verification_status = "verified"
    supplier.save()
    introduction_services.introduction_accept(introduction=introduction, by=staff)
    introduction.refresh_from_db()
    assert (introduction.status, introduction.decided_by) == ("accepted", staff)


# --- the admin door ---------------------------------------------------------------------------


def test_the_admin_cannot_demote_or_delete_the_last_owner(client, supplier, owner, admin_user):
    from django.urls import reverse

    membership = owner.supplier_membership
    client.force_login(admin_user)
    change = reverse("admin:suppliers_suppliermember_change", args=[membership.pk])
    response = client.post(change, {"role": "staff"})
    assert response.status_code == 200  # the form again, with the error
    assert "at least one owner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "owner"
    delete = reverse("admin:suppliers_suppliermember_delete", args=[membership.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SupplierMember.objects.filter(pk=membership.pk).exists()


def test_the_admin_changes_roles_through_the_team_rules(
    client, supplier, owner, staff_member, admin_user
):
    from django.urls import reverse

    client.force_login(admin_user)
    change = reverse("admin:suppliers_suppliermember_change", args=[staff_member.pk])
    assert client.post(change, {"role": "owner"}).status_code == 302
    staff_member.refresh_from_db()
    assert staff_member.role == "owner"
