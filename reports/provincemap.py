"""A geographic map of Indonesia's provinces, rendered by the server as SVG and shaded by a
measure (a choropleth). The outlines are reports/data/provinces.json: simplified from the
MIT-licensed boundaries of cahyadsn/wilayah_boundaries (see reports/data/PROVINCES_LICENSE.md),
in longitude/latitude; this module projects them (Mercator) and writes the SVG paths itself, so
no map library, tile server or script is needed."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from suppliers.models import Province

OUTLINES = Path(__file__).resolve().parent / "data" / "provinces.json"
WIDTH = 1000  # the SVG's user units; the picture scales to its box
MARGIN = 8
SHADES = 5


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    path: str  # SVG path data in the map's viewBox
    value: Any
    shade: int  # 0 (nothing) .. SHADES

    @property
    def short_value(self) -> str:
        return compact(self.value)


@cache
def outlines() -> dict[str, list[list[tuple[float, float]]]]:
    """Each province's rings as (longitude, latitude) points."""
    with OUTLINES.open(encoding="utf-8") as handle:
        return {
            code: [[(x, y) for x, y in ring] for ring in rings]
            for code, rings in json.load(handle).items()
        }


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Mercator in degrees of longitude: x east, y north. Near the equator it barely distorts,
    and it keeps the shapes people know from school atlases."""
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


@cache
def frame() -> tuple[float, float, float, float]:
    """(west, north, scale, height) fitting every outline into WIDTH user units."""
    points = [mercator(x, y) for rings in outlines().values() for ring in rings for x, y in ring]
    west = min(x for x, _y in points)
    east = max(x for x, _y in points)
    south = min(y for _x, y in points)
    north = max(y for _x, y in points)
    scale = (WIDTH - 2 * MARGIN) / (east - west)
    return west, north, scale, (north - south) * scale + 2 * MARGIN


def height() -> int:
    return math.ceil(frame()[3])


def project(lon: float, lat: float) -> tuple[float, float]:
    """A point of the map in the SVG's user units (y grows downwards)."""
    west, north, scale, _height = frame()
    x, y = mercator(lon, lat)
    return MARGIN + (x - west) * scale, MARGIN + (north - y) * scale


@cache
def path_data(code: str) -> str:
    """The SVG path of a province: one closed sub-path per island, whole units with relative
    moves (short, so the page stays light)."""
    parts = []
    for ring in outlines().get(code, []):
        points = [project(x, y) for x, y in ring]
        x0, y0 = round(points[0][0], 1), round(points[0][1], 1)
        steps = [f"M{x0:g} {y0:g}"]
        px, py = x0, y0
        for x, y in points[1:]:
            x, y = round(x, 1), round(y, 1)
            if (x, y) != (px, py):
                steps.append(f"l{round(x - px, 1):g} {round(y - py, 1):g}")
            px, py = x, y
        parts.append("".join(steps) + "z")
    return "".join(parts)


def shade(value: Any, largest: float) -> int:
    """1..SHADES in equal steps of the largest value; 0 for nothing (or no number)."""
    if not isinstance(value, int | float) or value <= 0 or largest <= 0:
        return 0
    if isinstance(value, int) and isinstance(largest, int):
        return -(-value * SHADES // largest)  # the ceiling, without float rounding
    return max(1, math.ceil(value / largest * SHADES))


def legend(largest: float) -> list[tuple[int, float, float]]:
    """(shade, lowest, highest) of each shade that a value can take: whole numbers when the
    largest value is one (counts), else the shade's bounds."""
    if largest <= 0:
        return []
    step = largest / SHADES
    if isinstance(largest, int):
        # In whole numbers, as ``shade`` counts: shade i holds (i-1)/5 < v/largest <= i/5.
        bounds = [
            ((i - 1) * largest // SHADES + 1, i * largest // SHADES) for i in range(1, SHADES + 1)
        ]
        return [(i, low, high) for i, (low, high) in enumerate(bounds, 1) if low <= high]
    return [(i, step * (i - 1), step * i) for i in range(1, SHADES + 1)]


def compact(value: Any) -> str:
    """A short number for a label: 950, 12k, 3.4M (the table beside has the exact one)."""
    if not isinstance(value, int | float):
        return "" if value is None else str(value)
    for size, template in (
        (10**9, _("%(number)sbn")),
        (10**6, _("%(number)sM")),
        (10**3, _("%(number)sk")),
    ):
        if abs(value) >= size:
            number = value / size
            text = f"{number:.1f}".rstrip("0").rstrip(".") if number < 10 else f"{number:.0f}"
            # The language's decimal mark: 3.4M in English, 3,4 jt in Indonesian.
            return template % {"number": text.replace(".", get_format("DECIMAL_SEPARATOR"))}
    return f"{value:g}" if isinstance(value, float) else str(value)


def regions(values: dict[str, Any]) -> list[Region]:
    """Every province with its outline and shade; ``values`` by province code."""
    numbers = [v for v in values.values() if isinstance(v, int | float)]
    largest = max(numbers, default=0)
    return [
        Region(
            code=p.code,
            name=p.name,
            path=path_data(p.code),
            value=values.get(p.code, 0),
            shade=shade(values.get(p.code, 0), largest),
        )
        for p in Province.objects.order_by("code")
    ]
