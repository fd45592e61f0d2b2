from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from suppliers.models import Province, SizeClass
from tests.factories import AdminUserFactory, MinistryUserFactory, SupplierFactory, UserFactory

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry_client(client):
    client.force_login(MinistryUserFactory())
    return client


def test_xlsx_export_holds_every_table_with_the_filters(ministry_client, history):
    response = ministry_client.get(
        reverse("reports:export_xlsx"), {**PERIOD, "province": history.west_java.code}
    )

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Filters",
        "figures",
        "funnel",
        "stage",
        "pattern",
        "province",
        "island",
        "size",
        "system",
        "month",
    ]
    filters = {row[0]: row[1] for row in book["Filters"].iter_rows(values_only=True)}
    assert "2026-01-01" in filters.values()
    assert history.west_java.code in filters.values()
    figures = list(book["figures"].iter_rows(min_row=3, values_only=True))
    assert [value for _label, value in figures][:5] == [1, 1, 1, 1, 2]
    funnel = list(book["funnel"].iter_rows(min_row=3, values_only=True))
    assert [n for _step, n in funnel] == [1, 2, 1, 1, 1]
    provinces = {row[0]: row[1:] for row in book["province"].iter_rows(min_row=3, values_only=True)}
    assert provinces[history.west_java.name] == (1, 1, 2, 1, 1, 500_000_000)
    assert len(provinces) == 38
    months = list(book["month"].iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in months] == [f"2026-0{m}" for m in range(1, 7)]


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
    cells = {row[0].value: row for row in book["province"].iter_rows(min_row=3)}
    label = cells[HOSTILE][0]
    assert label.data_type == "s"  # a string cell, verbatim: a spreadsheet does not evaluate it
    assert label.value == HOSTILE
    assert [c.value for c in cells[HOSTILE][1:]] == [1, 1, 2, 1, 1, 500_000_000]
    assert all(c.data_type == "n" for c in cells[HOSTILE][1:])
    sizes = {row[0].value: row[0] for row in book["size"].iter_rows(min_row=3)}
    assert sizes["@SUM(1+1)"].data_type == "s"
    formulas = [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
