from __future__ import annotations

from datetime import date

import pytest

from suppliers.importing import import_suppliers_file
from suppliers.models import Supplier, SupplierCertification
from tests.factories import SupplierCertificationFactory, SupplierFactory

from .conftest import DATA, GOOD_ROW, row

pytestmark = pytest.mark.django_db


def codes(manager) -> set[str]:
    return set(manager.values_list("pk", flat=True))


def test_it_imports_the_sample_file_with_codes_names_and_empty_cells(run_import):
    status, output = run_import(DATA / "suppliers_good.csv")

    assert status == 0, output
    assert "Created: 7, updated: 0, unchanged: 0, rejected: 0" in output
    harness = Supplier.objects.get(nib="9120000000001")
    assert harness.legal_name == "CV Sinar Kabel Nusantara"
    assert (harness.size_class_id, harness.province_id, harness.regency_id) == (
        "kecil",
        "32",
        "32.16",
    )
    assert (harness.employees, harness.founded_year) == (24, 2012)
    assert (harness.capacity_per_month, harness.lead_time_days) == (15000, 14)
    assert codes(harness.components) == {"ELE.HARN", "BAT.BMS.HARN"}
    assert codes(harness.processes) == {"HARNESS", "ELEC_TEST"}
    assert codes(harness.materials) == {"COPPER", "PA"}
    assert {(c.cert_type_id, c.valid_until) for c in harness.certifications.all()} == {
        ("IPC_WHMA_A_620", date(2027, 6, 30)),
        ("ISO9001", None),
    }
    assert harness.contact_email == "siti@sinarkabel.example"
    # Lists written with spaces around the separators.
    stamping = Supplier.objects.get(nib="9120000000002")
    assert codes(stamping.processes) == {"STAMP", "SHEET_BEND", "WELD_SPOT"}
    assert codes(stamping.components) == {"BODY.BRKT", "BAT.PACK.BRKT"}
    # Regency names with and without prefixes, in any case.
    regency_of = dict(Supplier.objects.values_list("nib", "regency_id"))
    assert regency_of["9120000000002"] == "32.04"  # "Kab. Bandung"
    assert regency_of["9120000000003"] == "32.73"  # "Kota Bandung"
    assert regency_of["9120000000004"] == "21.71"  # "batam"
    assert regency_of["9120000000005"] == "31.72"  # "Jakarta Utara" (Kota Administrasi)
    assert regency_of["9120000000006"] == "32.17"  # "kabupaten   bandung barat"
    assert regency_of["9120000000007"] == "35.78"  # "KOTA SURABAYA"
    # Only nib, name and the codes given: everything else stays empty.
    bare = Supplier.objects.get(nib="9120000000003")
    assert bare.employees is None and bare.founded_year is None and bare.capacity_per_month is None
    assert bare.description == "" and bare.contact_email == ""
    assert not bare.processes.exists() and not bare.certifications.exists()
    assert bare.verification_status == "unverified"
    assert Supplier.objects.get(nib="9120000000007").description.startswith(
        'Injeksi plastik "presisi"'
    )


def test_importing_the_same_file_twice_changes_nothing(run_import):
    run_import(DATA / "suppliers_good.csv")
    before = {s.nib: s.updated_at for s in Supplier.objects.all()}
    certificates = SupplierCertification.objects.count()

    status, output = run_import(DATA / "suppliers_good.csv")

    assert status == 0
    assert "Created: 0, updated: 0, unchanged: 7, rejected: 0" in output
    assert {s.nib: s.updated_at for s in Supplier.objects.all()} == before
    assert SupplierCertification.objects.count() == certificates


def test_update_by_nib_changes_only_the_changed_fields(run_import, write_csv):
    run_import(write_csv([row(), row(nib="9120000000202", name="CV Tetap Sama")]))
    supplier = Supplier.objects.get(nib="9120000000201")
    SupplierCertificationFactory(supplier=supplier, cert_type_id="SMK3", valid_until=None)

    status, output = run_import(
        write_csv(
            [
                row(
                    name="CV Mitra Logam Jaya",
                    employees="35",
                    processes="STAMP; LASER_CUT",
                    certifications="ISO9001@2028-03-31;SNI",
                    contact_email="",  # empty: keeps the stored address
                    regency="Kabupaten Bekasi",  # the same regency, by name
                ),
                row(nib="9120000000202", name="CV Tetap Sama"),
            ]
        )
    )

    assert status == 0, output
    assert "Created: 0, updated: 1, unchanged: 1, rejected: 0" in output
    supplier.refresh_from_db()
    assert supplier.legal_name == "CV Mitra Logam Jaya"
    assert supplier.employees == 35
    assert supplier.founded_year == 2014
    assert supplier.contact_email == "agus@mitralogam.example"
    assert codes(supplier.processes) == {"STAMP", "LASER_CUT"}
    assert codes(supplier.components) == {"BODY.BRKT"}
    assert {(c.cert_type_id, c.valid_until) for c in supplier.certifications.all()} == {
        ("ISO9001", date(2028, 3, 31)),
        ("SNI", None),
        ("SMK3", None),  # not in the file, never deleted
    }


