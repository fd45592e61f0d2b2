"""The doors a firm's data comes in by, each driven as its users drive it.

Each door edits one existing record with values written as a person types them (text) and
returns what it refused, as field name -> messages (empty: saved). Adding a door is adding a
class here and listing it in ``SUPPLIER_DOORS`` / ``REQUIREMENT_DOORS``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from manufacturers.fields import REQUIREMENT
from manufacturers.forms import RequirementForm
from manufacturers.importing import COLUMN_OF_FIELD as REQUIREMENT_COLUMN_OF_FIELD
from manufacturers.importing import import_requirements_file
from manufacturers.models import Requirement
from partners.models import PartnerManagedSupplier, PartnerOrganisation
from suppliers.fields import CAPABILITIES, COMPANY, SUPPLIER, Kind
from suppliers.importing import COLUMNS, import_suppliers_file
from suppliers.importing.rows import COLUMN_OF_FIELD
from suppliers.models import Supplier
from tests.api.conftest import key_client, key_for, session_client
from tests.factories import AdminUserFactory, SupplierMemberFactory
from tests.verification.helpers import admin_change_data

Errors = dict[str, list[str]]


def _fields_of(problems, field_of_column: dict[str, str]) -> Errors:
    errors: Errors = {}
    for problem in problems:
        errors.setdefault(field_of_column.get(problem.column, problem.column), []).append(
            problem.message
        )
    return errors


def _form_errors(response) -> Errors:
    if response.status_code == 302:
        return {}
    assert response.status_code == 200, response.status_code
    context = response.context
    form = context["adminform"].form if "adminform" in context else context["form"]
    errors = {name: list(messages) for name, messages in form.errors.items()}
    assert errors, "the page was shown again without an error"
    return errors


def _api_errors(response) -> Errors:
    if response.status_code in (200, 201):
        return {}
    assert response.status_code == 400, (response.status_code, response.content[:500])
    return response.json()["error"]["fields"]


# --- suppliers --------------------------------------------------------------------------------


def _company_data(supplier: Supplier) -> dict[str, Any]:
    return {
        "legal_name": supplier.legal_name,
        "nib": supplier.nib,
        "size_class": supplier.size_class_id or "",
        "province": supplier.province_id or "",
        "regency": supplier.regency_id or "",
        "address": supplier.address,
        "founded_year": supplier.founded_year or "",
        "employees": supplier.employees or "",
        "kbli": list(supplier.kbli.values_list("pk", flat=True)),
        "description": supplier.description,
        "website": supplier.website,
        "contact_name": supplier.contact_name,
        "contact_email": supplier.contact_email,
        "contact_phone": supplier.contact_phone,
    }


def _capability_data(supplier: Supplier) -> dict[str, Any]:
    return {
        "components": list(supplier.components.values_list("pk", flat=True)),
        "processes": list(supplier.processes.values_list("pk", flat=True)),
        "materials": list(supplier.materials.values_list("pk", flat=True)),
        "capacity_per_month": supplier.capacity_per_month or "",
        "lead_time_days": supplier.lead_time_days or "",
        "min_order_qty": supplier.min_order_qty or "",
    }


class SupplierForm:
    """The UMKM's own profile pages (company, capabilities), signed in as its owner."""

    name = "form"

    def edit(self, supplier: Supplier, values: dict[str, str]) -> Errors:
        user = supplier.members.first().user if supplier.members.exists() else None
        if user is None:
            user = SupplierMemberFactory(supplier=supplier, user__preferred_language="en").user
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        errors: Errors = {}
        for step, url, data in (
            (COMPANY, "suppliers:edit_company", _company_data),
            (CAPABILITIES, "suppliers:edit_capabilities", _capability_data),
        ):
            given = {name: v for name, v in values.items() if SUPPLIER[name].form == step}
            if not given:
                continue
            response = client.post(reverse(url, args=[supplier.pk]), {**data(supplier), **given})
            errors.update(_form_errors(response))
        return errors


class SupplierImport:
    """``import_suppliers``: a CSV with the company's NIB and the cells given."""

    name = "import"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def edit(self, supplier: Supplier, values: dict[str, str]) -> Errors:
        row = {column: "" for column in COLUMNS}
        row["nib"] = supplier.nib
        row["name"] = supplier.legal_name
        for name, value in values.items():
            row[SUPPLIER.column_of_field[name]] = (
                ";".join(value) if isinstance(value, list) else value
            )
        path = self.folder / "suppliers.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerow(row)
        report = import_suppliers_file(path)
        [result] = report.rows
        field_of_column = {column: name for name, column in COLUMN_OF_FIELD.items()}
        return _fields_of(result.problems, field_of_column)


