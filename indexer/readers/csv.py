"""CSV files: a header row names the fields; the separator is the one the header uses most."""

from __future__ import annotations

import csv
import io
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from indexer.documents import SourceDocument
from indexer.readers import base
from indexer.readers.base import ReadError, ReadRequest, open_up_to_size
from indexer.readers.decoding import _decode_line, _sniff_record_encoding
from indexer.readers.records import _iter_binary_lines, document_from_record


def _raise_csv_field_limit(limit: int | None = None) -> None:
    """Allow CSV fields up to ``MAX_RECORD_BYTES`` (the default limit, 128 KiB, is below real articles)."""
    limit = min(base.MAX_RECORD_BYTES if limit is None else limit, sys.maxsize)
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


def _read_csv(
    path: Path,
    name: str,
    field_map: dict[str, str] | None,
    collection: str | None,
    source: str | None,
    limit: int | None = None,
) -> Iterator[SourceDocument | ReadError]:
    line_limit = base.MAX_RECORD_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if size == 0:
            yield ReadError(name, None, "empty file")
            return
        encoding = _sniff_record_encoding(path)
        _raise_csv_field_limit(line_limit)
        bad_lines: set[int] = set()

        def decoded_lines(raw: IO[bytes]) -> Iterator[str]:
            """Physical lines as text; lines that cannot be decoded (or are too long) are noted in
            ``bad_lines`` and the row that holds them is reported instead of read."""
            if encoding.startswith(("utf-16", "utf-32")):  # newlines are not single bytes there
                yield from io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
                return
            for number, line in _iter_binary_lines(raw, line_limit):
                text = _decode_line(line, encoding) if line is not None else None
                if text is None:
                    bad_lines.add(number)
                    text = "\n"
                yield text

        with open_up_to_size(path, size) as raw:
            lines = decoded_lines(raw)
            first = next(lines, "")
            # Excel in Indonesian/European locales writes ";"; pick the separator the header uses most.
            delimiter = max(",;\t|", key=first.count) if first.strip() else ","
            reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
            header: list[str] | None = None
            row_start = 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    # In practice a quoted field that never closes: no way to find the next row again.
                    yield ReadError(name, reader.line_num, f"bad CSV row: {exc}; rest of the file skipped")
                    return
                first_line, row_start = row_start, reader.line_num + 1
                if bad_lines and any(n in bad_lines for n in range(first_line, reader.line_num + 1)):
                    what = "header" if header is None else "row"
                    yield ReadError(
                        name, reader.line_num, f"{what} is binary, too long or not valid {encoding}"
                    )
                    if header is None:
                        return
                    continue
                if header is None:
                    header = [cell.strip().lstrip("\ufeff") for cell in row]
                    continue
                if not row or not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    yield ReadError(
                        name, reader.line_num, f"row has {len(row)} fields, the header has {len(header)}"
                    )
                    continue
                record = dict(zip(header, row, strict=True))
                yield document_from_record(record, name, reader.line_num, field_map, collection, source)
    except OSError as exc:
        yield ReadError(name, None, f"cannot read file: {exc.strerror or exc}")


def read(r: ReadRequest) -> Iterator[SourceDocument | ReadError]:
    """The csv reader behind ``read_file``."""
    yield from _read_csv(r.path, r.name, r.field_map, r.collection, r.source, r.limit)
