"""Reads for the ministry's verification queue: the waiting firms (UMKM and manufacturers in one
list, oldest wait first, filtered and paged in the database) and one firm's review.

A firm waits when it was never decided, or when it is back with an open review (changed after
verification, or asking for a new review after a rejection); it waits since the review opened,
else since it registered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from manufacturers.models import Manufacturer
from suppliers.models import (
    FirmKind,
    Supplier,
    SupplierCertification,
    VerificationReview,
    VerificationStatus,
)
from suppliers.verification import change_rows, open_review

# A certificate ending within this many days is flagged on the review (the firm's own
# reminders come 30 and 7 days before the end).
EXPIRING_DAYS = 30
PAGE_SIZE = 20
# "Waiting longer than" choices, in days.
WAITING_DAYS = (7, 30, 90)
ROW_FIELDS = (
    "row_kind",
    "pk",
    "row_name",
    "identifier",
    "province_name",
    "review_reason",
    "waiting_since",
    "expired_certificates",
    "expiring_certificates",
)


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""  # "", "supplier" or "manufacturer"
    province: str = ""  # a province code
    waiting_days: int | None = None  # waiting at least this many days
    review: str = ""  # "", "new" (never decided), "changed" or "resubmitted"
    q: str = ""  # name, NIB or NPWP


def _reviews(kind: str) -> QuerySet[VerificationReview]:
    return VerificationReview.objects.open().filter(firm_kind=kind, firm_id=OuterRef("pk"))


def _certificates(*, until_before: date | None = None, until_from: date | None = None) -> Coalesce:
    certs = SupplierCertification.objects.filter(supplier=OuterRef("pk"))
    if until_before is not None:
        certs = certs.filter(valid_until__lt=until_before)
    if until_from is not None:
        certs = certs.filter(valid_until__gte=until_from)
    count = certs.order_by().values("supplier").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def _waiting_part(
    model: type[Supplier] | type[Manufacturer],
    kind: str,
    filters: QueueFilters,
    *,
    name: str,
    identifier: str,
) -> QuerySet:
    reviews = _reviews(kind)
    today = timezone.localdate()
    firms = (
        model.objects.annotate(open_review=Exists(reviews))
        .filter(Q(verification_status=VerificationStatus.UNVERIFIED) | Q(open_review=True))
        .annotate(
            row_kind=Value(kind, output_field=CharField()),
            row_name=F(name),
            identifier=Coalesce(F(identifier), Value("")),
            province_name=Coalesce(F("province__name"), Value("")),
            review_reason=Coalesce(Subquery(reviews.values("reason")[:1]), Value("")),
            waiting_since=Coalesce(
                Subquery(reviews.values("created_at")[:1]),
                F("created_at"),
                output_field=DateTimeField(),
            ),
        )
    )
    if model is Supplier:
        firms = firms.annotate(
            expired_certificates=_certificates(until_before=today),
            expiring_certificates=_certificates(
                until_from=today, until_before=today + timedelta(days=EXPIRING_DAYS + 1)
            ),
        )
    else:
        firms = firms.annotate(
            expired_certificates=Value(0, output_field=IntegerField()),
            expiring_certificates=Value(0, output_field=IntegerField()),
        )
    if filters.province:
        firms = firms.filter(province_id=filters.province)
    if filters.waiting_days is not None:
        firms = firms.filter(
            waiting_since__lte=timezone.now() - timedelta(days=filters.waiting_days)
        )
    if filters.review == "new":
        firms = firms.filter(open_review=False)
    elif filters.review:
        firms = firms.filter(review_reason=filters.review)
    if filters.q:
        term = filters.q.strip()
        digits = "".join(ch for ch in term if ch.isdigit())
        match = Q(**{f"{name}__icontains": term})
        # An NIB or NPWP is often typed with dots and dashes (01.234.567.8-901.000).
        if len(digits) >= 4:
            match |= Q(**{f"{identifier}__contains": digits})
        firms = firms.filter(match)
    return firms.values(*ROW_FIELDS)


def waiting_firms(filters: QueueFilters) -> QuerySet:
    """The queue's rows (dicts of ``ROW_FIELDS``), oldest wait first, ready to be paged by the
    database: one UNION of both kinds of firm."""
    parts = []
    if filters.kind in ("", FirmKind.SUPPLIER):
        parts.append(
            _waiting_part(Supplier, FirmKind.SUPPLIER, filters, name="legal_name", identifier="nib")
        )
    if filters.kind in ("", FirmKind.MANUFACTURER):
        parts.append(
            _waiting_part(
                Manufacturer, FirmKind.MANUFACTURER, filters, name="name", identifier="npwp"
            )
        )
    rows = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    return rows.order_by("waiting_since", "row_kind", "pk")


# --- one firm's review ------------------------------------------------------------------------

FIRM_MODELS: dict[str, type[Supplier] | type[Manufacturer]] = {
    FirmKind.SUPPLIER: Supplier,
    FirmKind.MANUFACTURER: Manufacturer,
}


@dataclass
class CertificateCheck:
    certificate: SupplierCertification
    state: str  # "expired", "expiring", "valid" or "no_expiry"
    days_left: int | None = None


@dataclass
class FirmReview:
    kind: str
    firm: Supplier | Manufacturer
    review: VerificationReview | None
    review_changes: list[dict[str, str]]
    details: list[tuple[str, str]] = field(default_factory=list)
    certificates: list[CertificateCheck] = field(default_factory=list)

    @property
    def expired(self) -> list[CertificateCheck]:
        return [check for check in self.certificates if check.state == "expired"]

    @property
    def expiring(self) -> list[CertificateCheck]:
        return [check for check in self.certificates if check.state == "expiring"]

    @property
    def is_waiting(self) -> bool:
        return (
            self.review is not None
            or self.firm.verification_status == VerificationStatus.UNVERIFIED
        )


def certificate_check(certificate: SupplierCertification, today: date) -> CertificateCheck:
    if certificate.valid_until is None:
        return CertificateCheck(certificate, "no_expiry")
    days_left = (certificate.valid_until - today).days
    if days_left < 0:
        state = "expired"
    elif days_left <= EXPIRING_DAYS:
        state = "expiring"
    else:
        state = "valid"
    return CertificateCheck(certificate, state, days_left)


def _details(firm: Supplier | Manufacturer) -> list[tuple[str, str]]:
    """The reviewed details, labelled in the active language."""
    rows = []
    for name in type(firm).review_fields:
        model_field = type(firm)._meta.get_field(name)
        if model_field.choices:
            value = getattr(firm, f"get_{name}_display")()
        else:
            value = getattr(firm, name)
        rows.append((str(model_field.verbose_name), "" if value is None else str(value)))
    return rows


def firm_review(kind: str, pk: int) -> FirmReview:
    """One firm as the ministry reviews it (404 for an unknown kind or firm): its open review
    with the changes labelled in the active language, and for an UMKM its certificates, each
    with its validity on today's date."""
    model = FIRM_MODELS.get(kind)
    if model is None:
        raise Http404
    related = ("province", "size_class", "regency") if model is Supplier else ("province",)
    firm = get_object_or_404(model.objects.select_related(*related), pk=pk)
    review = open_review(firm)
    result = FirmReview(
        kind=kind,
        firm=firm,
        review=review,
        review_changes=change_rows(model, review.changes) if review is not None else [],
        details=_details(firm),
    )
    # For ``reports/_review.html``, which reads them from the firm.
    firm.review, firm.review_changes = result.review, result.review_changes
    if model is Supplier:
        today = timezone.localdate()
        certificates = firm.certifications.select_related("cert_type").order_by(
            "valid_until", "cert_type__code"
        )
        result.certificates = [certificate_check(cert, today) for cert in certificates]
    return result
