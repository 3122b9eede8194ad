"""Batch search: a list of terms or names → matching documents per term (Datashare's batch search).

This module reads the list (pasted text, a .txt or .csv upload, or the JSON API's ``terms``), checks its
limits, and shapes the rows and the CSV file. The counting itself is ``SearchService.count_many``: the
same plan and count request as the search page, so a row's figures are that search's totals.

Rules of the list, the same for the UI and the API:

* one term per line, each a query as typed on the search page (``"Joko Widodo"`` is a phrase);
* surrounding spaces are trimmed; blank lines are skipped (and counted);
* a term given twice is searched once, at its first line; the repeats are reported (line numbers);
* at most ``MAX_TERMS`` distinct terms, each at most ``MAX_QUERY_CHARS`` characters: a longer list is
  refused whole (400) rather than cut, so no line is silently dropped;
* a .csv upload: the first column of each row, read as CSV (a spreadsheet cell holding a quoted phrase is
  written with doubled quotes and reads back as the phrase); further columns are ignored and reported;
* text is UTF-8 (a byte order mark is removed); anything else is refused with a clear error.

Batch search runs in keyword mode only: a name list asks which documents contain each name. Semantic
and hybrid counts would add the passages related to each name by meaning, which is not what a name
list asks (does a document name it?).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from searchapp import export_format
from searchapp.errors import ErrorCode, SearchError
from searchapp.search_params import BATCH_FILTERS, MAX_QUERY_CHARS
from searchapp.search_request import SearchRequest

if TYPE_CHECKING:
    from searchapp.service import SearchService

MAX_TERMS = 1000
MSEARCH_CHUNK = 200
"""Count requests sent in one msearch (``search.engine.Engine.msearch``; 1,000 terms: 5 calls)."""
MAX_BATCH_BYTES = 8 * 1024 * 1024
"""Request body limit of the batch routes: 1,000 terms of 1,000 characters, JSON-escaped, fit."""
MODE = "keyword"
CSV_COLUMNS = ["line", "term", "documents", "groups", "passages", "exact", "warnings", "error", "search_url"]


def N_(message: str) -> str:
    """Marks a message for the gettext catalogs (pybabel extracts ``N_``) without translating it here."""
    return message


class BatchError(SearchError):
    """A refused term list (400). ``message`` is English (the API's); the UI shows ``translated()``."""

    def __init__(self, code: ErrorCode, msgid: str, **variables) -> None:
        english = {k: f"{v:,}" if isinstance(v, int) else v for k, v in variables.items()}
        super().__init__(400, code, msgid % english)
        self.msgid = msgid
        self.variables = variables

    def translated(self, gettext, number) -> str:
        """The message through ``gettext``, whole numbers written by ``number`` (the UI's locale)."""
        return gettext(
            self.msgid, **{k: number(v) if isinstance(v, int) else v for k, v in self.variables.items()}
        )


@dataclass(frozen=True)
class TermList:
    """The distinct terms in order of first appearance, with their line numbers and what was skipped."""

    terms: list[str]
    lines: list[int]
    blank_lines: int = 0
    duplicates: list[dict] = field(default_factory=list)  # {"term", "line", "first_line"}
    ignored_columns: int = 0  # rows of a CSV upload that had more than one column

    def summary(self) -> dict:
        return {
            "terms": len(self.terms),
            "blank_lines": self.blank_lines,
            "duplicates": self.duplicates,
            "ignored_columns": self.ignored_columns,
        }


def clean_text(text: str) -> str:
    """Lone surrogates (JSON can carry them; UTF-8 cannot) become U+FFFD, as undecodable bytes do."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def decode_upload(data: bytes) -> str:
    """An uploaded file's text: UTF-8, with or without a byte order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchError(
            ErrorCode.INVALID_ENCODING,
            N_(
                "The file is not UTF-8 text (byte %(position)s cannot be read). Save it as UTF-8 "
                "(in a spreadsheet: CSV UTF-8) and upload it again."
            ),
            position=exc.start + 1,
        ) from None


def lines_of_text(text: str) -> list[str]:
    """One entry per line of pasted text or a .txt file (any line ending; a leading BOM removed)."""
    return text.removeprefix("\ufeff").splitlines()


