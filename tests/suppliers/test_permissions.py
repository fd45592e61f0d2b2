"""Who may see and change what: every supplier view against every kind of visitor."""

import pytest
from django.urls import reverse

from suppliers.models import Supplier, VerificationStatus
from tests.factories import SupplierCertificationFactory, SupplierPhotoFactory

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "other_umkm", "owner", "buyer", "ministry", "admin_user"]
LOGIN = 302  # anonymous visitors are sent to the log-in page

# view name -> HTTP method -> expected status per visitor (same order as VISITORS)
MATRIX = {
    "list": ("get", [200, 200, 200, 200, 200, 200]),
    "detail": ("get", [200, 200, 200, 200, 200, 200]),
    "create": ("get", [LOGIN, 302, 302, 403, 403, 403]),
    "dashboard": ("get", [LOGIN, 200, 200, 404, 404, 404]),
    "edit_company": ("get", [LOGIN, 404, 200, 404, 404, 200]),
    "edit_capabilities": ("get", [LOGIN, 404, 200, 404, 404, 200]),
    "edit_certifications": ("get", [LOGIN, 404, 200, 404, 404, 200]),
    "edit_photos": ("get", [LOGIN, 404, 200, 404, 404, 200]),
    "certificate_document": ("get", [LOGIN, 404, 200, 404, 200, 200]),
    "delete_certification": ("post", [LOGIN, 404, 302, 404, 404, 302]),
    "delete_photo": ("post", [LOGIN, 404, 302, 404, 404, 302]),
    "verification": ("post", [LOGIN, 403, 403, 403, 302, 302]),
}
CASES = [
    pytest.param(view, method, visitor, expected, id=f"{view}-{visitor}")
    for view, (method, statuses) in MATRIX.items()
    for visitor, expected in zip(VISITORS, statuses, strict=True)
]


def _url(view: str, supplier: Supplier, certification, photo) -> str:
    if view in ("list", "create", "dashboard"):
        return reverse(f"suppliers:{view}")
    if view in ("certificate_document", "delete_certification"):
        return reverse(f"suppliers:{view}", args=[supplier.pk, certification.pk])
    if view == "delete_photo":
        return reverse(f"suppliers:{view}", args=[supplier.pk, photo.pk])
    return reverse(f"suppliers:{view}", args=[supplier.pk])


@pytest.fixture
def visitor(request, client, owner, other_umkm, buyer, ministry, admin_user):
    def log_in(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return log_in


@pytest.mark.parametrize(("view", "method", "who", "expected"), CASES)
def test_permission_matrix(visitor, supplier, view, method, who, expected):
    certification = SupplierCertificationFactory(supplier=supplier)
    photo = SupplierPhotoFactory(supplier=supplier)
    client = visitor(who)
    data = {"action": "verify"} if view == "verification" else {}
    if view.startswith("delete_"):
        data = {"confirmed": "yes"}  # deleting asks first (accounts/confirm.py)
    response = getattr(client, method)(_url(view, supplier, certification, photo), data)
    assert response.status_code == expected
    if expected == LOGIN and who == "anonymous":
        assert "/accounts/login/" in response.url


@pytest.mark.parametrize(
    ("who", "sees_private"),
    [
        ("anonymous", False),
        ("other_umkm", False),
        ("buyer", False),
        ("owner", True),
        ("ministry", True),
        ("admin_user", True),
    ],
)
def test_private_contact_fields_only_reach_members_and_staff(visitor, supplier, who, sees_private):
    SupplierCertificationFactory(supplier=supplier)
    html = visitor(who).get(reverse("suppliers:detail", args=[supplier.pk])).content.decode()
    assert supplier.legal_name in html
    private = [
        supplier.address,
        supplier.contact_name,
        supplier.contact_phone,
        supplier.contact_email,
    ]
    for value in private:
        assert (value in html) is sees_private, value
    assert ('data-testid="document-link"' in html) is sees_private


def test_another_umkm_cannot_change_a_company(client, other_umkm, supplier):
    client.force_login(other_umkm)
    response = client.post(
        reverse("suppliers:edit_company", args=[supplier.pk]),
        {"legal_name": "Hijacked", "nib": supplier.nib},
    )
    assert response.status_code == 404
    supplier.refresh_from_db()
    assert supplier.legal_name != "Hijacked"


def test_non_ministry_users_cannot_verify(client, owner, supplier):
    client.force_login(owner)
    client.post(reverse("suppliers:verification", args=[supplier.pk]), {"action": "verify"})
    supplier.refresh_from_db()
    assert supplier.verification_status == VerificationStatus.UNVERIFIED


def test_certificate_files_are_not_reachable_under_media(client, owner, supplier, settings):
    certification = SupplierCertificationFactory(supplier=supplier)
    settings.SERVE_MEDIA = True
    assert not certification.document.path.startswith(str(settings.MEDIA_ROOT))
    client.force_login(owner)
    response = client.get(
        reverse("suppliers:certificate_document", args=[supplier.pk, certification.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("other_umkm", 404), ("buyer", 404), ("owner", 200), ("ministry", 200), ("admin_user", 200)],
)
def test_the_storage_url_of_a_certificate_is_permission_checked(visitor, supplier, who, expected):
    certification = SupplierCertificationFactory(supplier=supplier)
    url = certification.document.url
    assert url.startswith("/suppliers/private/certificates/")
    assert visitor(who).get(url).status_code == expected
