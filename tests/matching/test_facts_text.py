"""The bulk writes store the explanation facts and score components as JSON text built column by
column; they must parse to exactly what the per-pair dictionaries say."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import orjson
import pytest

from matchmaking import data
from matchmaking.engine import Engine
from matchmaking.facts import json_texts, pair_facts, pair_facts_json
from tests.matching.helpers import in_days, make_requirement, make_supplier

pytestmark = pytest.mark.django_db


def _varied_pairs():
    make_supplier()
    make_supplier(capacity=None, lead_time=None, province=None, verification="pending")
    make_supplier(
        processes=("INJ_MOULD", "ASSEMBLY"),
        materials=("PC", "ABS"),
        certs=(("IATF16949", in_days(200)), ("ISO9001", in_days(200)), ("ISO14001", None)),
        province="31",
    )
    make_supplier(certs=(("ISO9001", in_days(-3)),), province="64", capacity=10)
    make_supplier(certs=(("IATF16949", in_days(30)),), components=("BAT.PACK.ENCL",))
    make_supplier(certs=(("TKDN", in_days(90), 45.55), ("TKDN", in_days(-1), 80)))
    make_requirement()
    make_requirement(min_local_content_pct=40, local_content_required=True)
    make_requirement(required=("ISO9001",), preferred=("IATF16949", "ISO14001"))
    make_requirement(
        processes=("INJ_MOULD", "ASSEMBLY"),
        materials=("PC", "ABS", "PA"),
        preferred=("ISO14001",),
        province="31",
        annual_volume=1,
    )
    vocab = data.load_vocabulary()
    engine = Engine(vocab, date.today())
    reqs = data.load_requirements(vocab, None, open_only=False)
    sups = data.supplier_index(vocab)
    r_idx = np.repeat(np.arange(len(reqs)), len(sups))
    s_idx = np.tile(np.arange(len(sups)), len(reqs))
    return engine, reqs, r_idx, sups, s_idx, engine.score_pairs(reqs, r_idx, sups, s_idx)


def test_facts_text_parses_to_the_per_pair_facts():
    engine, reqs, r_idx, sups, s_idx, result = _varied_pairs()
    expected = pair_facts(engine, reqs, r_idx, sups, s_idx, result)
    texts = pair_facts_json(engine, reqs, r_idx, sups, s_idx, result)
    assert len(texts) == len(expected) == 24
    assert [json.loads(text) for text in texts] == expected
    # Same numbers written the same way (jsonb keeps numbers as written).
    assert [orjson.loads(text) for text in texts] == [
        orjson.loads(orjson.dumps(facts)) for facts in expected
    ]
    assert any(facts["certifications"] for facts in expected)
    assert any(facts["missing_certifications"] for facts in expected)
    assert {"pct": 45.55, "min": 40, "required": True} in [f["local_content"] for f in expected]
    assert {"pct": None, "min": 40, "required": True} in [f["local_content"] for f in expected]


def test_number_texts_are_what_orjson_writes():
    values = [0.1234, 1.0, 0, 250, -3, 1e16, float("nan"), True, None]
    assert json_texts(values) == [orjson.dumps(v).decode() for v in values]
    assert json_texts([]) == []
