"""The province map: real outlines, projected and drawn by the server, shaded by a measure."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from reports import provincemap
from suppliers.models import Province
from tests.factories import MinistryUserFactory

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def _regions(values: dict | None = None) -> dict[str, provincemap.Region]:
    return {r.code: r for r in provincemap.regions(values or {})}


def _box(path: str) -> tuple[float, float, float, float]:
    """(west, north, east, south) of a path in SVG units (absolute moves, relative lines)."""
    xs, ys = [], []
    x = y = 0.0
    for command, dx, dy in re.findall(r"([Ml])(-?[\d.]+) (-?[\d.]+)", path):
        x, y = (float(dx), float(dy)) if command == "M" else (x + float(dx), y + float(dy))
        xs.append(x)
        ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def test_every_province_has_an_outline_inside_the_picture():
    regions = _regions()

    assert len(regions) == Province.objects.count() == 38
    height = provincemap.height()
    for region in regions.values():
        assert region.path.startswith("M") and region.path.endswith("z"), region.code
        west, north, east, south = _box(region.path)
        assert 0 <= west < east <= provincemap.WIDTH, region.code
        assert 0 <= north < south <= height, region.code
    # The whole country is wider than tall, as on any atlas: 46 degrees of longitude, 17 of
    # latitude.
    assert 2.3 < provincemap.WIDTH / height < 3.2


def test_it_draws_the_provinces_where_they_lie():
    boxes = {code: _box(r.path) for code, r in _regions().items()}
    centre = {c: ((w + e) / 2, (n + s) / 2) for c, (w, n, e, s) in boxes.items()}

    # West to east: Aceh, West Java, East Java, South Sulawesi, Papua.
    xs = [centre[c][0] for c in ("11", "32", "35", "73", "91")]
    assert xs == sorted(xs)
    # North to south: Aceh, North Sumatra, South Sumatra, West Java, East Nusa Tenggara.
    ys = [centre[c][1] for c in ("11", "12", "16", "32", "53")]
    assert ys == sorted(ys)
    assert centre["33"][1] < centre["34"][1]  # Yogyakarta lies south of Central Java
    assert centre["65"][1] < centre["63"][1]  # North Kalimantan above South Kalimantan
    # Each province's capital lies inside (or, for an island capital, near) its outline.
    for province in Province.objects.all():
        x, y = provincemap.project(province.lon, province.lat)
        west, north, east, south = boxes[province.code]
        slack = 12
        assert west - slack <= x <= east + slack and north - slack <= y <= south + slack, (
            province.code
        )


def test_the_outlines_stay_small():
    total = sum(len(r.path) for r in _regions().values())
    assert total < 40_000


def test_it_shades_in_five_equal_steps_of_the_largest_value():
    r = _regions({"32": 10, "31": 5, "33": 1, "35": 0, "11": 2})

    assert [r[c].shade for c in ("32", "31", "33", "35", "11")] == [5, 3, 1, 0, 1]
    assert r["34"].value == 0 and r["34"].shade == 0
    assert provincemap.legend(10) == [(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8), (5, 9, 10)]
    # With few values some shades cannot occur and are left out of the legend.
    assert provincemap.legend(2) == [(3, 1, 1), (5, 2, 2)]
    assert [provincemap.shade(v, 2) for v in (1, 2)] == [3, 5]


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
        assert [provincemap.compact(v) for v in numbers] == expected


def test_the_page_shades_the_map_by_the_chosen_measure(client, history):
    client.force_login(MinistryUserFactory())

    registered = client.get(reverse("reports:dashboard"), PERIOD)
    introductions = client.get(reverse("reports:dashboard"), {**PERIOD, "measure": "introductions"})
    unknown = client.get(reverse("reports:dashboard"), {**PERIOD, "measure": "<script>"})

    map_of = lambda response: response.context["province_map"]  # noqa: E731
    assert map_of(registered)["measure"] == "registered"
    assert {r.code: r.value for r in map_of(registered)["regions"]}[history.west_java.code] == 1
    assert {r.code: r.value for r in map_of(introductions)["regions"]}[history.west_java.code] == 2
    assert unknown.status_code == 200
    assert map_of(unknown)["measure"] == "registered"
    body = introductions.content.decode()
    assert 'data-testid="province-map" data-measure="introductions"' in body
    assert '<svg class="provmap" viewBox="0 0 1000 ' in body
    assert 'data-code="32" data-value="2" data-shade="5"><title>Jawa Barat: 2</title>' in body
    assert body.count("<path ") == 38
    # Shades come from classes the stylesheet defines (the Content-Security-Policy forbids
    # style attributes).
    assert "style=" not in body
    from django.contrib.staticfiles import finders

    with open(finders.find("reports/reports.css"), encoding="utf-8") as css:
        rules = css.read()
    assert all(f".provmap .shade-{n} {{ fill: #" in rules for n in range(6))
