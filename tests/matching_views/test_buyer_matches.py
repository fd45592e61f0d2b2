"""The buyer's ranked matches of one requirement: list, filters, shortlist / dismiss, compare."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from matchmaking import services
from matchmaking.explain import explain
from matchmaking.models import Match, MatchDecision

from .conftest import in_days

pytestmark = pytest.mark.django_db


def list_url(requirement) -> str:
    return reverse("matchmaking:requirement_matches", args=[requirement.pk])


def decide_url(requirement, supplier) -> str:
    return reverse("matchmaking:decide", args=[requirement.pk, supplier.pk])


def compare_url(requirement) -> str:
    return reverse("matchmaking:compare", args=[requirement.pk])


def names_in_order(response, market) -> list[str]:
    html = response.content.decode()
    found = [
        (html.index(s.legal_name), key)
        for key, s in market.suppliers.items()
        if f">{s.legal_name}<" in html
    ]
    return [key for _, key in sorted(found)]


def test_it_lists_the_ranked_matches_with_their_explanation(market, login):
    response = login(market.buyer).get(list_url(market.requirement))
    assert response.status_code == 200
    ranked = list(
        Match.objects.filter(requirement=market.requirement)
        .order_by("rank")
        .values_list("supplier__legal_name", flat=True)
    )
    by_name = {s.legal_name: key for key, s in market.suppliers.items()}
    assert names_in_order(response, market) == [by_name[name] for name in ranked]
    assert "expired" not in names_in_order(response, market)
    html = response.content.decode()
    best = Match.objects.get(requirement=market.requirement, rank=1)
    with translation.override("en"):
        lines = explain(best)
    assert lines
    for line in lines:
        assert escape(line) in html
    assert 'data-testid="verified-badge"' in html


def test_it_never_shows_private_contact_details(market, login):
    client = login(market.buyer)
    pages = [
        client.get(list_url(market.requirement)),
        client.get(
            compare_url(market.requirement),
            {"supplier": [market.suppliers["bandung"].pk, market.suppliers["medan"].pk]},
        ),
    ]
    for response in pages:
        html = response.content.decode()
        for supplier in market.suppliers.values():
            assert supplier.contact_email not in html
            assert supplier.contact_phone not in html
            assert supplier.address not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"province": "32"}, {"bandung"}),
        ({"island_group": "Jawa"}, {"bandung", "surabaya"}),
        ({"size_class": "kecil"}, {"bandung", "balikpapan"}),
        ({"verified_only": "on"}, {"bandung", "medan", "balikpapan"}),
        ({"island_group": "Jawa", "verified_only": "on"}, {"bandung"}),
    ],
)
def test_filters_narrow_the_list(market, login, query, expected):
    response = login(market.buyer).get(list_url(market.requirement), query)
    assert response.status_code == 200
    assert set(names_in_order(response, market)) == expected


def test_minimum_score_keeps_only_the_better_matches(market, login):
    scores = dict(
        Match.objects.filter(requirement=market.requirement).values_list(
            "supplier__legal_name", "score"
        )
    )
    cut = sorted(scores.values())[len(scores) // 2]
    response = login(market.buyer).get(list_url(market.requirement), {"min_score": int(cut) + 1})
    by_name = {s.legal_name: key for key, s in market.suppliers.items()}
    expected = {by_name[name] for name, score in scores.items() if score >= int(cut) + 1}
    assert set(names_in_order(response, market)) == expected
    assert 0 < len(expected) < len(scores)


def test_a_bad_filter_gets_a_message_next_to_the_field_and_keeps_the_rest(market, login):
    response = login(market.buyer).get(
        list_url(market.requirement), {"min_score": "150", "province": "32"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="field-min_score"' in html
    assert "Ensure this value is less than or equal to 100." in html
    assert 'value="150"' in html
    assert '<option value="32" selected>' in html


def test_htmx_gets_only_the_results_fragment(market, login):
    response = login(market.buyer).get(
        list_url(market.requirement),
        {"province": "32"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="match-results",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="match-results"')
    assert "<html" not in html
    assert set(names_in_order(response, market)) == {"bandung"}


def test_shortlist_and_dismiss_persist_and_dismissed_ones_are_hidden(market, login):
    client = login(market.buyer)
    bandung, medan = market.suppliers["bandung"], market.suppliers["medan"]
    assert client.post(decide_url(market.requirement, bandung), {"status": "shortlisted"})
    client.post(decide_url(market.requirement, medan), {"status": "dismissed"})
    decisions = dict(
        MatchDecision.objects.filter(requirement=market.requirement).values_list(
            "supplier_id", "status"
        )
    )
    assert decisions == {bandung.pk: "shortlisted", medan.pk: "dismissed"}
    decision = MatchDecision.objects.get(supplier=bandung)
    assert decision.decided_by == market.buyer

    response = client.get(list_url(market.requirement))
    shown = names_in_order(response, market)
    assert "medan" not in shown
    assert "bandung" in shown
    assert 'data-testid="shortlisted-badge"' in response.content.decode()
    assert 'data-testid="hidden-dismissed"' in response.content.decode()

    response = client.get(list_url(market.requirement), {"show_dismissed": "on"})
    assert "medan" in names_in_order(response, market)
    assert 'data-testid="dismissed-badge"' in response.content.decode()


def test_undo_removes_the_decision(market, login):
    client = login(market.buyer)
    medan = market.suppliers["medan"]
    client.post(decide_url(market.requirement, medan), {"status": "dismissed"})
    client.post(decide_url(market.requirement, medan), {"status": ""})
    assert not MatchDecision.objects.filter(supplier=medan).exists()
    assert "medan" in names_in_order(client.get(list_url(market.requirement)), market)


def test_decisions_survive_a_rescore(market, login):
    client = login(market.buyer)
    bandung, medan = market.suppliers["bandung"], market.suppliers["medan"]
    client.post(decide_url(market.requirement, bandung), {"status": "shortlisted"})
    client.post(decide_url(market.requirement, medan), {"status": "dismissed"})
    before = Match.objects.get(requirement=market.requirement, supplier=medan)

    # The supplier changes its profile, the worker rescores it, then the nightly full rescore.
    medan.capacity_per_month = 300
    medan.save()
    services.score_supplier(medan.pk)
    services.score_requirement(market.requirement.pk)
    services.rescore_everything()

    after = Match.objects.get(requirement=market.requirement, supplier=medan)
    assert after.score < before.score  # the rescore really rewrote the match
    assert after.computed_at > before.computed_at
    statuses = dict(
        MatchDecision.objects.filter(requirement=market.requirement).values_list(
            "supplier_id", "status"
        )
    )
    assert statuses == {bandung.pk: "shortlisted", medan.pk: "dismissed"}
    response = client.get(list_url(market.requirement))
    assert "medan" not in names_in_order(response, market)
    assert 'data-testid="shortlisted-badge"' in response.content.decode()


def test_a_decision_outlives_a_supplier_dropping_out_and_coming_back(market, login):
    client = login(market.buyer)
    medan = market.suppliers["medan"]
    client.post(decide_url(market.requirement, medan), {"status": "dismissed"})
    certificate = medan.certifications.get()
    until = certificate.valid_until
    certificate.valid_until = in_days(-1)  # the must-have lapses: no longer a match
    certificate.save()
    services.score_supplier(medan.pk)
    assert not Match.objects.filter(requirement=market.requirement, supplier=medan).exists()

    certificate.valid_until = until  # renewed
    certificate.save()
    services.score_supplier(medan.pk)
    assert Match.objects.filter(requirement=market.requirement, supplier=medan).exists()
    assert MatchDecision.objects.get(supplier=medan).status == "dismissed"
    assert "medan" not in names_in_order(client.get(list_url(market.requirement)), market)


def test_htmx_decision_returns_the_swapped_card(market, login):
    client = login(market.buyer)
    bandung = market.suppliers["bandung"]
    response = client.post(
        decide_url(market.requirement, bandung),
        {"status": "shortlisted"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"match-{bandung.pk}",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<article")
    assert f'id="match-{bandung.pk}"' in html
    assert 'data-decision="shortlisted"' in html
    # The shortlist count above the list follows, out of band.
    assert 'id="shortlisted-count" data-testid="shortlisted-count" hx-swap-oob="true"' in html
    assert "1 shortlisted" in html

    response = client.post(
        decide_url(market.requirement, bandung), {"status": "dismissed"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "CV Presisi Bandung dismissed." in html
    assert 'data-testid="undo"' in html


def test_a_plain_post_goes_back_to_the_list_it_came_from_but_never_elsewhere(market, login):
    client = login(market.buyer)
    bandung = market.suppliers["bandung"]
    back = list_url(market.requirement) + "?province=32"
    response = client.post(
        decide_url(market.requirement, bandung), {"status": "shortlisted", "next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    response = client.post(
        decide_url(market.requirement, bandung),
        {"status": "shortlisted", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == list_url(market.requirement)


def test_an_unknown_decision_changes_nothing(market, login):
    client = login(market.buyer)
    response = client.post(
        decide_url(market.requirement, market.suppliers["bandung"]),
        {"status": "favourite"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert not MatchDecision.objects.exists()


def test_a_supplier_that_is_not_a_match_cannot_be_decided_on(market, login):
    response = login(market.buyer).post(
        decide_url(market.requirement, market.suppliers["expired"]), {"status": "shortlisted"}
    )
    assert response.status_code == 404
    assert not MatchDecision.objects.exists()


def test_compare_shows_up_to_three_suppliers_side_by_side(market, login):
    chosen = [market.suppliers[key] for key in ("bandung", "medan", "surabaya")]
    response = login(market.buyer).get(
        compare_url(market.requirement), {"supplier": [s.pk for s in chosen]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # In the order the buyer ticked them.
    positions = [html.index(f">{s.legal_name}</a>") for s in chosen]
    assert positions == sorted(positions)
    assert html.count('data-testid="component-row"') >= 9
    assert "3,000 units" in html  # Bandung's monthly capacity
    assert "100% of the 3,000 needed a month" in html
    assert "21 days" in html  # Bandung's lead time
    assert "valid until " in html
    assert "IATF 16949" in html
    assert "counts as ISO 9001, a must-have" in html  # Surabaya's IATF 16949
    assert "km" in html


def test_compare_refuses_a_fourth_supplier_with_a_clear_message(market, login):
    four = [market.suppliers[key].pk for key in ("bandung", "medan", "surabaya", "balikpapan")]
    response = login(market.buyer).get(
        compare_url(market.requirement), {"supplier": four, "province": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "You can compare at most 3 suppliers; you chose 4." in html
    assert 'data-testid="compare-error"' in html
    assert html.count("checked") >= 4  # the ticks are kept, the buyer unticks one
    assert 'data-testid="compare-table"' not in html


@pytest.mark.parametrize("keys", [["bandung"], []])
def test_compare_needs_at_least_two(market, login, keys):
    response = login(market.buyer).get(
        compare_url(market.requirement), {"supplier": [market.suppliers[k].pk for k in keys]}
    )
    assert response.status_code == 400
    assert "Choose two or three suppliers to compare." in response.content.decode()


def test_compare_refuses_a_supplier_that_is_not_a_match(market, login):
    response = login(market.buyer).get(
        compare_url(market.requirement),
        {"supplier": [market.suppliers["bandung"].pk, market.suppliers["expired"].pk]},
    )
    assert response.status_code == 400
    assert "not a match of this requirement" in response.content.decode()


def test_an_open_requirement_without_matches_says_the_worker_is_on_it(market, login):
    Match.objects.filter(requirement=market.requirement).delete()
    response = login(market.buyer).get(list_url(market.requirement))
    assert "No matches yet: the worker scores new requirements within a minute." in (
        response.content.decode()
    )


def test_filters_that_hide_everything_say_so(market, login):
    response = login(market.buyer).get(list_url(market.requirement), {"province": "91"})
    assert 'data-testid="no-filtered-matches"' in response.content.decode()


def test_the_overview_lists_the_buyers_own_requirements_with_counts(market, login):
    client = login(market.buyer)
    client.post(
        decide_url(market.requirement, market.suppliers["bandung"]), {"status": "shortlisted"}
    )
    response = client.get(reverse("matchmaking:buyer_overview"))
    html = response.content.decode()
    assert market.requirement.title in html
    assert market.other_requirement.title not in html
    count = Match.objects.filter(requirement=market.requirement).count()
    assert f"{count} matching suppliers" in html
    assert "1 shortlisted" in html
