"""Data-protection records (UU PDP 27/2022): consents to the privacy notice, and the audit trail
(imported by accounts.models).

Both are append-only. ``AuditRecord`` is the one audit trail of what matters: access to personal
data (contacts, exports, erasure), every write of a firm's identity, profile, capabilities and
certifications, every download of a private file and every partner API read of consented private
data. It holds who (a person, a partner's API key, or a command), when, through which door, and
what (ids, field names, and old -> new values of the firms' identity fields only), so it keeps no
contact data of its own. Written by ``accounts.audit``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AuditDoor", "AuditRecord", "PrivacyConsent"]


class PrivacyConsent(models.Model):
    """A person accepted one version of the privacy notice (at sign-up, or when it changed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="privacy_consents",
        verbose_name=_("user"),
    )
    notice_version = models.CharField(_("notice version"), max_length=32)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    # Evidence of how consent was given; cleared when the account is deleted.
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        verbose_name = _("privacy notice consent")
        verbose_name_plural = _("privacy notice consents")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "notice_version"], name="privacy_consent_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.notice_version}"


class AuditDoor(models.TextChoices):
    """How the change or the read reached Rantai."""

    WEB = "web", _("Web page")
    IMPORT = "import", _("CSV import")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    SYSTEM = "system", _("Command or system")


class AuditRecord(models.Model):
    """Who read or changed what, when, through which door: one row per event, never changed.

    A database trigger (migration 0005) refuses UPDATE and DELETE on the table.
    """

    Door = AuditDoor

    class Action(models.TextChoices):
        CONTACT_READ = "contact_read", _("Read a company's private contacts")
        CONTACTS_SENT = "contacts_sent", _("Sent a company's private contacts by e-mail")
        API_KEY_CREATED = "api_key_created", _("Created an API key")
        API_KEY_REVOKED = "api_key_revoked", _("Revoked an API key")
        DATA_EXPORT = "data_export", _("Downloaded their personal data")
        ACCOUNT_ERASED = "account_erased", _("Deleted their account")
        FIRM_CREATED = "firm_created", _("Registered a company")
        IDENTITY_CHANGED = "identity_changed", _("Changed a company's identity")
        PROFILE_CHANGED = "profile_changed", _("Changed a company's profile or capabilities")
        CERTIFICATION_ADDED = "certification_added", _("Added a certification")
        CERTIFICATION_CHANGED = "certification_changed", _("Changed a certification")
        CERTIFICATION_REMOVED = "certification_removed", _("Removed a certification")
        FILE_DOWNLOADED = "file_downloaded", _("Downloaded a private file")
        API_PRIVATE_READ = "api_private_read", _("Partner API read consented private data")

    # PROTECT: an audited person's row is anonymised when they leave, never deleted. Empty for
    # a partner's API key or a command.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # A partner's key as a plain id (the partners app sits above this one), with a label that
    # outlives the key: "<partner> · <key prefix>", or the command's name.
    api_key_id = models.PositiveBigIntegerField(_("API key id"), null=True, blank=True)
    actor_label = models.CharField(_("by (partner or command)"), max_length=200, blank=True)
    # Empty for the records written before the door was recorded.
    door = models.CharField(_("door"), max_length=16, choices=AuditDoor.choices, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    # What was touched, as a kind ("supplier", "certification", "user") and a plain id: no foreign
    # key, so the record outlives the object and holds no personal data itself.
    object_kind = models.CharField(_("kind of object"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("object id"))
    # The firm the object belongs to ("supplier" or "manufacturer"), to read a firm's trail.
    firm_kind = models.CharField(_("kind of firm"), max_length=16, blank=True)
    firm_id = models.PositiveBigIntegerField(_("firm id"), null=True, blank=True)
    # Old -> new of the firm's identity fields ({"nib": ["old", "new"]}): business identity,
    # never contact data.
    changes = models.JSONField(_("old and new values"), default=dict, blank=True)
    # The names of the fields changed, or returned to a partner.
    fields = models.JSONField(_("fields"), default=list, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [
            models.Index(fields=["object_kind", "object_id"], name="audit_record_object"),
            models.Index(fields=["actor", "-at"], name="audit_record_actor"),
            models.Index(fields=["firm_kind", "firm_id", "-at"], name="audit_record_firm"),
            models.Index(fields=["-at", "-id"], name="audit_record_at"),
            models.Index(fields=["action", "-at"], name="audit_record_action"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id or self.actor_label} {self.action}"
