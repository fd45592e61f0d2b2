"""The UMKM list import in the browser (issue 14, item 9): upload, a dry run showing every row's
problems in the reader's language, then the import in chunks with progress; the command's rules,
the command's function. Tasks run in this process here (the worker path is the same tasks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from config.celery import app as celery_app
from partners.models import PartnerMember, PartnerOrganisation
from suppliers.importing import import_suppliers_file, job_runs
from suppliers.models import ImportJob, Supplier
from tests.factories import (
    BuyerUserFactory,
    MinistryUserFactory,
    SupplierMemberFactory,
    UserFactory,
)

from .conftest import DATA, csv_text, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process():
    # The tasks the views enqueue after the commit run here, as with `make run`.
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def ministry():
    return MinistryUserFactory(preferred_language="en")


def association_member(kind: str = PartnerOrganisation.Kind.ASSOCIATION) -> User:
    partner = PartnerOrganisation.objects.create(name=f"Asosiasi {kind}", kind=kind)
    user = UserFactory(role=User.Role.PARTNER)
    PartnerMember.objects.create(user=user, partner=partner)
    return user


def upload(client, name: str, content: bytes, *, language: str = "en", content_type="text/csv"):
    client.cookies["rantai_language"] = language
    return client.post(
        reverse("suppliers:import"),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def uploaded_job(client, name, content, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, name, content, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("suppliers:import_job", args=[job.public_id])
    return job


def apply(client, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("suppliers:import_apply", args=[job.public_id]))
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def test_the_dry_run_shows_every_rows_problems_and_saves_nothing(
    client, ministry, django_capture_on_commit_callbacks
):
    client.force_login(ministry)
    content = (DATA / "suppliers_bad.csv").read_bytes()
    job = uploaded_job(client, "anggota.csv", content, django_capture_on_commit_callbacks)

    assert job.status == ImportJob.Status.CHECKED
    assert not Supplier.objects.exists()
    # The same rows and messages as the command's own dry run of the same file.
    with translation.override("en"):
        report = import_suppliers_file(DATA / "suppliers_bad.csv", dry_run=True)
    expected = {
        (result.row, problem.column, problem.message)
        for result in report.rejected
        for problem in result.problems
    }
    shown = {
        (item["row"], problem["column"], problem["message"])
        for item in job.problems
        for problem in item["problems"]
    }
    assert shown == expected and len(expected) >= 14
    html = client.get(reverse("suppliers:import_job", args=[job.public_id])).content.decode()
    assert html.count('data-testid="import-problem"') == len(expected)
    assert "NIB 9120000000112 is on more than one row (rows 13, 14)." in html
    assert 'data-testid="import-apply"' in html and "Import 1 row" in html


def test_the_problems_are_in_the_uploaders_language(
    client, ministry, django_capture_on_commit_callbacks
):
    client.force_login(ministry)
    content = (DATA / "suppliers_bad.csv").read_bytes()
    job = uploaded_job(
        client, "anggota.csv", content, django_capture_on_commit_callbacks, language="id"
    )
    assert job.language == "id"
    with translation.override("id"):
        report = import_suppliers_file(DATA / "suppliers_bad.csv", dry_run=True)
    messages = {p.message for r in report.rejected for p in r.problems}
    stored = {p["message"] for item in job.problems for p in item["problems"]}
    assert stored == messages
    assert any("lebih dari satu baris" in message for message in stored)
    with translation.override("en"):
        english = {
            p.message
            for r in import_suppliers_file(DATA / "suppliers_bad.csv", dry_run=True).rejected
            for p in r.problems
        }
    assert stored.isdisjoint(english - messages)


def test_fixed_file_is_imported_with_the_commands_rules(
    client, ministry, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(ministry)
    content = (DATA / "suppliers_good.csv").read_bytes()
    job = uploaded_job(client, "anggota.csv", content, django_capture_on_commit_callbacks)
    assert job.problems == [] and job.planned["created"] == 7 and job.rows_total == 7

    stored = job.file.path
    job = apply(client, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert (job.rows_done, job.rows_total) == (7, 7)
    assert not job.file and not Path(stored).exists()  # the upload is not kept once imported
    assert job.result == {"created": 7, "updated": 0, "unchanged": 0, "rejected": 0}
    assert Supplier.objects.count() == 7
    # What the command would do next with the same file: nothing (its rules saw it all).
    with translation.override("en"):
        again = import_suppliers_file(DATA / "suppliers_good.csv", dry_run=True)
    assert again.count("unchanged") == 7
    html = client.get(reverse("suppliers:import_job", args=[job.public_id])).content.decode()
    assert "Created: 7, updated: 0, unchanged: 0, not imported: 0." in html


def test_a_big_file_is_imported_in_chunks_that_record_progress(
    client, ministry, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.SUPPLIER_IMPORT_CHUNK_ROWS = 3
    rows = [row(nib=f"91200000{i:05d}", name=f"CV Anggota {i}") for i in range(10)]
    rows[4] = row(nib="91200000x0004", name="CV NIB Salah")
    client.force_login(ministry)
    job = uploaded_job(
        client, "besar.csv", csv_text(rows).encode(), django_capture_on_commit_callbacks
    )
    assert job.rows_total == 9 and [item["row"] for item in job.problems] == [6]

    seen: list[int] = []
    original = job_runs.import_suppliers_file

    def watching(path, *, dry_run=False, label=""):
        # Between chunks, the progress the page polls (read from the database).
        seen.append(ImportJob.objects.get(pk=job.pk).rows_done)
        return original(path, dry_run=dry_run, label=label)

    monkeypatch.setattr(job_runs, "import_suppliers_file", watching)
    job = apply(client, job, django_capture_on_commit_callbacks)
    assert seen == [0, 3, 6]  # three chunks of three rows, progress recorded after each
    assert job.result == {"created": 9, "updated": 0, "unchanged": 0, "rejected": 1}
    assert Supplier.objects.count() == 9
    assert not Supplier.objects.filter(legal_name="CV NIB Salah").exists()


def test_the_progress_panel_is_polled_while_the_import_runs(client, ministry):
    client.force_login(ministry)
    job = ImportJob.objects.create(
        created_by=ministry,
        language="en",
        file_name="besar.csv",
        file_size=10,
        status=ImportJob.Status.APPLYING,
        rows_total=1000,
        rows_done=500,
    )
    url = reverse("suppliers:import_job", args=[job.public_id])
    panel = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert panel.startswith('<section id="import-panel"')
    assert 'hx-trigger="every 1s"' in panel
    assert 'value="500" max="1000"' in panel and "Imported 500 of 1000 rows" in panel
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, rows_done=1000, result={"created": 1000}
    )
    finished = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished  # the polling stops


def test_a_second_click_on_import_starts_nothing(
    client, ministry, django_capture_on_commit_callbacks
):
    client.force_login(ministry)
    content = csv_text([row()]).encode()
    job = uploaded_job(client, "a.csv", content, django_capture_on_commit_callbacks)
    job = apply(client, job, django_capture_on_commit_callbacks)
    assert job.result["created"] == 1
    job = apply(client, job, django_capture_on_commit_callbacks)
    assert job.result["created"] == 1 and Supplier.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("anggota.xlsx", b"PK\x03\x04", "application/vnd.ms-excel", "Choose a CSV file"),
        ("anggota.csv", b"", "text/csv", "The submitted file is empty."),
        ("anggota.csv", "nib;nama\n1;Café".encode("latin-1"), "text/csv", "not UTF-8 text"),
        ("anggota.csv", b"nib,\x00\x01\x02", "text/csv", "This file is not a CSV file."),
        ("anggota.csv", b"nib,name\n", "image/png", "This file is not a CSV file."),
    ],
    ids=["not-csv-name", "empty", "latin-1", "binary", "png-type"],
)
def test_a_bad_upload_gets_a_clear_message_and_no_job(
    client, ministry, name, content, content_type, message
):
    client.force_login(ministry)
    response = upload(client, name, content, content_type=content_type)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_limit_is_refused_with_its_size(client, ministry, settings):
    settings.SUPPLIER_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(ministry)
    content = csv_text([row()]).encode() + b"#" * (1024 * 1024 + 200_000)
    response = upload(client, "besar.csv", content)
    assert response.status_code == 400
    assert "The file is 1.2 MB; at most 1 MB can be imported at once." in response.content.decode()


def test_a_body_over_the_views_limit_is_refused_before_it_is_read(client, ministry):
    client.force_login(ministry)
    response = client.generic(
        "POST",
        reverse("suppliers:import"),
        b"x" * 100,
        content_type="multipart/form-data; boundary=x",
        headers={"Content-Length": str(11 * 1024 * 1024)},
    )
    assert response.status_code == 413


def test_a_file_whose_header_is_wrong_fails_with_the_importers_message(
    client, ministry, django_capture_on_commit_callbacks
):
    client.force_login(ministry)
    job = uploaded_job(
        client, "a.csv", b"nib,nama\n9120000000001,CV A\n", django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.FAILED
    assert "Row 1 must be the header" in job.error
    html = client.get(reverse("suppliers:import_job", args=[job.public_id])).content.decode()
    assert "missing columns" in html and 'data-testid="import-apply"' not in html


# --- who may ------------------------------------------------------------------------------------

VISITORS = ("anonymous", "umkm", "buyer", "bank_member", "association", "ministry", "admin")
LOGIN = 302
# view -> expected status per visitor (VISITORS order); the job belongs to the ministry user.
MATRIX = {
    ("import", "get"): (LOGIN, 403, 403, 403, 200, 200, 200),
    ("import", "post"): (LOGIN, 403, 403, 403, 400, 400, 400),
    ("import_job", "get"): (LOGIN, 403, 403, 403, 404, 200, 404),
    ("import_apply", "post"): (LOGIN, 403, 403, 403, 404, 302, 404),
    ("import_apply", "get"): (LOGIN, 405, 405, 405, 405, 405, 405),
}
CASES = [
    pytest.param(view, method, who, expected, id=f"{view}-{method}-{who}")
    for (view, method), statuses in MATRIX.items()
    for who, expected in zip(VISITORS, statuses, strict=True)
]


def _visitor(who: str, ministry: User) -> User | None:
    if who == "anonymous":
        return None
    if who == "umkm":
        return SupplierMemberFactory().user
    if who == "buyer":
        return BuyerUserFactory()
    if who == "bank_member":
        return association_member(PartnerOrganisation.Kind.BANK)
    if who == "association":
        return association_member()
    if who == "ministry":
        return ministry
    return UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.mark.parametrize(("view", "method", "who", "expected"), CASES)
def test_permission_matrix(client, ministry, view, method, who, expected):
    job = ImportJob.objects.create(
        created_by=ministry, language="en", file_name="a.csv", file_size=1, status="failed"
    )
    user = _visitor(who, ministry)
    if user is not None:
        client.force_login(user)
    url = (
        reverse("suppliers:import")
        if view == "import"
        else reverse(f"suppliers:{view}", args=[job.public_id])
    )
    response = getattr(client, method)(url)
    assert response.status_code == expected
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_an_inactive_association_imports_nothing(client):
    user = association_member()
    PartnerOrganisation.objects.update(is_active=False)
    client.force_login(user)
    assert client.get(reverse("suppliers:import")).status_code == 403


def test_an_associations_import_names_its_uploader_and_leaves_the_firms_in_its_care(
    client, django_capture_on_commit_callbacks
):
    from accounts.records import AuditRecord
    from partners.models import PartnerManagedSupplier

    user = association_member()
    client.force_login(user)
    content = (DATA / "suppliers_good.csv").read_bytes()
    job = uploaded_job(client, "anggota.csv", content, django_capture_on_commit_callbacks)
    job = apply(client, job, django_capture_on_commit_callbacks)
    assert job.result["created"] == 7

    # The association may keep them up to date through its API key, as firms it created there.
    partner = PartnerMember.objects.get(user=user).partner
    managed = set(
        PartnerManagedSupplier.objects.filter(partner=partner).values_list("supplier_id", flat=True)
    )
    assert managed == set(Supplier.objects.values_list("pk", flat=True))
    # The trail says who brought each firm in, through which door, from which file.
    created = AuditRecord.objects.filter(
        action=AuditRecord.Action.FIRM_CREATED, object_kind="supplier"
    )
    assert created.count() == 7
    assert set(created.values_list("actor_id", "door", "actor_label")) == {
        (user.pk, "import", "import anggota.csv")
    }


def test_a_ministry_import_leaves_the_firms_in_no_partners_care(
    client, ministry, django_capture_on_commit_callbacks
):
    from partners.models import PartnerManagedSupplier

    association_member()  # an association exists, but did not import these
    client.force_login(ministry)
    content = (DATA / "suppliers_good.csv").read_bytes()
    job = uploaded_job(client, "anggota.csv", content, django_capture_on_commit_callbacks)
    apply(client, job, django_capture_on_commit_callbacks)
    assert Supplier.objects.count() == 7
    assert not PartnerManagedSupplier.objects.exists()
