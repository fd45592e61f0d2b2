"""Quotations: an UMKM's priced offer for a requirement, its revisions, tiers and files.

A quotation hangs on one introduction (a buyer request the UMKM accepted, or an UMKM's expressed
interest on a requirement the buyer opened to quotes). Each submission adds a revision; the last
one is the offer. Rows change only through introductions.quotations (the services).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manufacturers.validators import validate_requirement_attachment
from suppliers.storage import private_storage

from .introduction import Introduction


class Quotation(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    introduction = models.OneToOneField(
        Introduction,
        on_delete=models.PROTECT,
        related_name="quotation",
        verbose_name=_("introduction"),
    )
    # Denormalised from the introduction so that a requirement's quotations are one index away.
    requirement = models.ForeignKey(
        "manufacturers.Requirement",
        on_delete=models.CASCADE,
        related_name="quotations",
        verbose_name=_("requirement"),
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.CASCADE,
        related_name="quotations",
        verbose_name=_("supplier"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    awarded_quantity = models.PositiveIntegerField(_("awarded quantity"), null=True, blank=True)
    awarded_value_idr = models.PositiveBigIntegerField(
        _("awarded value (IDR)"), null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        indexes = [models.Index(fields=["requirement", "status"], name="quotation_req_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="awarded")
                | (models.Q(awarded_quantity__gt=0) & models.Q(awarded_value_idr__isnull=False)),
                name="quotation_award_has_quantity_and_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} → {self.requirement_id}: {self.status}"


class QuotationRevision(models.Model):
    quotation = models.ForeignKey(
        Quotation, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("quotation")
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    # The unit price at the minimum order; cheaper prices for larger quantities are tiers.
    unit_price_idr = models.PositiveBigIntegerField(
        _("unit price (IDR)"), validators=[MinValueValidator(1)]
    )
    minimum_order = models.PositiveIntegerField(
        _("minimum order (units)"), validators=[MinValueValidator(1)]
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    valid_until = models.DateField(_("valid until"))
    local_content_pct = models.DecimalField(
        _("declared local content (TKDN %)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    local_content_certificate = models.ForeignKey(
        "suppliers.SupplierCertification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("TKDN certificate"),
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["quotation", "-number"]
        verbose_name = _("quotation revision")
        verbose_name_plural = _("quotation revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["quotation", "number"], name="quotation_revision_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(local_content_pct__isnull=True)
                | models.Q(local_content_pct__gte=0, local_content_pct__lte=100),
                name="quotation_local_content_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quotation_id} r{self.number}"


class QuotationTier(models.Model):
    """From `min_quantity` units on, each unit costs `unit_price_idr`."""

    revision = models.ForeignKey(
        QuotationRevision,
        on_delete=models.CASCADE,
        related_name="tiers",
        verbose_name=_("revision"),
    )
    min_quantity = models.PositiveIntegerField(
        _("from quantity"), validators=[MinValueValidator(1)]
    )
    unit_price_idr = models.PositiveBigIntegerField(
        _("unit price (IDR)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["revision", "min_quantity"]
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "min_quantity"], name="quotation_tier_quantity_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_quantity}: {self.unit_price_idr}"


def quotation_upload_path(instance: QuotationFile, filename: str) -> str:
    # Never keep the uploaded name on disk (same rule as drawings).
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"quotations/{uuid.uuid4().hex}.{extension if extension.isalnum() else 'bin'}"


class QuotationFile(models.Model):
    revision = models.ForeignKey(
        QuotationRevision,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("revision"),
    )
    file = models.FileField(
        _("file"),
        upload_to=quotation_upload_path,
        storage=private_storage,
        max_length=200,
        validators=[validate_requirement_attachment],
        help_text=_("PDF, PNG, JPG, STEP or DXF, at most 20 MB."),
    )
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("quotation file")
        verbose_name_plural = _("quotation files")

    def __str__(self) -> str:
        return self.original_name
