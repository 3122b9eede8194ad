"""Boilerplate removal for archive text: every rule in one place, each one named and explained.

Web captures of Indonesian government and news pages carry photo captions, bylines, "Baca juga" links
and share/comment widgets that pollute passages and search results. The rules here work line by line
and only ever drop a line that is *entirely* boilerplate (or a byline code at the very end of a line):
a sentence that merely contains "Bagikan" or "komentar" is content and stays. When unsure, keep.

Scraper debris is the other kind of damage removed here: the CLICK-ID-style news exports joined text
nodes with commas and dropped hyperlinked words, which leaves ",,", ".,,,", "(,)", "“,,”" and
"Baca Juga :,," (a related-article link whose text was lost). Those runs are never writing.

Text is otherwise left as written (quotes, dashes and case are not normalised: the search analyzers
fold them, and researchers quote what they read). Mojibake is repaired before cleaning, by
``indexer.mojibake``.
"""

from __future__ import annotations

import re
import unicodedata

# What repair + cleaning produce, as one number recorded in each index's ``_meta.cleaning_version``.
# Bump it whenever a rule here or in ``indexer.mojibake`` changes its output, so that an index can tell
# which text rules made it (apply new ones with ``arsip index ... --rebuild``).
#   1: boilerplate lines, bylines, scraper paragraph joins (indices without the field)
#   2: mojibake repair (ftfy), scraper debris (",,", "(,)", lost "Baca juga" links), LRM/RLM removed
#   3: a scraper's "loading..." placeholder at the end of a line (posmetro-medan articles) removed
CLEANING_VERSION = 3

# --- character-level rules -----------------------------------------------------------------------

# Invisible characters that only break words apart for the tokenizer: zero-width space, word joiner,
# BOM / zero-width no-break space, soft hyphen, and the bidirectional marks/embeddings (LRM, RLM,
# U+202A-E, U+2066-9) that news CMSs leave glued to words ("KPK\u200e", "136,392\u202c"): search and
# snippets do not need them. ZWJ/ZWNJ are kept: they matter in some scripts and in emoji.
ZERO_WIDTH_RE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u00ad]")
# Control characters other than tab and newline (NUL, bell, escape, DEL, C1 controls...).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Any run of horizontal whitespace, including no-break and other Unicode spaces, becomes one space.
SPACE_RUN_RE = re.compile(r"[^\S\n]+")
# A blank line (possibly holding spaces) separates paragraphs.
PARAGRAPH_BREAK_RE = re.compile(r"\n[^\S\n]*\n\s*")

# Paragraphs that a scraper joined with a comma right after the sentence end: "...di Jakarta.,Pada hari"
# (the CLICK-ID news exports look like this), or with several when an empty node sat between them:
# "(10/9/2019)., ,Jika", "Merak.,,,“Kita". A comma glued to a sentence end and followed by a capital,
# an opening quote, a hashtag or a list item ("resepnya.,1. Campur", "kesepian., - Salah") never occurs
# in written Indonesian or English: it is a paragraph break.
# Two or more commas after a sentence end are a break whatever follows: "Medan Deli.,,,,,,loading...".
# (Written from the sentence end, group 1 or 2, rather than with a look-behind: the engine then only
# tries the pattern at punctuation, which keeps it fast on long one-line articles.)
SCRAPER_JOIN_RE = re.compile(
    r"([.!?])(?:[^\S\n]*,){2,}[^\S\n]*(?=\S)"
    r"|([.!?\"”])(?:[^\S\n]*,)+[^\S\n]*(?=[\"“]?[A-Z#]|\d{1,2}[.)][^\S\n]|[-•][^\S\n])"
)
# A "***" section divider that the scraper joined in: "dalam , ini.,***,Harapan memang".
SCRAPER_DIVIDER_RE = re.compile(r"(?:,|^)[^\S\n]*\*{3,}[^\S\n]*(?:,|$)", re.MULTILINE)
# A related-article marker whose link text the scraper lost: "Baca juga:,,Kendati", "Baca juga,,Meski",
# "Baca Juga :,,Sebelumnya" — at a line start or glued to the previous node by a comma/sentence end,
# and followed by the scraper's comma. (Running text such as "bisa baca juga, buku" has a space before.)
LOST_READ_ALSO_RE = re.compile(
    r"(?:^|(?<=[.,!?\"”]))[^\S\n]*(?:baca|lihat|simak)[^\S\n]+(?:juga|pula)[^\S\n]*:?(?:[^\S\n]*,)+[^\S\n]*",
    re.IGNORECASE | re.MULTILINE,
)
# --- debris inside a line ----------------------------------------------------------------------------

