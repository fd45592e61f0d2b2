"""The award's e-mails through a real Celery worker, a real Redis and a real SMTP server (the
servers and processes of ``tests.introductions.test_worker``): the winner and the UMKM not chosen
each get their e-mail once, in their own language, even when the send task runs again."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from django.apps import apps

from accounts import outbox
from accounts.models import OutboxEmail
from introductions.quotations import quotation_award, quotation_round_close, quotation_submit
from tests.introductions.brokers import use_broker
from tests.introductions.test_worker import (  # noqa: F401  (the fixtures)
    processes,
    redis_server,
    smtp,
    status_of,
    wait_for,
)

from .conftest import offer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db) -> None:
    # A transactional test flushes every table afterwards, the reference data included.
    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    if not Province.objects.exists():
        load_reference_data(apps)


def test_the_winner_and_the_others_are_emailed_once_each_in_their_language(
    round_,
    redis_server,  # noqa: F811  (the imported fixtures)
    smtp,  # noqa: F811
    processes,  # noqa: F811
):
    handler, _port = smtp
    winner = quotation_submit(introduction=round_.first, by=round_.pair.umkm, offer=offer())
    other = quotation_submit(introduction=round_.second, by=round_.second_user, offer=offer())
    processes.worker("w1")
    with use_broker(redis_server.url) as app:
        quotation_award(requirement=round_.requirement, by=round_.buyer, awards={winner.pk: 9_000})
        quotation_round_close(requirement=round_.requirement, by=round_.buyer)
        emails = list(
            OutboxEmail.objects.filter(template__in=["quotation_awarded", "quotation_not_awarded"])
        )
        for email in emails:  # a redelivery or a double enqueue
            app.send_task("accounts.tasks.send_outbox_email", args=[email.pk])

    assert len(emails) == 2
    wait_for(lambda: all(status_of(e) == "sent" for e in emails), 60, "not every e-mail sent")
    subjects = {}
    for email in emails:
        assert handler.count(outbox.message_id(email)) == 1
        [received] = [m for m in handler.accepted if m["message_id"] == outbox.message_id(email)]
        subjects[received["to"][0]] = str(make_header(decode_header(received["subject"])))
    title, buyer = round_.requirement.title, round_.requirement.manufacturer.name
    assert subjects == {
        round_.pair.umkm.email: f"Anda terpilih untuk “{title}” dari {buyer}",
        round_.second_user.email: f"Not this time: “{title}”",
    }
    other.refresh_from_db()
    assert other.status == "not_awarded"
