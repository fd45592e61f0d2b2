"""Retention (UU PDP: personal data is kept no longer than its purpose needs).

Three rules, each in days from the environment (0 turns a rule off), applied daily by beat
(``accounts.tasks.apply_retention``) and by ``manage.py apply_retention``:

- ``RETENTION_UNVERIFIED_SIGNUP_DAYS``: sign-ups (UMKM or buyer) that never confirmed their e-mail
  address and never logged in are deleted. They cannot have used Rantai, so nothing else points
  at them.
- ``RETENTION_READ_NOTIFICATION_DAYS``: notifications read that long ago are deleted.
- ``RETENTION_SENT_EMAIL_DAYS``: e-mails sent that long ago lose their context (the names, contact
  details and texts the message was rendered from); the row stays as a record of the delivery.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError
from django.utils import timezone

from .models import Notification, OutboxEmail, User

logger = logging.getLogger(__name__)


def _cutoff(now: datetime, setting: str) -> datetime | None:
    days = int(getattr(settings, setting))
    return now - timedelta(days=days) if days > 0 else None


def unverified_signups(now: datetime) -> list[int]:
    cutoff = _cutoff(now, "RETENTION_UNVERIFIED_SIGNUP_DAYS")
    if cutoff is None:
        return []
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return list(
        User.objects.filter(
            role__in=[User.Role.UMKM, User.Role.BUYER],
            date_joined__lt=cutoff,
            last_login__isnull=True,
            is_staff=False,
            is_superuser=False,
            erased_at__isnull=True,
        )
        .exclude(Exists(verified))
        .values_list("pk", flat=True)
    )


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Applies the three rules; returns how many rows each touched."""
    now = now or timezone.now()
    counts = {"unverified_signups": 0, "read_notifications": 0, "sent_email_contexts": 0}
    for user_id in unverified_signups(now):
        try:
            with transaction.atomic():
                User.objects.filter(pk=user_id).delete()
            counts["unverified_signups"] += 1
        except ProtectedError:
            # Something must keep pointing at this account (an audit record): leave it.
            logger.warning("retention: unverified account %s is referenced; kept", user_id)
    cutoff = _cutoff(now, "RETENTION_READ_NOTIFICATION_DAYS")
    if cutoff is not None:
        counts["read_notifications"], _ = Notification.objects.filter(
            read_at__isnull=False, read_at__lt=cutoff
        ).delete()
    cutoff = _cutoff(now, "RETENTION_SENT_EMAIL_DAYS")
    if cutoff is not None:
        counts["sent_email_contexts"] = (
            OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT, sent_at__lt=cutoff)
            .exclude(context={})
            .update(context={})
        )
    return counts
