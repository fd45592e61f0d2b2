from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from suppliers.models import Province, SizeClass
from tests.factories import AdminUserFactory, MinistryUserFactory, SupplierFactory, UserFactory

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def _period(language: str) -> str:
    """The test period as the site writes dates in ``language`` (its formats are the site's
    choice; the point is a date in words, not an ISO code)."""
    from datetime import date

    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override(language):
        return " – ".join(
            date_format(day, "DATE_FORMAT") for day in (date(2026, 1, 1), date(2026, 6, 30))
        )


@pytest.fixture
def ministry_client(client):
    client.force_login(MinistryUserFactory())
    return client


def test_xlsx_export_holds_every_table_with_the_filters(ministry_client, history):
    response = ministry_client.get(
        reverse("reports:export_xlsx"),
        {**PERIOD, "province": history.west_java.code, "size_class": history.small_size.code},
    )

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    # Indonesian, the default language: the sheets are named as the tables' titles.
    assert book.sheetnames == [
        "Filter",
        "Angka utama",
        "Corong",
        "Kemitraan per tahap",
        "Kemitraan per pola",
        "Per provinsi",
        "Per kelompok pulau",
        "Per kelas usaha",
        "Per sistem komponen",
        "Per bulan",
        "Kontrak diberikan per provinsi",
        "Kontrak diberikan per sistem ko",
        "Kontrak diberikan per bulan",
    ]
    filters = {row[0]: row[1] for row in book["Filter"].iter_rows(values_only=True)}
    # Names, never codes: "Jawa Barat", not "32"; "Usaha Kecil", not "kecil".
    assert filters["Provinsi"] == "Jawa Barat"
    assert filters["Skala usaha"] == history.small_size.name_id == "Usaha Kecil"
    assert filters["Periode"] == _period("id")
    assert filters["Sistem komponen"] == "Semua"
    assert history.west_java.code not in filters.values()
    assert history.small_size.code not in filters.values()
    west_java = load_workbook(
        io.BytesIO(
            ministry_client.get(
                reverse("reports:export_xlsx"), {**PERIOD, "province": history.west_java.code}
            ).content
        )
    )
    figures = list(west_java["Angka utama"].iter_rows(min_row=3, values_only=True))
    assert [value for _label, value in figures][:5] == [1, 1, 1, 1, 2]
    funnel = list(west_java["Corong"].iter_rows(min_row=3, values_only=True))
    assert [n for _step, n in funnel] == [1, 2, 1, 1, 1]
    provinces = {
        row[0]: row[1:] for row in west_java["Per provinsi"].iter_rows(min_row=3, values_only=True)
    }
    assert provinces[history.west_java.name] == (1, 1, 2, 1, 1, 500_000_000)
    assert len(provinces) == 38
    months = list(west_java["Per bulan"].iter_rows(min_row=3, values_only=True))
    # Months in the site's one format, in the reader's language (Indonesian here).
    assert [row[0] for row in months] == [
        f"{m} 2026" for m in ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun")
    ]


def test_xlsx_export_speaks_english_to_an_english_reader(ministry_client, history):
    ministry_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = ministry_client.get(
        reverse("reports:export_xlsx"), {**PERIOD, "size_class": history.small_size.code}
    )

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Filters", "Key figures"]
    assert "By province" in book.sheetnames
    filters = {row[0]: row[1] for row in book["Filters"].iter_rows(values_only=True)}
    assert filters["Size class"] == "Small enterprise"
    assert filters["Period"] == _period("en")


def test_a_sheet_name_is_shortened_and_cleaned_and_never_repeated():
    from reports.exports import sheet_name

    taken: set[str] = set()
    long = "Kemitraan per pola: subkontrak / rantai pasok [2026]"
    first = sheet_name(long, taken)
    second = sheet_name(long, taken)
    assert first == "Kemitraan per pola subkontrak r"
    assert len(first) <= 31 and len(second) <= 31
    assert second.endswith("(2)") and second != first
    assert not set("[]:*?/\\") & set(first + second)


