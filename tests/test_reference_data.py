import pytest

from suppliers.models import CertificationType, ComponentCategory, Province, Regency


@pytest.mark.django_db
def test_it_loads_every_province_and_regency():
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert Regency.objects.get(code="31.71").province.name == "Daerah Khusus Ibukota Jakarta"


@pytest.mark.django_db
def test_it_builds_the_three_level_component_taxonomy():
    holder = ComponentCategory.objects.get(code="BAT.MOD.HOLDER")
    assert holder.level == 3
    assert holder.parent.code == "BAT.MOD"
    assert holder.parent.parent.code == "BAT"
    assert holder.system_code == "BAT"


@pytest.mark.django_db
def test_iatf_16949_implies_iso_9001():
    assert CertificationType.objects.get(code="IATF16949").implies_id == "ISO9001"
