"""Words and sentences of real text, split the way the IndoNLU training data is (punctuation apart,
hyphens and inner dots kept: ``Kemenpan-RB``, ``Pj.`` … ``S.H.``), each with its character offsets."""

from __future__ import annotations

import re
from typing import NamedTuple

ABBREVIATION = re.compile(r"^(?:[A-Za-z]\.|(?:[A-Za-z]{1,3}\.){2,})$")  # H.  S.H.  A.Md.
KNOWN_ABBREVIATIONS = frozenset(
    "pj plt plh dr drs dra prof ir hj sdr jl no kh st bpk tgl kab kec kel".split()  # noqa: SIM905
)
SENTENCE_END = frozenset({".", "!", "?", "…"})
MAX_SENTENCE = 120  # words; a longer run without an end mark (a list, a table) is cut here


class Token(NamedTuple):
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Words and marks of ``text`` with offsets. A trailing dot stays on short abbreviations (``Pj.``,
    ``Dr.``, ``H.``, ``S.H.``) and leaves other words (the end of a sentence)."""
    tokens: list[Token] = []
    for match in re.finditer(r"[^\W_]+(?:[-'’./][^\W_]+)*\.?|[^\w\s]", text):
        word, start, end = match.group(), match.start(), match.end()
        abbreviation = ABBREVIATION.match(word) or word[:-1].lower() in KNOWN_ABBREVIATIONS
        if word.endswith(".") and len(word) > 1 and not abbreviation:
            tokens.append(Token(word[:-1], start, end - 1))
            tokens.append(Token(".", end - 1, end))
        else:
            tokens.append(Token(word, start, end))
    return tokens


def sentences(tokens: list[Token], text: str = "") -> list[list[Token]]:
    """Tokens grouped into sentences: after an end mark, at a line break, or every MAX_SENTENCE words."""
    out: list[list[Token]] = []
    current: list[Token] = []
    for n, token in enumerate(tokens):
        if current and text and "\n" in text[current[-1].end : token.start]:
            out.append(current)
            current = []
        current.append(token)
        next_is_lower = n + 1 < len(tokens) and tokens[n + 1].text[:1].islower()
        if (token.text in SENTENCE_END and not next_is_lower) or len(current) >= MAX_SENTENCE:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out
