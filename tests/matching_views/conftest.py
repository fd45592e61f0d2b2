"""A small market for the match screens: one buyer's requirement, four suppliers that match it
(different provinces, island groups, size classes and verification), one that a hard rule
excludes, and the people of every role. Scored synchronously through the engine's services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.conf import settings

from accounts.models import User
from manufacturers.models import ManufacturerMember, Requirement
from matchmaking import data, services
from suppliers.models import SizeClass, Supplier, SupplierMember
from tests.factories import (
    AdminUserFactory,
    BuyerUserFactory,
    ManufacturerFactory,
    MinistryUserFactory,
    UmkmUserFactory,
)
from tests.matching.helpers import make_requirement, make_supplier

PASSWORD = "rantai-test-pass-123"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Six users per test: the production hasher would spend most of the run on PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_engine_caches():
    # The engine caches supplier and requirement arrays per process; rolled-back rows of one
    # test must not leak into the next.
    data.clear_caches()
    yield
    data.clear_caches()


@dataclass
class Market:
    buyer: User
    other_buyer: User
    umkm: User
    other_umkm: User
    ministry: User
    admin: User
    requirement: Requirement
    other_requirement: Requirement
    suppliers: dict[str, Supplier] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def in_days(days: int) -> date:
    return date.today() + timedelta(days=days)


def buyer_of(manufacturer) -> User:
    user = BuyerUserFactory()
    ManufacturerMember.objects.create(user=user, manufacturer=manufacturer, role="owner")
    return user


def bracket_requirement(manufacturer, **extra) -> Requirement:
    """A stamped and spot-welded steel battery-pack bracket; ISO 9001 is a must-have."""
    values = {
        "processes": ("STAMP", "WELD_SPOT"),
        "component": "BAT.PACK.BRKT",
        "materials": ("STEEL",),
        "required": ("ISO9001",),
        "preferred": ("ISO14001",),
        "province": "32",
        "annual_volume": 36_000,
        "needed_in_days": 120,
        "description": "Stamped steel bracket for a scooter battery pack, spot welded, e-coated.",
        "title": "Battery pack bracket",
        "target_price_min_idr": 18_750,
        "target_price_max_idr": 23_950,
    }
    values.update(extra)
    return make_requirement(manufacturer=manufacturer, **values)


def size(code: str) -> SizeClass:
    return SizeClass.objects.get(code=code)


@pytest.fixture
def market(db) -> Market:
    return build_market()


def build_market() -> Market:
    manufacturer = ManufacturerFactory(name="PT Motor Listrik Nusantara")
    other_manufacturer = ManufacturerFactory(name="PT Baterai Sejahtera")
    requirement = bracket_requirement(manufacturer, reference="RFQ-0001")
    other_requirement = bracket_requirement(
        other_manufacturer, reference="RFQ-OTHER", title="Motor mount bracket"
    )
    valid = [("ISO9001", in_days(700))]
    suppliers = {
        "bandung": make_supplier(
            legal_name="CV Presisi Bandung",
            processes=["STAMP", "WELD_SPOT"],
            components=["BAT.PACK.BRKT"],
            materials=["STEEL"],
            certs=[*valid, ("ISO14001", in_days(400))],
            province="32",
            size_class=size("kecil"),
            capacity=3_000,
            lead_time=21,
            description="Stamping and spot welding of steel brackets for motorcycles.",
        ),
        "surabaya": make_supplier(
            legal_name="UD Logam Surabaya",
            processes=["STAMP"],
            components=["BAT.PACK.ENCL"],
            materials=["STEEL"],
            certs=[("IATF16949", in_days(900))],
            province="35",
            size_class=size("mikro"),
            capacity=800,
            lead_time=30,
            verification="unverified",
            description="Press stamping of small steel enclosures.",
        ),
        "medan": make_supplier(
            legal_name="CV Baja Medan",
            processes=["STAMP", "WELD_SPOT"],
            components=["BAT.PACK.BRKT"],
            materials=["STEEL"],
            certs=valid,
            province="12",
            size_class=size("menengah"),
            capacity=5_000,
            lead_time=14,
            description="Steel brackets, stamping, spot welding.",
        ),
        "balikpapan": make_supplier(
            legal_name="CV Las Balikpapan",
            processes=["WELD_SPOT"],
            components=["BAT.PACK.BRKT"],
            materials=["STEEL"],
            certs=valid,
            province="64",
            size_class=size("kecil"),
            capacity=1_000,
            lead_time=45,
            description="Spot welding of brackets.",
        ),
        # Everything fits but the must-have ISO 9001 has expired: a hard rule excludes it.
        "expired": make_supplier(
            legal_name="CV Sertifikat Kedaluwarsa",
            processes=["STAMP", "WELD_SPOT"],
            components=["BAT.PACK.BRKT"],
            materials=["STEEL"],
            certs=[("ISO9001", in_days(-10))],
            province="32",
            size_class=size("kecil"),
        ),
    }
    umkm = UmkmUserFactory()
    SupplierMember.objects.create(user=umkm, supplier=suppliers["bandung"])
    other_umkm = UmkmUserFactory()
    SupplierMember.objects.create(user=other_umkm, supplier=suppliers["expired"])
    services.score_requirements([requirement.pk, other_requirement.pk])
    return Market(
        buyer=buyer_of(manufacturer),
        other_buyer=buyer_of(other_manufacturer),
        umkm=umkm,
        other_umkm=other_umkm,
        ministry=MinistryUserFactory(),
        admin=AdminUserFactory(),
        requirement=requirement,
        other_requirement=other_requirement,
        suppliers=suppliers,
    )


@pytest.fixture
def login(client):
    """The test client logged in as ``user`` (None: anonymous), reading the pages in English."""

    def as_(user: User | None):
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if user is not None:
            client.force_login(user)
        return client

    return as_
