"""Build reports/data/provinces.json, the simplified province outlines of the dashboard's map.

Input: the province SQL files of cahyadsn/wilayah_boundaries (MIT License; see
reports/data/PROVINCES_LICENSE.md), whose paths are [latitude, longitude] pairs. Output: for each
province code, its outer rings as [longitude, latitude] pairs rounded to 0.01 degree (about 1 km),
after dropping islands smaller than MIN_AREA (each province keeps its largest one) and a
Douglas-Peucker simplification with TOLERANCE degrees. Usage:

    python tools/simplify_provinces.py wilayah_boundaries_prov_*.sql > reports/data/provinces.json
"""

from __future__ import annotations

import json
import math
import re
import sys

TOLERANCE = 0.04
MIN_AREA = 0.02  # square degrees, about 250 km²
ROW = re.compile(
    r"\('(\d{2})',\s*'([^']*)',\s*([-\d.]+),\s*([-\d.]+),\s*'(\[.*?\])'\)\s*[,;]", re.S
)


def area(ring: list[tuple[float, float]]) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - x1 - t * dx, y - y1 - t * dy)


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (rings have tens of thousands of points)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def outline(path: list) -> list[list[list[float]]]:
    if not isinstance(path[0][0][0], list):  # one polygon rather than several
        path = [path]
    rings = [[(lng, lat) for lat, lng in polygon[0]] for polygon in path]
    rings.sort(key=area, reverse=True)
    kept = [rings[0]] + [r for r in rings[1:] if area(r) >= MIN_AREA]
    result = []
    for ring in kept:
        # A closed ring's first and last points coincide: split it so both halves keep ends.
        half = len(ring) // 2
        points = simplify(ring[: half + 1], TOLERANCE)[:-1] + simplify(ring[half:], TOLERANCE)
        rounded = []
        for x, y in points:
            point = [round(x, 2), round(y, 2)]
            if not rounded or rounded[-1] != point:
                rounded.append(point)
        if len(rounded) >= 4:
            result.append(rounded)
    return result


def main(paths: list[str]) -> None:
    provinces = {}
    for name in paths:
        with open(name, encoding="utf-8") as handle:
            for code, _name, _lat, _lng, path in ROW.findall(handle.read()):
                provinces[code] = outline(json.loads(path))
    json.dump(dict(sorted(provinces.items())), sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1:])
