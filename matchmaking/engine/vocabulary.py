"""The fixed code lists the engine indexes by (from the reference data), and tables derived from
them: certification implications, the component taxonomy's ancestors, province distances."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class ProvinceInfo:
    code: str
    island_group: str
    lat: float
    lon: float


@dataclass
class Vocabulary:
    processes: list[str]
    materials: list[str]
    certifications: list[str]
    cert_implies: dict[str, str]  # holding key also counts as holding value
    components: list[str]
    component_parent: dict[str, str | None]
    provinces: list[ProvinceInfo]

    process_index: dict[str, int] = field(init=False)
    material_index: dict[str, int] = field(init=False)
    cert_index: dict[str, int] = field(init=False)
    component_index: dict[str, int] = field(init=False)
    province_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.process_index = {c: i for i, c in enumerate(self.processes)}
        self.material_index = {c: i for i, c in enumerate(self.materials)}
        self.cert_index = {c: i for i, c in enumerate(self.certifications)}
        self.component_index = {c: i for i, c in enumerate(self.components)}
        self.province_index = {p.code: i for i, p in enumerate(self.provinces)}
        self._build_components()
        self._build_provinces()

    # --- certifications -----------------------------------------------------------------------
    def cert_closure(self, code: str) -> list[str]:
        """The code itself and everything it implies, transitively (IATF16949 -> ISO9001)."""
        out, seen = [code], {code}
        while (nxt := self.cert_implies.get(out[-1])) and nxt not in seen:
            out.append(nxt)
            seen.add(nxt)
        return out

    # --- component taxonomy -------------------------------------------------------------------
    def ancestors_or_self(self, code: str) -> list[str]:
        chain = [code]
        while (parent := self.component_parent.get(chain[-1])) is not None:
            chain.append(parent)
        return chain  # [self, parent, grandparent]

    def _build_components(self) -> None:
        n = len(self.components)
        self.node_level = np.zeros(n, dtype=np.int8)
        self.node_subsystem = np.full(n, -1, dtype=np.int32)  # level-2 ancestor (or -1)
        self.node_system = np.full(n, -1, dtype=np.int32)  # level-1 ancestor (or -1)
        for code, i in self.component_index.items():
            chain = self.ancestors_or_self(code)
            level = len(chain)
            self.node_level[i] = level
            top_down = list(reversed(chain))
            self.node_system[i] = self.component_index[top_down[0]]
            if level >= 2:
                self.node_subsystem[i] = self.component_index[top_down[1]]

    # --- provinces ----------------------------------------------------------------------------
    def _build_provinces(self) -> None:
        n = len(self.provinces)
        km = np.zeros((n + 1, n + 1), dtype=np.float64)
        same_island = np.zeros((n + 1, n + 1), dtype=bool)
        for i, a in enumerate(self.provinces):
            for j, b in enumerate(self.provinces):
                km[i, j] = haversine_km(a.lat, a.lon, b.lat, b.lon)
                same_island[i, j] = a.island_group == b.island_group
        # Index n stands for "unknown province": never close to anything.
        km[n, :] = km[:, n] = np.inf
        self.province_km = km
        self.province_same_island = same_island
        self.unknown_province = n
