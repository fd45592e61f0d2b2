"""A buyer marks its minimum local content as required (a hard matching rule) on the form and
through the API, with one rule: only with a minimum. Changing the minimum, or a supplier's TKDN
certificate, rescores the matches (the existing triggers)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from celery import current_app
from django.db import connection
from django.utils import timezone, translation

from manufacturers import services as requirement_services
from manufacturers.forms import RequirementForm
from matchmaking.models import Match
from suppliers import services as supplier_services
from tests.api.conftest import session_client
from tests.api.conftest import world as world  # a fixture
from tests.matching.helpers import in_days, make_requirement, make_supplier

pytestmark = pytest.mark.django_db

NEEDS_MINIMUM = "Enter a minimum local content to make it required."


def _requirement_data(**overrides):
    data = {
        "reference": "RFQ-TKDN-1",
        "title": "Rumah baterai",
        "component": "BAT.MOD.HOLDER",
        "processes": ["INJ_MOULD"],
        "annual_volume": "12000",
        "needed_by": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "delivery_province": "32",
        "min_local_content_pct": "40",
        "local_content_required": "on",
    }
    data.update(overrides)
    return data


def test_the_form_takes_the_flag_with_a_minimum():
    form = RequirementForm(_requirement_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["local_content_required"] is True


def test_the_form_refuses_the_flag_without_a_minimum():
    with translation.override("en"):
        form = RequirementForm(_requirement_data(min_local_content_pct=""))
        assert not form.is_valid()
        assert form.errors["local_content_required"] == [NEEDS_MINIMUM]


def test_a_buyer_requires_local_content_through_the_api(world):
    client = session_client(world.buyer)
    body = {
        "reference": "RFQ-API-TKDN",
        "title": "Rumah baterai",
        "component": "BAT.MOD.HOLDER",
        "annual_volume": 12000,
        "needed_by": "2030-06-30",
        "delivery_province": "32",
        "local_content_required": True,
    }
    response = client.post("/api/v1/requirements/", json.dumps(body), "application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"local_content_required": [NEEDS_MINIMUM]}
    body["min_local_content_pct"] = 40
    response = client.post("/api/v1/requirements/", json.dumps(body), "application/json")
    assert response.status_code == 201, response.content
    assert response.json()["local_content_required"] is True
    assert response.json()["min_local_content_pct"] == 40


@pytest.fixture
def rescoring(django_capture_on_commit_callbacks):
    """Rescores run in-process once the edit commits, as ``make run`` has them."""
    conf = current_app.conf
    before, conf.task_always_eager = conf.task_always_eager, True

    def committed(write):
        with django_capture_on_commit_callbacks(execute=True):
            write()
        connection.run_on_commit.clear()

    yield committed
    conf.task_always_eager = before


def _component(requirement, supplier) -> float | None:
    match = Match.objects.filter(requirement=requirement, supplier=supplier).first()
    return None if match is None else match.components["local_content"]


def test_a_changed_tkdn_certificate_or_minimum_rescores(rescoring):
    supplier = make_supplier(certs=[("TKDN", in_days(200), Decimal("20"))])
    requirement = make_requirement(min_local_content_pct=40)
    rescoring(
        lambda: requirement_services.requirement_update(
            requirement=requirement, changed_by=None, data={"min_local_content_pct": 40}
        )
    )
    assert _component(requirement, supplier) == pytest.approx(0.5)

    certificate = supplier.certifications.get()
    rescoring(
        lambda: supplier_services.certification_update(
            certification=certificate, data={"local_content_pct": Decimal("30")}
        )
    )
    assert _component(requirement, supplier) == pytest.approx(0.75)

    rescoring(
        lambda: requirement_services.requirement_update(
            requirement=requirement,
            changed_by=None,
            data={"min_local_content_pct": 35, "local_content_required": True},
        )
    )
    assert _component(requirement, supplier) is None  # 30% < 35% required: no longer offered


# --- the requirement import ---------------------------------------------------------------------


def _import(tmp_path, rows: list[str]):
    from manufacturers.importing import COLUMNS, import_requirements_file

    path = tmp_path / "requirements.csv"
    needed_by = (timezone.localdate() + timedelta(days=90)).isoformat()
    lines = [",".join(COLUMNS)] + [
        f"{ref},PT Garuda Motor,Cell holder,BAT.MOD.HOLDER,INJ_MOULD,,,,12000,,,{needed_by},32,,"
        f"{tail}"
        for ref, tail in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return import_requirements_file(path)


def test_the_import_reads_the_minimum_and_whether_it_is_required(tmp_path):
    from manufacturers.models import Requirement

    with translation.override("en"):
        report = _import(
            tmp_path,
            [
                ("RFQ-L1", "40,ya"),
                ("RFQ-L2", "25,no"),
                ("RFQ-L3", ","),
                ("RFQ-L4", ",yes"),
                ("RFQ-L5", "40,maybe"),
            ],
        )
    stored = {
        r.reference: (r.min_local_content_pct, r.local_content_required)
        for r in Requirement.objects.all()
    }
    assert stored == {"RFQ-L1": (40, True), "RFQ-L2": (25, False), "RFQ-L3": (None, False)}
    problems = {
        result.ref: [(p.column, p.message) for p in result.problems] for result in report.rows
    }
    assert problems["RFQ-L4"] == [("local_content_required", NEEDS_MINIMUM)]
    assert problems["RFQ-L5"] == [("local_content_required", "Write yes or no.")]
