"""The outbox: claiming, sending in the recipient's language, retries with backoff, the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db.models.functions import Now
from django.utils import timezone

from accounts import outbox
from accounts.models import OutboxEmail
from tests.factories import UmkmUserFactory

pytestmark = pytest.mark.django_db

Status = OutboxEmail.Status


def queue(user=None, key="k1", template="intro_declined", **context):
    user = user or UmkmUserFactory(preferred_language="en")
    base = {
        "buyer": "PT Mobil & Motor",
        "supplier": "CV Logam",
        "requirement": "Cell holder",
        "url": "/introductions/1/",
    }
    return outbox.email_queue(user=user, template=template, context={**base, **context}, key=key)


def test_the_same_key_queues_one_email():
    user = UmkmUserFactory()
    first = queue(user, key="intro:1")
    second = queue(user, key="intro:1")
    assert first.pk == second.pk
    assert OutboxEmail.objects.count() == 1


def test_it_sends_html_with_a_text_part_in_the_recipients_language():
    english = queue(UmkmUserFactory(preferred_language="en"), key="en", reason="No capacity")
    indonesian = queue(UmkmUserFactory(preferred_language="id"), key="id")

    assert outbox.outbox_send(english.pk) == "sent"
    assert outbox.outbox_send(indonesian.pk) == "sent"

    message_en, message_id = mail.outbox
    assert message_en.subject == "Introduction declined: “Cell holder”"
    assert "PT Mobil & Motor" in message_en.body  # plain text is not HTML-escaped
    assert "Reason: No capacity" in message_en.body
    assert "http://127.0.0.1:8000/introductions/1/" in message_en.body
    html, mimetype = message_en.alternatives[0]
    assert mimetype == "text/html"
    assert (
        "PT Mobil &amp; Motor" in html and 'href="http://127.0.0.1:8000/introductions/1/"' in html
    )
    assert message_en.extra_headers["Message-ID"] == outbox.message_id(english)
    assert '<html lang="en">' in html
    # Rendered with the Indonesian language active (the catalogue may lag behind new strings).
    assert '<html lang="id">' in message_id.alternatives[0][0]


def test_a_sent_email_is_not_sent_again():
    email = queue()
    assert outbox.outbox_send(email.pk) == "sent"
    assert outbox.outbox_send(email.pk) == "skipped"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT and email.sent_at and email.attempts == 1


def test_a_row_claimed_by_another_sender_is_skipped_until_its_lease_runs_out():
    email = queue()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, lease_until=timezone.now() + timedelta(minutes=5), attempts=1
    )
    assert outbox.outbox_send(email.pk) == "skipped"
    assert outbox.outbox_due_ids() == []

    OutboxEmail.objects.filter(pk=email.pk).update(lease_until=Now() - timedelta(seconds=1))
    assert outbox.outbox_due_ids() == [email.pk]
    assert outbox.outbox_sweep() == {"sent": 1}
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 2


def test_a_failure_is_retried_with_exponential_backoff_then_marked_failed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = queue()

    delays = []
    for attempt in (1, 2):
        before = timezone.now()
        assert outbox.outbox_send(email.pk) == "retry"
        email.refresh_from_db()
        assert email.status == Status.PENDING and email.attempts == attempt
        assert "ConnectionRefusedError" in email.last_error
        delays.append((email.next_attempt_at - before).total_seconds())
        assert outbox.outbox_send(email.pk) == "skipped"  # not due yet
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=Now())
    assert delays[0] == pytest.approx(60, abs=5) and delays[1] == pytest.approx(120, abs=5)

    assert outbox.outbox_send(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == Status.FAILED and email.attempts == 3
    assert outbox.outbox_due_ids() == []


def test_the_admin_retry_makes_failed_rows_due_again():
    failed, sent = queue(key="a"), queue(key="b")
    OutboxEmail.objects.filter(pk=failed.pk).update(status=Status.FAILED, last_error="boom")
    assert outbox.outbox_send(sent.pk) == "sent"

    assert outbox.outbox_retry(emails=[failed, sent]) == 1

    failed.refresh_from_db()
    assert failed.status == Status.PENDING and failed.last_error == ""
    assert outbox.outbox_sweep() == {"sent": 1}
    assert len(mail.outbox) == 2


def test_the_admin_retry_action_works_from_the_changelist(client):
    from tests.factories import AdminUserFactory

    client.force_login(AdminUserFactory())
    email = queue()
    OutboxEmail.objects.filter(pk=email.pk).update(status=Status.FAILED)
    response = client.post(
        "/admin/accounts/outboxemail/",
        {"action": "retry_now", "_selected_action": [email.pk]},
        follow=True,
    )
    assert response.status_code == 200
    email.refresh_from_db()
    assert email.status == Status.PENDING


def test_unknown_templates_fail_visibly_instead_of_crashing_the_worker():
    email = queue(template="does_not_exist")
    assert outbox.outbox_send(email.pk) == "retry"
    email.refresh_from_db()
    assert "TemplateDoesNotExist" in email.last_error


def test_rolled_back_events_queue_no_email():
    from django.db import transaction

    user = UmkmUserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(user, key="rolled-back")
        raise RuntimeError
    assert not OutboxEmail.objects.filter(idempotency_key="rolled-back").exists()


def test_the_enqueue_runs_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        queue(key="after-commit")
        queue(key="after-commit")  # same key: no second enqueue
    assert len(callbacks) == 1
