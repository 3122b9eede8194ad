"""Title, date and place of a bare text (a press release as .txt, an HTML page without metadata).

Regional government offices publish releases as plain text: a headline line (sometimes), a dateline
("KUPANG – ...", "Kupang, 12 Maret 2020 – ...", "JAKARTA (ANTARA) - ..."), and a first paragraph that
names the day ("..., Senin (12/3/2020)"). This module reads those cheaply:

- regular expressions only *locate* candidates, and only in the first lines (plus the last lines, for a
  "Kupang, 12 Maret 2020" signature) and the opening of the text; dateparser (Indonesian and English,
  day first, no relative dates, no missing parts) turns a located date into ``YYYY-MM-DD``;
- every field says how it was found (``title_source``: headline | first_sentence, ``date_source``:
  dateline | text, ``place_source``: dateline); the readers set "metadata" for fields the input
  gives explicitly, and those always win.

A date inside a sentence without a weekday ("Pilkada yang akan digelar 09 Desember 2020 mendatang") is an
event date, not the release date, and is ignored; the latest weekday-and-date in the opening text
("kata Lilie, Selasa (10/9/2019)") is taken with ``date_source`` "text", unless "mendatang"/"nanti"
says it lies ahead. In news it is often the day of the event, a day or two before publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.cleaning import is_boilerplate_line
from indexer.dates import (
    _AGENCY,
    _DATE,
    DATELINE_ALONE_RE,
    DATELINE_PLACE_RE,
    MONTHS,
    WEEKDAYS,
    parse_date_text,
)
from indexer.mojibake import repair_encoding

# A headline is at most this long; a first sentence used as title is cut (at a clause) to this length.
MAX_HEADLINE_CHARS = 200
MAX_SENTENCE_TITLE_CHARS = 200
MIN_CLAUSE_TITLE_CHARS = 100  # a shorter first clause is often only the subject ("Ketua Fraksi ...")
# Where datelines are looked for: the first non-empty lines and, for signatures, the last ones.
HEAD_LINES = 5
TAIL_LINES = 3
TITLE_LINES = 5  # a hard-wrapped first paragraph is joined over at most this many lines
# How much of the opening text is searched for "Senin (12/3/2020)": about the first two paragraphs.
TEXT_DATE_CHARS = 1500
LINE_CHARS = 300

# "JAKARTA – Pemerintah ...", "JAKARTA, KOMPAS.com - ...", "KOTA BOGOR -- ...", "TEMPO.CO, Jakarta - ...",
# "Kupang (Humas) – ...": a place without a date. A place in capitals needs only the dash; "Kupang – "
# needs an agency or outlet too, since a headline such as "Jokowi - Prabowo Bertemu" has the same shape.
_CAPS_PLACE = r"[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,2}"
_TITLE_PLACE = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
_OUTLET_NAME = r"[A-Za-z][\w-]*(?:\.[A-Za-z]{2,4}){1,2}"  # KOMPAS.com, TEMPO.CO, Tribunnews.com
_PLACE_DASH = r"\s*[-–—]+\s+\S"
PLACE_DASH_RE = re.compile(
    rf"^\s*(?:{_OUTLET_NAME}\s*,\s*(?P<outlet_first>{_TITLE_PLACE})"
    rf"|(?P<caps>{_CAPS_PLACE}){_AGENCY}(?:\s*,\s*{_OUTLET_NAME})?"
    rf"|(?P<titled>{_TITLE_PLACE})(?:\s*\([^()\n]{{1,30}}\)|\s*,\s*{_OUTLET_NAME})){_PLACE_DASH}"
)
# "KOMPAS.com - ...", "Kapanlagi.com - ...": the outlet alone, no place; only cut from a title.
OUTLET_DASH_RE = re.compile(rf"^\s*{_OUTLET_NAME}{_PLACE_DASH}")
# A weekday with a full date in running text: "Senin (12/3/2020)", "Selasa, 10 September 2019",
# "Kamis 12 September 2019".
TEXT_DATE_RE = re.compile(
    rf"(?<!\w)(?i:{WEEKDAYS})(?:\s*,\s*|\s*\(\s*|\s+)(?P<date>{_DATE})\s*\)?(?P<after>[^.\n]{{0,30}})"
)
_AHEAD_RE = re.compile(r"^\W*(?i:mendatang|nanti|besok|yang akan datang)\b")

# Words that start a line like a place but are not one.
_NOT_PLACES = frozenset(
    set(WEEKDAYS.split("|")) | set(MONTHS)
    | {"pada", "dalam", "sejak", "hingga", "sampai", "mulai", "selama", "sebelum", "sesudah",
       "setelah", "tanggal", "tgl", "tgl.", "hari", "tahun", "bulan", "on", "since", "until", "before",
       "after", "diterbitkan", "dipublikasikan", "diposting", "diperbarui", "posted", "published", "date",
       "foto", "sumber", "baca", "editor", "penulis", "reporter", "oleh", "video", "update", "breaking",
       "news", "info", "berita", "opini", "advertorial", "live", "catatan", "keterangan"}
)  # fmt: skip
# Region acronyms that stay in capitals when a capitals place is put in title case ("DKI Jakarta").
_ACRONYMS = frozenset({"DKI", "DIY", "DI", "NTT", "NTB", "RI", "AS", "UEA", "PBB"})
_OUTLET_IN_PLACE_RE = re.compile(r"\.(?:com|co|id|net|org|tv)\b", re.IGNORECASE)

# A line ends like a sentence (or a clause) when it ends with a full stop, comma, colon or semicolon,
# maybe inside quotes; headlines end with "!", "?" or an ellipsis ("... Berpulang...") often enough.
_SENTENCE_END_RE = re.compile(r"(?<!\.\.)[.;,:]['\"”’)]*$")
# Words a headline does not end with: a line that ends so was cut mid-phrase (a wrapped paragraph).
_DANGLING_RE = re.compile(
    r"(?:\s(?i:dan|atau|yang|di|ke|dari|untuk|dengan|pada|dalam|oleh|bagi|serta|para|the|of|and|to|in)"
    r"|[-–—/&])$"
)
# Abbreviations whose full stop does not end a sentence ("Pj. Sekda", "Kab. Kupang", "Dr. Hudori").
_ABBREVIATIONS = frozenset(
    {"pj", "plt", "plh", "kab", "kec", "kel", "prov", "dr", "drs", "dra", "ir", "prof", "hj", "h",
     "st", "no", "jl", "jln", "tbk", "sdr", "bpk", "yth", "dll", "dsb", "dst", "mr", "mrs", "ms",
     "a.md", "s.sos", "s.h", "m.si", "s.pd"}
)  # fmt: skip
# A sentence ends at ". " before a capital or digit; the news scraper joined paragraphs with ".,".
_SENTENCE_BREAK_RE = re.compile(r"[.!?]['\"”’)]*(?=(?:\s+,*|,+)\s*['\"“‘(]?[A-Z0-9])")
_CLAUSE_BREAK_RE = re.compile(r"(?:,|\s[-–—])\s")


@dataclass
class TextMetadata:
    """What a bare text says about itself; a field is None (and its source too) when not found."""

    title: str = ""
    title_source: str | None = None
    body: str = ""  # the text without the headline line (unchanged when there is none)
    date: str | None = None
    date_source: str | None = None
    place: str | None = None
    place_source: str | None = None


def normalise_place(raw: str) -> str | None:
    """ "KOTA BANDUNG" → "Kota Bandung", "Kab. Bogor" as is; None for a word that is no place."""
    words = raw.strip(" ,.-–—").split()
    if not words or len(words) > 3 or words[0].lower().rstrip(".,") in _NOT_PLACES:
        return None
    if _OUTLET_IN_PLACE_RE.search(raw):  # "KOMPAS.COM - ...": the outlet, not a place
        return None
    if raw.isupper():
        words = [w if w in _ACRONYMS else w.capitalize() for w in words]
    return " ".join(words)


def _dateline(line: str) -> tuple[str | None, str | None, bool]:
    """``(date, place, whole_line)`` of a dateline at the start of ``line``; ``whole_line`` is True when
    the line is nothing but the dateline (a date line or a "Kupang, 12 Maret 2020" signature)."""
    line = line.strip()[:LINE_CHARS]
    m = DATELINE_PLACE_RE.match(line)
    rest = line[m.end() :].lstrip(" )") if m else ""
    # "Jakarta, Senin (12/3/2020) – ..." ends with a dash or the line; "Satlantas Polres Tegal, Jumat
    # (20/9/2019) siang, kembali ..." is a sentence (its date is then found as a date in the text).
    if m and (m.group("place").isupper() or not rest or rest[0] in "-–—|:"):
        date = parse_date_text(m.group("date"))
        place = normalise_place(m.group("place"))
        if date:  # place is None for "Rabu, 9 Desember 2020 - ...": a weekday, not a place
            return date, place, m.end() >= len(line.rstrip(" -–—|:"))
    m = DATELINE_ALONE_RE.match(line)
    if m:
        return parse_date_text(m.group("date")), None, True
    m = PLACE_DASH_RE.match(line)
    if m:
        place = m.group("outlet_first") or m.group("caps") or m.group("titled")
        return None, normalise_place(place), False
    return None, None, False


def _text_date(text: str) -> str | None:
    """The latest weekday-and-date in the opening text that does not lie ahead ("... mendatang"): a
    report names the days of what it reports, and is written on or after the last of them (on the
    news corpus the latest agrees with the publication date more often than the first; see
    docs/metadata.md)."""
    found = []
    for m in TEXT_DATE_RE.finditer(text[:TEXT_DATE_CHARS]):
        if _AHEAD_RE.match(m.group("after")):
            continue
        date = parse_date_text(m.group("date"))
        if date:
            found.append(date)
    return max(found, default=None)


def _is_headline(line: str, next_line: str | None) -> bool:
    """A short line that does not end like a sentence or mid-phrase, followed by a line that does not
    continue it (a wrapped paragraph's next line starts in lower case)."""
    if next_line is None or len(line) > MAX_HEADLINE_CHARS:
        return False
    if _SENTENCE_END_RE.search(line) or _DANGLING_RE.search(line):
        return False
    return not next_line[:1].islower() or _title_case(line)


def _title_case(line: str) -> bool:
    """Most longer words capitalised, as headlines are written ("Kian Banyak Makanan Saingan, ...")."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def first_sentence(paragraph: str) -> str:
    """The paragraph's first sentence (abbreviations such as "Pj." do not end it), without its full
    stop; cut at the last clause break (comma, dash) before ``MAX_SENTENCE_TITLE_CHARS`` when longer, at
    a word with "…" only when there is no clause break."""
    paragraph = " ".join(paragraph.split()).lstrip(" -–—|:,.")  # "– Manajemen ...": a dateline's rest
    sentence = paragraph
    for m in _SENTENCE_BREAK_RE.finditer(paragraph):
        word = paragraph[: m.start()].rsplit(" ", 1)[-1].lower()
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):  # "H. Hudori"
            continue
        mark, closing = m.group(0)[0], m.group(0)[1:]
        # "... Maju”." keeps the closing quote; a full stop is dropped, "!" and "?" are kept.
        sentence = paragraph[: m.start()] + ("" if mark == "." else mark) + closing
        break
    sentence = sentence.rstrip(" ,")  # the news scraper's separators
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    if len(sentence) <= MAX_SENTENCE_TITLE_CHARS:
        return sentence
    head = sentence[:MAX_SENTENCE_TITLE_CHARS]
    breaks = [m.start() for m in _CLAUSE_BREAK_RE.finditer(head) if m.start() >= MIN_CLAUSE_TITLE_CHARS]
    if breaks:
        return head[: breaks[-1]].rstrip()
    return head.rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def _strip_dateline_prefix(paragraph: str) -> str:
    """ "KUPANG – Pemerintah ..." → "Pemerintah ...", for a title taken from the first sentence."""
    m = PLACE_DASH_RE.match(paragraph) or OUTLET_DASH_RE.match(paragraph)
    if m:
        return paragraph[m.end() - 1 :]  # the pattern ends on the first character of the text
    m = DATELINE_PLACE_RE.match(paragraph)
    if m:
        return paragraph[m.end() :].lstrip(" -–—|:") or paragraph
    return paragraph


def _content_lines(lines: list[str], order: range, limit: int) -> list[int]:
    """Indices of up to ``limit`` non-empty, non-boilerplate lines, visited in ``order``."""
    found: list[int] = []
    for i in order:
        line = lines[i].strip()
        if line and not is_boilerplate_line(line[:LINE_CHARS]):
            found.append(i)
            if len(found) == limit:
                break
    return found


def extract_metadata(text: str) -> TextMetadata:
    """Title, date and place of a bare text, each with how it was found. Looks only at the first and last
    few lines and the opening ``TEXT_DATE_CHARS`` characters, so it costs well under a millisecond."""
    meta = TextMetadata(body=text.strip("\n"))
    lines = text.split("\n")
    # Only the first content lines (datelines, the title and its paragraph) and the last few (a
    # signature) are looked at: a long file costs no more than a short one.
    content = _content_lines(lines, range(len(lines)), HEAD_LINES + TITLE_LINES)
    head = content[:HEAD_LINES]
    after_head = head[-1] + 1 if len(head) == HEAD_LINES else len(lines)
    tail = _content_lines(lines, range(len(lines) - 1, after_head - 1, -1), TAIL_LINES)[::-1]
    dateline_lines: set[int] = set()
    # Datelines are read from repaired lines ("JAKARTA ‚Äì" is "JAKARTA –"); the text itself is repaired,
    # and the repair reported, by the pipeline.
    for i in head:
        date, place, whole = _dateline(repair_encoding(lines[i]))
        if whole:
            dateline_lines.add(i)
        if date and not meta.date:
            meta.date, meta.date_source = date, "dateline"
        if place and not meta.place:
            meta.place, meta.place_source = place, "dateline"
        if meta.date and meta.place:
            break
    if not meta.date or not meta.place:
        for i in reversed(tail):  # a signature: "Kupang, 12 Maret 2020" alone on its line
            date, place, whole = _dateline(repair_encoding(lines[i]))
            if whole and date:
                if not meta.date:
                    meta.date, meta.date_source = date, "dateline"
                if place and not meta.place:
                    meta.place, meta.place_source = place, "dateline"
                break
    # Title: the first content line that is not a date line; a headline, else its first sentence.
    candidates = [i for i in content if i not in dateline_lines]
    if candidates:
        i = candidates[0]
        line = lines[i].strip()
        heading = line.lstrip("#").strip() if line.startswith("#") else line
        next_line = lines[candidates[1]].strip() if len(candidates) > 1 else None
        if line.startswith("#") and heading or _is_headline(heading, next_line):
            meta.title, meta.title_source = heading, "headline"
            body = "\n".join(lines[:i] + lines[i + 1 :]).strip("\n")
            meta.body = body if body.strip() else meta.body
        else:
            paragraph = [heading]  # a hard-wrapped paragraph continues on the next lines
            for j in candidates[1:TITLE_LINES]:
                following = lines[j].strip()
                if not (following[:1].islower() or _DANGLING_RE.search(paragraph[-1])):
                    break
                paragraph.append(following)
            meta.title = first_sentence(_strip_dateline_prefix(" ".join(paragraph)))
            meta.title_source = "first_sentence" if meta.title else None
    if not meta.date:
        meta.date = _text_date(meta.body)
        meta.date_source = "text" if meta.date else None
    return meta
