"""Weekly digests of new matches: who gets one, what counts as new, at most one a week."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts import outbox
from accounts.models import OutboxEmail
from introductions import digests
from manufacturers.models import Requirement

pytestmark = pytest.mark.django_db


def test_buyer_and_umkm_get_one_digest_a_week_with_an_unsubscribe_link(pair):
    assert digests.digests_send() == 2
    assert digests.digests_send() == 0  # nothing new since the last digest
    emails = OutboxEmail.objects.filter(template="weekly_digest")
    assert set(emails.values_list("recipient", flat=True)) == {pair.buyer.email, pair.umkm.email}

    buyer_email = emails.get(recipient=pair.buyer.email)
    assert buyer_email.context["total"] == 1
    assert buyer_email.context["items"][0]["supplier"] == pair.supplier.legal_name
    assert outbox.outbox_send(buyer_email.pk) == "sent"
    [message] = mail.outbox
    assert message.subject == "1 new match this week"
    assert pair.supplier.legal_name in message.body
    unsubscribe = buyer_email.context["unsubscribe_path"]
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")


def test_the_same_week_never_queues_a_second_digest(pair):
    now = timezone.now()
    assert digests.digest_send(user=pair.buyer, now=now)
    # Even if the "since" bookkeeping were lost, the weekly key stops a duplicate.
    from accounts.models import EmailPreference

    EmailPreference.objects.filter(user=pair.buyer).update(last_digest_at=None)
    digests.digest_send(user=pair.buyer, now=now + timedelta(minutes=5))
    assert OutboxEmail.objects.filter(recipient=pair.buyer.email).count() == 1


def test_old_matches_are_not_news(pair):
    long_ago = timezone.now() - timedelta(days=30)
    Requirement.objects.filter(pk=pair.requirement.pk).update(published_at=long_ago)
    pair.supplier.__class__.objects.filter(pk=pair.supplier.pk).update(
        created_at=long_ago, verified_at=long_ago
    )
    assert digests.digests_send() == 0


def test_unsubscribed_users_get_no_digest(pair):
    outbox.digest_set(user=pair.umkm, enabled=False)
    assert digests.digests_send() == 1
    assert not OutboxEmail.objects.filter(recipient=pair.umkm.email).exists()
