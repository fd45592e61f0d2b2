from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from accounts.models import User
from introductions import services as intro
from introductions.models import Introduction
from introductions.quotations import Offer
from manufacturers.models import Requirement
from suppliers.models import Supplier
from tests.factories import SupplierFactory, SupplierMemberFactory
from tests.introductions.factories import Pair, make_match, make_pair


@pytest.fixture(scope="session", autouse=True)
def _reference_data_present(django_db_setup, django_db_blocker):
    # A reused test database may have been flushed by transactional tests elsewhere.
    from django.apps import apps

    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    with django_db_blocker.unblock():
        if not Province.objects.exists():
            load_reference_data(apps)


@dataclass
class Round:
    """A verified buyer's open requirement with two matched UMKM whose introductions were
    accepted: ``pair`` is the first (its buyer and UMKM user), ``second`` the other one."""

    pair: Pair
    first: Introduction
    second: Introduction
    second_user: User
    second_supplier: Supplier

    @property
    def buyer(self) -> User:
        return self.pair.buyer

    @property
    def requirement(self) -> Requirement:
        return self.pair.requirement


def accepted_introduction(pair: Pair, supplier: Supplier, umkm: User) -> Introduction:
    introduction = intro.introduction_request(
        requirement=pair.requirement, supplier=supplier, by=pair.buyer
    )
    return intro.introduction_accept(introduction=introduction, by=umkm)


@pytest.fixture
def pair(db):
    return make_pair()


@pytest.fixture
def round_(pair) -> Round:
    first = accepted_introduction(pair, pair.supplier, pair.umkm)
    supplier = SupplierFactory(verification_status="verified", legal_name="CV Kedua Jaya")
    user = SupplierMemberFactory(supplier=supplier, user__preferred_language="en").user
    make_match(pair.requirement, supplier, score=70.0)
    second = accepted_introduction(pair, supplier, user)
    return Round(pair, first, second, user, supplier)


def offer(**changes) -> Offer:
    values = {
        "unit_price_idr": 5_000,
        "minimum_order": 1_000,
        "lead_time_days": 30,
        "valid_until": date.today() + timedelta(days=60),
        "tiers": [(10_000, 4_500), (40_000, 4_000)],
        "notes": "Tooling included.",
    }
    values.update(changes)
    return Offer(**values)


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English; pages still follow each user's own language.
    from django.utils import translation

    with translation.override("en"):
        yield
