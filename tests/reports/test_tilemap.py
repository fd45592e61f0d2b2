"""The province tile map: one tile per province where it lies, shaded by the chosen measure."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from reports import tilemap
from suppliers.models import Province
from tests.factories import MinistryUserFactory

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def _tiles(values: dict | None = None) -> dict[str, tilemap.Tile]:
    return {t.code: t for t in tilemap.tiles(values or {})}


def test_it_gives_every_province_its_own_cell_inside_the_grid():
    tiles = _tiles()

    cells = {(t.column, t.row) for t in tiles.values()}
    assert len(tiles) == Province.objects.count() == 38
    assert len(cells) == 38
    assert all(1 <= t.column <= tilemap.COLUMNS for t in tiles.values())
    assert all(1 <= t.row <= tilemap.ROWS for t in tiles.values())


def test_it_keeps_the_provinces_where_they_lie():
    t = _tiles()

    # West to east, and north to south, as on a map.
    assert t["11"].column < t["32"].column < t["35"].column < t["73"].column < t["91"].column
    assert t["36"].column < t["31"].column < t["32"].column < t["33"].column < t["35"].column
    assert t["11"].row < t["12"].row < t["16"].row < t["32"].row < t["53"].row
    assert t["33"].row < t["34"].row  # Yogyakarta lies south of Central Java
    assert t["65"].row < t["63"].row  # North Kalimantan above South Kalimantan


def test_it_shades_in_five_equal_steps_of_the_largest_value():
    t = _tiles({"32": 10, "31": 5, "33": 1, "35": 0, "11": 2})

    assert [t[c].shade for c in ("32", "31", "33", "35", "11")] == [5, 3, 1, 0, 1]
    assert t["34"].value == 0 and t["34"].shade == 0
    assert tilemap.legend(10) == [(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8), (5, 9, 10)]
    # With few values some shades cannot occur and are left out of the legend.
    assert tilemap.legend(2) == [(3, 1, 1), (5, 2, 2)]
    assert [tilemap.shade(v, 2) for v in (1, 2)] == [3, 5]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["950", "12k", "3.4M", "500M", "7.2bn"]),
        ("id", ["950", "12 rb", "3,4 jt", "500 jt", "7,2 M"]),
    ],
)
def test_it_writes_large_numbers_short_in_the_users_language(language, expected):
    numbers = (950, 12_345, 3_400_000, 500_000_000, 7_250_000_000)
    with translation.override(language):
        assert [tilemap.compact(v) for v in numbers] == expected


def test_the_page_shades_the_map_by_the_chosen_measure(client, history):
    client.force_login(MinistryUserFactory())

    registered = client.get(reverse("reports:dashboard"), PERIOD)
    introductions = client.get(reverse("reports:dashboard"), {**PERIOD, "measure": "introductions"})
    unknown = client.get(reverse("reports:dashboard"), {**PERIOD, "measure": "<script>"})

    map_of = lambda response: response.context["province_map"]  # noqa: E731
    assert map_of(registered)["measure"] == "registered"
    assert {t.code: t.value for t in map_of(registered)["tiles"]}[history.west_java.code] == 1
    assert {t.code: t.value for t in map_of(introductions)["tiles"]}[history.west_java.code] == 2
    assert unknown.status_code == 200
    assert map_of(unknown)["measure"] == "registered"
    body = introductions.content.decode()
    assert 'data-testid="province-map" data-measure="introductions"' in body
    assert 'data-code="32" data-value="2" data-shade="5"' in body


def test_every_grid_cell_has_its_class_in_the_stylesheet(client, history):
    # Tiles are placed by classes, not style attributes (the Content-Security-Policy forbids
    # them): the stylesheet must have one for every column and row the grid can use.
    from django.contrib.staticfiles import finders

    with open(finders.find("reports/reports.css"), encoding="utf-8") as css:
        rules = css.read()
    assert all(
        f".tile-col-{c} {{ grid-column: {c}; }}" in rules for c in range(1, tilemap.COLUMNS + 1)
    )
    assert all(f".tile-row-{r} {{ grid-row: {r}; }}" in rules for r in range(1, tilemap.ROWS + 1))
    client.force_login(MinistryUserFactory())
    body = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    west_java = _tiles()["32"]
    assert f"tile-col-{west_java.column} tile-row-{west_java.row}" in body
    assert "style=" not in body