class SupplierApi:
    """The partner API: an association updates a member company it manages."""

    name = "api"

    def edit(self, supplier: Supplier, values: dict[str, str]) -> Errors:
        association, _created = PartnerOrganisation.objects.get_or_create(
            name="Asosiasi Pintu", defaults={"kind": "association"}
        )
        PartnerManagedSupplier.objects.get_or_create(partner=association, supplier=supplier)
        api = key_client(key_for(association, "suppliers:write", "suppliers:read"))
        body: dict[str, Any] = {}
        for name, value in values.items():
            numeric = SUPPLIER[name].kind is Kind.NUMBER and str(value).lstrip("-").isdigit()
            body[name] = int(value) if numeric else value
        response = api.patch(
            f"/api/v1/suppliers/{supplier.pk}/",
            data=json.dumps(body),
            content_type="application/json",
        )
        return _api_errors(response)


class SupplierAdmin:
    """The Django admin's change page, as an administrator."""

    name = "admin"

    def edit(self, supplier: Supplier, values: dict[str, str]) -> Errors:
        admin = AdminUserFactory(preferred_language="en")
        client = Client(headers={"accept-language": "en"})
        client.force_login(admin)
        data = admin_change_data(Supplier, supplier, admin)
        data.update(values)
        response = client.post(reverse("admin:suppliers_supplier_change", args=[supplier.pk]), data)
        return _form_errors(response)


# --- requirements -----------------------------------------------------------------------------


def _requirement_form_data(requirement: Requirement) -> dict[str, Any]:
    data = RequirementForm.initial_from(requirement)
    return {
        name: ("" if value is None else value.isoformat() if hasattr(value, "isoformat") else value)
        for name, value in data.items()
    }


class RequirementFormDoor:
    """The buyer's requirement edit page."""

    name = "form"

    def edit(self, requirement: Requirement, values: dict[str, Any]) -> Errors:
        member = requirement.manufacturer.members.first()
        client = Client(headers={"accept-language": "en"})
        client.force_login(member.user)
        data = {**_requirement_form_data(requirement), **values}
        response = client.post(
            reverse("manufacturers:requirement_edit", args=[requirement.pk]), data
        )
        return _form_errors(response)


class RequirementImport:
    """``import_requirements``: a CSV naming the buyer and the reference."""

    name = "import"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def edit(self, requirement: Requirement, values: dict[str, Any]) -> Errors:
        data = {**_requirement_form_data(requirement), **values}
        row = {}
        for spec in REQUIREMENT.in_header_order:
            if spec.kind is Kind.OWNER:
                value = requirement.manufacturer.name
            else:
                value = data.get(spec.name, "")
            row[spec.csv.name] = ";".join(value) if isinstance(value, list) else str(value)
        path = self.folder / "requirements.csv"
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(REQUIREMENT.header))
        writer.writeheader()
        writer.writerow(row)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        report = import_requirements_file(path)
        [result] = report.rows
        field_of_column = {column: name for name, column in REQUIREMENT_COLUMN_OF_FIELD.items()}
        return _fields_of(result.problems, field_of_column)


class RequirementApi:
    """The partner API, as the buyer (its session)."""

    name = "api"

    def edit(self, requirement: Requirement, values: dict[str, Any]) -> Errors:
        member = requirement.manufacturer.members.first()
        client = session_client(member.user)
        response = client.patch(
            f"/api/v1/requirements/{requirement.pk}/",
            data=json.dumps(values),
            content_type="application/json",
        )
        return _api_errors(response)


class RequirementAdmin:
    name = "admin"

    def edit(self, requirement: Requirement, values: dict[str, Any]) -> Errors:
        admin = AdminUserFactory(preferred_language="en")
        client = Client(headers={"accept-language": "en"})
        client.force_login(admin)
        data = admin_change_data(Requirement, requirement, admin)
        data.update(values)
        response = client.post(
            reverse("admin:manufacturers_requirement_change", args=[requirement.pk]), data
        )
        return _form_errors(response)


SUPPLIER_DOORS = {
    "form": SupplierForm,
    "import": SupplierImport,
    "api": SupplierApi,
    "admin": SupplierAdmin,
}
REQUIREMENT_DOORS = {
    "form": RequirementFormDoor,
    "import": RequirementImport,
    "api": RequirementApi,
    "admin": RequirementAdmin,
}


def open_door(kind: str, name: str, folder: Path):
    doors = SUPPLIER_DOORS if kind == "supplier" else REQUIREMENT_DOORS
    door = doors[name]
    return door(folder) if name == "import" else door()
