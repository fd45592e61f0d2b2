"""A requirement's matches come in pages of 20: ranks continue across pages, filters and the
suppliers ticked for comparison travel with the page buttons, and each card says what is missing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from matchmaking import services
from matchmaking.models import Match, MatchDecision

from .conftest import build_market, make_supplier

pytestmark = pytest.mark.django_db


def list_url(requirement) -> str:
    return reverse("matchmaking:requirement_matches", args=[requirement.pk])


@pytest.fixture
def crowded():
    """The shared market plus enough stamping shops for two pages."""
    market = build_market()
    for n in range(22):
        make_supplier(
            legal_name=f"CV Pres Jawa {n:02d}",
            processes=["STAMP"],
            components=["BAT.PACK.BRKT"],
            materials=["STEEL"],
            certs=[("ISO9001", None)],
            province="32" if n % 2 else "35",
            capacity=500 + 100 * n,
        )
    services.score_requirements([market.requirement.pk])
    return market


def card_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="match-card" data-supplier="(\d+)"', html)]


def test_matches_come_twenty_to_a_page_in_rank_order(crowded, login):
    requirement = crowded.requirement
    ranked = list(
        Match.objects.filter(requirement=requirement)
        .order_by("rank", "supplier_id")
        .values_list("supplier_id", flat=True)
    )
    assert len(ranked) > 20
    client = login(crowded.buyer)
    first = client.get(list_url(requirement)).content.decode()
    second = client.get(list_url(requirement), {"page": 2}).content.decode()
    assert card_ids(first) == ranked[:20]
    assert card_ids(second) == ranked[20:]
    assert f"Page 2 of 2 (suppliers 21–{len(ranked)} of {len(ranked)})" in second
    assert f"{len(ranked)} suppliers" in first


def test_page_buttons_keep_the_filters_and_the_ticks(crowded, login):
    requirement = crowded.requirement
    client = login(crowded.buyer)
    java = list(
        Match.objects.filter(requirement=requirement, supplier__province__island_group="Jawa")
        .order_by("rank", "supplier_id")
        .values_list("supplier_id", flat=True)
    )
    assert len(java) > 20
    html = client.get(list_url(requirement), {"island_group": "Jawa"}).content.decode()
    # The page buttons submit the compare form back to the list: filters ride as hidden fields.
    assert re.search(r'<input type="hidden" name="island_group" value="Jawa">', html)
    assert f'formaction="{list_url(requirement)}" name="page" value="2"' in html
    # What the browser sends when the buyer ticks two cards on page 1 and presses "2".
    ticked = [str(java[0]), str(java[5])]
    html = client.get(
        list_url(requirement), {"island_group": "Jawa", "supplier": ticked, "page": "2"}
    ).content.decode()
    assert card_ids(html) == java[20:]
    for pk in ticked:
        assert f'name="supplier" value="{pk}" data-testid="ticked-elsewhere"' in html
    assert "2 ticked on other pages" in html
    # Back on page 1, the same two cards are ticked again.
    html = client.get(
        list_url(requirement), {"island_group": "Jawa", "supplier": ticked, "page": "1"}
    ).content.decode()
    for pk in ticked:
        assert re.search(
            rf'value="{pk}" form="compare-form" data-testid="compare-tick" checked', html
        )
    assert 'data-testid="ticked-elsewhere"' not in html


def test_dismissed_matches_stay_hidden_without_emptying_the_page(crowded, login):
    requirement = crowded.requirement
    ranked = list(
        Match.objects.filter(requirement=requirement)
        .order_by("rank", "supplier_id")
        .values_list("supplier_id", flat=True)
    )
    MatchDecision.objects.create(
        requirement=requirement, supplier_id=ranked[0], status=MatchDecision.Status.DISMISSED
    )
    html = login(crowded.buyer).get(list_url(requirement)).content.decode()
    assert card_ids(html) == ranked[1:21]
    assert "1 dismissed, hidden" in html


def test_each_card_lists_what_is_missing(crowded, login):
    html = login(crowded.buyer).get(list_url(crowded.requirement)).content.decode()
    card = html[html.index(">CV Pres Jawa") :]
    card = card[: card.index("</article>")]
    gaps = re.findall(r'data-testid="explanation-gap"><span[^>]*>Missing: </span>([^<]+)<', card)
    assert "does not do Spot welding" in gaps
    assert "no ISO 14001" in gaps
    assert "ISO 9001 (no end date)" in card
