"""The conversation of an accepted introduction: messages, their files and who read up to where.

A thread is not a row of its own: it is the introduction. Messages exist only while the
introduction is accepted (introductions.conversation.services checks it). Each reader keeps one
``ThreadReadState``: the last message they saw and the last time they were e-mailed about unread
ones, the row the e-mail job locks so that two runs never e-mail the same reader twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manufacturers.validators import validate_requirement_attachment
from suppliers.storage import private_storage

from .introduction import Introduction

MESSAGE_MAX_LENGTH = 4000


class Message(models.Model):
    class Side(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        SUPPLIER = "supplier", _("UMKM")

    introduction = models.ForeignKey(
        Introduction,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("introduction"),
    )
    # The side is kept apart from the sender: a member who leaves the firm (or deletes their
    # account) still wrote for that side, and unread counts are per side.
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["introduction", "side", "id"], name="message_thread_side_idx"),
            models.Index(fields=["created_at"], name="message_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.introduction_id} #{self.pk} ({self.side})"


def message_upload_path(instance: MessageAttachment, filename: str) -> str:
    # Never keep the uploaded name on disk (same rule as drawings).
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"messages/{uuid.uuid4().hex}.{extension if extension.isalnum() else 'bin'}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(
        _("file"),
        upload_to=message_upload_path,
        storage=private_storage,
        max_length=200,
        validators=[validate_requirement_attachment],
        help_text=_("PDF, PNG, JPG, STEP or DXF, at most 20 MB."),
    )
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message file")
        verbose_name_plural = _("message files")

    def __str__(self) -> str:
        return self.original_name


class ThreadReadState(models.Model):
    introduction = models.ForeignKey(
        Introduction,
        on_delete=models.CASCADE,
        related_name="read_states",
        verbose_name=_("introduction"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    # Message ids grow with time, so "read up to" is one number.
    last_read_message_id = models.BigIntegerField(_("read up to message"), default=0)
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True)
    last_emailed_at = models.DateTimeField(_("last e-mailed at"), null=True, blank=True)
    emailed_up_to_message_id = models.BigIntegerField(_("e-mailed up to message"), default=0)

    class Meta:
        verbose_name = _("thread read state")
        verbose_name_plural = _("thread read states")
        constraints = [
            models.UniqueConstraint(
                fields=["introduction", "user"], name="thread_read_state_one_per_reader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.introduction_id}/{self.user_id}: {self.last_read_message_id}"
