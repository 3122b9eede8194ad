"""JSON Lines (.jsonl, .ndjson), .json files (one array or one object, or JSON Lines after all) and
JSON Lines from a stream (stdin)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from indexer.documents import SourceDocument
from indexer.readers import base
from indexer.readers.base import SNIFF_BYTES, STDIN_NAME, ReadError, ReadRequest, _size, open_up_to_size
from indexer.readers.decoding import _sniff_record_encoding
from indexer.readers.records import _iter_binary_lines, _records_from_lines, document_from_record


def _read_jsonl(
    path: Path,
    name: str,
    field_map: dict[str, str] | None,
    collection: str | None,
    source: str | None,
    limit: int | None = None,
) -> Iterator[SourceDocument | ReadError]:
    try:
        size = path.stat().st_size
        if size == 0:
            yield ReadError(name, None, "empty file")
            return
        encoding = _sniff_record_encoding(path)
        if path.suffix.lower() == ".json":
            whole = _read_json_document(path, name, size, encoding, field_map, collection, source, limit)
            if whole is not None:
                yield from whole
                return
        with open_up_to_size(path, size) as stream:
            if encoding.startswith(("utf-16", "utf-32")):  # newlines are not single bytes there
                lines: Iterable[tuple[int, bytes | str | None]] = enumerate(
                    io.TextIOWrapper(stream, encoding=encoding, errors="replace"), 1
                )
            else:
                lines = _iter_binary_lines(stream, base.MAX_RECORD_BYTES if limit is None else limit)
            yield from _records_from_lines(lines, name, encoding, field_map, collection, source, limit)
    except OSError as exc:
        yield ReadError(name, None, f"cannot read file: {exc.strerror or exc}")


def _read_json_document(
    path: Path,
    name: str,
    size: int,
    encoding: str,
    field_map: dict[str, str] | None,
    collection: str | None,
    source: str | None,
    limit: int | None = None,
) -> list[SourceDocument | ReadError] | None:
    """A .json file holding one array of records or one record; None if it is JSON Lines after all."""
    limit = base.MAX_FILE_BYTES if limit is None else limit
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES).decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    if not head.startswith(("[", "{")):
        return [ReadError(name, None, "not JSON (expected an array or objects)")]
    if size > limit:
        if head.startswith("{"):
            return None  # large: read it as JSON Lines, record by record
        return [ReadError(name, None, f"JSON array over {_size(limit)}: convert it to JSONL")]
    try:
        with path.open("rb") as f:
            data = json.loads(f.read(size).decode(encoding))
    except json.JSONDecodeError as exc:
        if head.startswith("{") and exc.msg == "Extra data":
            return None  # one object per line
        return [ReadError(name, None, f"invalid JSON: {exc}"[:300])]
    except (UnicodeDecodeError, RecursionError) as exc:
        return [ReadError(name, None, f"invalid JSON: {type(exc).__name__}")]
    if isinstance(data, list):
        return [
            document_from_record(item, name, i, field_map, collection, source)
            for i, item in enumerate(data, 1)
        ]
    return [document_from_record(data, name, 1, field_map, collection, source)]


def read_stream(
    stream: IO[bytes] | IO[str],
    field_map: dict[str, str] | None = None,
    collection: str | None = None,
    source: str | None = None,
    name: str = STDIN_NAME,
    *,
    max_bytes: int | None = None,
) -> Iterator[SourceDocument | ReadError]:
    """JSON Lines from an open stream (stdin for the "-" path), text or binary, one record a line;
    a line over ``max_bytes`` (default ``MAX_RECORD_BYTES``) is skipped with an error."""
    limit = base.MAX_RECORD_BYTES if max_bytes is None else max_bytes

    def lines() -> Iterator[tuple[int, bytes | str | None]]:
        if isinstance(stream, io.TextIOBase) and hasattr(stream, "buffer"):
            yield from _iter_binary_lines(stream.buffer, limit)
        elif isinstance(stream, io.TextIOBase):
            yield from enumerate(stream, 1)
        else:
            yield from _iter_binary_lines(stream, limit)  # type: ignore[arg-type]

    yield from _records_from_lines(lines(), name, "utf-8", field_map, collection, source, limit)


def read(r: ReadRequest) -> Iterator[SourceDocument | ReadError]:
    """The jsonl reader behind ``read_file``."""
    yield from _read_jsonl(r.path, r.name, r.field_map, r.collection, r.source, r.limit)
