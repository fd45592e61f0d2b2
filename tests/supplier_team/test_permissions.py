"""Permission matrix of the team pages: each kind of visitor against each new view (and the
company page, now for owners only). Another firm's team, member or invitation answers 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from suppliers.models import SupplierInvitation, SupplierMember
from tests.factories import SupplierMemberFactory

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "owner", "staff", "other_umkm", "buyer", "ministry", "admin_user"]
LOGIN = "login"

# view -> (method, expected status per visitor in VISITORS order)
MATRIX = {
    "team": ("get", [LOGIN, 200, 200, 404, 404, 404, 200]),
    "team_invite": ("post", [LOGIN, 302, 403, 404, 404, 404, 302]),
    "invitation_revoke": ("post", [LOGIN, 302, 403, 404, 404, 404, 302]),
    "member_role": ("post", [LOGIN, 302, 403, 404, 404, 404, 302]),
    "member_remove": ("post", [LOGIN, 302, 403, 404, 404, 404, 302]),
    # The owner is the last one: told so, and sent back (302) without leaving.
    "team_leave": ("post", [LOGIN, 302, 302, 404, 404, 404, 404]),
    "invitation_accept": ("get", [200, 200, 200, 200, 200, 200, 200]),
    "edit_company": ("get", [LOGIN, 200, 403, 404, 404, 404, 200]),
    "edit_capabilities": ("get", [LOGIN, 200, 200, 404, 404, 404, 200]),
}
CASES = [
    pytest.param(view, method, who, expected, id=f"{view}-{who}")
    for view, (method, statuses) in MATRIX.items()
    for who, expected in zip(VISITORS, statuses, strict=True)
]


@pytest.fixture
def invitation(supplier, owner):
    return SupplierInvitation.objects.create(
        supplier=supplier,
        email="tamu@example.id",
        token="matrix-token",
        invited_by=owner,
        expires=timezone.now() + timedelta(days=3),
    )


@pytest.fixture
def colleague(supplier):
    return SupplierMemberFactory(supplier=supplier, role="staff")


def _request(view, supplier, invitation, colleague):
    if view == "invitation_accept":
        return reverse("suppliers:invitation_accept", args=[invitation.token]), {}
    if view == "invitation_revoke":
        return reverse(f"suppliers:{view}", args=[supplier.pk, invitation.pk]), {}
    if view == "member_role":
        return reverse(f"suppliers:{view}", args=[supplier.pk, colleague.pk]), {"role": "owner"}
    if view == "member_remove":
        url = reverse(f"suppliers:{view}", args=[supplier.pk, colleague.pk])
        return url, {"confirmed": "yes"}
    if view == "team_invite":
        url = reverse(f"suppliers:{view}", args=[supplier.pk])
        return url, {"email": "baru@example.id", "role": "staff"}
    if view == "team_leave":
        return reverse(f"suppliers:{view}", args=[supplier.pk]), {"confirmed": "yes"}
    return reverse(f"suppliers:{view}", args=[supplier.pk]), {}


@pytest.mark.parametrize(("view", "method", "who", "expected"), CASES)
def test_permission_matrix(
    request, client, supplier, owner, staff, invitation, colleague, view, method, who, expected
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url, data = _request(view, supplier, invitation, colleague)
    response = getattr(client, method)(url, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("who", ["staff", "other_umkm", "buyer", "ministry"])
def test_refused_visitors_change_nothing(
    request, client, supplier, owner, staff, invitation, colleague, who
):
    client.force_login(request.getfixturevalue(who))
    for view in ("team_invite", "invitation_revoke", "member_role", "member_remove"):
        url, data = _request(view, supplier, invitation, colleague)
        client.post(url, data)
    colleague.refresh_from_db()
    assert colleague.role == "staff"
    assert list(SupplierInvitation.objects.values_list("email", flat=True)) == [invitation.email]
    assert SupplierMember.objects.filter(supplier=supplier).count() == 3


def test_another_firms_member_or_invitation_answers_404_to_an_owner(client, supplier, owner):
    elsewhere = SupplierMemberFactory(role="staff")
    foreign = SupplierInvitation.objects.create(
        supplier=elsewhere.supplier,
        email="x@example.id",
        token="foreign-token",
        expires=timezone.now() + timedelta(days=1),
    )
    client.force_login(owner)
    role_url = reverse("suppliers:member_role", args=[supplier.pk, elsewhere.pk])
    assert client.post(role_url, {"role": "owner"}).status_code == 404
    remove_url = reverse("suppliers:member_remove", args=[supplier.pk, elsewhere.pk])
    assert client.post(remove_url, {"confirmed": "yes"}).status_code == 404
    revoke_url = reverse("suppliers:invitation_revoke", args=[supplier.pk, foreign.pk])
    assert client.post(revoke_url).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.role == "staff"
    assert SupplierInvitation.objects.filter(pk=foreign.pk).exists()


def test_staff_cannot_post_a_new_identity(client, supplier, owner, staff):
    client.force_login(staff)
    url = reverse("suppliers:edit_company", args=[supplier.pk])
    response = client.post(url, {"legal_name": "CV Diambil Alih", "nib": supplier.nib})
    assert response.status_code == 403
    supplier.refresh_from_db()
    assert supplier.legal_name != "CV Diambil Alih"
