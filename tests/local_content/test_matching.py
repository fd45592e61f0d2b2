"""Local content (TKDN) in matching: a hard rule when the buyer requires its minimum, otherwise
a soft component; engine (block and pair paths) and reference scorer agree on every case."""

from __future__ import annotations

import pytest
from django.utils import translation

from matchmaking import services
from matchmaking.engine import WEIGHTS
from matchmaking.explain import explain
from matchmaking.models import Match
from tests.matching.helpers import (
    engine_result,
    in_days,
    make_requirement,
    make_supplier,
    reference_result,
)

pytestmark = pytest.mark.django_db


def both(requirement, supplier):
    engine = engine_result(requirement, supplier)
    reference = reference_result(requirement, supplier)
    assert engine["excluded"] == engine["pair_excluded"] == reference.excluded
    assert engine["score"] == pytest.approx(reference.score, abs=1e-3)
    assert engine["pair_score"] == pytest.approx(reference.score, abs=1e-3)
    for name, value in reference.components.items():
        assert engine["components"][name] == pytest.approx(value, abs=1e-4), name
    return engine


def tkdn(pct, days=365):
    return ("TKDN", None if days is None else in_days(days), pct)


# --- the hard rule ------------------------------------------------------------------------------


def test_it_excludes_a_supplier_below_a_required_minimum():
    requirement = make_requirement(min_local_content_pct=40, local_content_required=True)
    assert both(requirement, make_supplier(certs=[tkdn(39.99)]))["excluded"]
    assert not both(requirement, make_supplier(certs=[tkdn(40)]))["excluded"]
    assert not both(requirement, make_supplier(certs=[tkdn(72.5)]))["excluded"]


def test_it_excludes_a_supplier_without_tkdn_certificate_when_required():
    requirement = make_requirement(min_local_content_pct=40, local_content_required=True)
    assert both(requirement, make_supplier())["excluded"]
    # A TKDN certificate that states no percentage proves nothing.
    assert both(requirement, make_supplier(certs=[("TKDN", in_days(100))]))["excluded"]


def test_an_expired_tkdn_certificate_does_not_count():
    requirement = make_requirement(min_local_content_pct=40, local_content_required=True)
    assert both(requirement, make_supplier(certs=[tkdn(60, days=-1)]))["excluded"]
    assert not both(requirement, make_supplier(certs=[tkdn(60, days=0)]))["excluded"]
    assert not both(requirement, make_supplier(certs=[tkdn(60, days=None)]))["excluded"]


def test_the_best_valid_certificate_counts():
    requirement = make_requirement(min_local_content_pct=40, local_content_required=True)
    supplier = make_supplier(certs=[tkdn(30), tkdn(80, days=-5), tkdn(45)])
    result = both(requirement, supplier)
    assert not result["excluded"]
    assert result["components"]["local_content"] == 1.0


def test_a_minimum_that_is_not_required_excludes_nobody():
    requirement = make_requirement(min_local_content_pct=40)
    assert not both(requirement, make_supplier())["excluded"]
    assert not both(requirement, make_supplier(certs=[tkdn(10)]))["excluded"]


# --- the soft component -------------------------------------------------------------------------


def test_the_component_is_the_share_of_the_minimum_reached():
    requirement = make_requirement(min_local_content_pct=40)
    assert both(requirement, make_supplier(certs=[tkdn(20)]))["components"][
        "local_content"
    ] == pytest.approx(0.5)
    assert both(requirement, make_supplier(certs=[tkdn(45)]))["components"]["local_content"] == 1
    assert both(requirement, make_supplier())["components"]["local_content"] == 0


def test_without_a_minimum_every_supplier_gets_the_full_component():
    for minimum in (None, 0):
        requirement = make_requirement(min_local_content_pct=minimum)
        assert both(requirement, make_supplier())["components"]["local_content"] == 1
        assert both(requirement, make_supplier(certs=[tkdn(5)]))["components"]["local_content"] == 1


def test_local_content_moves_the_score_by_its_weight():
    requirement = make_requirement(min_local_content_pct=50)
    full = both(requirement, make_supplier(certs=[tkdn(50)]))["score"]
    none = both(requirement, make_supplier())["score"]
    assert full - none == pytest.approx(WEIGHTS["local_content"], abs=1e-3)
    assert 0 < WEIGHTS["local_content"] <= 10


# --- stored facts and their explanation ---------------------------------------------------------


def _explained(requirement, supplier, language="en"):
    services.score_requirement(requirement.pk)
    match = Match.objects.get(requirement=requirement, supplier=supplier)
    with translation.override(language):
        lines = explain(match)
    return match, lines


def test_a_match_above_the_minimum_says_so():
    requirement = make_requirement(min_local_content_pct=40)
    supplier = make_supplier(certs=[tkdn(45)])
    match, lines = _explained(requirement, supplier)
    assert match.facts["local_content"] == {"pct": 45.0, "min": 40, "required": False}
    assert match.components["local_content"] == 1.0
    line = next(line for line in lines if "TKDN" in line)
    assert line == "TKDN 45% ≥ 40% asked"
    assert not line.gap


def test_a_match_without_certificate_shows_the_gap():
    requirement = make_requirement(min_local_content_pct=40)
    supplier = make_supplier()
    _match, lines = _explained(requirement, supplier)
    gaps = [line for line in lines if line.gap]
    assert "no TKDN certificate; buyer asks 40%" in gaps


def test_a_match_below_the_minimum_shows_the_gap_in_indonesian():
    requirement = make_requirement(min_local_content_pct=40)
    supplier = make_supplier(certs=[tkdn(32.5)])
    _match, lines = _explained(requirement, supplier, language="id")
    gap = next(line for line in lines if "TKDN" in line)
    assert gap.gap
    assert "32,5%" in gap and "40%" in gap


def test_no_line_when_the_buyer_asks_no_minimum():
    requirement = make_requirement()
    supplier = make_supplier(certs=[tkdn(45)])
    match, lines = _explained(requirement, supplier)
    assert match.facts["local_content"]["min"] is None
    assert not [line for line in lines if "TKDN" in line]


def test_a_required_minimum_keeps_lower_suppliers_out_of_the_stored_matches():
    requirement = make_requirement(min_local_content_pct=40, local_content_required=True)
    above = make_supplier(certs=[tkdn(41)])
    below = make_supplier(certs=[tkdn(39)])
    without = make_supplier()
    services.score_requirement(requirement.pk)
    stored = set(Match.objects.filter(requirement=requirement).values_list("supplier", flat=True))
    assert above.pk in stored
    assert below.pk not in stored and without.pk not in stored
