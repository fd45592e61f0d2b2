import pytest

from suppliers.importing.regions import (
    RegencyIndex,
    RegencyNotFound,
    RegencyOutsideProvince,
    split_prefix,
)
from suppliers.models import Regency

pytestmark = pytest.mark.django_db


@pytest.fixture
def index() -> RegencyIndex:
    return RegencyIndex(Regency.objects.all())


@pytest.mark.parametrize(
    ("text", "province", "code"),
    [
        ("32.04", "32", "32.04"),
        ("32.04", None, "32.04"),
        ("Kabupaten Bandung", "32", "32.04"),
        ("Bandung", "32", "32.04"),  # bare name: the kabupaten
        ("Kab. Bandung", "32", "32.04"),
        ("kab.bandung", "32", "32.04"),
        ("Kab Bandung", "32", "32.04"),
        ("kabupaten bandung", "32", "32.04"),
        ("Kota Bandung", "32", "32.73"),  # exact full name
        ("KOTA  bandung", "32", "32.73"),
        ("Bandung Barat", "32", "32.17"),
        ("Batam", "21", "21.71"),  # only a kota of that name
        ("Kota Administrasi Jakarta Selatan", "31", "31.74"),
        ("Kota Jakarta Selatan", "31", "31.74"),
        ("jakarta selatan", "31", "31.74"),
        ("Kepulauan Seribu", "31", "31.01"),
        ("Kotabaru", "63", "63.02"),  # starts with "Kota" but is a kabupaten name
    ],
)
def test_it_finds_a_regency_by_code_or_name(index, text, province, code):
    assert index.find(text, province).code == code


def test_a_kota_prefix_never_falls_back_to_the_kabupaten(index):
    with pytest.raises(RegencyNotFound):
        index.find("Kota Bekasi Barat", "32")
    with pytest.raises(RegencyNotFound):
        index.find("Kota Karawang", "32")  # there is only Kabupaten Karawang


def test_a_name_is_only_looked_up_inside_the_province(index):
    with pytest.raises(RegencyNotFound):
        index.find("Bandung", "35")
    with pytest.raises(RegencyNotFound):
        index.find("Bandung", None)


def test_a_code_from_another_province_is_reported_as_such(index):
    with pytest.raises(RegencyOutsideProvince) as caught:
        index.find("35.78", "32")
    assert caught.value.regency.name == "Kota Surabaya"


def test_unknown_codes_are_not_found(index):
    with pytest.raises(RegencyNotFound):
        index.find("32.99", "32")


def test_split_prefix():
    assert split_prefix(" Kab.  Bandung ") == ("kabupaten", "bandung")
    assert split_prefix("Kota Administrasi Jakarta Pusat") == ("kota", "jakarta pusat")
    assert split_prefix("Kabupaten Administrasi Kepulauan Seribu") == (
        "kabupaten",
        "kepulauan seribu",
    )
    assert split_prefix("Kotawaringin Barat") == (None, "kotawaringin barat")
