"""A tile-grid map of Indonesia's provinces: one equal square per province, placed by its
coordinates from the reference data, shaded by a measure. Server-rendered HTML and CSS only."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from suppliers.models import Province

COLUMNS = 18
ROWS = 10
SHADES = 5

# The abbreviations Indonesians read on maps; a province added later falls back to its name.
ABBREVIATIONS = {
    "11": "ACEH",
    "12": "SUMUT",
    "13": "SUMBAR",
    "14": "RIAU",
    "15": "JAMBI",
    "16": "SUMSEL",
    "17": "BKL",
    "18": "LPG",
    "19": "BABEL",
    "21": "KEPRI",
    "31": "DKI",
    "32": "JABAR",
    "33": "JATENG",
    "34": "DIY",
    "35": "JATIM",
    "36": "BTN",
    "51": "BALI",
    "52": "NTB",
    "53": "NTT",
    "61": "KALBAR",
    "62": "KALTENG",
    "63": "KALSEL",
    "64": "KALTIM",
    "65": "KALTARA",
    "71": "SULUT",
    "72": "SULTENG",
    "73": "SULSEL",
    "74": "SULTRA",
    "75": "GTLO",
    "76": "SULBAR",
    "81": "MALUKU",
    "82": "MALUT",
    "91": "PAPUA",
    "92": "PABAR",
    "93": "PAPSEL",
    "94": "PAPTENG",
    "95": "PAPEG",
    "96": "PBD",
}


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    abbreviation: str
    column: int  # 1-based, for CSS grid lines
    row: int
    value: Any
    shade: int  # 0 (nothing) .. SHADES

    @property
    def short_value(self) -> str:
        return compact(self.value)


def place(points: dict[str, tuple[float, float]]) -> dict[str, tuple[int, int]]:
    """Grid cells (column, row), 0-based, for ``{code: (lat, lon)}``: each point to the free cell
    nearest its scaled position, the points with the most neighbours first (so a crowded
    island such as Java keeps its order and the lone ones move aside)."""
    if not points:
        return {}
    lats = [lat for lat, _lon in points.values()]
    lons = [lon for _lat, lon in points.values()]
    lat_span = (max(lats) - min(lats)) or 1.0
    lon_span = (max(lons) - min(lons)) or 1.0
    target = {
        code: (
            (lon - min(lons)) / lon_span * (COLUMNS - 1),
            (max(lats) - lat) / lat_span * (ROWS - 1),
        )
        for code, (lat, lon) in points.items()
    }

    def crowding(code: str) -> tuple[int, str]:
        x, y = target[code]
        near = sum(1 for (a, b) in target.values() if math.hypot(a - x, b - y) < 1.5)
        return (-near, code)

    free = {(c, r) for c in range(COLUMNS) for r in range(ROWS)}
    cells: dict[str, tuple[int, int]] = {}
    for code in sorted(target, key=crowding):
        x, y = target[code]
        # Ties go to the cell to the west, then to the north: stable across runs.
        cell = min(free, key=lambda cr: (math.hypot(cr[0] - x, cr[1] - y), cr[0], cr[1]))
        free.discard(cell)
        cells[code] = cell
    return cells


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
    """A short number for a small tile: 950, 12k, 3.4M (the table beside has the exact one)."""
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


def tiles(values: dict[str, Any]) -> list[Tile]:
    """A tile for every province; ``values`` by province code."""
    provinces = list(Province.objects.order_by("code"))
    cells = place({p.code: (p.lat, p.lon) for p in provinces})
    numbers = [v for v in values.values() if isinstance(v, int | float)]
    largest = max(numbers, default=0)
    return [
        Tile(
            code=p.code,
            name=p.name,
            abbreviation=ABBREVIATIONS.get(p.code, p.name[:6].upper()),
            column=cells[p.code][0] + 1,
            row=cells[p.code][1] + 1,
            value=values.get(p.code, 0),
            shade=shade(values.get(p.code, 0), largest),
        )
        for p in provinces
    ]
