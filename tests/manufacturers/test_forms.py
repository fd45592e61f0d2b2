from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from manufacturers.forms import AttachmentForm, ManufacturerForm, RequirementForm
from tests.factories import TINY_PDF, ManufacturerFactory

pytestmark = pytest.mark.django_db


def _manufacturer_data(**overrides):
    data = {
        "name": "PT Motor Listrik Nusantara",
        "kind": "two_three_wheeler_oem",
        "npwp": "01.234.567.8-901.000",
        "province": "36",
        "address": "Tangerang",
        "website": "https://example.id",
    }
    data.update(overrides)
    return data


def _requirement_data(**overrides):
    data = {
        "reference": "RFQ-1",
        "title": "Busbar",
        "component": "BAT.MOD.BUSBAR",
        "processes": ["STAMP", "LASER_CUT"],
        "materials": ["NICKEL"],
        "required_certifications": ["ISO9001"],
        "preferred_certifications": ["IATF16949"],
        "annual_volume": "200000",
        "target_price_min_idr": "900",
        "target_price_max_idr": "2500",
        "needed_by": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "delivery_province": "32",
        "min_local_content_pct": "40",
        "description": "Hilumin strip",
    }
    data.update(overrides)
    return data


def test_the_manufacturer_form_normalises_a_15_digit_npwp_to_16():
    form = ManufacturerForm(_manufacturer_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["npwp"] == "0012345678901000"


def test_the_manufacturer_form_rejects_a_bad_npwp_next_to_the_field():
    form = ManufacturerForm(_manufacturer_data(npwp="12-34"))
    assert not form.is_valid()
    assert "16 digits" in form.errors["npwp"][0]
    assert list(form.errors) == ["npwp"]


def test_the_manufacturer_form_rejects_an_npwp_already_registered():
    ManufacturerFactory(npwp="0012345678901000")
    form = ManufacturerForm(_manufacturer_data())
    assert not form.is_valid()
    assert "already registered" in form.errors["npwp"][0]


def test_an_empty_npwp_is_allowed_and_stored_as_null():
    form = ManufacturerForm(_manufacturer_data(npwp=""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["npwp"] is None


def test_the_requirement_form_turns_codes_into_reference_objects():
    form = RequirementForm(_requirement_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["component"].code == "BAT.MOD.BUSBAR"
    assert sorted(p.code for p in form.cleaned_data["processes"]) == ["LASER_CUT", "STAMP"]
    assert form.cleaned_data["delivery_province"].code == "32"


def test_the_requirement_form_rejects_a_price_range_upside_down():
    form = RequirementForm(_requirement_data(target_price_min_idr="5000"))
    assert not form.is_valid()
    assert "at least the lower price" in form.errors["target_price_max_idr"][0]


def test_the_requirement_form_rejects_a_needed_by_date_in_the_past():
    yesterday = timezone.localdate() - timedelta(days=1)
    form = RequirementForm(_requirement_data(needed_by=yesterday.isoformat()))
    assert not form.is_valid()
    assert "from today on" in form.errors["needed_by"][0]


def test_the_requirement_form_rejects_a_certification_both_required_and_preferred():
    form = RequirementForm(_requirement_data(preferred_certifications=["ISO9001"]))
    assert not form.is_valid()
    assert "both must-have and nice-to-have" in form.errors["preferred_certifications"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("component", "NOPE"),
        ("processes", ["NOPE"]),
        ("annual_volume", "0"),
        ("min_local_content_pct", "101"),
        ("delivery_province", "99"),
    ],
)
def test_the_requirement_form_rejects_bad_values_next_to_their_field(field, value):
    form = RequirementForm(_requirement_data(**{field: value}))
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_the_requirement_form_groups_components_by_system():
    form = RequirementForm()
    groups = [label for label, _options in form.fields["component"].choices if _options != "—"]
    assert "Battery system" in groups
    battery = dict(form.fields["component"].choices)["Battery system"]
    codes = [code for code, _label in battery]
    assert codes[0] == "BAT" and "BAT.MOD.HOLDER" in codes and "MOT.SHAFT" not in codes


def test_the_attachment_form_checks_the_content_not_the_name():
    fake = SimpleUploadedFile("drawing.pdf", b"not a pdf at all")
    form = AttachmentForm(files={"file": fake})
    assert not form.is_valid()
    assert "PDF, PNG, JPG, STEP or DXF" in form.errors["file"][0]
    good = AttachmentForm(files={"file": SimpleUploadedFile("x.bin", TINY_PDF)})
    assert good.is_valid(), good.errors
