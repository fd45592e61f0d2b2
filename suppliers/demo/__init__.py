"""Realistic, deterministic demo data for ``manage.py seed_demo``.

Companies are drawn from archetypes (a wiring-harness maker, a stamping shop, ...) so that each
one's processes, materials, components and certifications fit together, and placed with weights
that follow where Indonesia's parts makers are (Jawa Barat, Jawa Timur, Jawa Tengah, Banten,
Jakarta, Batam, ...). Everything comes from one seeded ``random.Random``: the same seed gives the
same companies and NIBs, so a second run changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import email_address_mark_verified, staff_user_create

from ..importing.upsert import CREATED, SupplierUpsert, supplier_upsert_apply, supplier_upsert_plan
from ..models import (
    CertificationType,
    ComponentCategory,
    Kbli,
    Material,
    Process,
    Province,
    Regency,
    SizeClass,
    Supplier,
)
from ..models.supplier import TKDN_CODE
from ..services import certification_set, supplier_create
from ..verification import verification_decide
from .archetypes import ARCHETYPES, Archetype
from .catalogue import (
    FAMILY_NAMES,
    FIRST_WORDS,
    GIVEN_NAMES,
    LAST_WORDS,
    LEGAL_FORMS,
    LOCAL_TRADES,
    PLACES,
    REJECTION_REASONS,
    SIZE_FACTORS,
    SIZES,
    STREETS,
)

SEED = 2026
DEFAULT_SUPPLIERS = 240
DEMO_PASSWORD = "rantai-demo-2026"  # noqa: S105 - printed on purpose: demo log-ins only
UMKM_EMAIL = "umkm@demo.rantai.id"
MINISTRY_EMAIL = "kementerian@demo.rantai.id"
ADMIN_EMAIL = "admin@demo.rantai.id"
# Certificates are dated from a fixed day, not today, so that runs on different days agree.
BASE_DAY = date(2026, 1, 1)


def _weighted(rng: random.Random, choices: tuple[tuple[Any, int], ...] | list) -> Any:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _some(rng: random.Random, values: tuple[str, ...], chance: float) -> list[str]:
    return [value for value in values if rng.random() < chance]


class _Lookups:
    def __init__(self) -> None:
        self.sizes = {o.code: o for o in SizeClass.objects.all()}
        self.provinces = {o.code: o for o in Province.objects.all()}
        self.regencies = {o.code: o for o in Regency.objects.all()}
        self.regencies_of: dict[str, list[Regency]] = {}
        for regency in sorted(self.regencies.values(), key=lambda r: r.code):
            self.regencies_of.setdefault(regency.province_id, []).append(regency)
        self.components = {o.code: o for o in ComponentCategory.objects.all()}
        self.processes = {o.code: o for o in Process.objects.all()}
        self.materials = {o.code: o for o in Material.objects.all()}
        self.kbli = {o.code: o for o in Kbli.objects.all()}


def _company_name(rng: random.Random, archetype: Archetype, taken: set[str]) -> str:
    while True:
        words = [rng.choice(FIRST_WORDS), rng.choice(archetype.words)]
        if rng.random() < 0.6:
            words.append(rng.choice(LAST_WORDS))
        name = f"{_weighted(rng, LEGAL_FORMS)} {' '.join(words)}"
        if name not in taken:
            taken.add(name)
            return name


def _certifications(rng: random.Random, archetype: Archetype, factor: float) -> dict:
    result: dict[str, date | None] = {}
    for code, chance in archetype.certifications:
        if rng.random() >= min(chance * factor, 0.9):
            continue
        if code == "ROHS":
            result[code] = None  # a declaration of conformity, without an expiry date
        elif rng.random() < 0.2:
            result[code] = BASE_DAY - timedelta(days=rng.randint(30, 900))  # lapsed
        else:
            result[code] = BASE_DAY + timedelta(days=rng.randint(90, 1100))
    return result


def _local_content(nib: str, certifications: dict) -> dict[str, Decimal]:
    """A TKDN certificate states its percentage: 25-79%, from the NIB (the random sequence, and
    so the rest of the demo, stays as it was)."""
    if TKDN_CODE not in certifications:
        return {}
    return {TKDN_CODE: Decimal(25 + int(nib[-4:]) % 55)}


def _supplier(
    rng: random.Random, nib: str, lookups: _Lookups, taken: set[str]
) -> tuple[SupplierUpsert, str]:
    """One company and its verification status (verified / unverified / rejected)."""
    province_code = _weighted(rng, [(code, weight) for code, (weight, _r) in PLACES.items()])
    preferred = PLACES[province_code][1]
    if preferred and rng.random() < 0.85:
        regency = lookups.regencies[rng.choice(preferred)]
    else:
        regency = rng.choice(lookups.regencies_of[province_code])
    trades = LOCAL_TRADES.get(regency.code)
    if trades and rng.random() < 0.7:
        key = rng.choice(trades)
        archetype = next(a for a in ARCHETYPES if a.key == key)
    else:
        archetype = _weighted(rng, [(a, a.weight) for a in ARCHETYPES])

    size = _weighted(rng, SIZES)
    (low, high), (cap_low, cap_high), cert_factor = SIZE_FACTORS[size]
    capacity = archetype.capacity * rng.uniform(cap_low, cap_high)
    capacity = max(10, round(capacity, -2 if capacity >= 1000 else -1))
    given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
    name = _company_name(rng, archetype, taken)
    slug = "".join(ch for ch in name.lower().split(" ", 1)[1] if ch.isalnum())
    components = [archetype.components[0], *_some(rng, archetype.components[1:], 0.5)]
    processes = [*archetype.processes, *_some(rng, archetype.extra_processes, 0.4)]
    materials = [archetype.materials[0], *_some(rng, archetype.materials[1:], 0.5)]
    description = archetype.description_id if rng.random() < 0.6 else archetype.description_en

    item = SupplierUpsert(
        nib=nib,
        fields={
            "legal_name": name,
            "size_class": lookups.sizes[size],
            "province": lookups.provinces[province_code],
            "regency": regency,
            "address": f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 250)}, {regency.name}",
            "employees": rng.randint(low, high),
            "founded_year": rng.randint(1988 if size == "menengah" else 2000, 2023),
            "description": description,
            "contact_name": f"{given} {family}",
            "contact_email": f"{given.lower()}@{slug}.example",
            "contact_phone": f"+628{rng.randint(11, 59)}{rng.randint(10_000_000, 99_999_999)}",
            "capacity_per_month": int(capacity),
            "lead_time_days": max(3, archetype.lead_time + rng.randint(-7, 14)),
            "min_order_qty": rng.choice((None, 50, 100, 500, 1000)),
        },
        many={
            "components": [lookups.components[c] for c in components],
            "processes": [lookups.processes[p] for p in processes],
            "materials": [lookups.materials[m] for m in materials],
            "kbli": [
                lookups.kbli[k] for k in archetype.kbli[: rng.randint(1, len(archetype.kbli))]
            ],
        },
        certifications=(certifications := _certifications(rng, archetype, cert_factor)),
        local_content=_local_content(nib, certifications),
    )
    status = _weighted(rng, (("verified", 70), ("unverified", 22), ("rejected", 8)))
    return item, status


def ensure_demo_users() -> dict[str, User]:
    """The demo log-ins, created if missing (an existing account is left as it is)."""
    users = {}
    for email, role, full_name in (
        (MINISTRY_EMAIL, User.Role.MINISTRY, "Rina Kusuma"),
        (ADMIN_EMAIL, User.Role.ADMIN, "Admin Rantai"),
    ):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = staff_user_create(
                email=email, role=role, full_name=full_name, password=DEMO_PASSWORD
            )
        users[role] = user
    umkm = User.objects.filter(email=UMKM_EMAIL).first()
    if umkm is None:
        umkm = User.objects.create_user(
            UMKM_EMAIL, DEMO_PASSWORD, role=User.Role.UMKM, full_name="Siti Rahayu"
        )
        email_address_mark_verified(user=umkm)
    users[User.Role.UMKM] = umkm
    return users


def _owner_company(lookups: _Lookups, owner: User) -> Supplier:
    """The demo UMKM owner's own company: a wiring-harness maker in Kabupaten Bekasi."""
    existing = Supplier.objects.filter(nib="9120000000017").first()
    if existing is not None:
        return existing
    supplier = supplier_create(
        owner=None if hasattr(owner, "supplier_membership") else owner,
        data={
            "legal_name": "CV Sinar Kabel Nusantara",
            "nib": "9120000000017",
            "size_class": lookups.sizes["kecil"],
            "province": lookups.provinces["32"],
            "regency": lookups.regencies["32.16"],
            "address": "Jl. Raya Cikarang No. 17, Kabupaten Bekasi",
            "employees": 28,
            "founded_year": 2012,
            "description": (
                "Perakitan wiring harness dan kabel sensor BMS untuk motor listrik. Crimping "
                "otomatis, uji kontinuitas 100%, pengalaman memasok tier-2 roda dua."
            ),
            "contact_name": "Siti Rahayu",
            "contact_email": "siti@sinarkabel.example",
            "contact_phone": "+6281298765432",
            "capacity_per_month": 12000,
            "lead_time_days": 14,
            "min_order_qty": 500,
            "components": [lookups.components[c] for c in ("ELE.HARN", "BAT.BMS.HARN")],
            "processes": [lookups.processes[p] for p in ("HARNESS", "ELEC_TEST")],
            "materials": [lookups.materials[m] for m in ("COPPER", "PA")],
            "kbli": [lookups.kbli["27320"]],
        },
    )
    for code, valid_until in (("ISO9001", date(2027, 8, 31)), ("IPC_WHMA_A_620", None)):
        cert_type = CertificationType.objects.get(code=code)
        certification_set(supplier=supplier, cert_type=cert_type, valid_until=valid_until)
    return supplier


