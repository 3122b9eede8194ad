"""The one entry point for files: pick the format's reader and never raise for bad input."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from indexer.documents import SourceDocument
from indexer.readers import csv, html, image, jsonl, pdf, txt
from indexer.readers.base import OcrOptions, ReadError, ReadRequest
from indexer.readers.jsonl import read_stream
from indexer.readers.paths import FORMATS, UnsupportedFormat, detect_format

# One reader per format, all with the same interface: ``read(ReadRequest)``.
READERS: dict[str, Callable[[ReadRequest], Iterator[SourceDocument | ReadError]]] = {
    "txt": txt.read,
    "html": html.read,
    "pdf": pdf.read,
    "jsonl": jsonl.read,
    "csv": csv.read,
    "image": image.read,
}


def read_file(
    path: str | Path,
    fmt: str = "auto",
    field_map: dict[str, str] | None = None,
    collection: str | None = None,
    source: str | None = None,
    *,
    max_bytes: int | None = None,
    ocr: OcrOptions | None = None,
) -> Iterator[SourceDocument | ReadError]:
    """Documents of one file (or of stdin for "-", read as JSON Lines), and a ``ReadError`` for each
    record or file that cannot be read. Never raises for bad input.

    ``fmt`` is "auto" (from the extension) or one of ``FORMATS``; ``field_map`` renames record fields
    (JSONL/CSV); ``collection`` and ``source``, when given, are set on every document. ``max_bytes``
    (``Settings.max_file_mb``) is the largest txt/html/pdf/.json-array file read (larger ones are
    refused from their size, never read) and the largest JSONL line / CSV record. ``ocr`` says how
    scanned PDF pages and images are read (default: not at all, as ``--ocr never``; the indexer passes
    the run's ``--ocr``).
    """
    if str(path) == "-":
        yield from read_stream(sys.stdin, field_map, collection, source, max_bytes=max_bytes)
        return
    path = Path(path)
    name = str(path)
    if fmt == "auto":
        try:
            fmt = detect_format(path)
        except UnsupportedFormat as exc:
            yield ReadError(name, None, str(exc))
            return
    elif fmt not in FORMATS:
        raise UnsupportedFormat(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not path.is_file():
        reason = "no such file" if not path.exists() else "not a regular file"
        yield ReadError(name, None, reason)
        return
    try:
        ocr = ocr or OcrOptions("never")
        request = ReadRequest(path, name, field_map, collection, source, max_bytes, ocr)
        yield from READERS[fmt](request)
    except Exception as exc:  # noqa: BLE001 - last resort: one unreadable file must not stop a run
        yield ReadError(name, None, f"unexpected error: {type(exc).__name__}: {exc}"[:300])