# Two or more commas in a row (with spaces between): the separators around a dropped link,
# "membeli ,, kita", "Oleskan , , , di tengah", "Momoland,,Yeonwoo". One comma is kept.
COMMA_RUN_RE = re.compile(r"[^\S\n]*,(?:[^\S\n]*,)+[^\S\n]*")
# Brackets or curly quotes holding nothing but commas/dots: "Gil Da Ran (,) yang", "campaign “,”.",
# a bracketed related-article link that lost its text, "(Baca juga: ,)", and a straight-quoted
# quotation that lost its text: '.,"," tulis Claudia', 'bernama " ," ditemukan' (only after a space or
# separator and before a lowercase word or punctuation, so '"Halo", "Apa"' lists are not touched).
EMPTY_PAIR_RE = re.compile(
    r"[^\S\n]*(?:\([\s,.;:]*\)|“[\s,.;:]*”|\((?:baca|lihat|simak)\s+(?:juga|pula)\s*:?[\s,.]*\))"
    r"|(?:(?<=[\s,.])|^)\"[^\S\n]*,[\s,]*\"(?=[^\S\n]+[a-z]|[.,;:]|$)",
    re.IGNORECASE,
)
# Where EMPTY_PAIR_RE may match (a pattern starting with a character, which the engine finds fast).
_EMPTY_PAIR_HINT_RE = re.compile(r"[(“\"][\s,.;:]*[)”\"]|\((?:baca|lihat|simak)\s", re.IGNORECASE)
# Commas before the first word of a line, and a comma run (or commas after a sentence end) closing it:
# ",,,,,Episode pertama", "Playing With Fire.,,,,,,". A single comma after a word at the end of a
# line is kept: in a hard-wrapped paragraph it is the author's.
LEADING_COMMAS_RE = re.compile(r"^[\s,]+")
LOADING_RE = re.compile(r"[^\S\n]*(?:,[^\S\n]*)*\bloading(?:\.{3}|…)$", re.IGNORECASE)
"""A lazy-loading placeholder a scraper kept at the end of a line (",,,loading...")."""
TRAILING_COMMAS_RE = re.compile(r"(?:(?<=[.!?\"”’)])[^\S\n]*,[\s,]*|[^\S\n]*,(?:[^\S\n]*,)+[^\S\n]*)$")

# --- line-level rules: a line matching one of these is dropped whole --------------------------------

