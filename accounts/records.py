"""Data-protection records (UU PDP 27/2022): consents to the privacy notice, and the audit trail
of access to personal data (imported by accounts.models).

Both are append-only. ``AuditRecord`` holds who did what to which object, by ids only, so it keeps
no personal data of its own; a general audit trail can take its rows over as they are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AuditRecord", "PrivacyConsent"]


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


class AuditRecord(models.Model):
    """Who read or changed personal data, when, and whose: one row per event, never changed.

    A database trigger (migration 0005) refuses UPDATE and DELETE on the table.
    """

    class Action(models.TextChoices):
        CONTACT_READ = "contact_read", _("Read a company's private contacts")
        DATA_EXPORT = "data_export", _("Downloaded their personal data")
        ACCOUNT_ERASED = "account_erased", _("Deleted their account")

    # PROTECT: an audited person's row is anonymised when they leave, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    # What was touched, as a kind ("supplier", "user") and a plain id: no foreign key, so the
    # record outlives the object and holds no personal data itself.
    object_kind = models.CharField(_("kind of object"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("object id"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [
            models.Index(fields=["object_kind", "object_id"], name="audit_record_object"),
            models.Index(fields=["actor", "-at"], name="audit_record_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_kind}"
