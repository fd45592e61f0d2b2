"""Every page, e-mail and error exists in Bahasa Indonesia: the catalogue must be complete."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "id" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _entries():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def test_every_string_has_an_indonesian_translation():
    missing = [
        entry.msgid
        for entry in _entries()
        if "fuzzy" in entry.flags
        or (not entry.msgid_plural and not entry.msgstr.strip())
        or (entry.msgid_plural and not all(v.strip() for v in entry.msgstr_plural.values()))
    ]
    assert missing == []


def test_translations_keep_every_placeholder():
    broken = []
    for entry in _entries():
        if entry.msgid_plural:
            # Indonesian has one plural form: it may use either English form's placeholders.
            allowed = set(
                PLACEHOLDER.findall(entry.msgid) + PLACEHOLDER.findall(entry.msgid_plural)
            )
            if any(
                not set(PLACEHOLDER.findall(t)) <= allowed for t in entry.msgstr_plural.values()
            ):
                broken.append(entry.msgid)
        elif sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            broken.append(entry.msgid)
    assert broken == []


@pytest.mark.parametrize(("language", "expected"), [("id", "Pemasok"), ("en", "Suppliers")])
def test_the_compiled_catalogue_is_used(language, expected):
    with translation.override(language):
        assert translation.gettext("Suppliers") == expected


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """A string added to the code but never extracted would show in English only."""
    root = CATALOGUE.parents[3]
    if shutil.which("xgettext") is None:
        pytest.fail(
            "GNU gettext (xgettext) is needed to check the catalogue: apt-get install gettext"
        )
    ignored = shutil.ignore_patterns(
        ".venv",
        "node_modules",
        "test-artifacts",
        "staticfiles",
        "media",
        "private_media",
        ".git",
        ".pgdata",
        "*.pyc",
        "__pycache__",
        "bench",
        "*.mo",
    )
    copy = tmp_path / "src"
    shutil.copytree(root, copy, ignore=ignored)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "DEBUG": "true"},
        check=True,
        capture_output=True,
    )
    extracted = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(copy / CATALOGUE.relative_to(root)))
    }
    committed = {(e.msgctxt, e.msgid) for e in _entries()}
    assert sorted(extracted - committed, key=str) == []
