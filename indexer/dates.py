"""Dates in Indonesian (and English) archive text: the patterns that locate a date and a dateline, and
the parsers.

- ``parse_date_value``/``parse_indonesian_date``: a record's date field (ISO, "09 Desember 2020",
  timestamps);
- ``DATELINE_PLACE_RE``/``DATELINE_ALONE_RE``/``DATE_RE``: where a dateline's place and date are
  ("Jakarta, 09 Desember 2020 - ...", "JAKARTA (ANTARA) - 9/12/2020", a line that is only a date); used by
  ``indexer.metadata``, which decides what counts as the publication date;
- ``parse_date_text``: a located date to ISO, by dateparser.

Numeric dates are read day-first, as Indonesian writes them (09/12/2020 is 9 December).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

# Month names and the abbreviations seen in Indonesian and English text -> month number.
MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agust": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

WEEKDAYS = (
    "senin|selasa|rabu|kamis|jumat|jum'at|jum’at|sabtu|minggu|ahad"
    "|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    "|sen|sel|rab|kam|jum|sab|min|mon|tue|wed|thu|fri|sat|sun"
)

_MONTH_ALT = "(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_YEAR_MIN, _YEAR_MAX = 1800, 2100

# One date expression. Named groups tell which form matched.
_DATE = (
    r"(?:"
    # 2020-12-09, 2020/12/09, also the date part of an ISO datetime
    r"(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?!\d)"
    # 09/12/2020, 9-12-2020, 09.12.2020 (day first)
    r"|(?P<nd>\d{1,2})[/.-](?P<nm>\d{1,2})[/.-](?P<ny>\d{4})(?!\d)"
    # 09 Desember 2020, 9 Des. 2020, 9 December, 2020
    rf"|(?P<td>\d{{1,2}})\s*(?P<tm>{_MONTH_ALT})\.?,?\s+(?P<ty>\d{{4}})(?!\d)"
    # December 9, 2020 / Dec 9th 2020
    rf"|(?P<em>{_MONTH_ALT})\.?\s+(?P<ed>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<ey>\d{{4}})(?!\d)"
    r")"
)
DATE_RE = re.compile(rf"(?<![\w]){_DATE}")

# A place name at the start of a dateline: up to four capitalised words ("Jakarta", "KOTA BANDUNG",
# "Tanjung Pinang"), optionally followed by an agency in brackets ("(ANTARA)", "(Humas)"). Words that
# open a sentence about an event ("Pada Rabu, 9 Desember 2020 pemerintah ...") are not places.
_NOT_PLACE = (
    r"(?!(?i:pada|dalam|sejak|hingga|sampai|mulai|selama|sebelum|sesudah|setelah|tanggal|hari|tahun"
    r"|bulan|on|since|until|before|after)\b)"
)
_PLACE = rf"{_NOT_PLACE}[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,3}}"
_AGENCY = r"(?:\s*\([^()\n]{1,30}\))?"
_WEEKDAY = rf"(?:(?i:{WEEKDAYS})\s*,?\s*)"
_TIME = r"(?:\s*,?\s*(?i:pukul\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?i:WIB|WITA|WIT|GMT[+-]?\d*|UTC)?)"
_DASH = r"[-–—|:]"

# "Jakarta, 09 Desember 2020 - ...", "JAKARTA (ANTARA) - 9/12/2020 ...", "Jakarta, Rabu (9/12/2020) - ...",
# "Jakarta, 9 Desember 2020" alone on its line (a signature line). The line must *start* with the place.
DATELINE_PLACE_RE = re.compile(
    rf"^\s*(?P<place>{_PLACE}){_AGENCY}\s*(?:,|{_DASH})\s*{_WEEKDAY}?\(?(?P<date>{_DATE})\)?{_TIME}?"
    rf"(?=\s|{_DASH}|$)",
)
# A line that is nothing but a date, possibly labelled: "Rabu, 09 Desember 2020 14:00 WIB",
# "Diterbitkan: 9 Des 2020", "Published on December 9, 2020".
DATELINE_ALONE_RE = re.compile(
    r"^\s*(?i:(?:tanggal|tgl\.?|diterbitkan|dipublikasikan|diposting|diperbarui|posted|published|date)"
    r"(?:\s+(?:pada|on))?\s*:?\s*)?"
    rf"{_WEEKDAY}?\(?(?P<date>{_DATE})\)?{_TIME}?\s*$",
)


def _valid(year: int, month: int, day: int) -> str | None:
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g["iy"]:
        return _valid(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["ny"]:
        return _valid(int(g["ny"]), int(g["nm"]), int(g["nd"]))
    if g["ty"]:
        return _valid(int(g["ty"]), MONTHS[g["tm"].lower()], int(g["td"]))
    return _valid(int(g["ey"]), MONTHS[g["em"].lower()], int(g["ed"]))


def parse_indonesian_date(text: str) -> str | None:
    """The first valid date written in ``text``, as ISO ``YYYY-MM-DD``; None if there is none.

    Reads "09 Desember 2020", "9 Des 2020", "Rabu, 9 Desember 2020", "2020-12-09" (ISO datetimes too),
    "09/12/2020" (day first) and English "December 9, 2020". Impossible dates (31 Februari) are skipped.
    Used on a record's date field; dates in running text go through ``indexer.metadata``.
    """
    if not text:
        return None
    for m in DATE_RE.finditer(text):
        iso = _from_match(m)
        if iso:
            return iso
    return None


_PARTIAL_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?\s*$")


def parse_partial_date(value: object) -> tuple[str, str] | None:
    """A record's month or year alone (``2020-06``, ``2020``) as (``YYYY-MM`` | ``YYYY``, precision
    ``month`` | ``year``); None for anything else. Years 1800..2100, months 1..12, as full dates."""
    m = _PARTIAL_DATE_RE.match(value) if isinstance(value, str) else None
    if m is None or not 1800 <= int(m.group(1)) <= 2100:
        return None
    if m.group(2) is None:
        return m.group(1), "year"
    if not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}", "month"


def parse_date_value(value: object) -> str | None:
    """Normalise a record's date field (string, ISO datetime, or unix timestamp) to ``YYYY-MM-DD``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = float(value)
        if 1e11 <= seconds < 1e14:  # milliseconds
            seconds /= 1000.0
        if not 1e8 <= seconds < 4.2e9:  # 1973 .. 2103: anything else is not a timestamp
            return None
        return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()
    if isinstance(value, str):
        return parse_indonesian_date(value.strip()[:200])
    return None


# dateparser reads the date a dateline or a sentence holds (Indonesian and English month names and
# abbreviations, day-first numbers); the regular expressions above only locate it. Settings: day first,
# all of day, month and year required (no guessed parts), absolute dates only (no "kemarin").
_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
    "PARSERS": ["absolute-time"],
}
_NUMERIC_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}\s*$")


@lru_cache(maxsize=1)
def _date_parser():  # noqa: ANN202 - dateparser's class; imported lazily (it loads language data)
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["id", "en"], settings=_DATEPARSER_SETTINGS)


@lru_cache(maxsize=4096)
def parse_date_text(candidate: str) -> str | None:
    """One located date expression ("12 Maret 2020", "12/3/2020", "December 9, 2020") → ISO, by
    dateparser; None when it is not a full, valid date in 1800..2100. Numbers are day first: a
    "12/31/2020" that only reads month first is refused rather than guessed."""
    m = _NUMERIC_DATE_RE.match(candidate)
    if m and (int(m.group(1)) > 31 or int(m.group(2)) > 12):
        return None
    found = _date_parser().get_date_data(candidate.strip()).date_obj
    if found is None or not _YEAR_MIN <= found.year <= _YEAR_MAX:
        return None
    return found.date().isoformat()
