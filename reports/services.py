"""The ministry's verification decisions: apply, audit, notify (one transaction); and the refresh
of the dashboard's pre-aggregated facts."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.outbox import notify
from manufacturers.models import Manufacturer
from manufacturers.services import manufacturer_reject, manufacturer_verify
from suppliers.models import Supplier, VerificationStatus
from suppliers.services import supplier_reject, supplier_verify

from . import facts
from .models import DashboardRefresh, VerificationDecision

Firm = Supplier | Manufacturer


def firm_kind(firm: Firm) -> str:
    if isinstance(firm, Supplier):
        return VerificationDecision.FirmKind.SUPPLIER
    return VerificationDecision.FirmKind.MANUFACTURER


def firm_name(firm: Firm) -> str:
    return firm.legal_name if isinstance(firm, Supplier) else firm.name


def firm_users(firm: Firm):
    if isinstance(firm, Supplier):
        return User.objects.filter(supplier_membership__supplier_id=firm.pk, is_active=True)
    return User.objects.filter(manufacturer_membership__manufacturer_id=firm.pk, is_active=True)


def firm_url(firm: Firm) -> str:
    if isinstance(firm, Supplier):
        return reverse("suppliers:detail", args=[firm.pk])
    return reverse("manufacturers:manufacturer_detail", args=[firm.pk])


@transaction.atomic
def verification_decide(
    *, firm: Firm, by: User, decision: str, reason: str = ""
) -> VerificationDecision:
    """Approves or rejects a firm through its own service, records the decision, tells the firm.

    The firm's service checks that ``by`` is ministry staff and that a rejection has a reason,
    so a refused decision leaves no audit row and sends nothing.
    """
    before = firm.verification_status
    is_supplier = isinstance(firm, Supplier)
    if decision == VerificationDecision.Decision.APPROVED:
        if is_supplier:
            supplier_verify(supplier=firm, by=by)
        else:
            manufacturer_verify(manufacturer=firm, by=by)
        kind = "verification_approved"
    elif decision == VerificationDecision.Decision.REJECTED:
        if is_supplier:
            supplier_reject(supplier=firm, by=by, reason=reason)
        else:
            manufacturer_reject(manufacturer=firm, by=by, reason=reason)
        kind = "verification_rejected"
    else:
        raise ValueError(f"Unknown decision {decision!r}")
    record = VerificationDecision.objects.create(
        decided_by=by,
        firm_kind=firm_kind(firm),
        firm_id=firm.pk,
        firm_name=firm_name(firm),
        decision=decision,
        reason=firm.verification_reason,
        status_before=before,
        status_after=firm.verification_status,
    )
    params = {"firm": firm_name(firm), "reason": firm.verification_reason}
    for user in firm_users(firm):
        notify(
            user=user,
            kind=kind,
            params=params,
            url=firm_url(firm),
            email_template=kind,
            key=f"verification-decision:{record.pk}:user:{user.pk}",
        )
    return record


# Any constant, the same for every process: two refreshes never interleave their rebuilds.
_REFRESH_LOCK = 0x7265706F


@transaction.atomic
def dashboard_facts_refresh(*, tz: str | None = None) -> DashboardRefresh:
    """Rebuilds the dashboard's fact tables from the live data, in one transaction.

    Called by the worker (``reports.tasks.refresh_dashboard``) every few minutes, and once by
    the first page view when the facts were never built. ``tz``: the time zone whose days the
    facts count (the current one by default, as ``Filters`` uses).
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFRESH_LOCK])
    # The facts hold the data as of this moment (the transaction's snapshot starts here).
    as_of = timezone.now()
    facts.rebuild(tz or timezone.get_current_timezone_name())
    refresh, _created = DashboardRefresh.objects.update_or_create(
        pk=1, defaults={"refreshed_at": as_of, "seconds": time.perf_counter() - started}
    )
    return refresh


__all__ = ["VerificationStatus", "dashboard_facts_refresh", "verification_decide"]
