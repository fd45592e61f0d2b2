"""Manufacturers (OEMs, battery makers, tier-1s) and the part requirements they post.

The matching engine reads these models by name: keep field names stable.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.invitations import InvitationBase
from accounts.models import User
from suppliers.models import (
    CertificationType,
    ComponentCategory,
    Material,
    Process,
    Province,
    Verifiable,
    VerificationStatus,
)
from suppliers.storage import private_storage

from .validators import ATTACHMENT_EXTENSIONS, validate_npwp, validate_requirement_attachment


def _is_admin(user) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") == "admin")


class ManufacturerQuerySet(models.QuerySet):
    def for_user(self, user) -> ManufacturerQuerySet:
        """Manufacturers this user may manage: their own; every one for administrators."""
        if not user or not user.is_authenticated:
            return self.none()
        if _is_admin(user):
            return self
        return self.filter(members__user=user)

    def verified(self) -> ManufacturerQuerySet:
        return self.filter(verification_status=VerificationStatus.VERIFIED)


class Manufacturer(Verifiable):
    """A buying organisation: vehicle OEM, battery maker, tier-1 supplier, charging firm."""

    class Kind(models.TextChoices):
        VEHICLE_OEM = "vehicle_oem", _("Vehicle OEM")
        TWO_THREE_WHEELER_OEM = "two_three_wheeler_oem", _("Two/three-wheeler OEM")
        BATTERY_MAKER = "battery_maker", _("Battery maker")
        TIER1 = "tier1", _("Tier-1 supplier")
        CHARGING = "charging", _("Charging-infrastructure firm")
        OTHER = "other", _("Other")

    name = models.CharField(_("organisation name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    npwp = models.CharField(
        _("NPWP"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_npwp],
        help_text=_("Tax number: 16 digits (the older 15-digit form is accepted)."),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("province")
    )
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ManufacturerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(npwp__isnull=True) | models.Q(npwp__regex=r"^[0-9]{16}$"),
                name="manufacturer_npwp_16_digits",
            ),
            models.CheckConstraint(
                condition=~models.Q(verification_status="rejected")
                | ~models.Q(verification_reason=""),
                name="manufacturer_rejection_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    firm_kind = "manufacturer"
    identity_fields = ("npwp", "name")
    review_fields = ("name", "npwp", "kind", "province", "address", "website")

    @property
    def firm_name(self) -> str:
        return self.name

    def firm_members(self) -> QuerySet:
        return User.objects.filter(manufacturer_membership__manufacturer_id=self.pk, is_active=True)

    def firm_url(self) -> str:
        return reverse("manufacturers:manufacturer_detail", args=[self.pk])


class ManufacturerMember(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="manufacturer_membership",
        verbose_name=_("user"),
    )
    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("manufacturer"),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("buyer member")
        verbose_name_plural = _("buyer members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.manufacturer}"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


class ManufacturerInvitation(InvitationBase):
    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("manufacturer"),
    )

    class Meta(InvitationBase.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.manufacturer}"


class RequirementQuerySet(models.QuerySet):
    def for_user(self, user) -> RequirementQuerySet:
        """The requirements a buyer manages: their own manufacturer's; all for administrators."""
        if not user or not user.is_authenticated:
            return self.none()
        if _is_admin(user):
            return self
        return self.filter(manufacturer__members__user=user)

    def open(self) -> RequirementQuerySet:
        return self.filter(status=Requirement.Status.OPEN)

    def listed(self) -> RequirementQuerySet:
        """Open requirements of verified buyers: what UMKM and partners see and may answer."""
        return self.filter(listed_q())


def listed_q(prefix: str = "") -> Q:
    """A requirement is listed when it is open and its buyer is verified. A buyer that loses its
    verification (a new name or NPWP, a rejection) keeps its requirements open, hidden from UMKM
    and partners and closed to introductions until the ministry verifies it again.
    ``prefix``: the path to the requirement ("requirement__" from a match)."""
    return Q(
        **{
            f"{prefix}status": Requirement.Status.OPEN,
            f"{prefix}manufacturer__verification_status": VerificationStatus.VERIFIED,
        }
    )