def lines_of_csv(text: str) -> tuple[list[str], int]:
    """The first column of each CSV row, and how many rows had more columns (ignored)."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    extra = sum(1 for row in rows if len(row) > 1 and any(cell.strip() for cell in row[1:]))
    return [row[0] if row else "" for row in rows], extra


def term_list(entries: Iterable[str], ignored_columns: int = 0) -> TermList:
    """Trim, skip blanks, merge repeats, and check the limits (the whole list is refused if over)."""
    terms: list[str] = []
    lines: list[int] = []
    first_line: dict[str, int] = {}
    blank = 0
    duplicates: list[dict] = []
    for number, raw in enumerate(entries, 1):
        term = clean_text(str(raw)).replace("\x00", " ").strip()
        if not term:
            blank += 1
            continue
        if len(term) > MAX_QUERY_CHARS:
            raise BatchError(
                ErrorCode.TERM_TOO_LONG,
                N_("Line %(line)s is longer than %(limit)s characters; shorten it or remove it."),
                line=number,
                limit=MAX_QUERY_CHARS,
            )
        if term in first_line:
            duplicates.append({"term": term, "line": number, "first_line": first_line[term]})
            continue
        first_line[term] = number
        terms.append(term)
        lines.append(number)
    if len(terms) > MAX_TERMS:
        raise BatchError(
            ErrorCode.TOO_MANY_TERMS,
            N_(
                "The list has %(num)s different terms; at most %(limit)s can be searched at once. "
                "Split it into lists of %(limit)s (nothing was searched)."
            ),
            num=len(terms),
            limit=MAX_TERMS,
        )
    return TermList(terms, lines, blank, duplicates, ignored_columns)


def empty_list_error() -> BatchError:
    return BatchError(ErrorCode.NO_TERMS, N_("The list is empty: write one term or name per line."))


def upload_entries(filename: str, data: bytes) -> tuple[list[str], int]:
    """A .txt or .csv upload's lines (first column of a .csv; any other name is read as text) and how
    many CSV rows had further columns."""
    text = decode_upload(data)
    if filename.lower().endswith(".csv"):
        return lines_of_csv(text)
    return lines_of_text(text), 0


def csv_filename(today: date | None = None) -> str:
    return f"arsip-batch-{(today or date.today()).isoformat()}.csv"


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    """The batch table as CSV, written like the export (a UTF-8 BOM, a header row)."""
    return export_format.csv_lines(
        (
            {
                **row,
                "exact": "true" if row.get("exact") else "false",
                "warnings": " | ".join(w["message"]["en"] for w in row.get("warnings") or []),
                "error": (row.get("error") or {}).get("message", ""),
            }
            for row in rows
        ),
        CSV_COLUMNS,
    )


def batch_filters(args: Mapping) -> tuple[SearchRequest, list[tuple[str, str]]]:
    """The filters every term is searched with (``BATCH_FILTERS``), validated as the search page validates
    them, and the same filters as URL pairs for each row's link to its search."""

    def cleaned(value):
        if isinstance(value, bool):  # a JSON body's true/false (the form sends text)
            return "true" if value else "false"
        return (
            [clean_text(str(v)) for v in value]
            if isinstance(value, (list, tuple))
            else clean_text(str(value))
        )

    base = SearchRequest.from_args(
        {param.name: cleaned(args[param.name]) for param in BATCH_FILTERS if args.get(param.name) is not None}
    )
    pairs = []
    for name, value in filters_summary(base).items():
        if isinstance(value, bool):
            pairs += [(name, "1")] * value
        else:
            pairs += [(name, v) for v in value] if isinstance(value, list) else [(name, value)] * bool(value)
    return replace(base, mode=MODE, highlight=False, facets=False), pairs


def filters_summary(base: SearchRequest) -> dict:
    """The batch filters of ``base``, by parameter name (lists; a date or None)."""
    summary = {}
    for param in BATCH_FILTERS:
        value = getattr(base.filters, param.field) if param.field else getattr(base, param.name)
        summary[param.name] = list(value) if param.kind == "list" else value
    return summary


def run_batch(
    service: SearchService,
    terms: TermList,
    args: Mapping,
    search_path: str = "/",
    chunk: int = MSEARCH_CHUNK,
) -> dict:
    """Every term searched with the same filters; a row per term with the search page's totals."""
    started = time.perf_counter()
    base, pairs = batch_filters(args)
    counted = service.count_many([replace(base, q=term) for term in terms.terms], chunk=chunk)
    rows = []
    for line, term, found in zip(terms.lines, terms.terms, counted, strict=True):
        totals = found["totals"] or {}
        rows.append(
            {
                "line": line,
                "term": term,
                "documents": totals.get("documents"),
                "groups": totals.get("groups"),
                "passages": totals.get("passages"),
                "exact": totals.get("exact"),
                "warnings": found["warnings"],
                "error": found["error"],
                "search_url": f"{search_path}?{urlencode([('q', term), ('mode', MODE), *pairs])}",
            }
        )
    return {
        "mode": MODE,
        "filters": filters_summary(base),
        **terms.summary(),
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
        "rows": rows,
    }
