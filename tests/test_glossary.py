"""The glossary (docs/glossary.md) holds: every Indonesian string of the catalogue and every
Indonesian reference name uses its one term per concept, never the words it lists as "Not"."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
REFERENCE = ROOT / "suppliers" / "reference_data"

# Placeholders (%(email)s, {email}) name variables, not words a reader sees.
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdfr]|\{[^}]*\}")

# (the glossary's rule, a pattern that breaks it)
FORBIDDEN = [
    ("Anda with a capital A", re.compile(r"(?<![\w-])anda\b")),
    ("never kamu", re.compile(r"\bkamu\b", re.IGNORECASE)),
    ("e-mail, not email or surel", re.compile(r"(?<![\w@.-])email\b|\bsurel\b", re.IGNORECASE)),
    ("kata sandi, not sandi alone", re.compile(r"(?<!kata )(?<!Kata )\bsandi\b", re.IGNORECASE)),
    ("kata sandi, not password", re.compile(r"\bpassword\b", re.IGNORECASE)),
    ("berkas, not file", re.compile(r"\bfile\b", re.IGNORECASE)),
    ("unggah, not upload", re.compile(r"\bupload\b", re.IGNORECASE)),
    ("masuk, not login", re.compile(r"\blog ?in\b|\blog masuk\b", re.IGNORECASE)),
    ("UMKM, not UKM", re.compile(r"\bUKM\b")),
    # "Penyedia" stays for hosting providers (the privacy notice), a different concept.
    ("pemasok, not vendor", re.compile(r"\bvendor\b", re.IGNORECASE)),
    ("narahubung, not kontak person", re.compile(r"\bkontak person\b", re.IGNORECASE)),
    ("berlaku sampai, not valid hingga", re.compile(r"\bvalid hingga\b", re.IGNORECASE)),
    ("terverifikasi, not tervalidasi", re.compile(r"\btervalidasi\b", re.IGNORECASE)),
    ("hapus, not buang", re.compile(r"\bbuang\b", re.IGNORECASE)),
]


def _indonesian_strings() -> list[tuple[str, str]]:
    strings = []
    for entry in polib.pofile(str(CATALOGUE)):
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        strings += [(entry.msgid, PLACEHOLDER.sub("", text)) for text in texts if text]
    return strings


def _reference_names() -> list[tuple[str, str]]:
    names = []
    for path in sorted(REFERENCE.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column in ("name_id", "title_id"):
                    if row.get(column):
                        names.append((f"{path.name}:{row['code']}", row[column]))
    return names


@pytest.mark.parametrize(("rule", "pattern"), FORBIDDEN, ids=[rule for rule, _ in FORBIDDEN])
def test_the_catalogue_and_the_reference_data_keep_the_glossarys_terms(rule, pattern):
    broken = [
        f"{source!r}: {text!r}"
        for source, text in _indonesian_strings() + _reference_names()
        if pattern.search(text)
    ]
    assert broken == [], f"{rule}:\n" + "\n".join(broken[:20])


def test_the_rule_catches_what_it_forbids():
    # The patterns themselves: a lower-case "anda", a bare "email", a lone "Sandi" are caught;
    # the glossary's own forms are not.
    rules = dict(FORBIDDEN)
    assert rules["Anda with a capital A"].search("Profil anda")
    assert not rules["Anda with a capital A"].search("Profil Anda")
    assert rules["e-mail, not email or surel"].search("Alamat email")
    assert not rules["e-mail, not email or surel"].search("Alamat e-mail")
    assert rules["kata sandi, not sandi alone"].search("Sandi baru")
    assert not rules["kata sandi, not sandi alone"].search("Kata sandi baru")
