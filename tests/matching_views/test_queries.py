"""The match screens cost a fixed number of queries however many matches they show (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking import data, services
from matchmaking.models import Match
from tests.matching.helpers import make_supplier

from .conftest import in_days

pytestmark = pytest.mark.django_db


def more_bracket_makers(count: int) -> None:
    for n in range(count):
        make_supplier(
            legal_name=f"CV Tambahan {n}",
            processes=["STAMP", "WELD_SPOT"],
            components=["BAT.PACK.BRKT"],
            materials=["STEEL"],
            certs=[("ISO9001", in_days(300)), ("ISO14001", in_days(200))],
            province=("31", "33", "73", "51")[n % 4],
        )


def queries(client, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params", [{}, {"show_dismissed": "on", "verified_only": "on", "min_score": "10"}]
)
def test_the_match_list_does_not_grow_with_the_number_of_matches(market, login, params):
    client = login(market.buyer)
    url = reverse("matchmaking:requirement_matches", args=[market.requirement.pk])
    client.post(
        reverse("matchmaking:decide", args=[market.requirement.pk, market.suppliers["medan"].pk]),
        {"status": "dismissed"},
    )
    few = Match.objects.filter(requirement=market.requirement).count()
    before = queries(client, url, params)

    more_bracket_makers(8)
    data.clear_caches()
    services.score_requirement(market.requirement.pk)
    assert Match.objects.filter(requirement=market.requirement).count() == few + 8
    assert queries(client, url, params) == before


def test_the_compare_page_does_not_grow_with_the_number_of_suppliers(market, login):
    client = login(market.buyer)
    url = reverse("matchmaking:compare", args=[market.requirement.pk])
    two = {"supplier": [market.suppliers[k].pk for k in ("bandung", "medan")]}
    three = {"supplier": [market.suppliers[k].pk for k in ("bandung", "medan", "surabaya")]}
    assert queries(client, url, two) == queries(client, url, three)


def test_the_umkm_list_does_not_grow_with_the_number_of_requirements(market, login):
    from .conftest import bracket_requirement

    client = login(market.umkm)
    url = reverse("matchmaking:my_matches")
    before = queries(client, url)
    fresh = [
        bracket_requirement(market.requirement.manufacturer, reference=f"RFQ-10{n}")
        for n in range(5)
    ]
    services.score_requirements([r.pk for r in fresh])
    assert Match.objects.filter(supplier=market.suppliers["bandung"]).count() == 7
    assert queries(client, url) == before
