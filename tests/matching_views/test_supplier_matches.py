"""The UMKM side: the open requirements that match my company, and the readiness near misses."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from manufacturers.models import RequirementAttachment
from matchmaking import services
from matchmaking.models import Match
from tests.factories import TINY_PDF, UmkmUserFactory
from tests.matching.helpers import make_supplier

from .conftest import bracket_requirement, in_days

pytestmark = pytest.mark.django_db

MY_MATCHES = reverse("matchmaking:my_matches")
MY_READINESS = reverse("matchmaking:my_readiness")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_it_lists_the_open_requirements_that_match_best_first(market, login):
    response = login(market.umkm).get(MY_MATCHES)
    assert response.status_code == 200
    html = text_of(response)
    ranked = list(
        Match.objects.filter(supplier=market.suppliers["bandung"])
        .order_by("-score")
        .values_list("requirement__title", flat=True)
    )
    assert len(ranked) == 2
    assert html.index(ranked[0]) < html.index(ranked[1])
    assert "does 2 of 2 required processes" in html
    assert "PT Motor Listrik Nusantara" in html


def test_it_never_shows_target_prices_or_attachments(market, login):
    RequirementAttachment.objects.create(
        requirement=market.requirement,
        file=ContentFile(TINY_PDF, name="drawing.pdf"),
        original_name="secret-bracket-drawing.pdf",
        size=len(TINY_PDF),
    )
    html = text_of(login(market.umkm).get(MY_MATCHES))
    assert market.requirement.title in html
    assert "secret-bracket-drawing" not in html
    for price in ("18750", "18.750", "18,750", "23950", "23.950", "23,950"):
        assert price not in html


def test_closed_requirements_are_not_listed(market, login):
    market.other_requirement.status = "closed"
    market.other_requirement.close_reason = "awarded"
    market.other_requirement.closed_at = timezone.now()
    market.other_requirement.save()
    html = text_of(login(market.umkm).get(MY_MATCHES))
    assert market.requirement.title in html
    assert market.other_requirement.title not in html


def test_a_company_without_matches_gets_a_clear_empty_state(market, login):
    user = UmkmUserFactory()
    lonely = make_supplier(processes=["SEWING"], components=["INT.SEAT"], materials=[])
    lonely.members.create(user=user)
    response = login(user).get(MY_MATCHES)
    assert 'data-testid="no-matches"' in response.content.decode()
    assert "No matching requirements yet" in text_of(response)


def test_an_umkm_member_without_a_company_is_asked_to_register_it(market, login):
    response = login(UmkmUserFactory()).get(MY_READINESS)
    assert response.status_code == 200
    assert reverse("suppliers:create") in response.content.decode()


def test_readiness_shows_which_certification_would_open_which_requirements(market, login):
    # The expired ISO 9001 keeps this company out of both brackets.
    response = login(market.other_umkm).get(MY_READINESS)
    html = text_of(response)
    assert "ISO 9001 would open 2 requirements" in html
    item = html[html.index("ISO 9001 would open") :]
    assert market.requirement.title in item
    assert market.other_requirement.title in item
    assert reverse("suppliers:edit_certifications", args=[market.suppliers["expired"].pk]) in html


def test_readiness_shows_which_process_would_open_requirements(market, login):
    user = UmkmUserFactory()
    turner = make_supplier(
        legal_name="CV Bubut Karawang",
        processes=["CNC_TURN"],
        components=["MOT.SHAFT"],
        materials=["STEEL"],
        certs=[("ISO9001", in_days(500)), ("ISO14001", in_days(500))],
        province="32",
        capacity=5_000,
        lead_time=10,
        description="Stamped steel brackets and turned shafts, spot welded assemblies.",
    )
    turner.members.create(user=user)
    html = text_of(login(user).get(MY_READINESS))
    assert "Adding Press stamping would open 2 requirements" in html
    assert "Adding Spot welding would open 2 requirements" in html


def test_readiness_without_near_misses_says_so(market, login):
    # Bandung already matches every open requirement.
    bracket_requirement(market.requirement.manufacturer, reference="RFQ-0002", status="draft")
    response = login(market.umkm).get(MY_READINESS)
    assert 'data-testid="no-readiness"' in response.content.decode()


def test_ministry_sees_a_company_readiness_without_edit_links(market, login):
    expired = market.suppliers["expired"]
    response = login(market.ministry).get(
        reverse("matchmaking:supplier_readiness", args=[expired.pk])
    )
    html = text_of(response)
    assert "ISO 9001 would open 2 requirements" in html
    assert reverse("suppliers:edit_certifications", args=[expired.pk]) not in html


def test_a_new_matching_requirement_appears_after_scoring(market, login):
    fresh = bracket_requirement(
        market.requirement.manufacturer, reference="RFQ-0003", title="Busbar clamp"
    )
    client = login(market.umkm)
    assert "Busbar clamp" not in text_of(client.get(MY_MATCHES))
    services.score_requirement(fresh.pk)
    assert "Busbar clamp" in text_of(client.get(MY_MATCHES))


def test_the_ministry_overview_counts_near_misses_per_certification(market, login):
    services.rescore_everything()
    client = login(market.ministry)
    overview = reverse("matchmaking:readiness_overview")
    html = text_of(client.get(overview))
    row = re.search(
        r'<tr data-code="ISO9001"><th scope="row">ISO 9001</th><td>(\d+)</td><td>(\d+)', html
    )
    assert row, html
    assert row.groups() == ("1", "2")  # one UMKM, two requirements
    # The only near miss is in Jawa Barat; none in Sumatera Utara.
    assert 'data-code="ISO9001"' in text_of(client.get(overview, {"province": "32"}))
    assert 'data-code="ISO9001"' not in text_of(client.get(overview, {"province": "12"}))
