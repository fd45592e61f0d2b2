"""Introductions (double opt-in), partnerships and the dated size-class history of suppliers.

Rows change only through introductions.services and introductions.partnerships, which also write
the event history. The tables keep the names they had when these models lived in matchmaking
(``db_table``), so moving the app moved no data.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INTRODUCTION_TTL = timedelta(days=14)
REMINDER_AFTER = timedelta(days=7)


class Introduction(models.Model):
    class Direction(models.TextChoices):
        BUYER_REQUEST = "buyer_request", _("Buyer request")
        UMKM_INTEREST = "umkm_interest", _("UMKM interest")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # A pair may start again after a decline, an expiry or a withdrawal, never while one of
    # these is in force.
    OPEN_STATUSES = (Status.REQUESTED, Status.ACCEPTED)

    requirement = models.ForeignKey(
        "manufacturers.Requirement",
        on_delete=models.CASCADE,
        related_name="introductions",
        verbose_name=_("requirement"),
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.CASCADE,
        related_name="introductions",
        verbose_name=_("supplier"),
    )
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    score = models.FloatField(_("match score when requested"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=1000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        db_table = "matchmaking_introduction"
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "supplier"],
                condition=models.Q(status__in=["requested", "accepted"]),
                name="introduction_one_open_per_pair",
                violation_error_message=_(
                    "There is already an open introduction for this requirement and supplier."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("requested_at")),
                name="introduction_expires_after_request",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=models.Q(status="requested"),
                name="introduction_waiting_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} ↔ {self.supplier_id}: {self.status}"

    @property
    def is_requested(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def from_buyer(self) -> bool:
        return self.direction == self.Direction.BUYER_REQUEST


class IntroductionEvent(models.Model):
    """One transition of an introduction; ``actor`` is empty when the system did it (expiry)."""

    introduction = models.ForeignKey(
        Introduction,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("introduction"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(
        _("from"), max_length=16, choices=Introduction.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=Introduction.Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        db_table = "matchmaking_introductionevent"
        ordering = ["at", "pk"]
        verbose_name = _("introduction event")
        verbose_name_plural = _("introduction events")

    def __str__(self) -> str:
        return f"{self.introduction_id}: {self.from_status or '-'} → {self.to_status}"


class Partnership(models.Model):
    """A kemitraan that grew out of an accepted introduction; the ministry reports on these."""

    class Stage(models.TextChoices):
        IN_DISCUSSION = "in_discussion", _("In discussion")
        SAMPLE_TRIAL = "sample_trial", _("Sample / trial order")
        CONTRACT = "contract", _("Contract")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    # The forward path; "ended" can be reached from any stage.
    STAGE_ORDER = ("in_discussion", "sample_trial", "contract", "active")

    introduction = models.OneToOneField(
        Introduction,
        on_delete=models.PROTECT,
        related_name="partnership",
        verbose_name=_("introduction"),
    )
    pattern = models.ForeignKey(
        "suppliers.PartnershipPattern",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("partnership pattern"),
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.IN_DISCUSSION
    )
    ended_reason = models.TextField(_("reason for ending"), blank=True)
    contract_value_idr = models.PositiveBigIntegerField(
        _("contract value (IDR)"), null=True, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    # Set when the partnership comes from an awarded quotation: the ministry's figures count
    # awarded value and value-weighted local content from these, not from typed-in numbers.
    awarded_at = models.DateTimeField(_("awarded at"), null=True, blank=True)
    awarded_quantity = models.PositiveIntegerField(_("awarded quantity"), null=True, blank=True)
    local_content_pct = models.DecimalField(
        _("local content (TKDN %)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    technology_transfer = models.BooleanField(_("technology transfer"), default=False)
    financing = models.BooleanField(_("financing involved"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "matchmaking_partnership"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage="ended") | ~models.Q(ended_reason=""),
                name="partnership_ended_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["stage"], name="partnership_stage_idx")]

    def __str__(self) -> str:
        return f"{self.introduction_id}: {self.stage}"


class PartnershipEvent(models.Model):
    """A change to a partnership: ``changes`` is ``{field: [old, new]}`` (as text)."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("partnership"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        db_table = "matchmaking_partnershipevent"
        ordering = ["at", "pk"]
        verbose_name = _("partnership event")
        verbose_name_plural = _("partnership events")

    def __str__(self) -> str:
        return f"{self.partnership_id} @ {self.at:%Y-%m-%d %H:%M}"


class SupplierSizeRecord(models.Model):
    """A supplier's size class and revenue band from a date on ("naik kelas" reporting)."""

    class RevenueBand(models.TextChoices):
        # Annual sales bands of PP 7/2021 (micro, small, medium) and above.
        UP_TO_2B = "up_to_2b", _("Up to IDR 2 billion")
        FROM_2B_TO_15B = "2b_15b", _("IDR 2–15 billion")
        FROM_15B_TO_50B = "15b_50b", _("IDR 15–50 billion")
        ABOVE_50B = "above_50b", _("Above IDR 50 billion")

    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.CASCADE,
        related_name="size_records",
        verbose_name=_("supplier"),
    )
    size_class = models.ForeignKey(
        "suppliers.SizeClass", on_delete=models.PROTECT, verbose_name=_("size class")
    )
    revenue_band = models.CharField(
        _("annual sales"), max_length=16, choices=RevenueBand.choices, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        db_table = "matchmaking_suppliersizerecord"
        ordering = ["supplier", "valid_from"]
        verbose_name = _("supplier size record")
        verbose_name_plural = _("supplier size records")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "valid_from"], name="supplier_size_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.size_class_id} from {self.valid_from}"
