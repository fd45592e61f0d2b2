"""Who may see and change what: every buyer view and method against every kind of visitor."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from manufacturers.models import Manufacturer, Requirement
from tests.factories import TINY_PDF, RequirementFactory

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "owner", "staff", "other_buyer", "umkm", "ministry", "admin_user"]
LOGIN = 302  # anonymous visitors are sent to the log-in page
OK, DONE, FORBIDDEN, MISSING, WRONG_METHOD = 200, 302, 403, 404, 405

# (view, method) -> expected status per visitor, in the order of VISITORS.
# A buyer who already has a company is redirected (302) from "register a company".
MATRIX = {
    ("dashboard", "get"): [LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, OK],
    ("create", "get"): [LOGIN, DONE, DONE, DONE, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ("create", "post"): [LOGIN, DONE, DONE, DONE, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ("manufacturer_list", "get"): [LOGIN, *[FORBIDDEN] * 4, OK, OK],
    ("manufacturer_detail", "get"): [LOGIN, OK, OK, MISSING, MISSING, OK, OK],
    ("manufacturer_edit", "get"): [LOGIN, OK, FORBIDDEN, MISSING, MISSING, FORBIDDEN, OK],
    ("manufacturer_edit", "post"): [LOGIN, DONE, FORBIDDEN, MISSING, MISSING, FORBIDDEN, DONE],
    ("manufacturer_invite", "get"): [LOGIN, *[WRONG_METHOD] * 6],
    ("manufacturer_invite", "post"): [LOGIN, DONE, FORBIDDEN, MISSING, MISSING, 403, 403],
    ("manufacturer_verify", "post"): [LOGIN, *[FORBIDDEN] * 4, DONE, DONE],
    ("manufacturer_reject", "post"): [LOGIN, *[FORBIDDEN] * 4, DONE, DONE],
    ("requirement_create", "get"): [LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ("requirement_create", "post"): [LOGIN, DONE, DONE, DONE, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ("requirement_detail", "get"): [LOGIN, OK, OK, MISSING, FORBIDDEN, FORBIDDEN, OK],
    ("requirement_edit", "get"): [LOGIN, OK, OK, MISSING, FORBIDDEN, FORBIDDEN, OK],
    ("requirement_edit", "post"): [LOGIN, DONE, DONE, MISSING, FORBIDDEN, FORBIDDEN, DONE],
    ("requirement_publish", "get"): [LOGIN, 405, 405, 405, FORBIDDEN, FORBIDDEN, 405],
    ("requirement_publish", "post"): [LOGIN, DONE, DONE, MISSING, FORBIDDEN, FORBIDDEN, DONE],
    ("requirement_close", "post"): [LOGIN, DONE, DONE, MISSING, FORBIDDEN, FORBIDDEN, DONE],
    ("requirement_delete", "post"): [LOGIN, DONE, DONE, MISSING, FORBIDDEN, FORBIDDEN, DONE],
    ("attachment_add", "post"): [LOGIN, DONE, DONE, MISSING, FORBIDDEN, FORBIDDEN, DONE],
    ("attachment_download", "get"): [LOGIN, OK, OK, MISSING, FORBIDDEN, FORBIDDEN, OK],
    ("attachment_delete", "post"): [LOGIN, DONE, DONE, MISSING, FORBIDDEN, FORBIDDEN, DONE],
    ("browse", "get"): [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK],
    ("browse_detail", "get"): [LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK],
    ("invitation_accept", "get"): [OK] * 7,
}
CASES = [
    pytest.param(view, method, visitor, expected, id=f"{view}-{method}-{visitor}")
    for (view, method), statuses in MATRIX.items()
    for visitor, expected in zip(VISITORS, statuses, strict=True)
]


def _future() -> str:
    return (timezone.localdate() + timedelta(days=40)).isoformat()


def _requirement_post(reference: str) -> dict:
    return {
        "reference": reference,
        "title": "Motor shaft",
        "component": "MOT.SHAFT",
        "processes": ["CNC_TURN"],
        "annual_volume": "1000",
        "needed_by": _future(),
        "delivery_province": "32",
    }


@pytest.fixture
def world(manufacturer, owner, staff, other_buyer, umkm, ministry, admin_user):
    draft = RequirementFactory(manufacturer=manufacturer, created_by=owner)
    attachment = draft.attachments.create(
        file=SimpleUploadedFile("d.pdf", TINY_PDF),
        original_name="d.pdf",
        size=len(TINY_PDF),
        uploaded_by=owner,
    )
    open_one = RequirementFactory(manufacturer=manufacturer, status="open")
    invitation = manufacturer.invitations.create(
        email="x@example.id", token="tok-123", expires=timezone.now() + timedelta(days=3)
    )
    return {
        "manufacturer": manufacturer,
        "draft": draft,
        "attachment": attachment,
        "open": open_one,
        "invitation": invitation,
    }


def _request(view: str, method: str, world: dict) -> tuple[str, dict]:
    m, draft = world["manufacturer"], world["draft"]
    args: list = []
    data: dict = {}
    if view.startswith("manufacturer_") and view != "manufacturer_list":
        args = [m.pk]
    elif view in ("attachment_download", "attachment_delete"):
        args = [draft.pk, world["attachment"].pk]
    elif view == "browse_detail":
        args = [world["open"].pk]
    elif view == "invitation_accept":
        args = [world["invitation"].token]
    elif view.startswith(("requirement_", "attachment_")) and view != "requirement_create":
        args = [draft.pk]
    if method == "post":
        data = {
            "create": {"name": "PT Kedua", "kind": "tier1"},
            "manufacturer_edit": {"name": m.name, "kind": m.kind, "npwp": m.npwp, "province": "32"},
            "manufacturer_invite": {"email": "kolega@example.id"},
            "manufacturer_reject": {"verification_reason": "NPWP not found"},
            "requirement_create": _requirement_post("RFQ-NEW"),
            "requirement_edit": _requirement_post(draft.reference),
            "requirement_close": {"close_reason": "cancelled", "confirmed": "yes"},
            "attachment_add": {"file": SimpleUploadedFile("gambar.pdf", TINY_PDF)},
            # Deleting asks first (accounts/confirm.py); this is the confirmed request.
            "requirement_delete": {"confirmed": "yes"},
            "attachment_delete": {"confirmed": "yes"},
        }.get(view, {})
    return reverse(f"manufacturers:{view}", args=args), data


@pytest.mark.parametrize(("view", "method", "who", "expected"), CASES)
def test_permission_matrix(request, client, world, view, method, who, expected):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url, data = _request(view, method, world)
    response = getattr(client, method)(url, data)
    assert response.status_code == expected
    if expected == LOGIN and who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["other_buyer", "umkm", "ministry"])
def test_refused_visitors_change_nothing(request, client, world, who):
    client.force_login(request.getfixturevalue(who))
    draft, m = world["draft"], world["manufacturer"]
    for view in ("requirement_publish", "requirement_delete", "attachment_delete"):
        url, data = _request(view, "post", world)
        client.post(url, data)
    url, data = _request("requirement_edit", "post", world)
    client.post(url, {**data, "title": "Hacked"})
    draft.refresh_from_db()
    assert draft.is_draft and draft.title == "Cell holder 21700"
    assert draft.attachments.count() == 1
    assert Manufacturer.objects.get(pk=m.pk).name == m.name
    assert Requirement.objects.filter(pk=draft.pk).exists()
