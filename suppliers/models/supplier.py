from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..storage import private_storage
from ..validators import (
    validate_certificate_document,
    validate_name_characters,
    validate_nib,
    validate_photo,
)
from .reference import (
    CertificationType,
    ComponentCategory,
    Kbli,
    Material,
    Process,
    Province,
    Regency,
    SizeClass,
)


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Verifiable(models.Model):
    """The ministry's verification of a firm (UMKM or manufacturer), decided in the queue.

    Each firm model says which kind of firm it is, which of its fields are its identity (a
    change sends a verified firm back to the queue) and which the ministry compares on a new
    review, and who its members are: ``suppliers.verification`` works on any of them without
    importing the apps above.
    """

    firm_kind: ClassVar[str]
    identity_fields: ClassVar[tuple[str, ...]]
    review_fields: ClassVar[tuple[str, ...]]

    verification_status = models.CharField(
        _("verification status"),
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
        db_index=True,
    )
    verification_reason = models.TextField(_("reason for rejection"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    class Meta:
        abstract = True

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def is_rejected(self) -> bool:
        return self.verification_status == VerificationStatus.REJECTED

    @property
    def firm_name(self) -> str:
        raise NotImplementedError

    def firm_members(self) -> QuerySet:
        """The firm's active user accounts (who is told about its verification)."""
        raise NotImplementedError

    def firm_url(self) -> str:
        raise NotImplementedError


class SupplierQuerySet(models.QuerySet):
    def for_user(self, user) -> SupplierQuerySet:
        """Suppliers this user may manage: their own company; every company for administrators."""
        if not user or not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.role == "admin":
            return self
        return self.filter(members__user=user)

    def verified(self) -> SupplierQuerySet:
        return self.filter(verification_status=VerificationStatus.VERIFIED)


def _random_name(prefix: str, filename: str) -> str:
    # Never trust the uploaded name: keep only a random name and a safe extension.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    extension = extension if extension in {"pdf", "jpg", "jpeg", "png", "webp"} else "bin"
    return f"{prefix}/{uuid.uuid4().hex}.{extension}"


def certificate_upload_path(instance: SupplierCertification, filename: str) -> str:
    return _random_name("certificates", filename)


def photo_upload_path(instance: SupplierPhoto, filename: str) -> str:
    return _random_name("photos", filename)


class Supplier(Verifiable):
    """An UMKM company that makes parts (the profile buyers are matched against)."""

    legal_name = models.CharField(
        _("legal name"), max_length=200, validators=[validate_name_characters]
    )
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        unique=True,
        validators=[validate_nib],
        help_text=_("Nomor Induk Berusaha: 13 digits, as printed on the OSS certificate."),
    )
    size_class = models.ForeignKey(
        SizeClass, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("size class")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("province")
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("regency or city"),
    )
    address = models.TextField(_("address"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    kbli = models.ManyToManyField(Kbli, blank=True, verbose_name=_("KBLI codes"))
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What you make and for whom, in Bahasa Indonesia or English."),
    )
    website = models.URLField(_("website"), blank=True)

    # Private contact details: shown only to the company itself (and, later, to a buyer after
    # the UMKM accepts an introduction).
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)

    components = models.ManyToManyField(
        ComponentCategory, blank=True, verbose_name=_("component categories")
    )
    processes = models.ManyToManyField(Process, blank=True, verbose_name=_("processes"))
    materials = models.ManyToManyField(Material, blank=True, verbose_name=_("materials"))
    capacity_per_month = models.PositiveIntegerField(
        _("monthly capacity (units)"), null=True, blank=True
    )
    lead_time_days = models.PositiveIntegerField(
        _("typical lead time (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(730)],
    )
    min_order_qty = models.PositiveIntegerField(_("minimum order quantity"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("supplier (UMKM)")
        verbose_name_plural = _("suppliers (UMKM)")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nib__regex=r"^[0-9]{13}$"), name="nib_13_digits"
            ),
            models.CheckConstraint(
                condition=~models.Q(verification_status="rejected")
                | ~models.Q(verification_reason=""),
                name="rejection_needs_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "verification_status"]),
            # The matching engine's freshness check reads the newest change on every task.
            models.Index(fields=["updated_at"], name="supplier_updated_at_idx"),
        ]

    def __str__(self) -> str:
        return self.legal_name

    firm_kind = "supplier"
    identity_fields = ("nib", "legal_name", "province")
    review_fields = (
        "legal_name",
        "nib",
        "province",
        "regency",
        "address",
        "size_class",
        "founded_year",
        "employees",
        "website",
    )

    @property
    def firm_name(self) -> str:
        return self.legal_name

    def firm_members(self) -> QuerySet:
        return User.objects.filter(supplier_membership__supplier_id=self.pk, is_active=True)

    def firm_url(self) -> str:
        return reverse("suppliers:detail", args=[self.pk])


class SupplierMember(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supplier_membership",
        verbose_name=_("user"),
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="members", verbose_name=_("supplier")
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.OWNER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supplier member")
        verbose_name_plural = _("supplier members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.supplier}"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


# The certification type whose certificates carry a local-content percentage.
TKDN_CODE = "TKDN"


class SupplierCertification(models.Model):
    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.CASCADE,
        related_name="certifications",
        verbose_name=_("supplier"),
    )
    cert_type = models.ForeignKey(
        CertificationType, on_delete=models.PROTECT, verbose_name=_("certification")
    )
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Only meaningful for a TKDN certificate: the local-content percentage it certifies.
    local_content_pct = models.DecimalField(
        _("local content (TKDN %)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    document = models.FileField(
        _("document"),
        upload_to=certificate_upload_path,
        storage=private_storage,
        blank=True,
        validators=[validate_certificate_document],
        help_text=_("PDF, JPG or PNG, at most 5 MB."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cert_type__code", "-valid_until"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return f"{self.cert_type} ({self.supplier})"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_until is None or self.valid_until >= day

    @property
    def is_expired(self) -> bool:
        return not self.is_valid_on(timezone.localdate())


class SupplierPhoto(models.Model):
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="photos", verbose_name=_("supplier")
    )
    image = models.ImageField(_("photo"), upload_to=photo_upload_path, validators=[validate_photo])
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name
