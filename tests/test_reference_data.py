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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "indonesian", "english"),
    [
        ("DIE_CAST", "Cetak tekan (die casting)", "Die casting"),
        ("BLOW_MOULD", "Cetak tiup (blow moulding)", "Blow moulding"),
        ("STAMP", "Pengepresan pelat (stamping)", "Press stamping"),
        ("POWDER_COAT", "Pelapisan serbuk (powder coating)", "Powder coating"),
        ("VAC_FORM", "Pembentukan vakum (vacuum forming)", "Vacuum forming"),
    ],
)
def test_processes_have_an_indonesian_and_an_english_name(code, indonesian, english):
    from django.utils import translation

    from suppliers.models import Process

    process = Process.objects.get(code=code)
    with translation.override("id"):
        assert process.name == indonesian
    with translation.override("en"):
        assert process.name == english


@pytest.mark.django_db
def test_no_indonesian_reference_name_is_just_the_english_one():
    from suppliers.models import Material, Process

    # Words that are the same in both languages.
    same = {"Aluminium", "Sensor", "Interior"}
    for model in (Process, Material, ComponentCategory):
        for row in model.objects.all():
            assert row.name_id != row.name_en or row.name_id in same, row.code
    assert CertificationType.objects.get(code="TKDN").name == "TKDN"
