"""The browser import through a real Celery worker: the page returns at once, the dry run and
the import run on the worker, and the progress the page polls moves while the rows are saved."""

from __future__ import annotations

import re
import time

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suppliers.models import ImportJob, Supplier
from tests.factories import MinistryUserFactory
from tests.matching.test_certificate_reminders_worker import Worker

from .conftest import csv_text, row

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 3000
CHUNK = 100


@pytest.fixture
def worker(monkeypatch):
    from django.apps import apps

    from suppliers.models import Province
    from suppliers.reference_loader import load_reference_data

    if not Province.objects.exists():
        load_reference_data(apps)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("celery")
    cache.clear()
    monkeypatch.setenv("SUPPLIER_IMPORT_CHUNK_ROWS", str(CHUNK))
    # The worker reads the uploads where this test's server keeps them.
    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", str(settings.PRIVATE_MEDIA_ROOT))
    started = Worker("imports")
    if not started.ready.wait(90):
        started.stop()
        pytest.fail("the worker did not start:\n" + "".join(started.lines[-40:]))
    yield started
    started.stop()
    broker.delete("celery")


def wait_status(job: ImportJob, status: str, worker: Worker, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return
        assert job.status != ImportJob.Status.FAILED, job.error
        time.sleep(0.2)
    pytest.fail(f"the job stayed {job.status}:\n" + "".join(worker.lines[-40:]))


def test_a_big_file_is_checked_and_imported_by_the_worker_with_progress(client, worker):
    ministry = MinistryUserFactory(preferred_language="en")
    client.force_login(ministry)
    rows = [row(nib=f"9130000{i:06d}", name=f"CV Anggota {i}") for i in range(ROWS)]
    content = csv_text(rows).encode()

    started = time.monotonic()
    response = client.post(
        reverse("suppliers:import"),
        {"file": SimpleUploadedFile("besar.csv", content, content_type="text/csv")},
    )
    answered = time.monotonic() - started
    assert response.status_code == 302
    job = ImportJob.objects.get()
    wait_status(job, ImportJob.Status.CHECKED, worker)
    checked = time.monotonic() - started
    assert job.planned["created"] == ROWS and job.rows_total == ROWS
    assert not Supplier.objects.exists()

    url = reverse("suppliers:import_job", args=[job.public_id])
    started = time.monotonic()
    client.post(reverse("suppliers:import_apply", args=[job.public_id]))
    progress: list[int] = []
    while True:
        # What the page's polling gets: the status and the bar, from the same answer.
        panel = client.get(url, headers={"HX-Request": "true"}).content.decode()
        if 'data-status="applying"' not in panel:
            break
        assert 'hx-trigger="every 1s"' in panel
        progress.append(int(re.search(r'<progress value="(\d+)"', panel).group(1)))
        assert time.monotonic() - started < 300, "".join(worker.lines[-40:])
        time.sleep(0.1)
    imported = time.monotonic() - started
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.error
    assert job.result == {"created": ROWS, "updated": 0, "unchanged": 0, "rejected": 0}
    assert Supplier.objects.count() == ROWS
    # The bar moved: the page saw rows saved before the end, in steps of the chunk size.
    moving = sorted({n for n in progress if 0 < n < ROWS})
    assert moving and all(n % CHUNK == 0 for n in moving), progress
    assert "hx-trigger" not in panel
    print(
        f"\n{ROWS} rows: upload answered in {answered:.2f} s, dry run done after {checked:.1f} s,"
        f" import {imported:.1f} s ({len(moving)} intermediate progress values seen)"
    )
