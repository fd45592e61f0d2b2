"""Ranking quality on the labeled evaluation set (a floor, not a benchmark)."""

from __future__ import annotations

from datetime import date

import pytest

from matchmaking import services
from matchmaking.models import Match
from matchmaking.reference_scorer import ReferenceScorer, requirement_queryset, supplier_queryset
from tests.matching import eval_set

pytestmark = pytest.mark.django_db

NDCG5_FLOOR = 0.9


def test_the_set_is_big_enough_and_graded():
    assert len(eval_set.REQUIREMENTS) >= 10
    assert len(eval_set.SUPPLIERS) >= 40
    for key in eval_set.REQUIREMENTS:
        grades = eval_set.grades(key)
        assert set(grades) <= set(eval_set.SUPPLIERS)
        assert set(grades.values()) <= {1, 2, 3}
        assert 3 in grades.values()


def test_engine_ranking_quality_and_no_hard_rule_violations():
    requirements, suppliers = eval_set.load()
    services.rescore_everything()
    key_of = {s.id: key for key, s in suppliers.items()}
    rankings = {
        key: [
            key_of[sid]
            for sid in Match.objects.filter(requirement=r)
            .order_by("rank")
            .values_list("supplier_id", flat=True)[:10]
        ]
        for key, r in requirements.items()
    }
    # Exclusions decided by the per-pair reference scorer, independently of the engine.
    scorer = ReferenceScorer(date.today())
    sups = list(supplier_queryset().filter(id__in=key_of))
    excluded = {
        key: {key_of[s.id] for s in sups if scorer.score(r, s).excluded}
        for key, r in ((k, requirement_queryset().get(pk=r.pk)) for k, r in requirements.items())
    }
    # The traps are excluded where a hard rule says so.
    assert "holder_expired" in excluded["holder"]
    assert "keyword_seat" in excluded["holder"]
    assert "busbar_noiso" in excluded["busbar"]
    assert "encl_iso_only" in excluded["enclosure"]
    assert "ems_expired" in excluded["bms"]
    assert "keyword_copper" in excluded["winding"]
    result = eval_set.evaluate(rankings, excluded)
    print("nDCG@5 per requirement:", {k: round(v, 3) for k, v in result["per_requirement"].items()})
    print("mean nDCG@5:", round(result["ndcg5"], 4), "violations:", result["violations"])
    assert result["violations"] == 0
    assert result["ndcg5"] >= NDCG5_FLOOR
    # Traps that pass the hard rules rank below the capable suppliers.
    assert rankings["holder"].index("holder_tiny") > rankings["holder"].index("holder_b")
    assert rankings["holder"].index("holder_far") > rankings["holder"].index("holder_a")
