"""Every hard rule and soft component, checked on the engine and on the reference scorer."""

from __future__ import annotations

import pytest

from matchmaking.engine import WEIGHTS
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
    # The block path, the pair path and the reference scorer agree on every pair we look at.
    assert engine["excluded"] == engine["pair_excluded"] == reference.excluded
    assert engine["score"] == pytest.approx(reference.score, abs=1e-3)
    assert engine["pair_score"] == pytest.approx(reference.score, abs=1e-3)
    for name, value in reference.components.items():
        assert engine["components"][name] == pytest.approx(value, abs=1e-4), name
    return engine


def test_weights_add_up_to_100():
    assert sum(WEIGHTS.values()) == 100


def test_a_perfect_supplier_scores_close_to_100():
    result = both(make_requirement(), make_supplier())
    assert not result["excluded"]
    assert result["score"] > 90


# --- hard rules ---------------------------------------------------------------------------------


def test_it_excludes_supplier_without_must_have_certificate():
    requirement = make_requirement(required=["ISO9001"])
    assert both(requirement, make_supplier())["excluded"]
    assert not both(requirement, make_supplier(certs=[("ISO9001", in_days(300))]))["excluded"]


def test_it_excludes_expired_must_have_certificate():
    requirement = make_requirement(required=["ISO9001"])
    assert both(requirement, make_supplier(certs=[("ISO9001", in_days(-1))]))["excluded"]


def test_a_certificate_valid_until_today_still_counts():
    requirement = make_requirement(required=["ISO9001"])
    assert not both(requirement, make_supplier(certs=[("ISO9001", in_days(0))]))["excluded"]


def test_a_certificate_without_end_date_counts():
    requirement = make_requirement(required=["ISO9001"])
    assert not both(requirement, make_supplier(certs=[("ISO9001", None)]))["excluded"]


def test_iatf_16949_counts_as_iso_9001():
    requirement = make_requirement(required=["ISO9001"])
    assert not both(requirement, make_supplier(certs=[("IATF16949", in_days(200))]))["excluded"]


def test_iso_9001_does_not_count_as_iatf_16949():
    requirement = make_requirement(required=["IATF16949"])
    assert both(requirement, make_supplier(certs=[("ISO9001", in_days(200))]))["excluded"]


def test_all_must_have_certificates_are_needed():
    requirement = make_requirement(required=["ISO9001", "ISO14001"])
    supplier = make_supplier(certs=[("ISO9001", in_days(200))])
    assert both(requirement, supplier)["excluded"]


def test_it_excludes_supplier_without_process_or_family_overlap():
    requirement = make_requirement(processes=["INJ_MOULD"], component="BAT.MOD.HOLDER")
    keyword_only = make_supplier(
        processes=["SEWING"],
        components=["INT.SEAT"],
        description="Cell holder battery injection moulding flame retardant 21700 cells.",
    )
    assert both(requirement, keyword_only)["excluded"]


def test_process_overlap_alone_keeps_the_supplier():
    requirement = make_requirement(processes=["INJ_MOULD", "ASSEMBLY"], component="BAT.MOD.HOLDER")
    supplier = make_supplier(processes=["INJ_MOULD"], components=["INT.TRIM"])
    result = both(requirement, supplier)
    assert not result["excluded"]
    assert result["components"]["process"] == pytest.approx(0.5)
    assert result["components"]["component"] == 0


def test_family_overlap_alone_keeps_the_supplier():
    requirement = make_requirement(processes=["INJ_MOULD"], component="BAT.MOD.HOLDER")
    supplier = make_supplier(processes=["CNC_MILL"], components=["BAT.MOD.BUSBAR"])
    result = both(requirement, supplier)
    assert not result["excluded"]
    assert result["level"] == 2


def test_same_system_is_not_a_family_overlap():
    requirement = make_requirement(processes=["INJ_MOULD"], component="BAT.MOD.HOLDER")
    supplier = make_supplier(processes=["CNC_MILL"], components=["BAT.PACK.ENCL"])
    result = both(requirement, supplier)
    assert result["level"] == 1
    assert result["excluded"]


def test_requirement_without_processes_needs_the_family():
    requirement = make_requirement(processes=[], component="BAT.MOD.HOLDER")
    assert both(requirement, make_supplier(components=["BAT.MOD.HOLDER"]))["excluded"] is False
    assert both(requirement, make_supplier(components=["MOT.HOUSING"]))["excluded"] is True


