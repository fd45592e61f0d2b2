"""Issue 12.7: the chunk ledger redoes a lost chunk within minutes, not after the broker's
visibility timeout. The settings bound the wait (lease plus one sweep interval); the sweep sends
again exactly the chunks that were lost: lease run out, never enqueued, or enqueued and never
claimed for longer than the queue patience (the message vanished with a broker restart)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from matchmaking import chunks, tasks
from matchmaking.models import ScoringChunk

# "Within minutes": the issue measured about 21.5 minutes with the visibility timeout alone.
MINUTES = 5 * 60


def test_the_configured_lease_and_sweep_redo_a_lost_chunk_within_minutes():
    lease = settings.MATCHMAKING_CHUNK_LEASE_SECONDS
    sweep = settings.CELERY_BEAT_SCHEDULE["matchmaking-sweep-chunks"]
    interval = float(sweep["schedule"])

    assert sweep["task"] == tasks.sweep_chunks.name
    # A chunk still running is never taken for lost: its hard limit ends it before the lease.
    assert tasks.run_chunk.time_limit < lease
    # Worst case: killed right after the claim, the lease runs out, the next sweep sends it.
    assert lease + interval <= MINUTES
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert lease + interval < visibility / 4
    # A message lost before any claim waits the queue patience, still under the redelivery.
    assert settings.MATCHMAKING_CHUNK_QUEUE_PATIENCE_SECONDS + interval < visibility


class Sent(list):
    """The ``enqueue`` callable the sweep is given: records what it would publish."""

    def __call__(self, chunk_id: int) -> bool:
        self.append(chunk_id)
        return True


def _chunk(**fields) -> ScoringChunk:
    return ScoringChunk.objects.create(
        kind=ScoringChunk.Kind.REQUIREMENTS, object_ids=[1], **fields
    )


@pytest.mark.django_db
def test_the_sweep_sends_again_only_the_lost_chunks(settings):
    settings.MATCHMAKING_CHUNK_QUEUE_PATIENCE_SECONDS = 900
    now = timezone.now()
    ago = now - timedelta(minutes=4)
    lease_ran_out = _chunk(enqueued_at=ago, lease_until=now - timedelta(seconds=1))
    never_enqueued = _chunk()
    message_lost = _chunk(enqueued_at=now - timedelta(minutes=16))
    running = _chunk(enqueued_at=now - timedelta(minutes=1), lease_until=now + timedelta(minutes=2))
    waiting_in_queue = _chunk(enqueued_at=now - timedelta(minutes=14))
    sent = Sent()

    counts = chunks.chunks_sweep(sent)

    assert sorted(sent) == sorted([lease_ran_out.pk, never_enqueued.pk, message_lost.pk])
    assert counts == {"enqueued": 3, "dropped": 0, "left": 5}
    for chunk in (lease_ran_out, never_enqueued, message_lost):
        chunk.refresh_from_db()
        # Waits in the queue like a new chunk: no stale lease, a fresh patience.
        assert chunk.lease_until is None
        assert chunk.enqueued_at > now
    running.refresh_from_db()
    assert running.lease_until > now  # its worker still holds it
    assert chunks.chunks_sweep(Sent()) == {"enqueued": 0, "dropped": 0, "left": 5}
    assert waiting_in_queue.pk not in sent


@pytest.mark.django_db
def test_a_chunk_that_failed_too_often_is_dropped_loudly(caplog):
    gone = _chunk(
        enqueued_at=timezone.now(),
        lease_until=timezone.now() - timedelta(seconds=1),
        attempts=chunks.MAX_ATTEMPTS,
    )
    sent = Sent()

    counts = chunks.chunks_sweep(sent)

    assert counts == {"enqueued": 0, "dropped": 1, "left": 0}
    assert sent == []
    assert not ScoringChunk.objects.filter(pk=gone.pk).exists()
    assert "failed" in caplog.text


@pytest.mark.django_db
def test_a_chunk_whose_broker_refused_it_stays_for_the_next_sweep():
    chunk = _chunk()

    counts = chunks.chunks_sweep(lambda chunk_id: False)

    chunk.refresh_from_db()
    assert chunk.enqueued_at is None
    assert counts == {"enqueued": 0, "dropped": 0, "left": 1}