def test_csv_export_of_one_table(ministry_client, history):
    response = ministry_client.get(reverse("reports:export_csv"), {**PERIOD, "table": "island"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows[0]) == 7
    by_group = {row[0]: row[1:] for row in rows[1:]}
    assert by_group[history.other.island_group] == ["1", "0", "2", "0", "0", "0"]
    assert by_group[history.west_java.island_group] == ["1", "1", "2", "1", "1", "500000000"]


def test_csv_export_of_an_unknown_table_is_not_found(ministry_client, db):
    assert ministry_client.get(reverse("reports:export_csv"), {"table": "x"}).status_code == 404


def test_print_page_is_a4_and_carries_the_figures(ministry_client, history):
    response = ministry_client.get(reverse("reports:print"), PERIOD)

    assert response.status_code == 200
    body = response.content.decode()
    assert "reports/print.css" in body
    assert 'data-testid="figure-intro_requested" data-value="4"' in body
    from django.contrib.staticfiles import finders

    with open(finders.find("reports/print.css"), encoding="utf-8") as css:
        assert "@page { size: A4" in css.read()


URLS = [
    ("reports:dashboard", []),
    ("reports:print", []),
    ("reports:export_csv", []),
    ("reports:export_xlsx", []),
    ("reports:queue", []),
    ("reports:audit", []),
    ("reports:audit_csv", []),
]


@pytest.mark.parametrize("name,args", URLS)
@pytest.mark.parametrize(
    "role", [User.Role.UMKM, User.Role.BUYER, User.Role.PARTNER], ids=lambda r: str(r)
)
def test_other_roles_are_refused(client, db, name, args, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("name,args", URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, db, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name,args", URLS)
@pytest.mark.parametrize("factory", [MinistryUserFactory, AdminUserFactory])
def test_ministry_and_administrators_are_let_in(client, db, name, args, factory):
    client.force_login(factory())

    assert client.get(reverse(name, args=args)).status_code == 200


def test_anonymous_decision_is_refused(client, db):
    supplier = SupplierFactory(verification_status="unverified")

    response = client.post(
        reverse("reports:decide", args=["supplier", supplier.pk]), {"decision": "approved"}
    )

    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.verification_status == "unverified"


HOSTILE = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def hostile_labels(history):
    # Labels come from reference data an administrator can edit: never a formula in the files.
    Province.objects.filter(pk=history.west_java.pk).update(name=HOSTILE)
    SizeClass.objects.filter(pk=history.small_size.pk).update(
        name_en="@SUM(1+1)", name_id="@SUM(1+1)"
    )
    return history


def test_csv_export_never_writes_a_formula(ministry_client, hostile_labels):
    response = ministry_client.get(reverse("reports:export_csv"), {**PERIOD, "table": "province"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["'" + HOSTILE] == ["1", "1", "2", "1", "1", "500000000"]  # numbers stay
    assert HOSTILE not in by_label
    size = list(
        csv.reader(
            io.StringIO(
                ministry_client.get(
                    reverse("reports:export_csv"), {**PERIOD, "table": "size"}
                ).content.decode()
            )
        )
    )
    assert "'@SUM(1+1)" in [row[0] for row in size]


def test_xlsx_export_stores_labels_as_text_never_as_formulas(ministry_client, hostile_labels):
    response = ministry_client.get(reverse("reports:export_xlsx"), PERIOD)

    book = load_workbook(io.BytesIO(response.content))
    cells = {row[0].value: row for row in book["Per provinsi"].iter_rows(min_row=3)}
    label = cells[HOSTILE][0]
    assert label.data_type == "s"  # a string cell, verbatim: a spreadsheet does not evaluate it
    assert label.value == HOSTILE
    assert [c.value for c in cells[HOSTILE][1:]] == [1, 1, 2, 1, 1, 500_000_000]
    assert all(c.data_type == "n" for c in cells[HOSTILE][1:])
    sizes = {row[0].value: row[0] for row in book["Per kelas usaha"].iter_rows(min_row=3)}
    assert sizes["@SUM(1+1)"].data_type == "s"
    formulas = [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
