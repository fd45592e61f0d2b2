"""What every "join my company" invitation shares, buyers' and UMKM's alike: the stored record,
its one-time token and expiry, the e-mail in the recipient's language, and the checks made when
someone opens the link.

Each firm's app keeps its own model (a subclass of ``InvitationBase`` with the firm's foreign
key) and its own rules about who may join; the mechanics live here, in the lowest layer, so the
two kinds of invitation cannot drift apart.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import User

INVITATION_DAYS = 14


class InvitationBase(models.Model):
    email = models.EmailField(gettext_lazy("e-mail address"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("invited by"),
    )
    accepted_at = models.DateTimeField(gettext_lazy("accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    expires = models.DateTimeField(gettext_lazy("expires"))

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.expires > timezone.now()

    @property
    def is_expired(self) -> bool:
        return self.accepted_at is None and self.expires <= timezone.now()


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry(days: int = INVITATION_DAYS) -> datetime:
    return timezone.now() + timedelta(days=days)


def invitation_language(email: str, inviter: User | None) -> str:
    """The recipient's language if they already have an account, else the inviter's (who
    most likely shares it), else the site's default."""
    recipient = User.objects.filter(email__iexact=email).first()
    if recipient is not None:
        return recipient.preferred_language
    if inviter is not None:
        return inviter.preferred_language
    return settings.LANGUAGE_CODE


def invitation_send(
    *,
    invitation: InvitationBase,
    templates: str,
    accept_path: str,
    site_url: str,
    context: dict[str, Any],
) -> None:
    """Sends the invitation (subject, text and HTML from ``<templates>_subject.txt``,
    ``_message.txt`` and ``_message.html``) in the recipient's language."""
    context = {
        **context,
        "invitation": invitation,
        "inviter": invitation.invited_by,
        "accept_url": site_url.rstrip("/") + accept_path,
    }
    with translation.override(invitation_language(invitation.email, invitation.invited_by)):
        subject = render_to_string(f"{templates}_subject.txt", context)
        text = render_to_string(f"{templates}_message.txt", context)
        html = render_to_string(f"{templates}_message.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def invitation_check_usable(*, invitation: InvitationBase, user: User) -> None:
    """Refuses a used or expired invitation, or one opened by someone it was not sent to.
    Call it on a row locked with ``select_for_update`` so that one link makes one member."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already used."), code="used")
    if invitation.expires <= timezone.now():
        raise ValidationError(_("This invitation has expired; ask for a new one."), code="expired")
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it."),
            code="wrong_email",
            params={"email": invitation.email},
        )


def invitation_mark_accepted(invitation: InvitationBase) -> None:
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
