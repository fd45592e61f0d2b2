"""One definition of the requirement and manufacturer fields (``manufacturers.fields``) and the
doors that derive their field lists from it: the forms, the services, the CSV import, the API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from manufacturers.fields import (
    MANUFACTURER,
    MANUFACTURER_FIELDS,
    MANUFACTURER_IDENTITY,
    REQUIREMENT,
    REQUIREMENT_FIELDS,
    REQUIREMENT_FORM,
    REQUIREMENT_M2M_FIELDS,
)
from manufacturers.forms import ManufacturerForm, RequirementForm
from manufacturers.importing import COLUMNS
from manufacturers.models import Manufacturer, Requirement
from suppliers.fields import Audience

README = Path(__file__).resolve().parents[2] / "README.md"
# The life cycle and the record's own bookkeeping, not edited through the form, import or API.
NOT_EDITED = {"id", "status", "close_reason", "published_at", "closed_at", "created_by"}
NOT_EDITED |= {"created_at", "updated_at"}


def _model_fields(model) -> set[str]:
    return {
        field.name
        for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many) and not field.auto_created
    }


def test_every_edited_field_of_a_requirement_is_declared():
    assert _model_fields(Requirement) - NOT_EDITED == set(REQUIREMENT.names())


def test_the_requirement_form_has_the_declared_fields():
    assert list(RequirementForm.base_fields) == list(REQUIREMENT.names(form=REQUIREMENT_FORM))


@pytest.mark.django_db
def test_the_requirement_form_requires_what_the_definition_requires():
    for name, field in RequirementForm().fields.items():
        assert field.required == REQUIREMENT[name].required, name


def test_the_services_set_every_field_the_form_edits():
    assert set(REQUIREMENT_FIELDS) | set(REQUIREMENT_M2M_FIELDS) == set(
        REQUIREMENT.names(form=REQUIREMENT_FORM)
    )


def test_the_import_header_is_the_documented_one():
    documented = re.search(r"`import_requirements` header:\s*`([^`]+)`", README.read_text())
    assert ",".join(COLUMNS) == documented.group(1)
    assert {spec.name for spec in REQUIREMENT if spec.csv is None} == {
        "quotes_open",
        "quote_deadline",
    }
    # Added after the header was published: a file may leave them out.
    assert REQUIREMENT.optional_columns == ("min_local_content_pct", "local_content_required")


def test_number_ranges_come_from_the_model_and_the_definition():
    assert REQUIREMENT.number_range("annual_volume") == (1, 2_000_000_000)
    assert REQUIREMENT.number_range("min_local_content_pct") == (0, 100)
    assert REQUIREMENT.number_range("target_price_max_idr") == (0, 10**15)


def test_the_manufacturer_form_and_services_share_the_declared_fields():
    assert _model_fields(Manufacturer) - NOT_EDITED - {
        "verification_status",
        "verification_reason",
        "verified_at",
        "verified_by",
    } == set(MANUFACTURER.names())
    assert list(ManufacturerForm.base_fields) == list(MANUFACTURER_FIELDS)
    assert MANUFACTURER_IDENTITY == ("name", "npwp")


@pytest.mark.django_db
def test_the_api_reads_and_writes_the_declared_fields(client):
    schemas = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    schemas = schemas["components"]["schemas"]
    owner_only = [spec.name for spec in REQUIREMENT if spec.audience is Audience.OWNER]
    public = [name for name in REQUIREMENT.names() if name not in owner_only]
    manufacturer = public[0]  # its id
    assert list(schemas["Requirement"]["properties"]) == [
        "id",
        manufacturer,
        "manufacturer_name",
        *public[1:],
        "status",
        "published_at",
        "is_mine",
        *owner_only,
        "close_reason",
        "closed_at",
        "updated_at",
    ]
    write = schemas["RequirementWriteRequest"]
    assert list(write["properties"]) == list(REQUIREMENT.names(form=REQUIREMENT_FORM))
    assert set(write["required"]) == {
        spec.name for spec in REQUIREMENT if spec.required and spec.form == REQUIREMENT_FORM
    }
