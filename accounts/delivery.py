"""E-mail outbox, the sending side: claiming a queued row, sending it, retrying, sweeping.

Queueing is in ``accounts.outbox`` (which enqueues ``accounts.tasks``; the tasks call this module,
so neither of the two imports the other).

How an e-mail is sent exactly once
----------------------------------
1. The service that causes an e-mail writes an ``OutboxEmail`` row in the same database
   transaction as the event (``email_queue``). If the transaction rolls back there is no e-mail;
   if it commits the e-mail cannot be lost, whatever happens to the broker afterwards. The
   ``idempotency_key`` is unique, so a service that runs twice (a retried task, a double click)
   queues one row.
2. After the commit, ``transaction.on_commit`` enqueues ``send_outbox_email(id)``. Enqueueing is
   an optimisation only: if Redis is down or hangs, the error is logged and the request goes on
   (publishing does not retry, and the broker socket timeouts in the settings bound a hang). The
   periodic ``outbox_sweep`` (every minute) sends whatever is still pending.
3. A sender first *claims* the row with one conditional UPDATE: ``pending → sending`` only if it
   is still pending and due, or ``sending`` whose lease has run out. Only one of any number of
   concurrent tasks (a duplicate delivery, a redelivery after a lost worker, the sweep) wins;
   the others see 0 rows updated and stop. Lease times are computed by the database clock, so
   workers' clocks do not matter.
4. The winner sends through Django's e-mail backend and immediately marks the row ``sent``.

The window that remains: SMTP itself is at-least-once. If the worker dies after the SMTP server
has answered "250 accepted" but before the ``sent`` UPDATE commits (a few milliseconds), the row
is still ``sending``; when its lease runs out the sweep sends it again. The re-send carries the
same ``Message-ID`` (derived from the idempotency key), which lets receiving systems and people
recognise it as the same message, but some servers will deliver it twice. A worker killed *before*
the server accepted the message (the usual case: a kill during the slow network part) causes no
duplicate: the server discards an unfinished DATA transfer. A sender cannot outlive its lease
while still sending, because the send task's hard time limit is shorter than the lease.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.db.models.functions import Now
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxEmail

logger = logging.getLogger(__name__)


def lease_seconds() -> int:
    return int(getattr(settings, "OUTBOX_LEASE_SECONDS", 300))


def max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, ... minutes after the first, second, third failure; at most 6 hours."""
    base = int(getattr(settings, "OUTBOX_BACKOFF_SECONDS", 60))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def message_id(email: OutboxEmail) -> str:
    digest = hashlib.sha256(email.idempotency_key.encode()).hexdigest()[:40]
    domain = getattr(settings, "OUTBOX_MESSAGE_ID_DOMAIN", "rantai.local")
    return f"<{digest}@{domain}>"


def render_email(email: OutboxEmail) -> EmailMultiAlternatives:
    context = {**email.context, "site_url": settings.SITE_URL.rstrip("/")}
    with translation.override(email.language):
        subject = render_to_string(f"emails/{email.template}_subject.txt", context)
        text = render_to_string(f"emails/{email.template}.txt", context)
        html = render_to_string(f"emails/{email.template}.html", context)
    headers = {"Message-ID": message_id(email)}
    if context.get("unsubscribe_path"):
        headers["List-Unsubscribe"] = f"<{context['site_url']}{context['unsubscribe_path']}>"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def _claim(email_id: int) -> bool:
    due = Q(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=Now()) | Q(
        status=OutboxEmail.Status.SENDING, lease_until__lt=Now()
    )
    claimed = (
        OutboxEmail.objects.filter(pk=email_id)
        .filter(due)
        .update(
            status=OutboxEmail.Status.SENDING,
            lease_until=Now() + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


def outbox_send(email_id: int) -> str:
    """Sends one queued e-mail if this caller wins the claim; returns what happened.

    Runs outside any transaction: the claim must be committed before the slow SMTP part.
    """
    if not _claim(email_id):
        return "skipped"
    email = OutboxEmail.objects.get(pk=email_id)
    try:
        render_email(email).send(fail_silently=False)
    except Exception as exc:
        failed = email.attempts >= max_attempts()
        OutboxEmail.objects.filter(pk=email_id, status=OutboxEmail.Status.SENDING).update(
            status=OutboxEmail.Status.FAILED if failed else OutboxEmail.Status.PENDING,
            next_attempt_at=Now() + backoff(email.attempts),
            lease_until=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("outbox: e-mail %s attempt %s failed: %s", email_id, email.attempts, exc)
        return "failed" if failed else "retry"
    OutboxEmail.objects.filter(pk=email_id, status=OutboxEmail.Status.SENDING).update(
        status=OutboxEmail.Status.SENT, sent_at=Now(), lease_until=None, last_error=""
    )
    return "sent"


def outbox_due_ids(limit: int = 200) -> list[int]:
    due = Q(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=Now()) | Q(
        status=OutboxEmail.Status.SENDING, lease_until__lt=Now()
    )
    return list(
        OutboxEmail.objects.filter(due)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_sweep(*, limit: int = 200, budget_seconds: float = 50.0) -> dict[str, int]:
    """Sends what is due: never enqueued (broker outage), failed earlier, or lost with a worker."""
    started = timezone.now()
    counts: dict[str, int] = {}
    for email_id in outbox_due_ids(limit):
        result = outbox_send(email_id)
        counts[result] = counts.get(result, 0) + 1
        if (timezone.now() - started).total_seconds() > budget_seconds:
            break  # the next sweep continues; overlapping sweeps are safe (claims)
    return counts
