"""Text search over a supplier's name and description, shared by the web directory and the API.

Indonesian words carry their meaning in a root wrapped in affixes ("pengecoran" = peN- + cor +
-an). The query is stemmed with Sastrawi and each word matches when its root, or the word as
typed, appears inside the name or the description; the root is also tried with the nasal that
the peN-/meN- prefixes put in place of its first letter (potong -> pemotongan, sambung ->
penyambungan). Nothing is stored, so every existing profile is searchable at once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import Q

MIN_ROOT = 3
MAX_WORDS = 8
# peN-/meN- replace these initial consonants with a nasal.
NASAL = {"p": "m", "t": "n", "k": "ng", "s": "ny"}


@lru_cache(maxsize=1)
def _stemmer():
    # Building the dictionary takes about a second: once per process.
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    return _stemmer().stem(word)


def variants(word: str) -> list[str]:
    """What to look for in the text for one query word: the word, its root and the root's
    nasalised form, longest first, none shorter than MIN_ROOT unless typed that way."""
    word = word.lower()
    found = [word]
    root = stem(word) if word.isalpha() else word
    if root and root != word and len(root) >= MIN_ROOT:
        found.append(root)
    if len(root) >= MIN_ROOT + 1 and root[0] in NASAL:
        found.append(NASAL[root[0]] + root[1:])
    return list(dict.fromkeys(found))


def words(query: str) -> list[str]:
    return re.findall(r"[\w][\w./-]*", query.lower())[:MAX_WORDS]


def text_condition(query: str, fields: tuple[str, ...] = ("legal_name", "description")) -> Q:
    """Every query word (in any of its forms) must appear in one of ``fields``."""
    condition = Q()
    for word in words(query):
        any_form = Q()
        for form in variants(word):
            for name in fields:
                any_form |= Q(**{f"{name}__icontains": form})
        condition &= any_form
    return condition
