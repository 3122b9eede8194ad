"""Indonesian stemming at index and query time (PySastrawi), for the keyword side.

The local node has no ``indonesian`` stemmer (docs/evaluation.md), so passages get stemmed twins of
``text`` and ``title`` when they are indexed, and unquoted query words are stemmed the same way. A
keyword search then matches ``pernyataan`` for ``menyatakan`` (both stem to ``nyata``); exact forms
still count through the plain fields. Measured by ``docs/decisions/stemming/compare_stemming.py``.
"""

from __future__ import annotations

from functools import lru_cache

STEMMERS = ("sastrawi", "none")
STEM_FIELDS = {"text": "text_stem", "title": "title_stem"}


@lru_cache(maxsize=1)
def _sastrawi():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()  # a CachedStemmer: each distinct word is stemmed once


def stem(text: str) -> str:
    """Lower-cased, punctuation-free text with every word reduced to its Indonesian root."""
    return _sastrawi().stem(text) if text else ""


def check_stemmer(name: str) -> str:
    """The stemmer's name, or a ValueError that says which names exist."""
    value = name.strip().lower()
    if value not in STEMMERS:
        raise ValueError(f"ARSIP_STEMMING must be one of {', '.join(STEMMERS)}, got {name!r}")
    return value
