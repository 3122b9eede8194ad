"""Export files: CSV (with a UTF-8 BOM, so spreadsheet programs read Indonesian text right) or JSONL,
written as the rows stream, and a file name that says what was searched (query, filters, mode, order)
and when."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from searchapp.facets import FACETS
from searchapp.search.result_rows import EXPORT_COLUMNS
from searchapp.search_request import SearchRequest

FLUSH_BYTES = 64 * 1024
MAX_NAME_CHARS = 60
MAX_DETAIL_CHARS = 100


def _slug(text: str, limit: int) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def name_details(request: SearchRequest) -> list[str]:
    """What a search's file name adds to its words: the URL's filters, a mode or order other than the
    default, exact forms (``source tempo.co``, ``from 2019-10-01``, ``newest``)."""
    details = [
        f"{facet.parameter} {value}" for facet in FACETS for value in getattr(request.filters, facet.selects)
    ]
    if request.filters.date_from:
        details.append(f"from {request.filters.date_from}")
    if request.filters.date_to:
        details.append(f"to {request.filters.date_to}")
    if request.mode != "hybrid":
        details.append(request.mode)
    if request.sort != "relevance":
        details.append(request.sort)
    if request.exact:
        details.append("exact")
    return details


def export_filename(query: str, fmt: str, today: date | None = None, details: Sequence[str] = ()) -> str:
    """``arsip-pilkada-source-tempo-co-newest-2026-12-07.csv``: the query's words, then ``details``
    (``name_details``: filters, mode, order; ASCII, cut at ``MAX_DETAIL_CHARS``), then the date."""
    slug = _slug(query, MAX_NAME_CHARS)
    detail = _slug(" ".join(details), MAX_DETAIL_CHARS)
    day = (today or date.today()).isoformat()
    return f"arsip-{'-'.join(part for part in (slug or 'search', detail) if part)}-{day}.{fmt}"


def csv_lines(rows: Iterable[dict], columns: Sequence[str] = EXPORT_COLUMNS) -> Iterator[str]:
    """The BOM (spreadsheets then read Indonesian text right), the header row, then the rows, in chunks of
    about ``FLUSH_BYTES``."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > FLUSH_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_lines(rows: Iterable[dict]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"
