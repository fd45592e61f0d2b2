"""Weekly e-mail digests of new matches, for buyers and UMKM members (through the outbox).

"New" means the pair could not have been in last week's digest: the requirement was published,
or the supplier registered or was verified, since the previous digest (at most 7 days back).
Rescoring rewrites every match nightly, so the match rows' own timestamps cannot tell.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import EmailPreference, User
from accounts.outbox import email_queue, unsubscribe_path
from manufacturers.models import Requirement
from matchmaking.models import Match
from suppliers.models import VerificationStatus

TOP = 5


def _since(user: User, now: datetime) -> datetime:
    week_ago = now - timedelta(days=7)
    preference = EmailPreference.objects.filter(user=user).first()
    if preference and preference.last_digest_at and preference.last_digest_at > week_ago:
        return preference.last_digest_at
    return week_ago


def new_matches_for(user: User, since: datetime):
    matches = Match.objects.filter(requirement__status=Requirement.Status.OPEN).select_related(
        "requirement", "requirement__manufacturer", "supplier"
    )
    fresh = (
        Q(requirement__published_at__gte=since)
        | Q(supplier__created_at__gte=since)
        | Q(supplier__verified_at__gte=since)
    )
    buyer = getattr(user, "manufacturer_membership", None)
    supplier = getattr(user, "supplier_membership", None)
    if user.is_buyer and buyer:
        return matches.filter(fresh, requirement__manufacturer_id=buyer.manufacturer_id).order_by(
            "-score"
        )
    if user.is_umkm and supplier:
        # Only listed requirements: an UMKM never hears of a buyer that is not verified.
        return matches.filter(
            Q(requirement__published_at__gte=since),
            requirement__manufacturer__verification_status=VerificationStatus.VERIFIED,
            supplier_id=supplier.supplier_id,
        ).order_by("-score")
    return Match.objects.none()


def digest_recipients():
    opted_out = EmailPreference.objects.filter(weekly_digest=False).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=User.Role.BUYER, manufacturer_membership__isnull=False)
            | Q(role=User.Role.UMKM, supplier_membership__isnull=False)
        )
        .exclude(pk__in=opted_out)
        .select_related("manufacturer_membership", "supplier_membership")
    )


def digest_send(*, user: User, now: datetime | None = None) -> bool:
    """Queues this week's digest for one user if there is anything new; at most one a week."""
    now = now or timezone.now()
    year, week, _day = now.isocalendar()
    fresh = new_matches_for(user, _since(user, now))
    total = fresh.count()
    if not total:
        return False
    items = [
        {
            "requirement": m.requirement.title,
            "buyer": m.requirement.manufacturer.name,
            "supplier": m.supplier.legal_name,
            "score": round(m.score),
        }
        for m in fresh[:TOP]
    ]
    url = (
        reverse("matchmaking:buyer_overview")
        if user.is_buyer
        else reverse("matchmaking:my_matches")
    )
    with transaction.atomic():
        email_queue(
            user=user,
            template="weekly_digest",
            context={
                "items": items,
                "total": total,
                "for_buyer": user.is_buyer,
                "url": url,
                "unsubscribe_path": unsubscribe_path(user),
            },
            key=f"digest:{user.pk}:{year}-W{week:02d}",
        )
        EmailPreference.objects.update_or_create(user=user, defaults={"last_digest_at": now})
    return True


def digests_send(*, now: datetime | None = None) -> int:
    sent = 0
    for user in digest_recipients().iterator(chunk_size=500):
        sent += digest_send(user=user, now=now)
    return sent
