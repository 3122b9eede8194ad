"""Mojibake repair: text that was UTF-8 once, decoded with the wrong single-byte encoding, made whole.

Scraped archives carry UTF-8 that a tool read as MacRoman (``‚Äú`` for “, ``‚Äô`` for ’) or as
Windows-1252 (``Ã©`` for é, ``â€œ`` for “). The garbled sequences break reading, highlighting,
BM25 (a word glued to ``‚Äù`` is another term) and embeddings, so the indexer repairs every text field
before cleaning, splitting and embedding.

The repair is ftfy's (``fix_text``, which tries MacRoman, Windows-1252/1251, Latin-1... and decodes
mixed-in UTF-8) with every fix that is *not* about encoding turned off: quotes stay curly, ligatures,
full-width characters, line breaks and Unicode normal form stay as written (cleaning does its own,
narrower, normalisation), so correct text — Indonesian, "José", "Müller", "Citroën", “…”, ’, — —
is never altered.

In documents that mix correct and garbled text, ftfy leaves some MacRoman mojibake alone, because its
"does this look bad?" score does not flag it: sequences that decode to an *invisible* or rare character
(``‚Äé`` = U+200E LEFT-TO-RIGHT MARK, ``‚Äã`` = U+200B ZERO WIDTH SPACE, ``‚Å£``), short runs of
another script (``–°–ª—É–≥–∞`` = "Слуга") and lone pairs (``1√ó24 jam``, ``¬Ω sdt``).
``decode_macroman_runs`` finishes the job with the same codec ftfy uses
("macroman" = Python's ``mac_roman``): a run whose characters are, byte for byte, the UTF-8 encoding
of something else is decoded — but only when it cannot be correct text (see ``MACROMAN_UTF8_RE``).
"""

from __future__ import annotations

import re

import ftfy

from indexer.documents import SourceDocument

# ftfy with only the encoding repair on (see the module docstring for why each other fix is off).
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # readers already unescape HTML; "&amp;" in a JSON record is what it says
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,  # “ ” ‘ ’ are what the authors wrote
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,  # cleaning.normalize_chars does this
    normalization=None,  # cleaning.normalize_chars applies NFC
    explain=False,
)


def _macroman_chars(first: int, last: int) -> str:
    """The characters that bytes ``first..last`` decode to in MacRoman, escaped for a regex class."""
    return re.escape(bytes(range(first, last + 1)).decode("mac_roman"))


_CONT = f"[{_macroman_chars(0x80, 0xBF)}]"  # a UTF-8 continuation byte, as MacRoman shows it
_LEAD2 = f"[{_macroman_chars(0xC2, 0xDF)}]"  # first byte of a 2-byte UTF-8 sequence
_LEAD3 = f"[{_macroman_chars(0xE0, 0xEF)}]"  # ... of a 3-byte one (‚ = E2: U+2000-U+2FFF)
_LEAD4 = f"[{_macroman_chars(0xF0, 0xF4)}]"  # ... of a 4-byte one (emoji)
# Leads that are math signs or a ligature never written before an accented letter or a symbol:
# √ (C3: é ñ ü ä ×), ¬ (C2: ° ½ nbsp), ƒ (C4: ā č ğ), ≈ (C5: ř ł ş Š), Œ (CE: α β μ).
_SURE_LEAD2 = "[" + re.escape(bytes([0xC3, 0xC2, 0xC4, 0xC5, 0xCE]).decode("mac_roman")) + "]"
# UTF-8 read as MacRoman that cannot be correct text: a 3- or 4-byte sequence (a lead such as "‚"
# followed by two or three accented letters/symbols never occurs in writing), a 2-byte one with a
# sure lead ("1√ó24 jam", "¬Ω sdt", "K√§llenius"), or at least two 2-byte sequences in a row
# ("–°–ª"). Any other single 2-byte pair, such as "“É" (a quote before "École") or "«É", may well
# be correct, so it is left to ftfy, which judges it in context.
MACROMAN_UTF8_RE = re.compile(
    f"(?:{_LEAD3}{_CONT}{{2}}|{_LEAD4}{_CONT}{{3}}|{_SURE_LEAD2}{_CONT}|{_LEAD2}{_CONT}(?={_LEAD2}{_CONT}))"
    f"(?:{_LEAD3}{_CONT}{{2}}|{_LEAD4}{_CONT}{{3}}|{_LEAD2}{_CONT})*"
)


def _decode_macroman(match: re.Match[str]) -> str:
    try:
        return match.group(0).encode("mac_roman").decode("utf-8")
    except UnicodeError:  # not UTF-8 after all (e.g. an overlong form): leave it as written
        return match.group(0)


def decode_macroman_runs(text: str) -> str:
    """Decode the MacRoman-garbled UTF-8 runs that ftfy leaves (``‚Äé`` → U+200E, ``–°–ª`` → "Сл")."""
    return MACROMAN_UTF8_RE.sub(_decode_macroman, text)


def repair_encoding(text: str) -> str:
    """``text`` with its mojibake repaired; text without mojibake comes back unchanged (same object)."""
    if not text or text.isascii():
        return text
    fixed = decode_macroman_runs(ftfy.fix_text(text, FTFY_CONFIG))
    return text if fixed == text else fixed


# The SourceDocument fields that hold free text (url, date, language and path are not prose).
REPAIRED_FIELDS = ("title", "text", "author", "source", "collection")


def repair_document(doc: SourceDocument) -> list[str]:
    """Repair the mojibake of every text field of ``doc`` in place; return the fields that changed."""
    changed = []
    for name in REPAIRED_FIELDS:
        value = getattr(doc, name)
        if value:
            fixed = repair_encoding(value)
            if fixed is not value:
                setattr(doc, name, fixed)
                changed.append(name)
    return changed