def test_text_that_looks_like_a_formula_is_stored_verbatim(run_import, write_csv):
    # Neutralising is the exports' job (accounts.spreadsheets): the data itself stays as typed.
    hostile = '=HYPERLINK("http://evil.example","x")'
    status, output = run_import(
        write_csv([row(name=hostile, description="@SUM(1+1)", contact_name="-Agus")])
    )

    assert status == 0, output
    supplier = Supplier.objects.get(nib=GOOD_ROW["nib"])
    assert supplier.legal_name == hostile
    assert supplier.description == "@SUM(1+1)"
    assert supplier.contact_name == "-Agus"
    assert supplier.contact_phone == GOOD_ROW["contact_phone"]  # "+62...", no quote added


def test_a_regency_code_alone_gives_the_province_but_a_name_alone_does_not(run_import, write_csv):
    path = write_csv(
        [row(province="", regency="33.10"), row(nib="9120000000202", province="", regency="Klaten")]
    )

    status, output = run_import(path)

    assert status == 1
    assert Supplier.objects.get(nib="9120000000201").province_id == "33"
    assert "Row 3 (NIB 9120000000202): rejected" in output
    assert "  - regency: " in output


def test_an_existing_certificate_listed_without_a_date_keeps_its_date(run_import, write_csv):
    run_import(write_csv([row()]))

    status, output = run_import(write_csv([row(certifications="ISO9001")]))

    assert status == 0
    assert "unchanged: 1" in output
    assert Supplier.objects.get().certifications.get().valid_until == date(2027, 3, 31)


GOOD_NIB = "9120000000201"
BAD_CELLS = [
    pytest.param({"nib": "91200000002"}, "nib", id="nib-too-short"),
    pytest.param({"nib": "91200000002AB"}, "nib", id="nib-not-digits"),
    pytest.param({"nib": ""}, "nib", id="nib-missing"),
    pytest.param({"name": ""}, "name", id="name-missing"),
    pytest.param({"size_class": "raksasa"}, "size_class", id="unknown-size-class"),
    pytest.param({"province": "99"}, "province", id="unknown-province"),
    pytest.param({"regency": "35.78"}, "regency", id="regency-code-outside-province"),
    pytest.param({"regency": "Kota Surabaya"}, "regency", id="regency-name-outside-province"),
    pytest.param({"regency": "Atlantis"}, "regency", id="unknown-regency"),
    pytest.param({"components": "BODY.BRKT;NOPE.PART"}, "components", id="unknown-component"),
    pytest.param({"processes": "LASER_SHARK"}, "processes", id="unknown-process"),
    pytest.param({"materials": "UNOBTAINIUM"}, "materials", id="unknown-material"),
    pytest.param({"certifications": "ISO0000"}, "certifications", id="unknown-certification"),
    pytest.param({"certifications": "ISO9001@2026-02-30"}, "certifications", id="bad-date"),
    pytest.param({"certifications": "ISO9001@31-12-2026"}, "certifications", id="date-format"),
    pytest.param({"employees": "-3"}, "employees", id="negative-number"),
    pytest.param({"capacity_per_month": "1.5"}, "capacity_per_month", id="not-whole"),
    pytest.param({"lead_time_days": "dua"}, "lead_time_days", id="not-a-number"),
    pytest.param({"lead_time_days": "9999"}, "lead_time_days", id="model-maximum"),
    pytest.param({"founded_year": "1850"}, "founded_year", id="model-minimum"),
    pytest.param({"contact_email": "not-an-email"}, "contact_email", id="bad-email"),
    pytest.param({"contact_phone": "0" * 21}, "contact_phone", id="phone-too-long"),
]


@pytest.mark.parametrize(("cells", "column"), BAD_CELLS)
def test_a_bad_row_is_rejected_with_its_row_number_and_the_others_are_saved(
    run_import, write_csv, cells, column
):
    path = write_csv([row(nib="9120000000301"), row(**cells), row(nib="9120000000303")])

    status, output = run_import(path)

    assert status == 1
    assert "Created: 2, updated: 0, unchanged: 0, rejected: 1" in output
    assert f"Row 3 (NIB {cells.get('nib', GOOD_NIB) or '-'}): rejected" in output
    assert f"  - {column}: " in output
    assert "1 rows were rejected" in output
    assert set(Supplier.objects.values_list("nib", flat=True)) == {"9120000000301", "9120000000303"}


def test_a_rejected_row_changes_nothing_on_an_existing_supplier(run_import, write_csv):
    run_import(write_csv([row()]))
    supplier = Supplier.objects.get()
    before = (supplier.legal_name, supplier.updated_at, codes(supplier.processes))

    status, output = run_import(
        write_csv([row(name="CV Nama Baru", processes="CNC_TURN", contact_email="bukan-email")])
    )

    assert status == 1
    assert "contact_email: " in output
    supplier.refresh_from_db()
    assert (supplier.legal_name, supplier.updated_at, codes(supplier.processes)) == before


