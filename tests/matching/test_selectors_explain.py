from __future__ import annotations

import pytest
from django.utils import translation

from matchmaking import selectors, services
from matchmaking.explain import explain, explain_components
from matchmaking.models import MatchDecision
from tests.matching.helpers import in_days, make_requirement, make_supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    requirement = make_requirement(
        processes=["INJ_MOULD", "ASSEMBLY", "ELEC_TEST"],
        required=["ISO9001"],
        annual_volume=12_000,
        province="32",
    )
    near = make_supplier(
        processes=["INJ_MOULD", "ASSEMBLY"],
        certs=[("ISO9001", in_days(500))],
        capacity=1200,
        province="32",
    )
    island = make_supplier(
        certs=[("IATF16949", None)], province="35", verification="unverified", capacity=None
    )
    far = make_supplier(certs=[("ISO9001", in_days(30))], province="73", lead_time=150)
    services.score_requirement(requirement.id)
    return requirement, near, island, far


def test_filters(scored):
    requirement, near, island, far = scored
    ids = lambda qs: {m.supplier_id for m in qs}  # noqa: E731
    assert ids(selectors.matches_for_requirement(requirement)) == {near.id, island.id, far.id}
    assert ids(selectors.matches_for_requirement(requirement, filters={"province": "32"})) == {
        near.id
    }
    java = selectors.matches_for_requirement(requirement, filters={"island_group": "Jawa"})
    assert ids(java) == {near.id, island.id}
    verified = selectors.matches_for_requirement(requirement, filters={"verified_only": True})
    assert island.id not in ids(verified)
    top = selectors.matches_for_requirement(requirement, filters={"min_score": 80})
    assert all(m.score >= 80 for m in top)
    assert (
        ids(selectors.matches_for_requirement(requirement, filters={"size_class": "zzz"})) == set()
    )


def test_decisions_are_joined_and_filterable(scored):
    requirement, near, island, far = scored
    MatchDecision.objects.create(requirement=requirement, supplier=far, status="dismissed")
    MatchDecision.objects.create(requirement=requirement, supplier=near, status="shortlisted")
    rows = {m.supplier_id: m.decision for m in selectors.matches_for_requirement(requirement)}
    assert rows == {near.id: "shortlisted", island.id: None, far.id: "dismissed"}
    shown = selectors.matches_for_requirement(requirement, filters={"hide_dismissed": True})
    assert {m.supplier_id for m in shown} == {near.id, island.id}
    undecided = selectors.matches_for_requirement(requirement, filters={"decision": "undecided"})
    assert [m.supplier_id for m in undecided] == [island.id]


def test_match_list_has_no_n_plus_one(scored, django_assert_num_queries):
    requirement, *_ = scored
    for _ in range(5):
        make_supplier()
    services.score_requirement(requirement.id)
    with django_assert_num_queries(1):
        for match in selectors.matches_for_requirement(requirement):
            assert match.supplier.province.name and match.supplier.size_class
            assert match.decision is None


def test_matches_for_supplier_are_open_requirements_best_first(scored):
    requirement, near, *_ = scored
    other = make_requirement(processes=["INJ_MOULD"])
    services.score_requirement(other.id)
    rows = list(selectors.matches_for_supplier(near))
    assert {m.requirement_id for m in rows} == {requirement.id, other.id}
    assert rows[0].score >= rows[1].score
    other.status = "closed"
    other.close_reason = "cancelled"
    other.save()
    assert [m.requirement_id for m in selectors.matches_for_supplier(near)] == [requirement.id]


def test_explanation_in_plain_words(scored):
    requirement, near, island, far = scored
    with translation.override("en"):
        words = explain(requirement.matches.get(supplier=near))
        assert "does 2 of 3 required processes" in words
        assert "makes this kind of part" in words
        assert any(w.startswith("ISO 9001 valid until ") for w in words)
        assert "covers 120% of monthly volume" in words
        assert "same province" in words
        assert "can deliver by the needed-by date" in words
        assert "verified company" in words

        words = explain(requirement.matches.get(supplier=island))
        assert "same island group" in words
        # Held through IATF 16949, never as if the firm held ISO 9001 itself.
        assert "IATF 16949, which includes ISO 9001 (no end date)" in words
        assert not any(w.startswith("ISO 9001") for w in words)
        assert "monthly capacity not given" in words
        assert "not yet verified" in words

        words = explain(requirement.matches.get(supplier=far))
        assert any(w.endswith("km away") for w in words)
        assert "lead time 60 days late for the needed-by date" in words


def test_explanation_says_what_is_missing_after_what_fits(scored):
    requirement, near, island, far = scored
    requirement.preferred_certifications.add("IATF16949")
    services.score_requirement(requirement.id)
    with translation.override("en"):
        words = explain(requirement.matches.get(supplier=near))
        gaps = [w for w in words if w.gap]
        assert gaps == ["does not do Electrical testing", "no IATF 16949"]
        # What fits first, then the gaps.
        assert words[-len(gaps) :] == gaps
        island_words = explain(requirement.matches.get(supplier=island))
        assert "IATF 16949, which includes ISO 9001 (no end date)" in island_words
        assert "no IATF 16949" not in island_words

        far_words = explain(requirement.matches.get(supplier=far))
        assert "lead time 60 days late for the needed-by date" in [w for w in far_words if w.gap]

    with translation.override("id"):
        gaps = [w for w in explain(requirement.matches.get(supplier=near)) if w.gap]
        assert gaps == ["tidak mengerjakan Pengujian elektrik", "tidak punya IATF 16949"]


def test_a_capacity_below_the_volume_is_a_gap():
    from matchmaking.models import Match

    match = Match(facts={"capacity": {"ratio": 0.6}, "lead_time": {"slack_days": 3}})
    with translation.override("en"):
        words = explain(match, {})
    assert "capacity below the annual volume: covers 60% of monthly volume" in [
        w for w in words if w.gap
    ]
    assert not any("covers 60%" in w for w in words if not w.gap)


def test_explanation_renders_in_indonesian_too(scored):
    requirement, near, *_ = scored
    with translation.override("id"):
        assert len(explain(requirement.matches.get(supplier=near))) >= 6


def test_component_breakdown_adds_up_to_the_score(scored):
    requirement, near, *_ = scored
    match = requirement.matches.get(supplier=near)
    rows = explain_components(match)
    assert [r["key"] for r in rows][:2] == ["process", "component"]
    assert sum(r["value"] * r["weight"] for r in rows) == pytest.approx(match.score, abs=0.01)
