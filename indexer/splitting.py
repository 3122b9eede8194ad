"""Split a cleaned document into passages: the paragraph-sized units we embed, index and return.

A passage should be one coherent paragraph that fits the embedding model's window (``max_tokens``):
longer paragraphs are cut at sentence ends, tiny fragments (headings, one-line paragraphs) are merged
with their neighbour so they carry enough context to be found. Nothing is ever dropped: the words of
the passages, in order, are exactly the words of the text. Token counting is injected so that the
real tokenizer is used in production and a whitespace counter in tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from indexer.documents import Passage

# Words that end with a period without ending the sentence (compared lowercase, without the dot).
_ABBREVIATIONS_TEXT = """
    dr drs dra drg prof ir h hj kh st sh mh se mm mt mpd spd skm ssos ssi amd
    no nos vol hal hlm jl jln kec kab kel prov pt tbk cv ud bpk sdr sdri tn ny nn
    kol jend brigjen mayjen letjen kapt lettu letda serka kompol akp akbp iptu ipda aiptu bripka brigpol
    dll dsb dst dkk tsb yth ybs a.n u.p rp usd idr tgl thn th ca cf vs etc e.g i.e mr mrs ms jr sr inc ltd co
    jan feb mar apr jun jul agu agt aug sep sept okt oct nov nop des dec fig
"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())

# Sentence end candidate: ., ! or ? (possibly repeated, possibly closed by quotes/brackets) then space.
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*\s+")
_OPENERS = "\"'“‘([«"
# Initials and dotted abbreviations such as "S.H.", "M.Si.", "a.n." end with a dot but not a sentence.
_DOTTED_RE = re.compile(r"^(?:[A-Za-z]{1,3}\.){2,}$")
# Paragraph break: a blank line (possibly holding spaces).
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")

PASSAGE_JOINER = "\n\n"


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs: blocks separated by blank lines, or single lines if the text has no blank line."""
    blocks = _BLANK_LINE_RE.split(text) if _BLANK_LINE_RE.search(text) else text.split("\n")
    return [block.strip() for block in blocks if block.strip()]


def _is_abbreviation(word: str) -> bool:
    word = word.lstrip(_OPENERS)
    if not word.endswith("."):
        return False
    bare = word.rstrip(".").lower()
    if not bare:
        return False
    if len(bare) == 1 and bare.isalpha():  # an initial: "H. Anies", "Moh. H. Ali"
        return True
    return bare in ABBREVIATIONS or bool(_DOTTED_RE.match(word))


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (Indonesian/English): cut after . ! ? followed by a space and a capital,
    digit or opening quote; not after abbreviations ("Dr.", "H.", "No.", "dll.", "Rp."), initials
    ("S.H.") or inside numbers ("2.5"). Each sentence keeps its trailing whitespace so that joining them
    gives back the paragraph."""
    sentences = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            continue
        punct = text[m.start()]
        if punct == ".":
            word_start = max(text.rfind(" ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            word = text[word_start : m.start() + 1]
            if _is_abbreviation(word):
                continue
        sentences.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        sentences.append(text[start:])
    return sentences


def _hard_cut(word: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Cut one over-long "word" (a URL, a run of symbols) into character chunks that fit."""
    pieces = []
    while word:
        lo, hi = 1, len(word)
        while lo < hi:  # largest prefix that fits (at least one character)
            mid = (lo + hi + 1) // 2
            if count_tokens(word[:mid]) <= max_tokens:
                lo = mid
            else:
                hi = mid - 1
        pieces.append(word[:lo])
        word = word[lo:]
    return pieces


def _pack(units: list[str], sep: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Greedily join consecutive units with ``sep`` into chunks of at most ``max_tokens`` tokens.

    Unit counts are summed (one tokenizer call per unit, not per candidate chunk); each chunk is then
    checked once with the real count, and re-split if the sum under-estimated it.
    """
    chunks: list[str] = []
    current: list[str] = []
    current_tokens = 0
    for unit in units:
        n = count_tokens(unit)
        if current and current_tokens + n > max_tokens:
            chunks.append(sep.join(current))
            current, current_tokens = [], 0
        current.append(unit)
        current_tokens += n
    if current:
        chunks.append(sep.join(current))
    return chunks


def _split_long(paragraph: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Cut a paragraph longer than ``max_tokens`` at sentence ends, then at word boundaries."""
    units: list[str] = []
    for sentence in split_sentences(paragraph):
        sentence = sentence.strip()
        if not sentence:
            continue
        if count_tokens(sentence) <= max_tokens:
            units.append(sentence)
            continue
        words: list[str] = []
        for word in sentence.split():
            if count_tokens(word) > max_tokens:
                words.extend(_hard_cut(word, count_tokens, max_tokens))
            else:
                words.append(word)
        units.extend(_pack(words, " ", count_tokens, max_tokens))
    chunks = []
    for chunk in _pack(units, " ", count_tokens, max_tokens):
        if count_tokens(chunk) > max_tokens and " " in chunk:
            # The summed estimate was too low (tokenizers are not additive): pack word by word.
            chunks.extend(_split_long(chunk, count_tokens, max_tokens - 1) if max_tokens > 1 else [chunk])
        else:
            chunks.append(chunk)
    return chunks


def split_passages(
    doc_id: str,
    text: str,
    count_tokens: Callable[[str], int],
    max_tokens: int = 256,
    min_chars: int = 200,
) -> list[Passage]:
    """Passages of ``text`` (already cleaned), positions 0..n-1 in reading order.

    Paragraphs over ``max_tokens`` are cut at sentence ends (a sentence over the limit at word
    boundaries); then a piece shorter than ``min_chars`` absorbs the following piece(s), or at the end
    joins the previous one, as long as the result stays within ``max_tokens``. Merged pieces are joined
    with a blank line so paragraph boundaries stay visible.
    """
    if max_tokens < 1:
        raise ValueError("max_tokens must be at least 1")
    pieces: list[str] = []
    for paragraph in split_paragraphs(text):
        if count_tokens(paragraph) <= max_tokens:
            pieces.append(paragraph)
        else:
            pieces.extend(_split_long(paragraph, count_tokens, max_tokens))

    merged: list[str] = []
    for piece in pieces:
        if merged and len(merged[-1]) < min_chars:
            candidate = merged[-1] + PASSAGE_JOINER + piece
            if count_tokens(candidate) <= max_tokens:
                merged[-1] = candidate
                continue
        merged.append(piece)
    if len(merged) > 1 and len(merged[-1]) < min_chars:
        candidate = merged[-2] + PASSAGE_JOINER + merged[-1]
        if count_tokens(candidate) <= max_tokens:
            merged[-2:] = [candidate]

    return [Passage(doc_id=doc_id, position=i, text=piece) for i, piece in enumerate(merged)]
