"""Issue 11.1: each door (form, CSV import, partner API, admin) x each rule (validation,
identity re-verification, rescoring, audit record), against the real database (and the real
Redis for the rescoring's debounce; the enqueued tasks run in this process, see ``run_tasks``).

A column of the matrix is a rule: a function ``rule(door, env)`` in ``SUPPLIER_RULES`` /
``REQUIREMENT_RULES``; adding a rule (the audit record, say) is adding one function there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from accounts.models import AuditRecord
from manufacturers.models import Requirement
from matchmaking.models import Match
from suppliers.models import Regency, Supplier, VerificationReview
from tests.factories import ManufacturerMemberFactory, SupplierMemberFactory
from tests.matching.helpers import make_requirement, make_supplier

from .doors import REQUIREMENT_DOORS, SUPPLIER_DOORS, open_door

pytestmark = pytest.mark.django_db

PHONE_MESSAGE = "Enter an Indonesian phone number, for example 0812 3456 7890 or +62 812 3456 7890."


@dataclass
class Env:
    tmp_path: Path
    run_tasks: Callable


# --- suppliers --------------------------------------------------------------------------------

# (field, what is typed, the form's message); each refused by every door, nothing stored.
SUPPLIER_CASES = [
    ("founded_year", "2099", "The founding year cannot be in the future."),
    ("founded_year", "1800", "Ensure this value is greater than or equal to 1900."),
    ("contact_phone", "12", PHONE_MESSAGE),
    ("contact_email", "not-an-email", "Enter a valid email address."),
    ("employees", "200000", "Ensure this value is less than or equal to 100000."),
    ("capacity_per_month", "0", "Enter a number of at least 1."),
    ("lead_time_days", "731", "Ensure this value is less than or equal to 730."),
]


def _profile_supplier(**kwargs) -> Supplier:
    """A verified UMKM with a full profile (its regency in its province), and its owner."""
    supplier = make_supplier(**kwargs)
    regency = Regency.objects.filter(province_id=supplier.province_id).order_by("code").first()
    Supplier.objects.filter(pk=supplier.pk).update(regency=regency)
    supplier.refresh_from_db()
    SupplierMemberFactory(supplier=supplier, user__preferred_language="en")
    return supplier


@pytest.mark.parametrize("door", SUPPLIER_DOORS)
@pytest.mark.parametrize(
    ("field", "typed", "message"), SUPPLIER_CASES, ids=[f"{f}={t}" for f, t, _m in SUPPLIER_CASES]
)
def test_every_supplier_door_refuses_what_the_form_refuses(door, field, typed, message, tmp_path):
    supplier = _profile_supplier()
    stored = getattr(supplier, field)

    errors = open_door("supplier", door, tmp_path).edit(supplier, {field: typed})

    assert errors.get(field) == [message], errors
    supplier.refresh_from_db()
    assert getattr(supplier, field) == stored


def rule_identity(door: str, env: Env) -> None:
    """A verified UMKM renamed through the door loses its badge and is back in the queue."""
    supplier = _profile_supplier()
    old_name = supplier.legal_name

    errors = open_door("supplier", door, env.tmp_path).edit(
        supplier, {"legal_name": "CV Nama Baru Sekali"}
    )

    assert errors == {}
    supplier.refresh_from_db()
    assert (supplier.legal_name, supplier.verification_status) == (
        "CV Nama Baru Sekali",
        "unverified",
    )
    review = VerificationReview.objects.open().get(firm_kind="supplier", firm_id=supplier.pk)
    assert review.changes == {"legal_name": [old_name, "CV Nama Baru Sekali"]}


def rule_rescoring(door: str, env: Env) -> None:
    """An edit through the door leads to the UMKM's matches being scored and stored."""
    requirement = make_requirement()
    supplier = _profile_supplier()
    assert not Match.objects.filter(supplier=supplier).exists()

    with env.run_tasks():
        errors = open_door("supplier", door, env.tmp_path).edit(supplier, {"employees": "31"})

    assert errors == {}
    supplier.refresh_from_db()
    assert supplier.employees == 31
    assert Match.objects.filter(supplier=supplier, requirement=requirement).exists()


# The door each matrix door is recorded as: the UMKM's own pages are the web.
AUDIT_DOOR = {"form": "web", "import": "import", "api": "api", "admin": "admin"}


def rule_audit(door: str, env: Env) -> None:
    """A change of identity through the door leaves exactly one record: the door, old -> new."""
    supplier = _profile_supplier()
    old_name = supplier.legal_name
    already = set(AuditRecord.objects.values_list("pk", flat=True))

    errors = open_door("supplier", door, env.tmp_path).edit(
        supplier, {"legal_name": "CV Tercatat Baru"}
    )

    assert errors == {}
    # The API door makes its key on first use (itself recorded): not the change under test.
    records = list(AuditRecord.objects.exclude(pk__in=already).exclude(object_kind="api_key"))
    assert len(records) == 1, [(r.action, r.door, r.object_kind, r.changes) for r in records]
    [record] = records
    assert (record.action, record.door) == ("identity_changed", AUDIT_DOOR[door])
    assert (record.object_kind, record.object_id) == ("supplier", supplier.pk)
    assert (record.firm_kind, record.firm_id) == ("supplier", supplier.pk)
    assert record.changes == {"legal_name": [old_name, "CV Tercatat Baru"]}


