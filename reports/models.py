"""The audit trail of the ministry's verification decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VerificationDecision(models.Model):
    class FirmKind(models.TextChoices):
        SUPPLIER = "supplier", _("UMKM")
        MANUFACTURER = "manufacturer", _("Manufacturer")

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

    class Meta:
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
