"""Normalised entity names: one spelling per entity whatever the case and spacing of the text, and the
role (Gubernur, Bupati, Menteri, Sekda…) apart from a person's name.

``Muhammad hudori`` and ``MUHAMMAD HUDORI`` both become ``Muhammad Hudori``; acronyms of up to four
capitals stay (``KPU``, ``Kemenpan-RB``); small joining words stay lower case (``Kementerian
Pendayagunaan Aparatur Negara dan Reformasi Birokrasi``). The same function normalises what a user types
after ``person:`` / ``org:`` / ``place:``, so a query matches the stored keyword.
"""

from __future__ import annotations

import re
import unicodedata

from arsip.entities.gazetteer import ROLES

LOWER_WORDS = frozenset({"dan", "di", "ke", "dari", "untuk", "yang", "bin", "binti", "van", "der", "de", "&"})
EDGE_MARKS = " \t\r\n.,;:!?\"'“”‘’()[]{}<>|/\\-–—*•"
ROLE_SEQUENCES = sorted((tuple(role.split()) for role in ROLES), key=len, reverse=True)
ROLE_SPELLING = {  # how a role is written when the text had no case (or all capitals)
    "pj": "Pj.",
    "pj.": "Pj.",
    "plt": "Plt.",
    "plh": "Plh.",
    "dr": "Dr.",
    "dr.": "Dr.",
    "prof": "Prof.",
    "prof.": "Prof.",
    "ir": "Ir.",
    "ir.": "Ir.",
    "h.": "H.",
    "hj.": "Hj.",
}


def _word(word: str) -> str:
    if word.lower() in LOWER_WORDS:
        return word.lower()
    parts = []
    for part in word.split("-"):
        if (part.isupper() and len(part) <= 4) or any(c.isdigit() for c in part) or not part:
            parts.append(part)
        else:
            parts.append(part[:1].upper() + part[1:].lower())
    return "-".join(parts)


def normalise_name(text: str) -> str:
    """One spelling of an entity name: NFC, single spaces, no marks at the ends, words capitalised."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text).strip(EDGE_MARKS)
    text = re.sub(r"\s+([,.'’])", r"\1", text)
    words = [_word(w) for w in text.split(" ") if w]
    if words and words[0] in LOWER_WORDS:
        words[0] = words[0].capitalize()
    return " ".join(words)


def role_length(words: list[str]) -> int:
    """How many of ``words`` (from the start) form a role such as ``Wakil Gubernur`` or ``Pj. Sekda``."""
    lows = [w.lower() for w in words]
    taken = 0
    while taken < len(lows):
        for role in ROLE_SEQUENCES:
            if tuple(lows[taken : taken + len(role)]) == role:
                taken += len(role)
                break
        else:
            break
    return taken


def role_spelling(words: list[str]) -> str:
    return " ".join(ROLE_SPELLING.get(w.lower(), _word(w)) for w in words)


def split_role(words: list[str]) -> tuple[str | None, list[str]]:
    """(role, the name's words) for a person span whose first words are a role."""
    n = role_length(words)
    if n == 0 or n == len(words):
        return None, words
    return role_spelling(words[:n]), words[n:]
