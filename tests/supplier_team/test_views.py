"""The team page and the invitation link, as each kind of member sees them."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from suppliers import team
from suppliers.models import SupplierInvitation, SupplierMember
from tests.factories import UmkmUserFactory

pytestmark = pytest.mark.django_db


def _team(client, supplier):
    return client.get(reverse("suppliers:team", args=[supplier.pk]))


def test_an_owner_sees_the_controls_and_staff_only_the_list(client, supplier, owner, staff):
    client.force_login(owner)
    html = _team(client, supplier).content.decode()
    assert 'data-testid="invite-form"' in html
    assert 'data-testid="change-role"' in html
    assert staff.email in html and owner.email in html
    client.force_login(staff)
    html = _team(client, supplier).content.decode()
    assert owner.email in html
    assert 'data-testid="invite-form"' not in html
    assert 'data-testid="change-role"' not in html
    assert 'data-testid="remove-member"' not in html
    assert 'data-testid="leave"' in html


def test_staff_do_not_see_the_company_step(client, supplier, owner, staff):
    client.force_login(staff)
    dashboard = client.get(reverse("suppliers:dashboard")).content.decode()
    company_url = reverse("suppliers:edit_company", args=[supplier.pk])
    assert company_url not in dashboard
    assert 'data-testid="edit-company-owners-only"' in dashboard
    assert 'data-testid="edit-capabilities"' in dashboard
    steps = client.get(reverse("suppliers:edit_capabilities", args=[supplier.pk]))
    assert company_url not in steps.content.decode()
    profile = client.get(reverse("suppliers:detail", args=[supplier.pk])).content.decode()
    assert company_url not in profile
    client.force_login(owner)
    assert company_url in client.get(reverse("suppliers:dashboard")).content.decode()


def test_an_owner_invites_and_withdraws_from_the_page(client, supplier, owner, mailoutbox):
    client.force_login(owner)
    response = client.post(
        reverse("suppliers:team_invite", args=[supplier.pk]),
        {"email": "rekan@example.id", "role": "owner"},
        follow=True,
    )
    assert "Invitation sent to rekan@example.id." in response.content.decode()
    invitation = SupplierInvitation.objects.get()
    assert invitation.role == "owner"
    assert len(mailoutbox) == 1
    assert 'data-testid="revoke-invitation"' in response.content.decode()
    response = client.post(
        reverse("suppliers:invitation_revoke", args=[supplier.pk, invitation.pk]), follow=True
    )
    assert "was withdrawn" in response.content.decode()
    assert not SupplierInvitation.objects.exists()
    assert (
        client.get(reverse("suppliers:invitation_accept", args=[invitation.token])).status_code
        == 404
    )


def test_a_wrong_address_or_role_is_told_not_a_500(client, supplier, owner, mailoutbox):
    client.force_login(owner)
    url = reverse("suppliers:team_invite", args=[supplier.pk])
    response = client.post(url, {"email": "not-an-address", "role": "staff"}, follow=True)
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    response = client.post(url, {"email": "ok@example.id", "role": "boss"}, follow=True)
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not SupplierInvitation.objects.exists() and mailoutbox == []


def test_a_colleague_opens_the_link_from_the_email_and_joins(
    client, supplier, owner, newcomer, mailoutbox
):
    client.force_login(owner)
    client.post(
        reverse("suppliers:team_invite", args=[supplier.pk]),
        {"email": newcomer.email, "role": "staff"},
    )
    client.logout()
    link = re.search(r"https?://\S+(/suppliers/invitations/\S+/)", mailoutbox[0].body).group(1)
    anonymous = client.get(link).content.decode()
    assert reverse("account_signup") in anonymous and reverse("account_login") in anonymous
    assert client.post(link).url.startswith(reverse("account_login"))
    client.force_login(newcomer)
    response = client.post(link)
    assert response.status_code == 302 and response.url == reverse("suppliers:dashboard")
    member = SupplierMember.objects.get(user=newcomer)
    assert (member.supplier, member.role) == (supplier, "staff")
    used = client.get(link).content.decode()  # in the newcomer's language, Indonesian
    assert "Undangan ini sudah pernah digunakan." in used and 'data-testid="accept"' not in used


def test_a_new_account_finds_its_invitation_when_it_would_register_a_company(
    client, supplier, owner
):
    person = UmkmUserFactory(email="baru@example.id")
    SupplierInvitation.objects.create(
        supplier=supplier,
        email="BARU@example.id",
        token="new-account-token",
        invited_by=owner,
        expires=owner.date_joined.replace(year=owner.date_joined.year + 1),
    )
    client.force_login(person)
    html = client.get(reverse("suppliers:create")).content.decode()
    assert 'data-testid="invitation-notice"' in html
    assert reverse("suppliers:invitation_accept", args=["new-account-token"]) in html


def test_a_member_of_another_company_is_told_why_they_cannot_join(client, supplier, owner):
    other = UmkmUserFactory(email="sibuk@example.id")
    SupplierMember.objects.create(
        user=other,
        supplier=type(supplier).objects.create(
            legal_name="CV Tempat Lain", nib="9129999999999", province=supplier.province
        ),
    )
    invitation = SupplierInvitation.objects.create(
        supplier=supplier,
        email=other.email,
        token="busy-token",
        invited_by=owner,
        expires=owner.date_joined.replace(year=owner.date_joined.year + 1),
    )
    client.force_login(other)
    response = client.post(
        reverse("suppliers:invitation_accept", args=[invitation.token]), follow=True
    )
    assert "You already belong to CV Tempat Lain." in response.content.decode()
    assert SupplierMember.objects.get(user=other).supplier.legal_name == "CV Tempat Lain"


def test_the_last_owner_is_told_they_cannot_leave(client, supplier, owner, staff):
    client.force_login(owner)
    response = client.post(
        reverse("suppliers:team_leave", args=[supplier.pk]), {"confirmed": "yes"}, follow=True
    )
    assert "You are the last owner" in response.content.decode()
    assert SupplierMember.objects.filter(user=owner).exists()


def test_leaving_and_removing_ask_first_without_scripts(client, supplier, owner, staff_member):
    client.force_login(owner)
    url = reverse("suppliers:member_remove", args=[supplier.pk, staff_member.pk])
    page = client.post(url)
    assert page.status_code == 200 and "Remove this member?" in page.content.decode()
    assert SupplierMember.objects.filter(pk=staff_member.pk).exists()
    client.post(url, {"confirmed": "yes"})
    assert not SupplierMember.objects.filter(pk=staff_member.pk).exists()


def test_an_owner_promotes_staff_who_then_may_edit_the_identity(
    client, supplier, owner, staff, staff_member
):
    client.force_login(owner)
    client.post(
        reverse("suppliers:member_role", args=[supplier.pk, staff_member.pk]), {"role": "owner"}
    )
    client.force_login(staff)
    assert client.get(reverse("suppliers:edit_company", args=[supplier.pk])).status_code == 200


def test_the_team_page_reads_in_indonesian(client, supplier, owner, staff):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    client.force_login(owner)
    html = _team(client, supplier).content.decode()
    assert (
        "Undang rekan kerja" in html and "Ubah peran" in html and "Keluar dari perusahaan" in html
    )


def test_someone_who_signed_up_as_a_buyer_finds_the_umkm_invitation(client, supplier, owner):
    person = UmkmUserFactory(email="salah-pilih@example.id", role="buyer")
    invitation = team.supplier_invitation_create(
        supplier=supplier, email=person.email, invited_by=owner
    )
    client.force_login(person)
    html = client.get(reverse("manufacturers:create")).content.decode()
    assert 'data-testid="supplier-invitation-notice"' in html
    assert reverse("suppliers:invitation_accept", args=[invitation.token]) in html
