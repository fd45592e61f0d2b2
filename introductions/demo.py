"""Demo introductions and partnerships for ``seed_demo``: every screen of the demo has something
to show (the UMKM's inbox, the buyer's introductions, partnerships at each stage, the ministry's
funnel and "naik kelas"), all made through the same services as the site, then spread over the
past months so the monthly figures are not one spike."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from manufacturers.models import Manufacturer, ManufacturerMember, Requirement
from matchmaking.models import Match
from matchmaking.services import rescore_everything
from suppliers.models import PartnershipPattern, SizeClass, Supplier, SupplierMember

from . import partnerships, services
from .conversation import services as conversation
from .models import (
    INTRODUCTION_TTL,
    Introduction,
    IntroductionEvent,
    Message,
    Partnership,
    PartnershipEvent,
)

# How many buyer requests the demo makes, and what becomes of them.
REQUESTS = 48
OUTCOMES = (("accept", 50), ("decline", 15), ("expire", 10), ("wait", 25))
STAGES = (("in_discussion", 25), ("sample_trial", 25), ("contract", 25), ("active", 15))
DECLINE_REASONS = (
    "Kapasitas kami penuh sampai kuartal depan.",
    "Spesifikasi material belum bisa kami penuhi.",
    "Lokasi pengiriman terlalu jauh untuk volume ini.",
)


# A short exchange after acceptance: (side, text), buyer first.
CONVERSATION = (
    ("buyer", "Terima kasih sudah menerima. Bisa kirim penawaran harga untuk 5.000 unit?"),
    ("supplier", "Bisa, Pak/Bu. Penawaran kami kirim minggu ini, termasuk jadwal sampel."),
    ("buyer", "Baik. Mohon sertakan juga sertifikat material."),
    ("supplier", "Siap, kami lampirkan bersama penawaran."),
)


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def _buyer_of(manufacturer: Manufacturer) -> User:
    member = manufacturer.members.select_related("user").order_by("pk").first()
    if member is not None:
        return member.user
    user = User.objects.create_user(
        f"pembeli-{manufacturer.pk}@demo.rantai.id",
        None,  # no password: these accounts only give the demo's other firms a voice
        role=User.Role.BUYER,
        full_name=f"Procurement {manufacturer.name}"[:150],
    )
    ManufacturerMember.objects.create(
        user=user, manufacturer=manufacturer, role=ManufacturerMember.Role.OWNER
    )
    return user


def _owner_of(supplier: Supplier) -> User:
    member = supplier.members.select_related("user").order_by("pk").first()
    if member is not None:
        return member.user
    user = User.objects.create_user(
        f"umkm-{supplier.nib}@demo.rantai.id",
        None,
        role=User.Role.UMKM,
        full_name=supplier.contact_name or supplier.legal_name,
    )
    SupplierMember.objects.create(user=user, supplier=supplier, role=SupplierMember.Role.OWNER)
    return user


def _pairs(rng: random.Random, demo_supplier: Supplier | None) -> list[Match]:
    """Good matches of verified buyers' open requirements, the demo UMKM's first."""
    matches = list(
        Match.objects.filter(
            requirement__status=Requirement.Status.OPEN,
            requirement__manufacturer__verification_status="verified",
            rank__lte=5,
        )
        .select_related("requirement__manufacturer", "supplier")
        .order_by("requirement_id", "rank")
    )
    own = [m for m in matches if demo_supplier and m.supplier_id == demo_supplier.pk][:2]
    rest = [m for m in matches if m not in own]
    rng.shuffle(rest)
    return own + rest[: REQUESTS - len(own)]


def _backdate(introduction: Introduction, requested, decided=None) -> None:
    Introduction.objects.filter(pk=introduction.pk).update(
        requested_at=requested,
        expires_at=requested + INTRODUCTION_TTL,
        **({"decided_at": decided} if decided else {}),
    )
    events = list(IntroductionEvent.objects.filter(introduction=introduction).order_by("pk"))
    for event, at in zip(events, (requested, decided), strict=False):
        if at is not None:
            IntroductionEvent.objects.filter(pk=event.pk).update(at=at)


def _partnership(
    rng: random.Random, introduction: Introduction, buyer: User, started
) -> Partnership:
    patterns = list(PartnershipPattern.objects.order_by("code"))
    partnership = partnerships.partnership_create(
        introduction=introduction,
        by=buyer,
        pattern=rng.choice(patterns) if patterns else None,
        notes="Pertemuan pertama di pabrik pemasok; gambar teknik sudah dibagikan.",
    )
    target = _weighted(rng, STAGES)
    path = Partnership.STAGE_ORDER[1 : Partnership.STAGE_ORDER.index(target) + 1]
    for stage in path:
        fields: dict = {"stage": stage}
        if stage == "contract":
            fields |= {
                "contract_value_idr": rng.randrange(150, 4_000) * 1_000_000,
                "start_date": (started + timedelta(days=rng.randint(20, 40))).date(),
                "technology_transfer": rng.random() < 0.4,
                "financing": rng.random() < 0.3,
            }
        partnership = partnerships.partnership_update(partnership=partnership, by=buyer, **fields)
    Partnership.objects.filter(pk=partnership.pk).update(created_at=started)
    for step, event in enumerate(PartnershipEvent.objects.filter(partnership=partnership)):
        PartnershipEvent.objects.filter(pk=event.pk).update(at=started + timedelta(days=12 * step))
    # The size class when the partnership started is the baseline for "naik kelas" (recorded
    # today by partnership_create for a supplier's first partnership).
    introduction.supplier.size_records.filter(valid_from=timezone.localdate()).update(
        valid_from=started.date()
    )
    return partnership


def _converse(
    rng: random.Random, introduction: Introduction, buyer: User, owner: User, start
) -> None:
    """A few messages, spread over the days after acceptance, read by both sides."""
    length = rng.randint(2, len(CONVERSATION))
    at = start
    for side, text in CONVERSATION[:length]:
        message = conversation.message_send(
            introduction=introduction, by=buyer if side == "buyer" else owner, body=text
        )
        at += timedelta(hours=rng.randint(2, 30))
        Message.objects.filter(pk=message.pk).update(created_at=at)
    for user in (buyer, owner):
        conversation.thread_mark_read(introduction=introduction, user=user)


def _moved_up(partnership: Partnership, by: User) -> bool:
    """Naik kelas: the supplier was one size class smaller when the partnership started (the
    demo's suppliers keep their seeded class, so a second seed changes nothing)."""
    supplier = partnership.introduction.supplier
    smaller = SizeClass.objects.filter(rank__lt=supplier.size_class.rank).order_by("-rank").first()
    if smaller is None:
        return False
    supplier.size_records.filter(valid_from__lt=timezone.localdate()).update(size_class=smaller)
    partnerships.supplier_size_record(
        supplier=supplier, size_class=supplier.size_class, valid_from=timezone.localdate(), by=by
    )
    return True


@transaction.atomic
def seed_introductions(*, rng: random.Random, stdout, demo_supplier: Supplier | None) -> None:
    if Introduction.objects.exists():
        return
    rescore_everything()  # the demo's tasks may not have run yet (no worker during a seed)
    now = timezone.now()
    counts = {"requested": 0, "accepted": 0, "partnerships": 0, "moved_up": 0}
    for index, match in enumerate(_pairs(rng, demo_supplier)):
        requirement, supplier = match.requirement, match.supplier
        buyer, owner = _buyer_of(requirement.manufacturer), _owner_of(supplier)
        introduction = services.introduction_request(
            requirement=requirement,
            supplier=supplier,
            by=buyer,
            message=f"Kami tertarik dengan {supplier.legal_name} untuk {requirement.title}.",
        )
        counts["requested"] += 1
        # The demo UMKM keeps one request to answer itself.
        outcome = "wait" if index == 0 else _weighted(rng, OUTCOMES)
        # Never before the supplier registered; answered ones at least 25 days ago.
        earliest = max(supplier.created_at + timedelta(days=3), now - timedelta(days=330))
        latest = now - timedelta(days=25)
        if earliest >= latest:
            outcome = "wait"
        requested = earliest + (latest - earliest) * rng.random() if outcome != "wait" else None
        if outcome == "wait":
            _backdate(
                introduction, now - timedelta(days=rng.randint(0, 5), hours=rng.randint(1, 20))
            )
        elif outcome == "expire":
            _backdate(introduction, requested)
        else:
            decided = requested + timedelta(days=rng.randint(1, 9))
            if outcome == "decline":
                services.introduction_decline(
                    introduction=introduction, by=owner, reason=rng.choice(DECLINE_REASONS)
                )
                _backdate(introduction, requested, decided)
                continue
            services.introduction_accept(introduction=introduction, by=owner)
            _backdate(introduction, requested, decided)
            counts["accepted"] += 1
            if rng.random() < 0.6:
                _converse(rng, introduction, buyer, owner, decided)
            if rng.random() < 0.75:
                introduction.refresh_from_db()
                first = not supplier.size_records.exists()
                partnership = _partnership(rng, introduction, buyer, decided + timedelta(days=3))
                counts["partnerships"] += 1
                if first and partnership.stage in ("contract", "active") and supplier.size_class_id:
                    counts["moved_up"] += rng.random() < 0.4 and _moved_up(partnership, buyer)
    services.introductions_expire(now=now)
    _quotations()
    stdout.write(
        _(
            "Demo introductions requested: %(requested)d (accepted: %(accepted)d), "
            "partnerships: %(partnerships)d, UMKM moved up a size class: %(moved_up)d."
        )
        % counts
        + "\n"
    )


def _quotations(limit: int = 8) -> None:
    """Quotations on accepted introductions still without a partnership, so that the buyers'
    comparison has something to show; a separate generator keeps the rest of the demo as it
    was."""
    from datetime import date

    from django.core.exceptions import ValidationError

    from .quotations import Offer, quotation_submit

    rng = random.Random(13)
    accepted = (
        Introduction.objects.filter(
            status=Introduction.Status.ACCEPTED,
            partnership__isnull=True,
            requirement__status=Requirement.Status.OPEN,
        )
        .select_related("requirement", "supplier")
        .order_by("pk")[:limit]
    )
    for introduction in accepted:
        requirement = introduction.requirement
        price = rng.randrange(2_000, 60_000, 100)
        minimum = max(100, requirement.annual_volume // 20 // 100 * 100)
        try:
            quotation_submit(
                introduction=introduction,
                by=_owner_of(introduction.supplier),
                offer=Offer(
                    unit_price_idr=price,
                    minimum_order=minimum,
                    lead_time_days=rng.choice([14, 21, 30, 45, 60]),
                    valid_until=date.today() + timedelta(days=rng.choice([30, 45, 60])),
                    tiers=[(minimum * 10, price * 9 // 10)],
                    local_content_pct=rng.choice([None, 25, 35, 40, 55]),
                    notes="Harga sudah termasuk kemasan standar.",
                ),
            )
        except ValidationError:
            continue  # a demo pair the rules refuse is simply left without a quotation
