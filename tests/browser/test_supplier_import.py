"""Issue 14.9 in a real browser at 360 px: an association member uploads a UMKM list with
mistakes, reads each row's problems in Indonesian, fixes the file, uploads it again and imports
it; the companies are there. Ministry staff check a list with mistakes, import the good rows and
watch the progress until the page says it is done."""

from __future__ import annotations

import pytest

from accounts.models import User
from config.celery import app as celery_app
from partners.models import PartnerMember, PartnerOrganisation
from suppliers.models import Supplier
from tests.browser.conftest import _context, watch_failures
from tests.browser.test_matching_screens import log_in
from tests.factories import UserFactory
from tests.suppliers_import.conftest import csv_text, row

pytestmark = pytest.mark.browser

NARROW = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True}


@pytest.fixture
def narrow_page(browser, live_server):
    context = _context(browser, live_server, NARROW, "id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _tasks_in_process():
    # No worker here: the import's tasks run in the server's thread after the commit, as with
    # `make run`; the page's polling is then answered at once.
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_an_association_fixes_its_list_and_imports_it(
    narrow_page, live_server, screenshot, tmp_path
):
    page = narrow_page
    association = PartnerOrganisation.objects.create(
        name="Asosiasi Komponen Otomotif", kind=PartnerOrganisation.Kind.ASSOCIATION
    )
    member = UserFactory(role=User.Role.PARTNER, preferred_language="id")
    PartnerMember.objects.create(user=member, partner=association)
    failed: list[str] = []
    watch_failures(page, failed)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    good = [row(nib=f"91200000003{i:02d}", name=f"CV Anggota Asosiasi {i}") for i in range(4)]
    broken = [
        *good[:2],
        row(nib="12345", name="CV NIB Pendek"),
        row(nib="9120000000399", name="CV Provinsi Salah", province="99", regency=""),
        *good[2:],
    ]
    bad_file = tmp_path / "anggota.csv"
    bad_file.write_text(csv_text(broken), encoding="utf-8")

    log_in(page, live_server, member, "id")
    page.goto("/")
    page.get_by_test_id("nav-menu-toggle").click()
    page.get_by_test_id("nav-import").click()
    page.wait_for_url("**/suppliers/import/")
    screenshot(page, "01-upload")

    # 1. The file with mistakes: the dry run names each row, column and problem.
    page.set_input_files("#id_file", str(bad_file))
    page.get_by_test_id("import-check").click()
    page.wait_for_selector('[data-testid="import-panel"][data-status="checked"]')
    problems = page.get_by_test_id("import-problem")
    assert problems.count() >= 2
    table = page.get_by_test_id("import-problems").inner_text()
    assert "12345" in table and "nib" in table and "99" in table and "province" in table
    assert "Kode provinsi tidak dikenal" in table or "tidak dikenal" in table  # Indonesian
    assert {problems.nth(i).get_attribute("data-row") for i in range(problems.count())} == {
        "4",
        "5",
    }
    assert "Baris bermasalah: 2" in page.get_by_test_id("import-planned").inner_text()
    assert not Supplier.objects.exists()  # a dry run saves nothing
    # Readable at 360 px: nothing wider than the screen but the scrollable problems table.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "02-dry-run-problems")

    # 2. Fixed in the spreadsheet, uploaded again: no problems, then imported.
    fixed = [
        *good[:2],
        row(nib="9120000000398", name="CV NIB Pendek"),
        row(nib="9120000000399", name="CV Provinsi Salah"),
        *good[2:],
    ]
    fixed_file = tmp_path / "anggota-perbaikan.csv"
    fixed_file.write_text(csv_text(fixed), encoding="utf-8")
    page.get_by_test_id("import-again").click()
    page.set_input_files("#id_file", str(fixed_file))
    page.get_by_test_id("import-check").click()
    page.wait_for_selector('[data-testid="import-panel"][data-status="checked"]')
    assert page.get_by_test_id("import-problem").count() == 0
    assert "Perusahaan baru: 6" in page.get_by_test_id("import-planned").inner_text()
    screenshot(page, "03-fixed")
    page.get_by_test_id("import-apply").click()
    page.wait_for_selector('[data-testid="import-panel"][data-status="done"]')
    done = page.get_by_test_id("import-done").inner_text()
    assert "Dibuat: 6" in done and "tidak diimpor: 0" in done
    screenshot(page, "04-imported")

    assert Supplier.objects.count() == 6
    assert Supplier.objects.filter(nib="9120000000399", province_id="32").exists()
    assert failed == [] and errors == []


def test_ministry_staff_check_a_list_import_it_and_watch_the_progress(
    narrow_page, live_server, screenshot, tmp_path, settings
):
    from suppliers.importing.tasks import apply_import_job
    from suppliers.models import ImportJob
    from tests.factories import MinistryUserFactory

    settings.SUPPLIER_IMPORT_CHUNK_ROWS = 2
    page = narrow_page
    staff = MinistryUserFactory(preferred_language="id")
    failed: list[str] = []
    watch_failures(page, failed)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    rows = [row(nib=f"91200000004{i:02d}", name=f"CV Binaan Dinas {i}") for i in range(5)]
    rows.insert(2, row(nib="9120000000499", name="CV Kabupaten Salah", regency="31.71"))
    rows.insert(4, row(nib="91200000x0498", name="CV NIB Huruf"))
    upload = tmp_path / "binaan-dinas.csv"
    upload.write_text(csv_text(rows), encoding="utf-8")

    log_in(page, live_server, staff, "id")
    page.goto("/")
    page.get_by_test_id("nav-menu-toggle").click()
    page.get_by_test_id("nav-import").click()
    page.wait_for_url("**/suppliers/import/")

    # 1. The dry run: both bad rows named with their column and an Indonesian message.
    page.set_input_files("#id_file", str(upload))
    page.get_by_test_id("import-check").click()
    page.wait_for_selector('[data-testid="import-panel"][data-status="checked"]')
    problems = page.get_by_test_id("import-problem")
    assert {problems.nth(i).get_attribute("data-row") for i in range(problems.count())} == {
        "4",
        "6",
    }
    table = page.get_by_test_id("import-problems").inner_text()
    assert "regency: Kabupaten/kota 31.71" in table and "tidak berada di provinsi 32" in table
    assert "NIB 91200000x0498" in table and "NIB harus tepat 13 digit" in table
    planned = page.get_by_test_id("import-planned").inner_text()
    assert "Perusahaan baru: 5" in planned and "Baris bermasalah: 2" in planned
    assert "Baris bermasalah dilewati." in page.get_by_test_id("import-apply-form").inner_text()
    assert not Supplier.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "01-dry-run-problems")

    # 2. Apply: the task now waits in the queue as it would for a busy worker, so the page shows
    # its progress and polls; this test then plays the worker.
    celery_app.conf.task_always_eager = False
    try:
        page.get_by_test_id("import-apply").click()
        page.wait_for_selector('[data-testid="import-panel"][data-status="applying"]')
        assert page.get_by_test_id("import-progress-text").inner_text() == (
            "0 dari 5 baris sudah diimpor…"
        )
        assert page.get_by_test_id("import-progress").get_attribute("max") == "5"
        screenshot(page, "02-progress")
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.APPLYING and not Supplier.objects.exists()
        apply_import_job.apply(args=(job.pk,))
    finally:
        celery_app.conf.task_always_eager = True
        celery_app.control.purge()

    # 3. The page's own polling brings the result, without a reload.
    page.wait_for_selector('[data-testid="import-panel"][data-status="done"]', timeout=10_000)
    done = page.get_by_test_id("import-done").inner_text()
    assert "Dibuat: 5" in done and "tidak diimpor: 2" in done
    screenshot(page, "03-done")
    assert Supplier.objects.count() == 5
    assert not Supplier.objects.filter(legal_name__in=["CV Kabupaten Salah", "CV NIB Huruf"])
    assert failed == [] and errors == []
