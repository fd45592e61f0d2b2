"""Property: the vectorised engine gives the per-pair reference scorer's results."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking import data
from matchmaking.engine import Engine, top_k
from matchmaking.reference_scorer import ReferenceScorer, requirement_queryset, supplier_queryset
from tests.matching.helpers import in_days, make_requirement, make_supplier

PROCESSES = ["INJ_MOULD", "CNC_MILL", "STAMP", "WELD_SPOT"]
COMPONENTS = ["BAT.MOD.HOLDER", "BAT.MOD.BUSBAR", "BAT.MOD", "BAT.PACK.ENCL", "BAT", "MOT.HOUSING"]
MATERIALS = ["STEEL", "COPPER", "PC"]
CERTS = ["ISO9001", "IATF16949", "ISO14001"]
TEXTS = [
    "",
    "Injection moulding of battery cell holders.",
    "Pengecoran aluminium rumah motor dan bubut CNC.",
    "Busbar tembaga dan strip nikel untuk baterai.",
    "Stamping steel brackets, spot welding.",
]

suppliers = st.fixed_dictionaries(
    {
        "processes": st.lists(st.sampled_from(PROCESSES), max_size=3, unique=True),
        "components": st.lists(st.sampled_from(COMPONENTS), max_size=2, unique=True),
        "materials": st.lists(st.sampled_from(MATERIALS), max_size=2, unique=True),
        "certs": st.lists(
            st.tuples(st.sampled_from(CERTS), st.sampled_from([-10, 0, 30, None])),
            max_size=3,
            unique_by=lambda c: c[0],
        ),
        "province": st.sampled_from(["32", "35", "73", "94", None]),
        "capacity": st.sampled_from([None, 0, 50, 1000, 5000]),
        "lead_time": st.sampled_from([None, 0, 30, 120]),
        "verification": st.sampled_from(["verified", "unverified", "rejected"]),
        "description": st.sampled_from(TEXTS),
        "tkdn": st.lists(
            st.tuples(st.sampled_from([30, 40, 45.5, 72]), st.sampled_from([-10, 0, 30, None])),
            max_size=2,
        ),
    }
)
requirements = st.fixed_dictionaries(
    {
        "processes": st.lists(st.sampled_from(PROCESSES), max_size=3, unique=True),
        "component": st.sampled_from(COMPONENTS),
        "materials": st.lists(st.sampled_from(MATERIALS), max_size=2, unique=True),
        "required": st.lists(st.sampled_from(CERTS), max_size=2, unique=True),
        "preferred": st.lists(st.sampled_from(CERTS), max_size=2, unique=True),
        "province": st.sampled_from(["32", "35", "73"]),
        "annual_volume": st.sampled_from([0, 600, 12_000, 120_000]),
        "needed_in_days": st.sampled_from([-5, 10, 90]),
        "description": st.sampled_from(TEXTS),
        "min_local_content_pct": st.sampled_from([None, 0, 40, 45]),
        "local_content_required": st.booleans(),
    }
)


def _build(spec_suppliers, spec_requirements):
    made_suppliers = []
    for spec in spec_suppliers:
        spec = dict(spec)
        spec["certs"] = [(c, None if d is None else in_days(d)) for c, d in spec["certs"]] + [
            ("TKDN", None if d is None else in_days(d), pct) for pct, d in spec.pop("tkdn")
        ]
        made_suppliers.append(make_supplier(**spec))
    made_requirements = [make_requirement(**spec) for spec in spec_requirements]
    return made_suppliers, made_requirements


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    spec_suppliers=st.lists(suppliers, min_size=1, max_size=6),
    spec_requirements=st.lists(requirements, min_size=1, max_size=3),
)
def test_engine_equals_reference_scorer(spec_suppliers, spec_requirements):
    with transaction.atomic():
        data.clear_caches()
        _build(spec_suppliers, spec_requirements)
        today = date.today()
        vocab = data.load_vocabulary()
        engine = Engine(vocab, today)
        sups = data.load_suppliers(vocab)
        reqs = data.load_requirements(vocab)
        block = engine.score_block(reqs, np.arange(len(reqs)), sups)
        assert np.all(block["score"] >= 0)
        assert np.all(block["score"] <= 100)

        scorer = ReferenceScorer(today)
        supplier_objs = {s.id: s for s in supplier_queryset()}
        best = top_k(block["score"], block["excluded"], sups.ids, 3)
        for r, requirement in enumerate(
            requirement_queryset().filter(id__in=reqs.ids).order_by("id")
        ):
            for s, sid in enumerate(sups.ids):
                expected = scorer.score(requirement, supplier_objs[int(sid)])
                assert bool(block["excluded"][r, s]) == expected.excluded
                assert float(block["score"][r, s]) == pytest.approx(expected.score, abs=1e-3)
                assert 0 <= expected.score <= 100
            ranked = scorer.rank(requirement, supplier_objs.values(), 3)
            assert [int(sups.ids[c]) for c in best[r]] == [sid for sid, _score in ranked]
        transaction.set_rollback(True)
