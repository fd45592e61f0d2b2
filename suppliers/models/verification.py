"""The ministry's verification of firms (UMKM and manufacturers): the audit trail of its
decisions, and the reviews that put a firm back in its queue.

Both name a firm by kind and id, not by foreign key: the audit record outlives a deleted firm,
and manufacturers live in an app above this one. The writes are in ``suppliers.verification``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FirmKind(models.TextChoices):
    SUPPLIER = "supplier", _("UMKM")
    MANUFACTURER = "manufacturer", _("Manufacturer")


class VerificationDecision(models.Model):
    """One decision of the ministry (append-only). Moved here from the reports app, whose table
    it keeps, so that every door deciding a verification writes it through one service."""

    FirmKind = FirmKind

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    firm_kind = models.CharField(_("kind of firm"), max_length=16, choices=FirmKind.choices)
    # Plain ids, not foreign keys: the audit record outlives a deleted firm.
    firm_id = models.PositiveBigIntegerField(_("firm id"))
    firm_name = models.CharField(_("firm name"), max_length=200)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    status_before = models.CharField(_("status before"), max_length=16)
    status_after = models.CharField(_("status after"), max_length=16)
    # The firm's reviewed details as the ministry saw them ({field: text}): a new review after a
    # rejection shows what changed since.
    snapshot = models.JSONField(_("details at the decision"), default=dict, blank=True)

    class Meta:
        db_table = "reports_verificationdecision"
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("verification decision")
        verbose_name_plural = _("verification decisions")
        indexes = [models.Index(fields=["firm_kind", "firm_id"], name="verif_decision_firm")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="rejected") | ~models.Q(reason=""),
                name="verif_decision_reject_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm_kind} {self.firm_id}: {self.decision}"


class VerificationReviewQuerySet(models.QuerySet):
    def open(self) -> VerificationReviewQuerySet:
        return self.filter(closed_at__isnull=True)

    def of(self, firm) -> VerificationReviewQuerySet:
        return self.filter(firm_kind=firm.firm_kind, firm_id=firm.pk)


class VerificationReview(models.Model):
    """A firm back in the ministry's queue, and why: its identity changed after it was verified,
    or it asked for a new review after a rejection. Open until the ministry's next decision."""

    class Reason(models.TextChoices):
        CHANGED = "changed", _("Changed after verification")
        RESUBMITTED = "resubmitted", _("New review requested after a rejection")

    firm_kind = models.CharField(_("kind of firm"), max_length=16, choices=FirmKind.choices)
    firm_id = models.PositiveBigIntegerField(_("firm id"))
    firm_name = models.CharField(_("firm name"), max_length=200)
    reason = models.CharField(_("why"), max_length=16, choices=Reason.choices)
    # {field name: [old text, new text]}: for a changed identity, old is the verified value;
    # for a new review, old is the value when the firm was rejected.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)
    message = models.TextField(_("message from the firm"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decision = models.ForeignKey(
        VerificationDecision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by the decision"),
    )

    objects = VerificationReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verification review")
        verbose_name_plural = _("verification reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["firm_kind", "firm_id"],
                condition=models.Q(closed_at__isnull=True),
                name="verif_review_one_open_per_firm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm_kind} {self.firm_id}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
