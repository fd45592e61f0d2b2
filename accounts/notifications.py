"""The e-mail outbox, in-app notifications and e-mail preferences (imported by accounts.models).

Every e-mail is a row here first, written in the same transaction as the event that causes it;
the worker sends it afterwards (accounts.outbox explains the exactly-once argument).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["NOTIFICATION_TEXTS", "EmailPreference", "Notification", "OutboxEmail"]


class OutboxEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    template = models.CharField(_("template"), max_length=64)
    context = models.JSONField(_("context"), default=dict, blank=True)
    # Stable across retries: also the Message-ID, so a receiving server can spot a re-send.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The database clock decides when a row is due (see accounts.outbox).
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_default=Now())
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(lease_until__isnull=False),
                name="outbox_sending_has_lease",
            ),
        ]
        indexes = [
            # The sweep reads only unfinished rows.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="outbox_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.status})"


# What each notification kind says; the parameters are filled in at display time, in the reader's
# language.
NOTIFICATION_TEXTS = {
    "intro_requested": _("{buyer} asks for an introduction about “{requirement}”."),
    "intro_interest": _("{supplier} is interested in “{requirement}”."),
    "intro_accepted": _(
        "The introduction about “{requirement}” was accepted: contacts are shared."
    ),
    "intro_declined": _("The introduction about “{requirement}” was declined."),
    "intro_withdrawn": _("The introduction request about “{requirement}” was withdrawn."),
    "intro_expired": _("The introduction about “{requirement}” expired without an answer."),
    "intro_reminder": _("An introduction about “{requirement}” is waiting for your answer."),
    "partnership_updated": _("The partnership about “{requirement}” was updated."),
    "quotation_submitted": _("{supplier} sent a quotation for “{requirement}”."),
    "quotation_revised": _("{supplier} revised its quotation for “{requirement}”."),
    "quotation_withdrawn": _("{supplier} withdrew its quotation for “{requirement}”."),
    "quotation_awarded": _("{buyer} awarded you “{requirement}”: {quantity} units."),
    "quotation_not_awarded": _(
        "{buyer} chose another offer for “{requirement}” this time. Thank you for quoting."
    ),
}


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
            # The header's unread count on every page.
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_user_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"

    @property
    def text(self) -> str:
        template = NOTIFICATION_TEXTS.get(self.kind)
        if template is None:
            return self.kind
        try:
            return str(template).format(**self.params)
        except (KeyError, IndexError, ValueError):
            return str(template)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class EmailPreference(models.Model):
    """Opt-outs that must work without logging in (the digest's unsubscribe link)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_preference",
        verbose_name=_("user"),
    )
    weekly_digest = models.BooleanField(_("weekly digest of new matches"), default=True)
    last_digest_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: digest={'on' if self.weekly_digest else 'off'}"
