"""A legal name with emoji, or longer than 200 characters, is refused with a message (and the
text kept for correcting), never stored or cut silently."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from suppliers.forms import CompanyForm
from tests.factories import SupplierFactory

from .test_forms import company_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["CV Maju Jaya 🚗", "PT Listrik ⚡ Nusantara", "CV Rantai 👍🏽"])
def test_it_refuses_emoji_in_the_legal_name(name):
    with override("en"):
        form = CompanyForm(company_post(legal_name=name))
        assert not form.is_valid()
        message = " ".join(form.errors["legal_name"])
    assert "Use letters, digits and ordinary punctuation only" in message
    assert form["legal_name"].value() == name  # kept for correcting


@pytest.mark.parametrize(
    "name", ["PT Ünal & Söhne (Persero) Tbk.", "CV Karya-Mandiri / Cabang Bekasi", "PT 株式会社"]
)
def test_it_accepts_letters_of_any_script_and_punctuation(name):
    assert CompanyForm(company_post(legal_name=name)).is_valid()


def test_a_360_character_name_is_refused_not_cut_and_the_browser_does_not_cut_it_either():
    name = "PT " + "Sinar Logam Nusantara " * 16 + "Tbk"
    assert len(name) > 300
    with override("id"):
        form = CompanyForm(company_post(legal_name=name))
        assert not form.is_valid()
        message = " ".join(form.errors["legal_name"])
    assert "200" in message and str(len(name)) in message
    html = str(form["legal_name"])
    assert "maxlength" not in html
    assert name in html


def test_the_model_refuses_emoji_for_every_other_door_too():
    supplier = SupplierFactory.build(legal_name="CV 🚀 Roket")
    with pytest.raises(ValidationError) as raised:
        supplier.clean_fields(
            exclude=[f.name for f in supplier._meta.fields if f.name != "legal_name"]
        )
    assert "legal_name" in raised.value.message_dict


def test_a_negative_capacity_gets_one_message_not_two_that_disagree():
    from suppliers.forms import CapabilitiesForm

    with override("en"):
        form = CapabilitiesForm({"capacity_per_month": "-5", "min_order_qty": "0"})
        form.is_valid()
        assert form.errors["capacity_per_month"] == ["Enter a number of at least 1."]
        assert form.errors["min_order_qty"] == ["Enter a number of at least 1."]
    assert 'min="1"' in str(form["capacity_per_month"])
