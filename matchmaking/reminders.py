"""Certificate reminders: 30 and 7 days before a certificate's end date, the firm is told which
open requirements it would drop out of (issue 11, item 6).

Lives in matchmaking because only matchmaking knows both sides: the hard rule that a must-have
certification must be valid (``engine.core``) and the matches stored for the firm. The record of
a sent reminder lives in suppliers (``CertificateReminder``); its unique constraint (certificate,
threshold, end date) makes the reminder once-only, whatever the number of runs or workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.outbox import notify
from manufacturers.models import Requirement, listed_q
from suppliers.models import CertificateReminder, CertificationType, SupplierCertification

THRESHOLDS = (
    CertificateReminder.Threshold.DAYS_7.value,
    CertificateReminder.Threshold.DAYS_30.value,
)
# How many requirements the in-app notice names (the e-mail names more, see EMAIL_NAMED).
NOTICE_NAMED = 5
EMAIL_NAMED = 20
EMAIL_TEMPLATE = "certificate_expiring"


def threshold_for(valid_until: date | None, today: date) -> int | None:
    """The reminder due for a certificate ending on ``valid_until``: the smallest threshold not
    yet passed. A run missed on the 30th day is caught up on the following days; a certificate
    entered 20 days before its end gets the 30-day reminder at once, and the 7-day one later."""
    if valid_until is None or valid_until < today:
        return None
    days_left = (valid_until - today).days
    for threshold in THRESHOLDS:
        if days_left <= threshold:
            return threshold
    return None


def certificate_reminders_due(*, today: date | None = None) -> list[int]:
    """Ids of the certificates whose current reminder has not been recorded yet."""
    today = today or timezone.localdate()
    week = today + timedelta(days=CertificateReminder.Threshold.DAYS_7)
    horizon = today + timedelta(days=CertificateReminder.Threshold.DAYS_30)
    sent = CertificateReminder.objects.filter(
        certification_id=OuterRef("pk"),
        days_before=OuterRef("threshold"),
        valid_until=OuterRef("valid_until"),
    )
    return list(
        SupplierCertification.objects.filter(valid_until__gte=today, valid_until__lte=horizon)
        .annotate(
            threshold=Case(
                When(valid_until__lte=week, then=Value(CertificateReminder.Threshold.DAYS_7)),
                default=Value(CertificateReminder.Threshold.DAYS_30),
                output_field=IntegerField(),
            )
        )
        .exclude(Exists(sent))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _closures() -> dict[str, set[str]]:
    """Each certification type with everything it counts as (IATF 16949 -> ISO 9001), as the
    engine's hard rule reads it."""
    implies = dict(CertificationType.objects.values_list("code", "implies_id"))
    closures: dict[str, set[str]] = {}
    for code in implies:
        seen = {code}
        nxt = implies.get(code)
        while nxt and nxt not in seen:
            seen.add(nxt)
            nxt = implies.get(nxt)
        closures[code] = seen
    return closures


@dataclass(frozen=True)
class Lapse:
    """What the firm loses when one certificate ends: the certification types no other
    certificate of the firm covers the day after, and the requirements that need one of them."""

    lost: frozenset[str]
    requirements: list[Requirement]

    @property
    def superseded(self) -> bool:
        # A renewal entered as a second certificate: nothing is lost, nothing to remind.
        return not self.lost


def certificate_lapse(certification: SupplierCertification) -> Lapse:
    """The listed requirements the firm matches today (stored matches) and would drop out of on
    the day after ``certification`` ends, because it is a must-have there (itself or through a
    certification it implies) and no other certificate of the firm still covers it then.
    Requirements whose needed-by date comes before that day close first and are not counted."""
    assert certification.valid_until is not None
    closures = _closures()
    day_after = certification.valid_until + timedelta(days=1)
    kept: set[str] = set()
    others = (
        SupplierCertification.objects.filter(supplier_id=certification.supplier_id)
        .exclude(pk=certification.pk)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day_after))
        .values_list("cert_type_id", flat=True)
    )
    for code in others:
        kept |= closures.get(code, {code})
    lost = frozenset(closures.get(certification.cert_type_id, {certification.cert_type_id}) - kept)
    if certification.cert_type_id in kept:
        return Lapse(lost=frozenset(), requirements=[])
    requirements = list(
        Requirement.objects.filter(
            listed_q(),
            matches__supplier_id=certification.supplier_id,
            required_certifications__in=lost,
            needed_by__gte=day_after,
        )
        .select_related("manufacturer")
        .distinct()
        .order_by("needed_by", "title", "pk")
    )
    return Lapse(lost=lost, requirements=requirements)


def _named(requirements: list[Requirement], limit: int) -> str:
    names = [f"“{r.title}” ({r.manufacturer.name})" for r in requirements[:limit]]
    text = ", ".join(names)
    if len(requirements) > limit:
        text += " " + _("and %(count)s more") % {"count": len(requirements) - limit}
    return text


@transaction.atomic
def certificate_remind(
    *, certification_id: int, today: date | None = None
) -> CertificateReminder | None:
    """Sends the reminder due today for one certificate, if not sent before: an in-app notice and
    an e-mail (through the outbox) to each member of the firm, in their own language.

    Returns the new reminder, or None when nothing was due or it was already sent. Concurrent
    calls for the same certificate wait on its row lock; the unique constraint on the reminder
    stops any run that got past it.
    """
    today = today or timezone.localdate()
    certification = (
        SupplierCertification.objects.select_for_update(of=("self",))
        .select_related("supplier", "cert_type")
        .filter(pk=certification_id)
        .first()
    )
    if certification is None:
        return None
    threshold = threshold_for(certification.valid_until, today)
    if threshold is None:
        return None
    lapse = certificate_lapse(certification)
    if lapse.superseded:
        return None
    reminder, created = CertificateReminder.objects.get_or_create(
        certification=certification,
        days_before=threshold,
        valid_until=certification.valid_until,
        defaults={"requirements": len(lapse.requirements)},
    )
    if not created:
        return None
    _tell(certification, reminder, lapse.requirements, today)
    return reminder


def _tell(
    certification: SupplierCertification,
    reminder: CertificateReminder,
    requirements: list[Requirement],
    today: date,
) -> None:
    supplier = certification.supplier
    url = reverse("suppliers:edit_certifications", args=[supplier.pk])
    kind = "certificate_expiring" if requirements else "certificate_expiring_none"
    for user in supplier.firm_members():
        # The parameters are stored as text: written in the reader's language now.
        with translation.override(user.preferred_language):
            params = {
                "firm": supplier.legal_name,
                "certificate": certification.cert_type.name,
                "date": formats.date_format(certification.valid_until, "DATE_FORMAT"),
                "requirements": _named(requirements, NOTICE_NAMED),
            }
        email_context = {
            "days": (certification.valid_until - today).days,
            "number": certification.number,
            "count": len(requirements),
            "listed": [
                {
                    "title": r.title,
                    "buyer": r.manufacturer.name,
                    "url": reverse("manufacturers:browse_detail", args=[r.pk]),
                }
                for r in requirements[:EMAIL_NAMED]
            ],
            "more": max(0, len(requirements) - EMAIL_NAMED),
            "matches_url": reverse("matchmaking:my_matches"),
        }
        notify(
            user=user,
            kind=kind,
            params=params,
            url=url,
            email_template=EMAIL_TEMPLATE,
            email_context=email_context,
            key=f"certificate-reminder:{reminder.pk}:user:{user.pk}",
        )
