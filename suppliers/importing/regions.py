"""Finds a regency or city from what people type in a spreadsheet.

A cell holds either a Kemendagri code ("32.04") or a name within the row's province. Names are
matched case-insensitively and with the usual prefixes tolerated ("Kab.", "Kab", "Kabupaten",
"Kabupaten Administrasi", "Kota", "Kota Administrasi"). When a name fits both a kabupaten and a
kota of the same name (Bandung: "Kabupaten Bandung" and "Kota Bandung"):
1. an exact full name wins ("Kota Bandung");
2. a "Kab"/"Kabupaten" prefix picks the kabupaten, a "Kota" prefix picks the kota;
3. a bare name ("Bandung") picks the kabupaten, because the kota is always written with its
   prefix while the kabupaten often is not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from ..models import Regency

CODE_RE = re.compile(r"^\d{2}\.\d{2}$")
KABUPATEN = "kabupaten"
KOTA = "kota"

# Longest first, so that "kota administrasi" is not read as "kota" + "administrasi ...".
_PREFIXES = (
    (re.compile(r"^kabupaten\s+administrasi\s+"), KABUPATEN),
    (re.compile(r"^kota\s+administrasi\s+"), KOTA),
    (re.compile(r"^kabupaten\s+"), KABUPATEN),
    (re.compile(r"^kab\.\s*"), KABUPATEN),
    (re.compile(r"^kab\s+"), KABUPATEN),
    (re.compile(r"^kota\s+"), KOTA),
)


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def split_prefix(text: str) -> tuple[str | None, str]:
    """("kabupaten" | "kota" | None, the bare name), both normalised."""
    name = _normalise(text)
    for pattern, kind in _PREFIXES:
        match = pattern.match(name)
        if match:
            return kind, name[match.end() :]
    return None, name


class RegencyNotFound(LookupError):
    pass


class RegencyOutsideProvince(LookupError):
    def __init__(self, regency: Regency) -> None:
        super().__init__(regency.code)
        self.regency = regency


class RegencyIndex:
    """All regencies, indexed once; ``find`` never queries the database."""

    def __init__(self, regencies: Iterable[Regency]) -> None:
        self.by_code: dict[str, Regency] = {}
        self.by_full_name: dict[tuple[str, str], Regency] = {}
        self.by_bare_name: dict[tuple[str, str], list[tuple[str | None, Regency]]] = defaultdict(
            list
        )
        for regency in regencies:
            self.by_code[regency.code] = regency
            self.by_full_name[(regency.province_id, _normalise(regency.name))] = regency
            kind, bare = split_prefix(regency.name)
            self.by_bare_name[(regency.province_id, bare)].append((kind, regency))

    def find(self, text: str, province_code: str | None) -> Regency:
        """The regency that ``text`` names; raises RegencyNotFound / RegencyOutsideProvince."""
        value = text.strip()
        if CODE_RE.match(value):
            regency = self.by_code.get(value)
            if regency is None:
                raise RegencyNotFound(value)
            if province_code and regency.province_id != province_code:
                raise RegencyOutsideProvince(regency)
            return regency
        if not province_code:
            raise RegencyNotFound(value)
        exact = self.by_full_name.get((province_code, _normalise(value)))
        if exact is not None:
            return exact
        kind, bare = split_prefix(value)
        candidates = self.by_bare_name.get((province_code, bare), [])
        if kind is not None:
            candidates = [c for c in candidates if c[0] == kind]
        if len(candidates) > 1:
            candidates = [c for c in candidates if c[0] == KABUPATEN] or candidates
        if len(candidates) != 1:
            raise RegencyNotFound(value)
        return candidates[0][1]