@transaction.atomic
def seed_suppliers(*, rng: random.Random, count: int, users: dict[str, User]) -> int:
    """Creates up to ``count`` demo companies (the owner's included); returns how many are new."""
    lookups = _Lookups()
    ministry = users[User.Role.MINISTRY]
    created_before = Supplier.objects.filter(nib="9120000000017").exists()
    owner_company = _owner_company(lookups, users[User.Role.UMKM])
    if not created_before:
        verification_decide(firm=owner_company, by=ministry, decision="approved")

    taken = {owner_company.legal_name}
    numbers = rng.sample(range(10**8, 10**9), count - 1)
    items, statuses = [], {}
    for number in numbers:
        item, status = _supplier(rng, f"9120{number}", lookups, taken)
        items.append(item)
        statuses[item.nib] = status
    plans = supplier_upsert_plan(items=items)
    problems = {plan.item.nib: plan.errors for plan in plans if not plan.ok}
    if problems:
        raise ValueError(f"Demo data does not pass validation: {problems}")
    supplier_upsert_apply(plans=plans)

    created = [plan.supplier for plan in plans if plan.outcome == CREATED]
    for index, supplier in enumerate(created):
        if statuses[supplier.nib] == "verified":
            verification_decide(firm=supplier, by=ministry, decision="approved")
        elif statuses[supplier.nib] == "rejected":
            reason = REJECTION_REASONS[index % len(REJECTION_REASONS)]
            verification_decide(firm=supplier, by=ministry, decision="rejected", reason=reason)
    if not created_before:
        created.append(owner_company)
    _spread_registrations(random.Random(rng.random()), created)
    return len(created)


def _spread_registrations(rng: random.Random, suppliers: list[Supplier]) -> None:
    """Registered over the past two years, verified days later, so that the ministry's monthly
    figures and "days from registration to first introduction" look like a running program."""
    now = timezone.now()
    ids = sorted(s.pk for s in suppliers)
    verified = dict(Supplier.objects.filter(pk__in=ids).values_list("pk", "verified_at"))
    for pk in ids:
        registered = now - timedelta(days=rng.randint(20, 730), minutes=rng.randint(0, 1439))
        Supplier.objects.filter(pk=pk).update(
            created_at=registered,
            verified_at=registered + timedelta(days=rng.randint(2, 20)) if verified[pk] else None,
        )
