"""Export files: CSV (with a UTF-8 BOM, so spreadsheet programs read Indonesian text right) or JSONL,
written as the rows stream, and a file name that says what was searched and when."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from searchapp.search.result_rows import EXPORT_COLUMNS

FLUSH_BYTES = 64 * 1024
MAX_NAME_CHARS = 60


def export_filename(query: str, fmt: str, today: date | None = None) -> str:
    """``arsip-banjir-jakarta-2026-12-01.csv``: the query's words (ASCII), then the date."""
    ascii_query = unicodedata.normalize("NFKD", query).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_query.lower()).strip("-")[:MAX_NAME_CHARS].strip("-")
    day = (today or date.today()).isoformat()
    return f"arsip-{slug or 'search'}-{day}.{fmt}"


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
