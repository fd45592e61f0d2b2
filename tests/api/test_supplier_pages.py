"""Supplier pages: rows and their lists put together by ``selectors`` in the cursor's order,
private fields per caller, written by orjson (``renderers.ApiJSONRenderer``) byte for byte as
DRF's renderer would."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.query import ValuesIterable
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from partners.api.renderers import ApiJSONRenderer
from partners.api.selectors import supplier_values
from partners.models import PartnerManagedSupplier
from suppliers.models import Supplier
from tests.factories import SupplierCertificationFactory, SupplierFactory

from .conftest import key_client, key_for

pytestmark = pytest.mark.django_db


def _ids(client, url) -> tuple[list[int], dict]:
    data = client.get(url).json()
    return [row["id"] for row in data["results"]], data


def _path(link: str) -> str:
    return link.split("testserver", 1)[1]


def test_previous_links_walk_back_in_the_same_order(world):
    SupplierFactory.create_batch(7)
    client = key_client(key_for(world.bank, "suppliers:read"))
    everyone = sorted(Supplier.objects.values_list("pk", flat=True))
    first, data = _ids(client, "/api/v1/suppliers/?page_size=4")
    second, data = _ids(client, _path(data["next"]))
    assert first + second == everyone[:8]
    back, data = _ids(client, _path(data["previous"]))  # a reversed query, put back in order
    assert back == first
    newest, data = _ids(client, "/api/v1/suppliers/?ordering=-updated_at&page_size=3")
    older, data = _ids(client, _path(data["next"]))
    expected = list(Supplier.objects.order_by("-updated_at").values_list("pk", flat=True))
    assert newest + older == expected[:6]
    assert _ids(client, _path(data["previous"]))[0] == newest


def test_lists_and_certificates_are_sorted_and_belong_to_their_supplier(world):
    supplier = SupplierFactory()
    supplier.processes.set(["STAMP", "CNC_MILL", "INJ_MOULD"])
    SupplierCertificationFactory(supplier=supplier, cert_type_id="ISO9001", valid_until=None)
    SupplierCertificationFactory(
        supplier=supplier, cert_type_id="ISO9001", valid_until=datetime.date(2030, 1, 31)
    )
    SupplierCertificationFactory(
        supplier=supplier, cert_type_id="IATF16949", valid_until=datetime.date(2029, 6, 30)
    )
    client = key_client(key_for(world.bank, "suppliers:read"))
    rows = {row["id"]: row for row in client.get("/api/v1/suppliers/").json()["results"]}
    assert rows[supplier.pk]["processes"] == ["CNC_MILL", "INJ_MOULD", "STAMP"]
    assert rows[supplier.pk]["certifications"] == [
        {"code": "IATF16949", "valid_until": "2029-06-30", "local_content_pct": None},
        {"code": "ISO9001", "valid_until": None, "local_content_pct": None},
        {"code": "ISO9001", "valid_until": "2030-01-31", "local_content_pct": None},
    ]
    assert rows[world.private.pk]["processes"] == []
    assert rows[world.private.pk]["certifications"] == []
    assert rows[world.consenting.pk]["processes"] == ["INJ_MOULD"]


def test_a_partner_sees_the_nib_of_managed_companies_and_contacts_of_consenting_ones(world):
    managed = SupplierFactory()
    PartnerManagedSupplier.objects.create(partner=world.bank, supplier=managed)
    client = key_client(key_for(world.bank, "suppliers:read"))
    rows = {row["id"]: row for row in client.get("/api/v1/suppliers/").json()["results"]}
    assert rows[managed.pk]["nib"] == managed.nib
    assert rows[managed.pk]["contact_visible"] is False
    assert rows[managed.pk]["contact_email"] is None
    assert rows[world.consenting.pk]["nib"] == world.consenting.nib
    assert rows[world.consenting.pk]["contact_email"] == world.consenting.contact_email
    assert rows[world.private.pk]["nib"] is None
    assert rows[world.private.pk]["contact_email"] is None
    other = key_client(key_for(world.association, "suppliers:read"))
    rows = {row["id"]: row for row in other.get("/api/v1/suppliers/").json()["results"]}
    assert rows[managed.pk]["nib"] is None
    assert rows[world.consenting.pk]["contact_email"] is None


@pytest.mark.parametrize(
    "data",
    [
        {"next": None, "results": [{"name": 'CV Jaya "Makmur" \\ é 漢字', "n": 1, "ok": True}]},
        {"line": "a\u2028b\u2029c", "control": "\x00\x1f\t\n"},
        {
            "at": datetime.datetime(2026, 5, 1, 3, 4, 5, tzinfo=datetime.UTC),
            "precise": datetime.datetime(2026, 5, 1, 3, 4, 5, 120, tzinfo=datetime.UTC),
            "jakarta": datetime.datetime(
                2026, 5, 1, 10, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
            ),
            "day": datetime.date(2026, 5, 1),
        },
        {"message": gettext_lazy("Suppliers"), "amount": Decimal("12.50"), "score": 80.5},
        [1, None, "x", [], {}],
    ],
)
def test_the_renderer_writes_what_drf_writes(data):
    assert ApiJSONRenderer().render(data) == JSONRenderer().render(data)


def test_the_renderer_indents_for_the_browsable_api():
    rendered = ApiJSONRenderer().render({"a": [1]}, "application/json; indent=4")
    assert rendered == b'{\n  "a": [\n    1\n  ]\n}'


@pytest.mark.parametrize(
    ("accept", "status", "content_type"),
    [
        ("*/*", 200, "application/json"),
        ("application/json", 200, "application/json"),
        ("application/json; indent=4", 200, "application/json"),
        ("text/html", 200, "text/html; charset=utf-8"),
        ("application/xml", 406, "application/json"),
    ],
)
def test_content_negotiation_is_drfs(world, accept, status, content_type):
    client = key_client(key_for(world.bank, "suppliers:read"))
    response = client.get("/api/v1/suppliers/", headers={"accept": accept})
    assert response.status_code == status
    assert response["Content-Type"] == content_type
    if status == 406:
        assert response.json()["error"]["code"] == "not_acceptable"
    if "indent" in accept:
        assert response.content.startswith(b'{\n  "next"')


def _filtered(**params):
    from partners.api.filters import SupplierFilter

    return SupplierFilter(params, queryset=supplier_values()).qs


@pytest.mark.parametrize(
    ("build", "compiled_by_the_orm"),
    [
        (lambda: supplier_values().order_by("id")[:3], False),
        (lambda: supplier_values().order_by("-id").filter(id__lt=10**9)[1:4], False),
        (lambda: supplier_values().order_by("-updated_at")[:50], False),
        (lambda: supplier_values().order_by("pk").filter(pk__gt=0), False),
        (lambda: supplier_values().filter(pk=-1).order_by(), False),
        (lambda: supplier_values().filter(pk__gt=0), True),  # by the model's default ordering
        (lambda: _filtered(province="32", verified="true").order_by("id")[:5], False),
        (lambda: _filtered(component="BAT", certification="ISO9001").order_by("-id")[:5], False),
        (lambda: _filtered(name="setuju", process="INJ_MOULD").order_by("updated_at"), False),
        (lambda: supplier_values().filter(id__in=[]), None),  # no query at all
        (lambda: supplier_values().order_by("province", "id"), True),  # by the related ordering
        (lambda: supplier_values().order_by("?")[:2], True),
        (lambda: supplier_values().distinct().order_by("id"), True),
    ],
)
def test_supplier_rows_are_what_the_orm_returns(world, build, compiled_by_the_orm):
    other = SupplierFactory(regency_id="32.04", province_id="32", verification_status="verified")
    other.components.set(["MOT.HOUSING"])
    SupplierFactory.create_batch(3)
    plain = build()
    plain._iterable_class = ValuesIterable
    with CaptureQueriesContext(connection) as queries:
        rows = list(build())
    if "?" not in str(plain.query.order_by):
        assert rows == list(plain)
    if compiled_by_the_orm is None:
        assert len(queries) == 0
    else:
        # The ORM's SQL names each column of .values(); the fast path does not.
        assert len(queries) == 1
        assert (' AS "id"' in queries[0]["sql"]) is compiled_by_the_orm
