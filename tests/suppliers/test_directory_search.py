"""The web directory filters like the API: certification, material and a text search over name
and description that finds Indonesian words in their other forms (Sastrawi stemming)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from suppliers.search import variants
from tests.factories import SupplierCertificationFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_a_word_is_looked_for_as_typed_as_its_root_and_with_the_nasal_prefix():
    assert variants("Pengecoran") == ["pengecoran", "cor"]
    assert variants("pemotongan") == ["pemotongan", "potong", "motong"]
    assert variants("welding") == ["welding"]


@pytest.fixture
def shops():
    today = timezone.localdate()
    cast = SupplierFactory(
        legal_name="CV Cor Logam Ceper", description="Pengecoran aluminium untuk rumah motor."
    )
    cast.materials.set(["ALUMINIUM"])
    SupplierCertificationFactory(
        supplier=cast, cert_type_id="IATF16949", valid_until=today + timedelta(days=300)
    )
    cutter = SupplierFactory(
        legal_name="UD Potong Pelat", description="Kami memotong dan menekuk pelat baja."
    )
    cutter.materials.set(["STEEL"])
    SupplierCertificationFactory(
        supplier=cutter, cert_type_id="ISO9001", valid_until=today - timedelta(days=1)
    )
    harness = SupplierFactory(
        legal_name="PT Kabel Nusantara", description="Perakitan wiring harness untuk motor listrik."
    )
    harness.materials.set(["COPPER"])
    SupplierCertificationFactory(supplier=harness, cert_type_id="ISO9001", valid_until=None)
    return {"cast": cast, "cutter": cutter, "harness": harness}


def listed(client, **query) -> set[str]:
    html = client.get(reverse("suppliers:list"), query).content.decode()
    return set(re.findall(r"<strong>([^<]+)</strong></a>", html))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "cor"}, {"cast"}),  # the root finds "Pengecoran"
        ({"q": "pemotongan"}, {"cutter"}),  # "memotong" in the description
        ({"q": "rakit motor"}, {"harness"}),  # every word must match
        ({"q": "motor"}, {"cast", "harness"}),
        ({"q": "kabel"}, {"harness"}),  # the name counts too
        ({"material": "ALUMINIUM"}, {"cast"}),
        # Valid certificates only; IATF 16949 counts as ISO 9001.
        ({"certification": "ISO9001"}, {"cast", "harness"}),
        ({"certification": "IATF16949", "material": "ALUMINIUM"}, {"cast"}),
        ({"certification": "ISO9001", "q": "potong"}, set()),
    ],
)
def test_the_directory_filters_by_text_material_and_certification(client, shops, query, expected):
    names = {key: s.legal_name for key, s in shops.items()}
    found = listed(client, **query) & set(names.values())
    assert found == {names[key] for key in expected}


def test_the_filter_form_offers_material_and_certification_and_keeps_them(client, shops):
    html = client.get(
        reverse("suppliers:list"), {"material": "ALUMINIUM", "certification": "ISO9001"}
    ).content.decode()
    assert re.search(r'<option value="ALUMINIUM" selected>', html)
    assert re.search(r'<option value="ISO9001" selected>', html)
    assert 'name="q"' in html


def test_an_unknown_code_is_refused_with_a_message_not_an_error(client, shops):
    response = client.get(reverse("suppliers:list"), {"material": "NOPE"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "Pilih" in (
        response.content.decode()
    )


def test_the_process_filter_names_each_process_without_its_bracketed_term_and_still_filters(
    client, shops
):
    shops["harness"].processes.set(["HARNESS"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(reverse("suppliers:list"), {"process": "HARNESS"}).content.decode()
    assert '<option value="HARNESS" selected>Perakitan rangkaian kabel</option>' in html
    assert '<option value="VAC_FORM">Pembentukan vakum</option>' in html
    assert "(wiring harness)</option>" not in html
    assert listed(client, process="HARNESS") & {s.legal_name for s in shops.values()} == {
        shops["harness"].legal_name
    }