# Photo caption as captured from the page: a short line ending in " |" or "|",
# e.g. "Pj. Sekda Hendra Kusuma dan Staff- |". Table rows ("| a | b |") start with "|" and are kept.
CAPTION_RE = re.compile(r"^(?!\|)[^|]{1,250}\|$")
# Photo credit lines: "Foto: Humas Pemkot", "(Foto: ANTARA/Budi)", "Ilustrasi: Istimewa".
PHOTO_CREDIT_RE = re.compile(
    r"^\(?(?:foto|photo|sumber\s+foto|ilustrasi|ilustrasi\s+foto|image|gambar)\s*:[^\n]{0,150}$",
    re.IGNORECASE,
)
# Byline codes alone on a line: "(Pur/Humas)", "(ant)", "(red/xyz)", "(Humas/HMP).", "[ant]".
BYLINE_LINE_RE = re.compile(
    r"^[(\[]\s*[A-Za-z][\w.\-]{0,14}(?:\s*/\s*[A-Za-z][\w.\-]{0,14}){0,3}\s*[)\]]\.?$"
)
# Related-article links: "Baca juga: ...", "Baca Juga : ...", "BACA JUGA - ...", "Simak juga: ...",
# followed by at most one headline-sized link text.
READ_ALSO_RE = re.compile(
    r"^(?:baca|lihat|simak|tonton|read)\s+(?:juga|pula|also)\b\s*(?:[:\-–—»>]|$)[^\n]{0,200}$",
    re.IGNORECASE,
)
# Credit lines: "Editor: Budi", "Penulis : Ani", "Reporter: ..." (a name-sized value), and
# "Tags: pilkada, covid" (a list-sized value). A longer line may carry content after the name: kept.
# ("Kata kunci:" / "Keywords:" of papers are kept too: they are searchable content.)
CREDIT_RE = re.compile(
    r"^(?:(?:editor|penyunting|penulis|pewarta|reporter|redaktur|kontributor|fotografer|writer)"
    r"\s*:[^\n]{0,60}|(?:tags?|topik|kategori|category)\s*:[^\n]{0,150})$",
    re.IGNORECASE,
)
# Share/comment/navigation widgets: the whole line is one of these phrases (case and trailing
# punctuation ignored), e.g. "Posting Komentar", "Bagikan", "Share this:", "Advertisement".
_WIDGET_TEXT = """
    posting komentar|tulis komentar|kirim komentar|komentar|komentari|beri komentar|lihat komentar
    tidak ada komentar|belum ada komentar|0 komentar|no comments|leave a comment|leave a reply|comments
    bagikan|bagikan artikel ini|bagikan berita ini|bagikan ke|share|share this|share this article|share on
    like this|suka ini|sukai ini|memuat|loading|tweet|print|cetak|email|facebook|twitter|whatsapp|telegram
    advertisement|iklan|sponsored|scroll untuk melanjutkan|scroll untuk melanjutkan membaca
    scroll to continue|scroll to continue with content|scroll ke bawah untuk melanjutkan
    baca selengkapnya|selengkapnya|read more|baca juga|berita terkait|artikel terkait|related posts
    related articles|posting lebih baru|posting lama|posting lebih lama|beranda|langganan
    langganan: posting komentar (atom)|subscribe to: post comments (atom)|newer post|older post|home
    previous|next|sebelumnya|selanjutnya|top|kembali ke atas|back to top
"""
WIDGET_PHRASES = frozenset(p.strip() for p in _WIDGET_TEXT.replace("\n", "|").split("|")) - {""}
_WIDGET_TRAILING = " \t:.…·>»-–—!|"
# Hashtag-only lines and publisher taglines made of them: "#GrowFearless with FIMELA".
HASHTAG_LINE_RE = re.compile(r"^(?:#\w+[^\S\n]*)+(?:with[^\S\n]+\w+)?$", re.IGNORECASE)
# "12 Komentar", "Komentar (3)", "3 comments".
COMMENT_COUNT_RE = re.compile(r"^(?:\d+\s+(?:komentar|comments?)|(?:komentar|comments?)\s*\(\d+\))$", re.I)

# --- in-line rule: a byline code closing the last sentence of a line -------------------------------

# "... kata Anies. (aik/dkp)" -> "... kata Anies." Only after sentence-final punctuation and only at
# the end of the line, so acronyms in running text such as "(KPR/KPA) atau" or "(ATR/BPN)," stay.
TRAILING_BYLINE_RE = re.compile(r"(?<=[.!?\"”’'])\s*\(\s*[A-Za-z]{2,8}(?:\s*/\s*[A-Za-z]{2,8}){0,2}\s*\)\.?$")
# A single code after a sentence end is only a byline when lowercase ("(ant)", "(red)") or a known
# agency/desk code ("(ANT)"): an uppercase single word such as "(WNI)." may be an acronym.
_SINGLE_CODE_RE = re.compile(r"\(\s*([A-Za-z]+)\s*\)\.?")
_AGENCY_CODES = frozenset({"ant", "antara", "red", "humas", "rls", "ril", "adv"})


