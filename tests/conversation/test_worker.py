"""The e-mail about unread messages through real Celery workers, a real Redis and a real SMTP
server: the job run several times at once by two workers e-mails each reader exactly once."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from accounts import outbox
from accounts.models import OutboxEmail
from introductions import services as intro
from introductions.conversation import services
from introductions.models import Message
from tests.factories import SupplierMemberFactory
from tests.introductions.brokers import use_broker
from tests.introductions.factories import make_pair
from tests.introductions.test_worker import (  # noqa: F401  (fixtures used by name)
    processes,
    redis_server,
    smtp,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    # Transactional tests flush every table, the reference data included (an earlier test of
    # the run may have): put it back before this one.
    from django.apps import apps

    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    if not Province.objects.exists():
        load_reference_data(apps)


TASK = "introductions.tasks.send_unread_message_emails"
RUNS = 6


def succeeded(*logs) -> int:
    text = "".join(log.read_text(errors="replace") for log in logs)
    return sum(1 for line in text.splitlines() if f"Task {TASK}[" in line and "succeeded" in line)


def test_the_job_run_many_times_by_two_workers_emails_each_reader_once(
    redis_server,  # noqa: F811
    smtp,  # noqa: F811
    processes,  # noqa: F811
):
    handler, _port = smtp
    pair = make_pair(umkm_language="id")
    colleague = SupplierMemberFactory(supplier=pair.supplier, user__preferred_language="en").user
    introduction = intro.introduction_request(
        requirement=pair.requirement, supplier=pair.supplier, by=pair.buyer
    )
    with use_broker(redis_server.url):
        # The acceptance e-mails go out through the worker too; they are not counted below.
        intro.introduction_accept(introduction=introduction, by=pair.umkm)
        message = services.message_send(introduction=introduction, by=pair.buyer, body="Halo")
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=16))

    _w1, log1 = processes.worker("w1")
    _w2, log2 = processes.worker("w2")
    with use_broker(redis_server.url) as app:
        for _ in range(RUNS):  # beat twice, a redelivery, a second beat instance ...
            app.send_task(TASK)
        wait_for(lambda: succeeded(log1, log2) >= RUNS, 60, "not every run finished")

    emails = OutboxEmail.objects.filter(template="message_unread")
    assert sorted(emails.values_list("user_id", flat=True)) == sorted([pair.umkm.pk, colleague.pk])
    wait_for(
        lambda: set(emails.values_list("status", flat=True)) == {"sent"}, 30, "e-mails not sent"
    )
    time.sleep(1)
    for email in emails:
        assert handler.count(outbox.message_id(email)) == 1
    subjects = [str(make_header(decode_header(m["subject"]))) for m in handler.accepted]
    assert "New messages about “Cell holder 21700”" in subjects  # the colleague reads English
    assert "Pesan baru tentang “Cell holder 21700”" in subjects
    # Every run reported; together they queued one e-mail per reader, whichever runs (two
    # running at once each take the readers the other has not locked).
    text = log1.read_text(errors="replace") + log2.read_text(errors="replace")
    queued = [int(n) for n in re.findall(r"send_unread_message_emails: (\d+) e-mails queued", text)]
    assert len(queued) == RUNS and sum(queued) == 2, queued
