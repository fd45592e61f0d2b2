"""The report says what it shows: active filters as chips, names (not codes) in print."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from tests.factories import MinistryUserFactory

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


def test_no_chip_when_nothing_narrows_the_report(ministry_client, history):
    response = ministry_client.get(reverse("reports:dashboard"))

    assert response.context["chips"] == []
    assert 'data-testid="active-filters"' not in response.content.decode()


def test_each_active_filter_is_a_chip_that_names_it_and_removes_only_itself(
    ministry_client, history
):
    query = {
        **PERIOD,
        "province": history.west_java.code,
        "size_class": history.small_size.code,
        "measure": "introductions",
    }
    response = ministry_client.get(reverse("reports:dashboard"), query)

    chips = {chip["name"]: chip for chip in response.context["chips"]}
    assert list(chips) == ["period", "province", "size_class"]
    assert chips["province"]["value"] == "Jawa Barat"
    assert chips["size_class"]["value"] == "Usaha Kecil"
    assert chips["period"]["value"] == _period("id")
    without_province = parse_qs(chips["province"]["query"])
    assert "province" not in without_province
    assert without_province["size_class"] == [history.small_size.code]
    assert without_province["measure"] == ["introductions"]
    assert "date_from" not in parse_qs(chips["period"]["query"])
    body = response.content.decode()
    assert "Provinsi: <strong>Jawa Barat</strong>" in body
    assert 'aria-label="Hapus filter Provinsi: Jawa Barat"' in body
    # Clearing everything keeps the map's measure, a way of looking rather than a filter.
    clear = (
        f'href="{reverse("reports:dashboard")}?measure=introductions" data-testid="clear-filters"'
    )
    assert clear in body


def test_removing_a_chip_widens_the_figures(ministry_client, history):
    narrowed = ministry_client.get(
        reverse("reports:dashboard"), {**PERIOD, "province": history.west_java.code}
    )
    chip = narrowed.context["chips"][-1]
    widened = ministry_client.get(f"{reverse('reports:dashboard')}?{chip['query']}")

    assert narrowed.context["data"]["figures"]["intro_requested"] == 2
    assert widened.context["data"]["figures"]["intro_requested"] == 4
    assert [c["name"] for c in widened.context["chips"]] == ["period"]


def test_the_print_view_names_the_filters_in_words(ministry_client, history):
    response = ministry_client.get(
        reverse("reports:print"),
        {**PERIOD, "province": history.west_java.code, "size_class": history.small_size.code},
    )

    body = response.content.decode()
    assert '<th scope="row">Provinsi</th><td>Jawa Barat</td>' in body
    assert '<th scope="row">Skala usaha</th><td>Usaha Kecil</td>' in body
    assert "Provinsi 32" not in body and "<td>32</td>" not in body and "<td>kecil</td>" not in body


def test_an_english_reader_gets_english_names(ministry_client, history):
    from django.conf import settings

    ministry_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = ministry_client.get(
        reverse("reports:print"), {**PERIOD, "size_class": history.small_size.code}
    )

    assert '<th scope="row">Size class</th><td>Small enterprise</td>' in response.content.decode()


def test_csv_names_provinces_not_codes(ministry_client, history):
    response = ministry_client.get(reverse("reports:export_csv"), {**PERIOD, "table": "province"})

    lines = response.content.decode().splitlines()
    assert any(line.startswith("Jawa Barat,") for line in lines)
    assert not any(line.split(",")[0].isdigit() for line in lines[1:])
