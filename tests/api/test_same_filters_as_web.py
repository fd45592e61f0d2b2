"""The partners' API and the web directory filter suppliers with the same rules
(suppliers.selectors.filter_suppliers): same certification, material and text search results."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import SupplierCertificationFactory, SupplierFactory

from .conftest import key_client, key_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        {"q": "pengecoran"},
        {"q": "cetak"},
        {"material": "ALUMINIUM"},
        {"certification": "ISO9001"},
        {"certification": "ISO9001", "q": "cetak"},
    ],
)
def test_api_and_web_directory_return_the_same_suppliers(world, query):
    today = timezone.localdate()
    cast = SupplierFactory(legal_name="CV Cor Ceper", description="Cetak tekan dan pengecoran.")
    cast.materials.set(["ALUMINIUM"])
    SupplierCertificationFactory(
        supplier=cast, cert_type_id="IATF16949", valid_until=today + timedelta(days=30)
    )
    press = SupplierFactory(legal_name="UD Pencetakan Plastik", description="Injeksi plastik.")
    SupplierCertificationFactory(
        supplier=press, cert_type_id="ISO9001", valid_until=today - timedelta(days=3)
    )
    ours = {cast.pk, press.pk}
    api = key_client(key_for(world.bank, "suppliers:read"))
    data = api.get("/api/v1/suppliers/", {**query, "page_size": 100}).json()
    from_api = {row["id"] for row in data["results"]} & ours
    html = Client().get(reverse("suppliers:list"), query).content.decode()
    from_web = {int(pk) for pk in re.findall(r'href="/suppliers/(\d+)/"', html)} & ours
    assert from_api == from_web
    assert from_api  # every query above finds at least one of the two
