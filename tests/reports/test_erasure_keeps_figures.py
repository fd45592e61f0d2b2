"""Deleting accounts (UU PDP) leaves every figure of the ministry's dashboard as it was."""

from __future__ import annotations

import pytest

from accounts.privacy import user_erase
from introductions.models import Introduction
from reports import aggregated, dashboard, services
from reports.dashboard import Filters
from tests.factories import ManufacturerMemberFactory, SupplierMemberFactory

from .test_dashboard import FIRST_HALF

pytestmark = pytest.mark.django_db

EVERYTHING = Filters(date_from=FIRST_HALF.date_from.replace(year=2024), date_to=FIRST_HALF.date_to)


def _figures(f: Filters) -> dict:
    direct = dashboard.dashboard(f)
    direct.pop("computed_at")
    facts = aggregated.dashboard(f, services.dashboard_facts_refresh())
    facts.pop("computed_at", None)
    return {"direct": direct, "facts": facts}


def test_deleting_every_person_of_both_firms_changes_no_figure(history):
    umkm = SupplierMemberFactory(supplier=history.s1).user
    buyer = ManufacturerMemberFactory(manufacturer=history.r1.manufacturer).user
    Introduction.objects.filter(supplier=history.s1).update(
        requested_by=buyer, decided_by=umkm, message="Hubungi saya"
    )
    before = {f: _figures(f) for f in (FIRST_HALF, EVERYTHING)}

    user_erase(user=umkm)
    user_erase(user=buyer)

    for f, figures in before.items():
        assert _figures(f) == figures
    figures = before[FIRST_HALF]["direct"]["figures"]
    assert figures["intro_requested"] > 0 and figures["partnerships"] > 0