# --- soft components ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("supplier_components", "level", "closeness"),
    [
        (["BAT.MOD.HOLDER"], 3, 1.0),
        (["BAT.MOD"], 2, 0.6),
        (["BAT.MOD.BUSBAR"], 2, 0.6),
        (["BAT.PACK.ENCL"], 1, 0.3),
        (["BAT"], 1, 0.3),
        (["MOT.HOUSING"], 0, 0.0),
        (["MOT.HOUSING", "BAT.MOD.BUSBAR"], 2, 0.6),
    ],
)
def test_taxonomy_closeness(supplier_components, level, closeness):
    requirement = make_requirement(component="BAT.MOD.HOLDER")
    result = both(requirement, make_supplier(components=supplier_components))
    assert result["level"] == level
    assert result["components"]["component"] == pytest.approx(closeness)


def test_subsystem_requirement_is_covered_by_its_part_families():
    requirement = make_requirement(component="BAT.MOD")
    assert both(requirement, make_supplier(components=["BAT.MOD.BUSBAR"]))["level"] == 3


def test_process_coverage_is_a_share():
    requirement = make_requirement(processes=["STAMP", "WELD_SPOT", "POWDER_COAT"])
    result = both(requirement, make_supplier(processes=["STAMP", "WELD_SPOT"]))
    assert result["components"]["process"] == pytest.approx(2 / 3)


def test_material_coverage_is_a_share():
    requirement = make_requirement(materials=["COPPER", "NICKEL"])
    result = both(requirement, make_supplier(materials=["COPPER"]))
    assert result["components"]["material"] == pytest.approx(0.5)


def test_nice_to_have_certificates_score_when_valid():
    requirement = make_requirement(preferred=["ISO14001", "SMK3"])
    supplier = make_supplier(certs=[("ISO14001", in_days(100)), ("SMK3", in_days(-10))])
    assert both(requirement, supplier)["components"]["certification"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("capacity", "expected"), [(2000, 1.0), (1000, 1.0), (250, 0.25), (10, 0.01), (None, 0.25)]
)
def test_capacity_against_monthly_volume(capacity, expected):
    requirement = make_requirement(annual_volume=12_000)  # 1,000 a month
    result = both(requirement, make_supplier(capacity=capacity))
    assert result["components"]["capacity"] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("lead_time", "needed_in", "expected"),
    [(14, 90, 1.0), (90, 90, 1.0), (120, 90, 0.5), (200, 90, 0.0), (None, 90, 0.5)],
)
def test_lead_time_against_needed_by(lead_time, needed_in, expected):
    requirement = make_requirement(needed_in_days=needed_in)
    result = both(requirement, make_supplier(lead_time=lead_time))
    assert result["components"]["lead_time"] == pytest.approx(expected)


def test_distance_same_province_beats_same_island_beats_elsewhere():
    requirement = make_requirement(province="32")  # Jawa Barat
    same = both(requirement, make_supplier(province="32"))["components"]["distance"]
    island = both(requirement, make_supplier(province="35"))["components"]["distance"]  # Jatim
    far = both(requirement, make_supplier(province="73"))["components"]["distance"]  # Sulsel
    farther = both(requirement, make_supplier(province="94"))["components"]["distance"]  # Papua
    none = both(requirement, make_supplier(province=None))["components"]["distance"]
    assert same == 1.0
    assert 0.5 <= island < same
    assert 0 < far < island
    assert farther < far
    assert none == 0


def test_descriptions_in_either_language_are_similar():
    requirement = make_requirement(
        description="Aluminium die casting of motor housings with CNC machining."
    )
    indonesian = make_supplier(description="Pengecoran aluminium rumah motor dan bubut CNC.")
    unrelated = make_supplier(description="Jahit jok kulit sintetis untuk sepeda motor.")
    similar = both(requirement, indonesian)["components"]["text"]
    other = both(requirement, unrelated)["components"]["text"]
    assert similar > 0.2
    assert similar > other + 0.1


@pytest.mark.parametrize(
    ("status", "expected"), [("verified", 1.0), ("unverified", 0.5), ("rejected", 0.0)]
)
def test_verification_status(status, expected):
    result = both(make_requirement(), make_supplier(verification=status))
    assert result["components"]["verified"] == expected