def test_every_problem_of_a_row_is_reported(write_csv):
    report = import_suppliers_file(
        write_csv(
            [row(nib="123", size_class="raksasa", employees="-1", contact_email="x", name="")]
        )
    )

    [result] = report.rows
    assert (result.row, result.outcome) == (2, "rejected")
    assert {p.column for p in result.problems} == {
        "nib",
        "name",
        "size_class",
        "employees",
        "contact_email",
    }


def test_a_nib_repeated_in_the_file_rejects_each_of_its_rows(run_import, write_csv):
    path = write_csv(
        [row(), row(nib="9120000000777", name="A"), row(), row(nib="9120000000777", name="B")]
    )

    status, output = run_import(path)

    assert status == 1
    assert "rejected: 4" in output
    assert "NIB 9120000000201 is on more than one row (rows 2, 4)" in output
    assert "NIB 9120000000777 is on more than one row (rows 3, 5)" in output
    assert not Supplier.objects.exists()


def test_the_sample_bad_file_reports_each_reason_by_row(run_import):
    status, output = run_import(DATA / "suppliers_bad.csv")

    assert status == 1
    assert "Created: 1, updated: 0, unchanged: 0, rejected: 14" in output
    expected = {
        3: "nib",
        4: "province",
        5: "regency",
        6: "components",
        7: "processes",
        8: "materials",
        9: "certifications",
        10: "certifications",
        11: "employees",
        12: "contact_email",
        13: "nib",
        14: "nib",
        15: "name",
        16: "size_class",
    }
    lines = output.splitlines()
    for number, column in expected.items():
        start = next(i for i, line in enumerate(lines) if line.startswith(f"Row {number} "))
        assert lines[start + 1].startswith(f"  - {column}: "), (number, lines[start : start + 3])
    assert list(Supplier.objects.values_list("nib", flat=True)) == ["9120000000101"]


def test_dry_run_checks_but_saves_nothing(run_import, write_csv):
    status, output = run_import(write_csv([row()]), "--dry-run")

    assert status == 0
    assert "Created: 1" in output
    assert not Supplier.objects.exists()


def test_a_byte_order_mark_and_windows_line_endings_are_accepted(run_import, write_csv):
    path = write_csv([row(description="Baris satu")], bom=True, crlf=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    status, output = run_import(path)

    assert status == 0, output
    assert Supplier.objects.get().description == "Baris satu"


def test_columns_in_another_order_with_blank_lines_are_accepted(run_import, write_csv):
    header = list(reversed(row()))
    path = write_csv([row()], header=header)
    path.write_text(path.read_text() + "\n,,,,,,,,,,,,,,,,\n\n")

    status, output = run_import(path)

    assert status == 0, output
    assert Supplier.objects.get().legal_name == "CV Mitra Logam"


@pytest.mark.parametrize(
    "header",
    [
        pytest.param([c for c in row() if c != "regency"], id="missing-column"),
        pytest.param([*row(), "npwp"], id="extra-column"),
        pytest.param(["nib;name;size_class"], id="semicolon-separated"),
        pytest.param([*row(), "nib"], id="repeated-column"),
    ],
)
def test_a_wrong_header_stops_the_import(run_import, write_csv, header):
    status, output = run_import(write_csv([row()], header=header))

    assert status == 1
    assert "Row 1 must be the header nib,name,size_class" in output
    assert not Supplier.objects.exists()


def test_a_row_with_too_few_cells_is_rejected(run_import, write_csv):
    path = write_csv([row()])
    path.write_text(path.read_text() + "9120000000999,CV Pendek,mikro\n")

    status, output = run_import(path)

    assert status == 1
    assert "Row 3 (NIB 9120000000999): rejected" in output
    assert "row: The row has 3 cells; the header has 17." in output
    assert Supplier.objects.count() == 1


def test_an_empty_file_a_missing_file_and_a_non_utf8_file_are_clear_errors(run_import, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("nib,name\n9120000000201,CV Caf\xe9\n".encode("latin-1"))

    assert run_import(empty) == (1, "The file is empty: row 1 must be the header.")
    status, output = run_import(tmp_path / "nowhere.csv")
    assert status == 1 and "File not found" in output
    status, output = run_import(latin)
    assert status == 1 and "not UTF-8" in output


def test_the_number_of_queries_does_not_grow_with_the_rows(
    write_csv, django_assert_max_num_queries
):
    SupplierFactory(nib="9120000000500")
    rows = [
        row(nib=f"91200000005{i:02d}", name=f"CV Uji {i}", regency="Kab. Bekasi") for i in range(80)
    ]
    path = write_csv(rows)

    with django_assert_max_num_queries(40):
        report = import_suppliers_file(path)
    assert report.count("created") == 79 and report.count("updated") == 1

    with django_assert_max_num_queries(25):
        report = import_suppliers_file(path)
    assert report.count("unchanged") == 80