def normalize_chars(text: str) -> str:
    """Canonical Unicode (NFC), Unix newlines, no invisible or control characters, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ZERO_WIDTH_RE.sub("", text)
    text = CONTROL_RE.sub(" ", text)
    return SPACE_RUN_RE.sub(" ", text)


def is_caption(line: str) -> bool:
    """True for a photo-caption line such as "Pj. Sekda Hendra Kusuma dan Staff- |"."""
    line = line.strip()
    return bool(CAPTION_RE.match(line) or PHOTO_CREDIT_RE.match(line))


def is_widget(line: str) -> bool:
    """True for a line that is nothing but a share/comment/navigation widget label."""
    key = line.strip().strip(_WIDGET_TRAILING).strip().lower()
    return key in WIDGET_PHRASES or bool(COMMENT_COUNT_RE.match(key))


def is_debris_line(line: str) -> bool:
    """True for a line without a single letter or digit ("***", "•", ",", "-") or of hashtags only."""
    return not any(ch.isalnum() for ch in line) or bool(HASHTAG_LINE_RE.match(line))


def is_boilerplate_line(line: str) -> bool:
    """True when the whole line is boilerplate (caption, byline, related link, credit, widget, debris)."""
    line = line.strip()
    if not line:
        return False
    return (
        is_debris_line(line)
        or is_caption(line)
        or bool(BYLINE_LINE_RE.match(line))
        or bool(READ_ALSO_RE.match(line))
        or bool(CREDIT_RE.match(line))
        or is_widget(line)
    )


def strip_trailing_byline(line: str) -> str:
    """Remove a byline code such as "(aik/dkp)" or "(ant)" that closes the line after a sentence end."""
    m = TRAILING_BYLINE_RE.search(line)
    if not m:
        return line
    single = _SINGLE_CODE_RE.fullmatch(m.group(0).strip())
    if single and not (single.group(1).islower() or single.group(1).lower() in _AGENCY_CODES):
        return line
    return line[: m.start()].rstrip()


def unjoin_scraped_paragraphs(text: str) -> str:
    """Turn scraper joins (SCRAPER_JOIN_RE) and lost related-article links (LOST_READ_ALSO_RE) back
    into paragraph breaks of the text's own kind."""
    separator = "\n\n" if PARAGRAPH_BREAK_RE.search(text) else "\n"
    text = remove_empty_pairs(text)  # first: "sejauh ini. (,),Tapi" is a join once "(,)" is gone
    if "," in text:
        text = SCRAPER_JOIN_RE.sub(lambda m: (m.group(1) or m.group(2)) + separator, text)
    if "***" in text:
        text = SCRAPER_DIVIDER_RE.sub(separator, text)
    return LOST_READ_ALSO_RE.sub(separator, text)


def remove_empty_pairs(text: str) -> str:
    """``text`` without EMPTY_PAIR_RE debris; again until none is left, since empty pairs in a row
    share their quotes ('",","')."""
    while _EMPTY_PAIR_HINT_RE.search(text):
        emptied = SPACE_RUN_RE.sub(" ", EMPTY_PAIR_RE.sub("", text))
        if emptied == text:
            break
        text = emptied
    return text


def strip_debris(line: str) -> str:
    """The line without scraper debris: empty brackets/quotes, comma runs, commas at its edges.

    Each rule runs only when a cheap test says it can match: these patterns start with optional
    spaces or a look-behind, which the regex engine tries at every position of a long line.
    """
    line = remove_empty_pairs(line)
    if line[-3:] in ("...", "..…") or line.endswith("…"):
        line = LOADING_RE.sub("", line)
    if line[:1] in ", ":
        line = LEADING_COMMAS_RE.sub("", line)
    if line.rstrip().endswith(","):
        line = TRAILING_COMMAS_RE.sub("", line)
    if ",," in line or ", ," in line:  # spaces are single here (normalize_chars)
        line = SPACE_RUN_RE.sub(" ", COMMA_RUN_RE.sub(", ", line))
    return line.strip()


def clean_line(line: str) -> str:
    """One line after the line-level rules: "" if it is boilerplate, else the stripped content."""
    line = strip_debris(line.strip())
    if not line or is_boilerplate_line(line):
        return ""
    without_byline = strip_trailing_byline(line)
    return line if without_byline is line else strip_debris(without_byline)


def split_paragraphs(text: str) -> list[list[str]]:
    """Paragraphs as lists of lines: blank-line separated blocks, or one line per paragraph when the
    text has no blank line at all (one-paragraph-per-line captures such as the Humas press releases)."""
    text = text.strip("\n")
    if PARAGRAPH_BREAK_RE.search(text):
        return [block.split("\n") for block in PARAGRAPH_BREAK_RE.split(text)]
    return [[line] for line in text.split("\n")]


def clean_text(text: str) -> str:
    """The text without boilerplate, as paragraphs separated by exactly one blank line ("\\n\\n").

    Lines inside a blank-line separated paragraph are hard wraps and are joined with a space.
    Idempotent: cleaning cleaned text changes nothing.
    """
    if not text:
        return ""
    paragraphs = []
    for lines in split_paragraphs(unjoin_scraped_paragraphs(normalize_chars(text))):
        kept = [cleaned for cleaned in (clean_line(line) for line in lines) if cleaned]
        if kept:
            paragraphs.append(" ".join(kept))
    return "\n\n".join(paragraphs)