class Requirement(models.Model):
    """A part a manufacturer wants to source (permintaan kebutuhan / RFQ)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("manufacturer"),
    )
    reference = models.CharField(
        _("reference"),
        max_length=50,
        help_text=_("Your own RFQ number, unique within your company."),
    )
    title = models.CharField(_("part name"), max_length=200)
    component = models.ForeignKey(
        ComponentCategory, on_delete=models.PROTECT, verbose_name=_("component category")
    )
    processes = models.ManyToManyField(Process, blank=True, verbose_name=_("required processes"))
    materials = models.ManyToManyField(Material, blank=True, verbose_name=_("materials"))
    required_certifications = models.ManyToManyField(
        CertificationType, blank=True, related_name="+", verbose_name=_("must-have certifications")
    )
    preferred_certifications = models.ManyToManyField(
        CertificationType,
        blank=True,
        related_name="+",
        verbose_name=_("nice-to-have certifications"),
    )
    annual_volume = models.PositiveIntegerField(_("annual volume (units)"))
    target_price_min_idr = models.PositiveBigIntegerField(
        _("target unit price from (IDR)"), null=True, blank=True
    )
    target_price_max_idr = models.PositiveBigIntegerField(
        _("target unit price to (IDR)"), null=True, blank=True
    )
    needed_by = models.DateField(_("needed by"))
    delivery_province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("delivery province"),
    )
    min_local_content_pct = models.PositiveSmallIntegerField(
        _("minimum local content (TKDN %)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    # When true, a supplier below the minimum local content is not offered at all; otherwise
    # local content is one soft component of the score.
    local_content_required = models.BooleanField(
        _("minimum local content is required"), default=False
    )
    # Open to quotes: an UMKM that expressed interest may quote before the buyer accepts.
    quotes_open = models.BooleanField(_("open to quotations from interested UMKM"), default=False)
    # Quotations stay sealed (the buyer sees who quoted, not the prices) until this moment.
    quote_deadline = models.DateTimeField(_("quotation deadline"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    close_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=CloseReason.choices, blank=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "reference"], name="requirement_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(target_price_min_idr__isnull=True)
                | models.Q(target_price_max_idr__isnull=True)
                | models.Q(target_price_min_idr__lte=models.F("target_price_max_idr")),
                name="requirement_price_min_le_max",
            ),
            models.CheckConstraint(
                condition=models.Q(min_local_content_pct__isnull=True)
                | models.Q(min_local_content_pct__lte=100),
                name="requirement_local_content_0_100",
            ),
            models.CheckConstraint(
                condition=(models.Q(status="closed") & ~models.Q(close_reason=""))
                | (~models.Q(status="closed") & models.Q(close_reason="")),
                name="requirement_close_reason_iff_closed",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="requirement_status_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        low, high = self.target_price_min_idr, self.target_price_max_idr
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"target_price_max_idr": _("The upper price must be at least the lower price.")},
                code="price_range",
            )

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


def attachment_upload_path(instance: RequirementAttachment, filename: str) -> str:
    # Never keep the uploaded name on disk: a random name and an allow-listed extension only.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    extension = extension if extension in ATTACHMENT_EXTENSIONS else "bin"
    return f"requirements/{uuid.uuid4().hex}.{extension}"


class RequirementAttachment(models.Model):
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("requirement"),
    )
    file = models.FileField(
        _("file"),
        upload_to=attachment_upload_path,
        storage=private_storage,
        max_length=200,
        validators=[validate_requirement_attachment],
        help_text=_("PDF, PNG, JPG, STEP or DXF, at most 20 MB."),
    )
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class RequirementRevision(models.Model):
    """What changed when an open requirement was edited: ``{field: [old, new]}``."""

    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("requirement"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("requirement revision")
        verbose_name_plural = _("requirement revisions")

    def __str__(self) -> str:
        return f"{self.requirement} @ {self.changed_at:%Y-%m-%d %H:%M}"