SUPPLIER_RULES: dict[str, Callable[[str, Env], None]] = {
    "identity": rule_identity,
    "rescoring": rule_rescoring,
    "audit": rule_audit,
}


@pytest.mark.parametrize("door", SUPPLIER_DOORS)
@pytest.mark.parametrize("rule", SUPPLIER_RULES)
def test_every_supplier_door_applies_every_rule(door, rule, tmp_path, run_tasks):
    SUPPLIER_RULES[rule](door, Env(tmp_path=tmp_path, run_tasks=run_tasks))


@pytest.mark.parametrize("door", ["form", "admin"])  # the import and the API find it by NIB
def test_a_new_nib_of_a_verified_umkm_sends_it_back_to_the_queue(door, tmp_path):
    supplier = _profile_supplier()
    old_nib = supplier.nib

    errors = open_door("supplier", door, tmp_path).edit(supplier, {"nib": "8120000000999"})

    assert errors == {}
    supplier.refresh_from_db()
    assert (supplier.nib, supplier.verification_status) == ("8120000000999", "unverified")
    review = VerificationReview.objects.open().get(firm_kind="supplier", firm_id=supplier.pk)
    assert review.changes == {"nib": [old_nib, "8120000000999"]}


# --- requirements -----------------------------------------------------------------------------

REQUIREMENT_CASES: list[tuple[str, dict[str, Any], str]] = [
    (
        "annual_volume",
        {"annual_volume": 2_100_000_000},
        "Ensure this value is less than or equal to 2000000000.",
    ),
    ("annual_volume", {"annual_volume": 0}, "Ensure this value is greater than or equal to 1."),
    (
        "title",
        {"title": "x" * 201},
        "Ensure this value has at most 200 characters (it has 201).",
    ),
    (
        "preferred_certifications",
        {"required_certifications": ["ISO9001"], "preferred_certifications": ["ISO9001"]},
        "A certification cannot be both must-have and nice-to-have.",
    ),
    (
        "target_price_max_idr",
        {"target_price_min_idr": 9000, "target_price_max_idr": 100},
        "The upper price must be at least the lower price.",
    ),
]


def _buyer_requirement(**kwargs) -> Requirement:
    requirement = make_requirement(**kwargs)
    ManufacturerMemberFactory(manufacturer=requirement.manufacturer, user__preferred_language="en")
    return requirement


@pytest.mark.parametrize("door", REQUIREMENT_DOORS)
@pytest.mark.parametrize(
    ("field", "values", "message"),
    REQUIREMENT_CASES,
    ids=[f"{field}-{i}" for i, (field, _v, _m) in enumerate(REQUIREMENT_CASES)],
)
def test_every_requirement_door_refuses_what_the_form_refuses(
    door, field, values, message, tmp_path
):
    requirement = _buyer_requirement()
    stored = {name: getattr(requirement, name) for name in values if "certifications" not in name}

    errors = open_door("requirement", door, tmp_path).edit(requirement, values)

    assert errors.get(field) == [message], errors
    requirement.refresh_from_db()
    assert {name: getattr(requirement, name) for name in stored} == stored
    assert not requirement.preferred_certifications.exists()


def rule_requirement_rescoring(door: str, env: Env) -> None:
    """An edit of an open requirement through the door leads to its matches being stored."""
    requirement = _buyer_requirement()
    supplier = make_supplier()
    assert not Match.objects.filter(requirement=requirement).exists()

    with env.run_tasks():
        errors = open_door("requirement", door, env.tmp_path).edit(
            requirement, {"annual_volume": 13_000}
        )

    assert errors == {}
    requirement.refresh_from_db()
    assert requirement.annual_volume == 13_000
    assert Match.objects.filter(requirement=requirement, supplier=supplier).exists()


# No audit column here: the trail (issue 11.5) covers a firm's identity, profile and
# certifications, and a requirement is a buyer's request, not firm data.
REQUIREMENT_RULES: dict[str, Callable[[str, Env], None]] = {
    "rescoring": rule_requirement_rescoring,
}


@pytest.mark.parametrize("door", REQUIREMENT_DOORS)
@pytest.mark.parametrize("rule", REQUIREMENT_RULES)
def test_every_requirement_door_applies_every_rule(door, rule, tmp_path, run_tasks):
    REQUIREMENT_RULES[rule](door, Env(tmp_path=tmp_path, run_tasks=run_tasks))
