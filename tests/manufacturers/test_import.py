import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from manufacturers.importing import COLUMNS, OPTIONAL_COLUMNS
from manufacturers.models import Manufacturer, Requirement
from tests.database import database_url
from tests.factories import ManufacturerFactory

# A file written before the local-content columns (which may be left out): still valid. The
# columns themselves are tested in tests/local_content.
HEADER = ",".join(column for column in COLUMNS if column not in OPTIONAL_COLUMNS)
ROOT = Path(__file__).resolve().parents[2]


def _date(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _good_rows() -> list[str]:
    return [
        f"RFQ-1,PT Garuda Motor,Cell holder 21700,BAT.MOD.HOLDER,INJ_MOULD,PC;PA,ISO9001,"
        f"IATF16949;ROHS,120000,3500,9000,{_date(90)},32,Flame retardant",
        f'RFQ-2,PT Garuda Motor,"Busbar, nickel",bat.mod.busbar,STAMP; LASER_CUT,NICKEL,,,'
        f'"500.000",,,{_date(60)},Banten,',
        f"RFQ-1,PT Pendatang Baru,Motor shaft,MOT.SHAFT,CNC_TURN;GRIND,STEEL,ISO9001,,"
        f"30000,85000,120000,{_date(120)},35,",
    ]


def _write(tmp_path, rows: list[str], *, bom: bool = False) -> Path:
    path = tmp_path / "requirements.csv"
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def _run(path: Path) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("import_requirements", str(path), stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


@pytest.mark.django_db
def test_a_good_file_creates_open_requirements_and_reports_new_manufacturers(tmp_path):
    ManufacturerFactory(name="PT Garuda Motor")
    output, error = _run(_write(tmp_path, _good_rows(), bom=True))

    assert error is None, output
    assert "Created: 3, updated: 0, unchanged: 0, rejected: 0" in output
    assert "New manufacturer created (unverified): PT Pendatang Baru" in output
    assert "PT Garuda Motor" not in output.split("New manufacturer")[1]
    newcomer = Manufacturer.objects.get(name="PT Pendatang Baru")
    assert newcomer.verification_status == "unverified"
    assert Requirement.objects.open().count() == 3
    busbar = Requirement.objects.get(reference="RFQ-2")
    assert busbar.title == "Busbar, nickel"
    assert busbar.component_id == "BAT.MOD.BUSBAR"
    assert sorted(busbar.processes.values_list("code", flat=True)) == ["LASER_CUT", "STAMP"]
    assert busbar.annual_volume == 500_000
    assert busbar.delivery_province_id == "36"
    assert busbar.target_price_min_idr is None
    holder = Requirement.objects.get(reference="RFQ-1", manufacturer__name="PT Garuda Motor")
    assert sorted(holder.preferred_certifications.values_list("code", flat=True)) == [
        "IATF16949",
        "ROHS",
    ]
    assert holder.published_at is not None


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(tmp_path):
    path = _write(tmp_path, _good_rows())
    _run(path)
    before = {r.pk: r.updated_at for r in Requirement.objects.all()}
    output, error = _run(path)
    assert error is None
    assert "Created: 0, updated: 0, unchanged: 3, rejected: 0" in output
    assert "New manufacturer" not in output
    assert {r.pk: r.updated_at for r in Requirement.objects.all()} == before
    assert not Requirement.objects.filter(revisions__isnull=False).exists()


@pytest.mark.django_db
def test_a_changed_row_updates_the_requirement_and_records_a_revision(tmp_path):
    _run(_write(tmp_path, _good_rows()))
    rows = _good_rows()
    rows[0] = rows[0].replace(",120000,", ",150000,")
    output, error = _run(_write(tmp_path, rows))
    assert error is None
    assert "Created: 0, updated: 1, unchanged: 2" in output
    holder = Requirement.objects.get(reference="RFQ-1", manufacturer__name="PT Garuda Motor")
    assert holder.annual_volume == 150_000
    assert holder.revisions.get().changes["annual_volume"] == [120_000, 150_000]


@pytest.mark.django_db
def test_bad_rows_are_rejected_with_their_row_number_and_the_good_ones_saved(tmp_path):
    rows = [
        _good_rows()[0],
        f"RFQ-3,PT Garuda Motor,Thing,NOPE,INJ_MOULD,,,,10,,,{_date(30)},32,",
        f"RFQ-4,PT Garuda Motor,Thing,BAT,WELDING_BY_HAND,,,,10,,,{_date(30)},32,",
        f"RFQ-5,PT Garuda Motor,Thing,BAT,,,,,10,900,100,{_date(30)},32,",
        "RFQ-6,PT Garuda Motor,Thing,BAT,,,,,10,,,2020-01-01,32,",
        "RFQ-7,PT Garuda Motor,Thing,BAT,,,,,ten,,,31-12-2030,99,",
        f"RFQ-8,PT Hantu,,BAT,,,,,10,,,{_date(30)},32,",
        "RFQ-9,PT Garuda Motor,too few cells",
        f"RFQ-10,PT Garuda Motor,A,BAT,,,ISO9001,ISO9001,10,,,{_date(30)},32,",
    ]
    output, error = _run(_write(tmp_path, rows))

    assert error is not None and "8 rows were rejected" in str(error)
    assert "Created: 1, updated: 0, unchanged: 0, rejected: 8" in output
    assert "Row 3 (ref RFQ-3, PT Garuda Motor): rejected" in output
    assert "component: Unknown component code: NOPE" in output
    assert "processes: Unknown code: WELDING_BY_HAND" in output
    assert "Row 5 " in output and "target_price_max_idr: The upper price" in output
    # The form's messages (issue 11.1: one set of rules for every door).
    assert "Row 6 " in output and "needed_by: Choose a date from today on." in output
    assert "annual_volume: Enter a whole number." in output
    assert "needed_by: The date must be a real date written YYYY-MM-DD" in output
    assert "delivery_province: Unknown province: 99" in output
    assert "Row 8 " in output and "title: This field is required." in output
    assert "Row 9 " in output and "The row has 3 cells; the header has 14" in output
    assert "Row 10 " in output and "cannot be both must-have and nice-to-have" in output
    assert Requirement.objects.count() == 1
    # The rejected row's unknown manufacturer was not created.
    assert not Manufacturer.objects.filter(name="PT Hantu").exists()


@pytest.mark.django_db
def test_the_same_ref_twice_rejects_both_rows(tmp_path):
    row = _good_rows()[0]
    output, error = _run(_write(tmp_path, [row, row.replace("Cell holder", "Other")]))
    assert error is not None
    assert "RFQ-1 is on more than one row (rows 2, 3)" in output
    assert not Requirement.objects.exists()


@pytest.mark.django_db
def test_a_wrong_header_imports_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ref,manufacturer,title\nRFQ-1,PT A,Thing\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_requirements", str(path), stdout=StringIO())
    assert "missing columns: component" in str(excinfo.value)
    assert not Manufacturer.objects.exists()


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_is_stored_verbatim(tmp_path):
    # Neutralising is the exports' job (accounts.spreadsheets): the data itself stays as typed.
    hostile = '=HYPERLINK("http://evil.example","x")'
    quoted = '"' + hostile.replace('"', '""') + '"'
    row = (
        f"{quoted},@Evil Motor,+Cell holder,BAT.MOD.HOLDER,INJ_MOULD,PC,,,1000,,,"
        f"{_date(90)},32,-Flame retardant"
    )
    output, error = _run(_write(tmp_path, [row]))

    assert error is None, output
    requirement = Requirement.objects.get()
    assert requirement.reference == hostile
    assert requirement.manufacturer.name == "@Evil Motor"
    assert requirement.title == "+Cell holder"
    assert requirement.description == "-Flame retardant"


@pytest.mark.django_db
def test_a_closed_requirement_is_not_reopened_by_an_import(tmp_path):
    _run(_write(tmp_path, _good_rows()))
    Requirement.objects.filter(reference="RFQ-2").update(
        status="closed", close_reason="awarded", closed_at=timezone.now()
    )
    rows = _good_rows()
    rows[1] = rows[1].replace('"500.000"', "600000")
    output, error = _run(_write(tmp_path, rows))
    assert error is not None and "a closed requirement is not reopened" in output
    assert Requirement.objects.get(reference="RFQ-2").is_closed


@pytest.mark.django_db(transaction=True)
def test_the_command_uses_database_url_and_exits_non_zero_on_rejected_rows(tmp_path):
    from suppliers.reference_loader import load_reference_data

    if not Requirement._meta.apps.get_model("suppliers", "Province").objects.exists():
        from django.apps import apps

        load_reference_data(apps)
    env = {**os.environ, "DATABASE_URL": database_url(), "RANTAI_TESTING": "true"}

    def run(rows):
        return subprocess.run(
            [sys.executable, "manage.py", "import_requirements", str(_write(tmp_path, rows))],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    good = run(_good_rows())
    assert good.returncode == 0, good.stderr
    # A command speaks the site's default language, Bahasa Indonesia.
    assert "Dibuat: 3" in good.stdout
    assert Requirement.objects.count() == 3
    bad = run(["RFQ-X,PT A,Thing,NOPE,,,,,1,,,2030-01-01,32,"])
    assert bad.returncode == 1
    assert "Baris 2 (ref. RFQ-X, PT A): ditolak" in bad.stdout
