"""Partner organisations (banks, associations, BUMN programs), their API keys, the suppliers an
association manages, and the consents UMKM give partners.

Rows change only through ``partners.services``. The tables keep the names they had when these
models lived in accounts (``accounts_*``), so moving them changed no row.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ApiKey",
    "ApiScope",
    "BuyerApiScope",
    "PartnerConsent",
    "PartnerManagedSupplier",
    "PartnerMember",
    "PartnerOrganisation",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]


class ApiScope(models.TextChoices):
    SUPPLIERS_READ = "suppliers:read", _("Read supplier profiles")
    SUPPLIERS_WRITE = "suppliers:write", _("Create and update member supplier profiles")
    REQUIREMENTS_READ = "requirements:read", _("Read open requirements")
    MATCHES_READ = "matches:read", _("Read matches")
    PARTNERSHIPS_READ = "partnerships:read", _("Read consented introductions and partnerships")
    STATS_READ = "stats:read", _("Read aggregate statistics")


class BuyerApiScope(models.TextChoices):
    """What a buyer firm's own key may read: only that firm's data, never a partner's scopes."""

    QUOTATIONS_READ = "quotations:read", _("Read the quotations on our requirements")
    AWARDS_READ = "awards:read", _("Read our awards")


class PartnerOrganisation(models.Model):
    class Kind(models.TextChoices):
        BANK = "bank", _("Bank")
        ASSOCIATION = "association", _("Industry association")
        BUMN = "bumn", _("BUMN program")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Shown to UMKM on the consent page: who the partner is and why it asks."),
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "accounts_partnerorganisation"
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A partner's key, or a buyer firm's own key (exactly one of the two owns it). Only the
    SHA-256 of the secret is stored; the key is shown once."""

    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("partner"),
    )
    manufacturer = models.ForeignKey(
        "manufacturers.Manufacturer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("buyer company"),
    )
    name = models.CharField(_("label"), max_length=100, blank=True)
    # The public part of the key (also shown in the admin), used to find the row.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    hashed_key = models.CharField(_("key hash (SHA-256)"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the default limit."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        db_table = "accounts_apikey"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(partner__isnull=False, manufacturer__isnull=True)
                    | models.Q(partner__isnull=True, manufacturer__isnull=False)
                ),
                name="api_key_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner} · {self.prefix}…"

    @property
    def owner(self):
        """The partner organisation or the buyer firm the key belongs to."""
        return self.partner if self.partner_id is not None else self.manufacturer

    @property
    def is_buyer_key(self) -> bool:
        return self.manufacturer_id is not None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def scope_labels(self) -> list[str]:
        labels = {**dict(ApiScope.choices), **dict(BuyerApiScope.choices)}
        return [str(labels.get(scope, scope)) for scope in self.scopes or []]


class PartnerManagedSupplier(models.Model):
    """A supplier an association may update through the API: one it created there, or one an
    administrator assigned to it (a member that joined the association after registering)."""

    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="managed_suppliers",
        verbose_name=_("partner"),
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.CASCADE,
        related_name="managing_partners",
        verbose_name=_("supplier"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "accounts_partnermanagedsupplier"
        verbose_name = _("supplier managed by a partner")
        verbose_name_plural = _("suppliers managed by partners")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "supplier"], name="partner_managed_supplier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.supplier}"


class PartnerConsent(models.Model):
    """An UMKM lets one partner read its contact details or its partnership records.

    Revoking sets ``revoked_at``; granting again writes a new row, so the history stays.
    """

    class Scope(models.TextChoices):
        CONTACT = "contact", _("Contact details")
        PARTNERSHIPS = "partnerships", _("Introductions and partnerships")

    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.CASCADE,
        related_name="partner_consents",
        verbose_name=_("supplier"),
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("partner"),
    )
    scope = models.CharField(_("what"), max_length=16, choices=Scope.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        db_table = "accounts_partnerconsent"
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("partner consent")
        verbose_name_plural = _("partner consents")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "supplier", "scope"],
                condition=models.Q(revoked_at__isnull=True),
                name="partner_consent_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.partner}: {self.scope}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PartnerMember(models.Model):
    """A person who works for a partner organisation. Members of an association may import their
    UMKM lists in the browser (``suppliers.importing.access``); an administrator adds them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("partner"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner member")
        verbose_name_plural = _("partner members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner}"


# --- webhooks (partners.webhooks) -------------------------------------------------------------


class WebhookEndpoint(models.Model):
    """An address of a partner that receives the events it picked, signed with ``secret``.

    The secret must be readable to sign with, so it is stored as is (as an API client's
    secret would be); it is shown to people once, when created or rotated. After a rotation the
    previous secret also signs until ``previous_secret_until`` (the grace period)."""

    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("partner"),
    )
    url = models.URLField(_("address (URL)"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("secret rotated at"), null=True, blank=True)

    class Meta:
        ordering = ["partner", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.partner} → {self.url}"


class WebhookEvent(models.Model):
    """One business event as partners receive it; ``id`` is the ``X-Rantai-Event-Id`` receivers
    de-duplicate on (the same for every endpoint and every attempt)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("event"), max_length=64)
    data = models.JSONField(_("data"), default=dict)
    created_at = models.DateTimeField(_("created at"), db_default=Now())

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"{self.name} {self.pk}"


class WebhookDelivery(models.Model):
    """The outbox row of one event for one endpoint: written with the event, sent by the
    worker (``partners.webhooks.delivery``). ``body`` is fixed when written, so every attempt
    sends the same bytes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(
        WebhookEvent, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event")
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    body = models.TextField(_("body"))
    # [supplier id, consent scope] pairs the body relied on (partners.webhooks.payloads).
    consents = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, db_default=Now())
    lease_until = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="webhook_delivery_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"
