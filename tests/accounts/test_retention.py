"""Retention rules: exactly what has been kept long enough goes, nothing else."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from accounts import tasks
from accounts.models import Notification, OutboxEmail, User
from accounts.retention import retention_apply
from accounts.services import email_address_mark_verified
from tests.factories import BuyerUserFactory, MinistryUserFactory, UmkmUserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _joined(user: User, days_ago: int, *, verified: bool | None = None, logged_in=False) -> User:
    if verified is not None:
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    User.objects.filter(pk=user.pk).update(
        date_joined=NOW - timedelta(days=days_ago),
        last_login=NOW - timedelta(days=1) if logged_in else None,
    )
    return user


def test_only_old_never_confirmed_sign_ups_are_deleted(settings):
    settings.RETENTION_UNVERIFIED_SIGNUP_DAYS = 30
    stale = _joined(UmkmUserFactory(), 31, verified=False)
    stale_buyer = _joined(BuyerUserFactory(), 40)  # no address row at all
    recent = _joined(UmkmUserFactory(), 29, verified=False)
    confirmed = _joined(UmkmUserFactory(), 100, verified=True)
    used = _joined(UmkmUserFactory(), 100, verified=False, logged_in=True)
    staff = _joined(MinistryUserFactory(), 100)

    counts = retention_apply(now=NOW)

    assert counts["unverified_signups"] == 2
    remaining = set(User.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining and stale_buyer.pk not in remaining
    assert {recent.pk, confirmed.pk, used.pk, staff.pk} <= remaining


def test_read_notifications_go_after_their_days_unread_ones_stay(settings):
    settings.RETENTION_READ_NOTIFICATION_DAYS = 180
    user = UmkmUserFactory()
    old_read = Notification.objects.create(
        user=user, kind="intro_requested", read_at=NOW - timedelta(days=181)
    )
    recent_read = Notification.objects.create(
        user=user, kind="intro_requested", read_at=NOW - timedelta(days=179)
    )
    old_unread = Notification.objects.create(
        user=user, kind="intro_requested", created_at=NOW - timedelta(days=400)
    )

    assert retention_apply(now=NOW)["read_notifications"] == 1

    assert set(Notification.objects.values_list("pk", flat=True)) == {
        recent_read.pk,
        old_unread.pk,
    }
    assert not Notification.objects.filter(pk=old_read.pk).exists()


def test_sent_emails_lose_their_content_after_their_days(settings):
    settings.RETENTION_SENT_EMAIL_DAYS = 90
    user = UmkmUserFactory()

    def email(key: str, status: str, sent_days_ago: int | None) -> OutboxEmail:
        return OutboxEmail.objects.create(
            user=user,
            recipient=user.email,
            language="id",
            template="intro_accepted",
            context={"contact_phone": "+628123"},
            idempotency_key=key,
            status=status,
            sent_at=NOW - timedelta(days=sent_days_ago) if sent_days_ago is not None else None,
        )

    old = email("old", "sent", 91)
    recent = email("recent", "sent", 89)
    waiting = email("waiting", "pending", None)

    assert retention_apply(now=NOW)["sent_email_contexts"] == 1

    old.refresh_from_db()
    assert old.context == {} and old.status == "sent" and old.recipient == user.email
    assert OutboxEmail.objects.get(pk=recent.pk).context == {"contact_phone": "+628123"}
    assert OutboxEmail.objects.get(pk=waiting.pk).context == {"contact_phone": "+628123"}
    # Running again finds nothing more to do.
    assert retention_apply(now=NOW)["sent_email_contexts"] == 0


def test_zero_days_turns_a_rule_off(settings):
    settings.RETENTION_UNVERIFIED_SIGNUP_DAYS = 0
    settings.RETENTION_READ_NOTIFICATION_DAYS = 0
    stale = _joined(UmkmUserFactory(), 999, verified=False)
    Notification.objects.create(user=stale, kind="x", read_at=NOW - timedelta(days=999))

    assert retention_apply(now=NOW)["unverified_signups"] == 0
    assert User.objects.filter(pk=stale.pk).exists()
    assert Notification.objects.count() == 1


def test_the_command_and_the_beat_task_apply_the_rules(settings):
    settings.RETENTION_UNVERIFIED_SIGNUP_DAYS = 30
    _joined(UmkmUserFactory(), 31, verified=False)
    kept = UmkmUserFactory()
    email_address_mark_verified(user=kept)
    out = StringIO()

    call_command("apply_retention", stdout=out)

    assert "unverified_signups: 1" in out.getvalue()
    assert list(User.objects.values_list("pk", flat=True)) == [kept.pk]
    assert tasks.apply_retention.run() == {
        "unverified_signups": 0,
        "read_notifications": 0,
        "sent_email_contexts": 0,
    }
    assert "accounts-apply-retention" in settings.CELERY_BEAT_SCHEDULE
