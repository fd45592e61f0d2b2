"""Reminders sent before a certificate lapses: one row per certificate, threshold and end date.

The unique constraint is the once-only guarantee: a repeated or concurrent run of the daily
reminder job cannot record (and so cannot send) the same reminder twice. The end date is part of
the key so that a renewed certificate (a new end date) is reminded again. The job that writes
these rows lives in matchmaking (``matchmaking.reminders``), which knows the requirements a
lapse would cost the firm.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .supplier import SupplierCertification


class CertificateReminder(models.Model):
    class Threshold(models.IntegerChoices):
        DAYS_30 = 30, _("30 days before the end date")
        DAYS_7 = 7, _("7 days before the end date")

    certification = models.ForeignKey(
        SupplierCertification,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("certification"),
    )
    days_before = models.PositiveSmallIntegerField(_("days before"), choices=Threshold.choices)
    valid_until = models.DateField(_("end date reminded of"))
    requirements = models.PositiveIntegerField(
        _("requirements at risk"),
        default=0,
        help_text=_("Open requirements the firm would drop out of, when the reminder was sent."),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("certificate reminder")
        verbose_name_plural = _("certificate reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "days_before", "valid_until"],
                name="certificate_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certification_id}: {self.days_before} d before {self.valid_until}"
